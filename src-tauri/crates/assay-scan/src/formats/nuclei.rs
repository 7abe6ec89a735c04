//! ProjectDiscovery Nuclei output: JSON Lines (`-jsonl`/`-json`, v2 and v3 key names) and
//! the JSON-array export (`-json-export`).
//!
//! Invariants: JSONL is read line by line into one reused buffer (lines can be hundreds of
//! KB), never more than [`crate::Limits::max_record`] bytes of one line; an array is visited
//! element by element. A final line without a newline that does
//! not parse is an interrupted run: it is skipped with a warning, not an error. A 0-byte
//! input is a valid "nothing matched" result when this format was chosen explicitly.

use std::io::BufRead;

use serde_json::Value;

use crate::control::{Control, Counting};
use crate::error::ScanError;
use crate::formats::{cvss, port, Out};
use crate::json::{self, each, first_str, get, scalar, strings, Shared};
use crate::model::{AssetIdentity, Item, ItemKind, ParseSummary, ScanInfo, Severity};
use crate::sink::ScanSink;
use crate::sniff::{first_record_keys, has, trim_start};
use crate::ScanFormat;

/// The Nuclei JSON/JSONL format.
#[derive(Debug, Clone, Copy)]
pub struct Nuclei;

impl ScanFormat for Nuclei {
    fn name(&self) -> &'static str {
        "nuclei"
    }

    fn sniff(&self, head: &[u8]) -> bool {
        first_record_keys(head).is_some_and(|k| {
            (has(&k, "template-id") || has(&k, "templateID") || has(&k, "template"))
                && has(&k, "info")
        })
    }

    fn parse(
        &self,
        input: &mut dyn BufRead,
        sink: &mut dyn ScanSink,
        ctl: &Control,
    ) -> Result<ParseSummary, ScanError> {
        let mut counting = Counting::json(input, ctl);
        let mut out = Out::new(sink, ctl, self.name());
        out.info(ScanInfo {
            tool: "Nuclei".into(),
            ..ScanInfo::default()
        })?;
        let head = counting.fill_buf()?;
        let is_array = trim_start(head).first() == Some(&b'[');
        if is_array {
            let shared = Shared::default();
            json::run(
                &mut counting,
                &shared,
                each(&shared, |v: Value| emit(&mut out, &v, "array element")),
            )?;
        } else {
            parse_lines(&mut counting, &mut out)?;
        }
        out.summary.bytes_read = counting.offset();
        counting.finish();
        Ok(out.summary)
    }
}

fn parse_lines<R: BufRead>(input: &mut Counting<'_, R>, out: &mut Out) -> Result<(), ScanError> {
    let mut line = Vec::with_capacity(64 * 1024);
    let mut n = 0u64;
    let cap = input.max_record();
    loop {
        line.clear();
        // One byte past the cap tells a line at the cap from a longer one.
        let read =
            std::io::Read::take(&mut *input, cap.saturating_add(1)).read_until(b'\n', &mut line);
        if let Some(refusal) = input.refusal() {
            return Err(json::Shared::default().refused(&refusal));
        }
        let read = read?;
        if read == 0 {
            return Ok(());
        }
        n += 1;
        let complete = line.last() == Some(&b'\n');
        if !complete && read as u64 > cap {
            return Err(ScanError::RecordTooLarge {
                path: format!("line {n}"),
                line: n,
                cap,
            });
        }
        let text = trim_start(&line);
        if text.is_empty() {
            continue;
        }
        match serde_json::from_slice::<Value>(text) {
            Ok(v) => emit(out, &v, &format!("line {n}"))?,
            Err(e) if !complete && e.is_eof() => {
                out.summary.skip(format!(
                    "line {n}: incomplete final record (interrupted run?), {} bytes",
                    text.len()
                ));
                out.summary.warn(format!(
                    "line {n}: final line is truncated; the run may be incomplete"
                ));
            }
            Err(e) => {
                if let Err(u) = std::str::from_utf8(text) {
                    let line_start = input.offset() - read as u64;
                    let skipped = (line.len() - text.len()) as u64;
                    return Err(ScanError::InvalidUtf8 {
                        offset: line_start + skipped + u.valid_up_to() as u64,
                        context: format!(" (JSONL line {n})"),
                    });
                }
                return Err(ScanError::Json {
                    path: format!("line {n}"),
                    line: n,
                    column: e.column() as u64,
                    message: crate::error::one_line(
                        e.to_string().split(" at line ").next().unwrap_or(""),
                    ),
                });
            }
        }
    }
}

/// Sends one record, or skips it when it has no template id (not a Nuclei result).
fn emit(out: &mut Out, v: &Value, place: &str) -> Result<(), ScanError> {
    if first_str(v, &["template-id", "templateID", "template"]).is_none() {
        out.summary
            .skip(format!("{place}: record without template-id"));
        return Ok(());
    }
    out.item(record_item(v))
}

