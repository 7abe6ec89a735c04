//! The evidence index (SAR Appendix E's list) as CSV.

use crate::model::report::SarReport;
use crate::package_evidence_path;
use crate::workbook::formula_like;

/// One CSV field: quoted when it holds a separator, quote or line break, and prefixed with `'`
/// when a spreadsheet would otherwise run it as a formula (see [`formula_like`]). The prefix is
/// the one change Assay makes to the text; the evidence itself is untouched.
fn csv_field(s: &str) -> String {
    let s = if formula_like(s) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The evidence index (SAR Appendix E's list): one CSV row per evidence item.
pub fn evidence_index_csv(report: &SarReport, packaged: bool) -> Vec<u8> {
    let mut out = String::from(
        "Title,File Name,SHA-256,Size (bytes),Collected By,Collected From,Collected At,Linked To,In Package\r\n",
    );
    for e in &report.evidence {
        let links: Vec<String> = e
            .links
            .iter()
            .map(|l| format!("{} {}", l.kind, l.id))
            .collect();
        let row = [
            csv_field(&e.title),
            csv_field(&e.file_name),
            e.id.clone(),
            format!("{}", e.size as u64),
            csv_field(&e.collected_by),
            csv_field(&e.collected_from),
            csv_field(&e.collected_at),
            csv_field(&links.join("; ")),
            if packaged {
                package_evidence_path(&e.id, &e.file_name)
            } else {
                "No".into()
            },
        ];
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn fields_a_spreadsheet_would_run_are_prefixed_and_still_quoted() {
        let cases = [
            ("plain title", "plain title"),
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
            ),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tleading tab", "'\tleading tab"),
            ("\r=x", "\"'\r=x\""),
            ("a, b", "\"a, b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("mid = not a formula", "mid = not a formula"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(csv_field(input), want, "{input:?}");
        }
    }
}
