//! `sar`, `poam`: the Security Assessment Report and the seed POA&M, their edits and exports.

use std::path::PathBuf;
use std::process::ExitCode;

use assay_core::api::exports::{Deliverable, ExportRequest};
use assay_core::model::report::SarReport;
use assay_core::model::sar::{
    CheckSeverity, ConsistencyCheck, PoamTab, Recommendation, RiskItem, SarSummary, SarUpdate,
    Table22, Table22Counts,
};
use assay_core::{Context, Session};

use super::{open, open_read, read_data};
use crate::cli::{ExportArgs, PoamArgs, SarArgs, UserError};
use crate::output::print_json;

/// `assay sar`: the edits asked for (--kev, --set, --recommend, in that order), the exports,
/// then the report; exit 1 while a consistency error remains.
pub fn sar(a: SarArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let writes = a.kev.is_some() || a.set.is_some() || a.recommend.is_some();
    let mut session = if writes {
        open(&a.file, ctx)?
    } else {
        open_read(&a.file, ctx)?
    };
    if let Some(path) = &a.kev {
        let info = session.import_kev(path)?;
        errln!(
            "imported the CISA KEV catalog {} ({} entries) from {}",
            info.catalog_version,
            info.entries,
            path.display()
        );
    }
    if let Some(data) = &a.set {
        let update: SarUpdate = serde_json::from_str(&read_data(data)?)
            .map_err(|e| UserError(format!("--set: not a SAR update: {e}")))?;
        session.update_sar(&update)?;
    }
    if let Some(r) = a.recommend {
        session.set_recommendation(r)?;
        errln!("recorded the recommendation: {}", r.label());
    }
    export(
        &session,
        &a.export,
        [
            (Deliverable::SarPdf, a.pdf),
            (Deliverable::SarOscal, a.oscal),
            (Deliverable::RetXlsx, a.ret_xlsx),
        ],
    )?;
    let report = session.sar_report()?;
    if a.json {
        print_json(&SarJson::from(&report))?;
    } else {
        print_sar(&report)?;
    }
    Ok(ExitCode::from(u8::from(!report.is_consistent())))
}

/// Writes the files asked for (one core call), each named on stderr with its size.
fn export<const N: usize>(
    session: &Session,
    args: &ExportArgs,
    files: [(Deliverable, Option<PathBuf>); N],
) -> anyhow::Result<()> {
    let files: Vec<(Deliverable, PathBuf)> = files
        .into_iter()
        .filter_map(|(d, out)| out.map(|out| (d, out)))
        .collect();
    if files.is_empty() {
        return Ok(());
    }
    let request = ExportRequest {
        files,
        generated_at: args.generated_at.as_deref(),
        document_id: args.document_id.clone(),
    };
    for w in session.export_files(&request, None)? {
        errln!("wrote {} ({} bytes)", w.path.display(), w.size);
    }
    Ok(())
}

/// The JSON `assay sar` prints: the checks first, then the computed figures.
#[derive(serde::Serialize)]
struct SarJson<'a> {
    checks: &'a [ConsistencyCheck],
    consistent: bool,
    recommendation: Option<Recommendation>,
    summary: &'a SarSummary,
    summary_sentence: &'a str,
    table_2_2: &'a Table22,
}

impl<'a> From<&'a SarReport> for SarJson<'a> {
    fn from(r: &'a SarReport) -> Self {
        SarJson {
            checks: &r.checks,
            consistent: r.is_consistent(),
            recommendation: r.data.recommendation.as_ref().map(|x| x.statement),
            summary: &r.summary,
            summary_sentence: &r.summary_sentence,
            table_2_2: &r.table_2_2,
        }
    }
}

fn print_sar(r: &SarReport) -> std::io::Result<()> {
    let s = &r.summary;
    outln!("{}", r.summary_sentence)?;
    outln!(
        "objectives: {} satisfied, {} other than satisfied, {} untested; {} controls",
        s.objectives_satisfied,
        s.objectives_other_than_satisfied,
        s.objectives_untested,
        s.controls_assessed
    )?;
    outln!(
        "closed during testing: {} corrected, {} false positives; {} configuration and {} PL-2 findings open",
        s.corrected, s.false_positives, s.configuration_findings, s.pl2_findings
    )?;
    match &r.data.recommendation {
        Some(rec) => println!(
            "recommendation: {} {}",
            r.engagement.assessor_org,
            rec.statement.label()
        ),
        None => println!("recommendation: none recorded"),
    }
    print_table_2_2(&r.table_2_2)?;
    if r.checks.is_empty() {
        outln!("\nconsistency: no problems")?;
    } else {
        outln!()?;
        for c in &r.checks {
            let sev = match c.severity {
                CheckSeverity::Error => "error",
                CheckSeverity::Warning => "warning",
            };
            outln!("{sev:<7} {} {}\n        fix: {}", c.code, c.message, c.hint)?;
        }
    }
    Ok(())
}

fn print_table_2_2(t: &Table22) -> std::io::Result<()> {
    outln!("\nTable 2-2 (open risks)")?;
    outln!(
        "{:<22} {:>5} {:>3} {:>3} {:>5} {:>3} {:>4} {:>3} {:>5} {:>4} {:>5}",
        "Category",
        "Total",
        "OR",
        "VD",
        "SRTM",
        "OS",
        "Web",
        "DB",
        "Cont.",
        "Pen",
        "CM-6"
    )?;
    let line = |label: &str, c: &Table22Counts| {
        let v = c.cells();
        outln!(
            "{label:<22} {:>5} {:>3} {:>3} {:>5} {:>3} {:>4} {:>3} {:>5} {:>4} {:>5}",
            v[0],
            v[1],
            v[2],
            v[3],
            v[4],
            v[5],
            v[6],
            v[7],
            v[8],
            v[9]
        )
    };
    for row in &t.rows {
        line(&row.label, &row.counts)?;
    }
    line("Total Risks", &t.total)
}

/// `assay poam`: the exports asked for, then the seeded POA&M items.
pub fn poam(a: PoamArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let session = open_read(&a.file, ctx)?;
    export(
        &session,
        &a.export,
        [
            (Deliverable::PoamPdf, a.pdf),
            (Deliverable::PoamOscal, a.oscal),
            (Deliverable::PoamXlsx, a.xlsx),
        ],
    )?;
    let items = session.risk_items()?;
    if a.json {
        print_json(&items)?;
    } else {
        print_poam(&items)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_poam(items: &[RiskItem]) -> std::io::Result<()> {
    for tab in PoamTab::ALL {
        let rows: Vec<&RiskItem> = items.iter().filter(|i| i.poam_tab == *tab).collect();
        outln!("{} ({})", tab.label(), rows.len())?;
        for i in rows {
            let adjusted = i
                .adjusted_risk
                .map(|a| format!(" → {}", a.label()))
                .unwrap_or_default();
            outln!(
                "  {:<12} {:<9}{:<12} due {}  {}",
                i.poam_id,
                i.original_risk.label(),
                adjusted,
                i.scheduled_completion,
                i.name
            )?;
        }
    }
    Ok(())
}