fn record_item(v: &Value) -> Item {
    let info = get(v, "info");
    let id = first_str(v, &["template-id", "templateID", "template"]).unwrap_or_default();
    let mut item = Item::new("Nuclei", id.clone());
    item.name = first_str(info, &["name"]).unwrap_or_else(|| id.clone());
    item.raw_severity = first_str(info, &["severity"]).unwrap_or_default();
    item.severity = match item.raw_severity.to_ascii_lowercase().as_str() {
        "unknown" | "" => Severity::Unknown,
        s => Severity::from_label(s),
    };
    item.kind = if item.severity == Severity::Info {
        ItemKind::Informational
    } else {
        ItemKind::Vulnerability
    };
    item.description = first_str(info, &["description"]);
    item.solution = first_str(info, &["remediation"]);
    item.references = strings(get(info, "reference"), Some('\n'));
    let class = get(info, "classification");
    for c in strings(get(class, "cve-id"), Some(',')) {
        item.push_cve(&c);
    }
    for c in strings(get(class, "cwe-id"), Some(',')) {
        item.push_cwe(&c);
    }
    let score = get(class, "cvss-score");
    let score = json::number(score).map(|s| s.to_string());
    let vector = first_str(class, &["cvss-metrics"]);
    if let Some(c) = cvss(
        "3",
        score.as_deref(),
        vector.as_deref(),
        Some("nuclei-template"),
    ) {
        item.cvss.push(c);
    }
    item.plugin_family = first_str(v, &["type"]);
    let matched = first_str(v, &["matched-at", "matched"]);
    let url = first_str(v, &["url"]).or_else(|| matched.clone());
    item.asset = AssetIdentity {
        ip: first_str(v, &["ip"]),
        url: url
            .as_deref()
            .map(origin)
            .or_else(|| first_str(v, &["host"])),
        fqdn: first_str(v, &["host"]).filter(|h| !h.contains("://")),
        ..AssetIdentity::default()
    };
    item.port = first_str(v, &["port"]).and_then(|p| port(&p));
    let matcher = first_str(v, &["matcher-name", "matcher_name"]);
    item.location = match (&matched, &matcher) {
        (Some(m), Some(n)) => Some(format!("{m} [{n}]")),
        (Some(m), None) => Some(m.clone()),
        (None, n) => n.clone(),
    };
    item.first_seen = first_str(v, &["timestamp"]);
    item.last_seen.clone_from(&item.first_seen);
    let mut output = String::new();
    let extracted = strings(
        v.get("extracted-results")
            .or_else(|| v.get("extracted_results"))
            .unwrap_or(&Value::Null),
        None,
    );
    if !extracted.is_empty() {
        output.push_str("extracted: ");
        output.push_str(&extracted.join(", "));
        output.push('\n');
    }
    for key in ["request", "response"] {
        // Borrowed, not `scalar`'s copy: these can be the largest strings of a record.
        match v.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => output.push_str(s),
            Some(other) => match scalar(other) {
                Some(s) => output.push_str(&s),
                None => continue,
            },
            None => continue,
        }
        output.push('\n');
    }
    if !output.is_empty() {
        item.output = Some(output);
    }
    item
}

/// `scheme://host[:port]` of a URL, or the input when it is not a URL.
fn origin(url: &str) -> String {
    match url.find("://") {
        Some(i) => {
            let rest = &url[i + 3..];
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            url[..i + 3 + end].to_string()
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::VecSink;

    #[test]
    fn origin_of_urls() {
        assert_eq!(origin("http://a.b:8080/x?y"), "http://a.b:8080");
        assert_eq!(origin("a.b:53"), "a.b:53");
    }

    #[test]
    fn jsonl_tolerates_blank_and_truncated_final_line() {
        let data = "{\"template-id\":\"t1\",\"info\":{\"name\":\"T\",\"severity\":\"high\"}}\n\n{\"template-id\":\"t2\",\"inf";
        let mut sink = VecSink::default();
        let s = Nuclei
            .parse(&mut data.as_bytes(), &mut sink, &Control::default())
            .unwrap();
        assert_eq!(sink.items.len(), 1);
        assert_eq!(sink.items[0].severity, Severity::High);
        assert_eq!(s.skipped_count, 1);
    }

    #[test]
    fn jsonl_bad_middle_line_names_the_line() {
        let data =
            "{\"template-id\":\"t1\",\"info\":{}}\n{oops}\n{\"template-id\":\"t2\",\"info\":{}}\n";
        let mut sink = VecSink::default();
        let err = Nuclei
            .parse(&mut data.as_bytes(), &mut sink, &Control::default())
            .unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn empty_input_is_no_findings() {
        let mut sink = VecSink::default();
        let s = Nuclei
            .parse(&mut &b""[..], &mut sink, &Control::default())
            .unwrap();
        assert_eq!(s.items, 0);
    }
}
