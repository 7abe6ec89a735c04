//! The reporting commands: `sar`, `poam`, `kev`, and the coverage explanation. Each makes one
//! core call (plus the exports asked for) and prints the result.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use assay_core::api::package::{self, PackageOptions};
use assay_core::model::report::{DocumentKind, ExportOptions, SarReport};
use assay_core::model::sar::{CheckSeverity, PoamTab, Recommendation, RiskItem, SarUpdate};
use assay_core::Session;

use crate::commands::UserError;
use crate::output::print_json;
use crate::progress::Progress;

/// Options shared by the exports.
#[derive(Debug, Default, clap::Args)]
pub struct ExportArgs {
    /// Generation time written into exports (RFC 3339; default: now).
    #[arg(long, value_name = "TIME")]
    pub generated_at: Option<String>,
    /// Document id for exports (default: derived from the engagement, stable across runs).
    #[arg(long, value_name = "ID")]
    pub document_id: Option<String>,
}

impl ExportArgs {
    fn options(&self, session: &Session, kind: DocumentKind) -> anyhow::Result<ExportOptions> {
        Ok(session.export_options(kind, self.generated_at.as_deref(), self.document_id.clone())?)
    }

    /// The date a workbook carries: the SAR's date, else the generation day.
    fn workbook_date(&self, session: &Session) -> anyhow::Result<chrono::NaiveDate> {
        let at = self.options(session, DocumentKind::Sar)?.generated_at;
        Ok(session.sar_data()?.date.unwrap_or(at.date_naive()))
    }
}

/// Writes `bytes` to `path`, naming the file on failure.
fn write_out(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    assay_core::api::write_file(path, bytes)?;
    eprintln!("wrote {} ({} bytes)", path.display(), bytes.len());
    Ok(())
}

/// What `assay sar` was asked to do.
#[derive(Debug, Default)]
pub struct SarArgs {
    pub recommend: Option<Recommendation>,
    pub set: Option<String>,
    pub kev: Option<PathBuf>,
    pub pdf: Option<PathBuf>,
    pub oscal: Option<PathBuf>,
    pub ret_xlsx: Option<PathBuf>,
    pub export: ExportArgs,
    pub json: bool,
}

/// What `assay poam` was asked to do.
#[derive(Debug, Default)]
pub struct PoamArgs {
    pub pdf: Option<PathBuf>,
    pub oscal: Option<PathBuf>,
    pub xlsx: Option<PathBuf>,
    pub export: ExportArgs,
    pub json: bool,
}

fn read_data(data: &str) -> anyhow::Result<String> {
    Ok(match data.strip_prefix('@') {
        Some(path) => {
            std::fs::read_to_string(path).map_err(|e| UserError(format!("{path}: {e}")))?
        }
        None => data.to_owned(),
    })
}

/// `assay sar`: edits, then the consistency checks (exit 1 while an error remains).
pub fn run_sar(mut session: Session, a: SarArgs) -> anyhow::Result<ExitCode> {
    if let Some(path) = &a.kev {
        let info = session.import_kev(path)?;
        eprintln!(
            "imported the CISA KEV catalog {} ({} entries) from {}",
            info.catalog_version,
            info.entries,
            path.display()
        );
    }
    if let Some(data) = &a.set {
        let text = read_data(data)?;
        let update: SarUpdate = serde_json::from_str(&text)
            .map_err(|e| UserError(format!("--set: not a SAR update: {e}")))?;
        session.update_sar(&update)?;
    }
    if let Some(r) = a.recommend {
        session.set_recommendation(r)?;
        eprintln!("recorded the recommendation: {}", r.label());
    }
    if let Some(out) = &a.pdf {
        let opts = a.export.options(&session, DocumentKind::Sar)?;
        write_out(out, &session.export_sar_pdf(&opts)?)?;
    }
    if let Some(out) = &a.oscal {
        let opts = a.export.options(&session, DocumentKind::Sar)?;
        write_out(out, &session.export_sar_oscal(&opts)?)?;
    }
    if let Some(out) = &a.ret_xlsx {
        let day = a.export.workbook_date(&session)?;
        write_out(out, &session.export_ret_xlsx(day)?)?;
    }
    let report = session.sar_report()?;
    if a.json {
        print_json(&SarJson::from(&report))?;
    } else {
        print_sar(&report);
    }
    Ok(if report.is_consistent() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The JSON `assay sar` prints: the checks first, then the computed figures.
#[derive(serde::Serialize)]
struct SarJson<'a> {
    checks: &'a [assay_core::model::sar::ConsistencyCheck],
    consistent: bool,
    recommendation: Option<Recommendation>,
    summary: &'a assay_core::model::sar::SarSummary,
    summary_sentence: &'a str,
    table_2_2: &'a assay_core::model::sar::Table22,
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

fn print_sar(r: &SarReport) {
    let s = &r.summary;
    println!("{}", r.summary_sentence);
    println!(
        "objectives: {} satisfied, {} other than satisfied, {} untested; {} controls",
        s.objectives_satisfied,
        s.objectives_other_than_satisfied,
        s.objectives_untested,
        s.controls_assessed
    );
    println!(
        "closed during testing: {} corrected, {} false positives; {} configuration and {} PL-2 findings open",
        s.corrected, s.false_positives, s.configuration_findings, s.pl2_findings
    );
    match &r.data.recommendation {
        Some(rec) => println!(
            "recommendation: {} {}",
            r.engagement.assessor_org,
            rec.statement.label()
        ),
        None => println!("recommendation: none recorded"),
    }
    println!("\nTable 2-2 (open risks)");
    println!(
        "{:<22} {:>5} {:>3} {:>3} {:>5} {:>3} {:>4} {:>3} {:>5} {:>4} {:>5}",
        "Category", "Total", "OR", "VD", "SRTM", "OS", "Web", "DB", "Cont.", "Pen", "CM-6"
    );
    let line = |label: &str, c: &assay_core::model::sar::Table22Counts| {
        let v = c.cells();
        println!(
            "{label:<22} {:>5} {:>3} {:>3} {:>5} {:>3} {:>4} {:>3} {:>5} {:>4} {:>5}",
            v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]
        );
    };
    for row in &r.table_2_2.rows {
        line(&row.label, &row.counts);
    }
    line("Total Risks", &r.table_2_2.total);
    if r.checks.is_empty() {
        println!("\nconsistency: no problems");
    } else {
        println!();
        for c in &r.checks {
            let sev = match c.severity {
                CheckSeverity::Error => "error",
                CheckSeverity::Warning => "warning",
            };
            println!("{sev:<7} {} {}\n        fix: {}", c.code, c.message, c.hint);
        }
    }
}

/// `assay poam`: the seeded POA&M items.
pub fn run_poam(session: &Session, a: PoamArgs) -> anyhow::Result<ExitCode> {
    if let Some(out) = &a.pdf {
        let opts = a.export.options(session, DocumentKind::Poam)?;
        write_out(out, &session.export_poam_pdf(&opts)?)?;
    }
    if let Some(out) = &a.oscal {
        let opts = a.export.options(session, DocumentKind::Poam)?;
        write_out(out, &session.export_poam_oscal(&opts)?)?;
    }
    if let Some(out) = &a.xlsx {
        let day = a.export.workbook_date(session)?;
        write_out(out, &session.export_poam_xlsx(day)?)?;
    }
    let items = session.risk_items()?;
    if a.json {
        print_json(&items)?;
    } else {
        print_poam(&items);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_poam(items: &[RiskItem]) {
    for tab in PoamTab::ALL {
        let rows: Vec<&RiskItem> = items.iter().filter(|i| i.poam_tab == *tab).collect();
        println!("{} ({})", tab.label(), rows.len());
        for i in rows {
            let adjusted = i
                .adjusted_risk
                .map(|a| format!(" → {}", a.label()))
                .unwrap_or_default();
            println!(
                "  {:<12} {:<9}{:<12} due {}  {}",
                i.poam_id,
                i.original_risk.label(),
                adjusted,
                i.scheduled_completion,
                i.name
            );
        }
    }
}

/// `assay coverage FILE --explain ASSET TEXT`: records why an asset was not scanned.
pub fn explain_coverage(session: &mut Session, asset: &str, text: &str) -> anyhow::Result<()> {
    let inventory = session.inventory()?;
    let uuid = inventory
        .iter()
        .find(|r| r.uuid == asset || r.asset_id.as_deref() == Some(asset))
        .map(|r| r.uuid.clone())
        .ok_or_else(|| {
            UserError(format!(
                "{}: no inventory item has the uuid or asset id '{asset}'",
                session.path().display()
            ))
        })?;
    session.set_coverage_note(&uuid, text)?;
    Ok(())
}

/// What `assay package` was asked to do.
#[derive(Debug, Default)]
pub struct PackageArgs {
    pub with_evidence: bool,
    pub generated_at: Option<String>,
    pub key_dir: Option<PathBuf>,
    pub json: bool,
}

/// `assay package`: builds, signs and writes the deliverable package.
pub fn run_package(mut session: Session, out: &Path, a: PackageArgs) -> anyhow::Result<ExitCode> {
    let generated_at = session.generation_time(a.generated_at.as_deref())?;
    let dir = a
        .key_dir
        .clone()
        .or_else(package::default_key_dir)
        .ok_or_else(|| UserError("no key store folder: set ASSAY_KEY_DIR or HOME".into()))?;
    let (key, info) = package::signing_key(&dir)?;
    if info.created {
        eprintln!(
            "created the 3PAO signing key {}\n  fingerprint {}\n  give the recipients this fingerprint by a separate channel",
            info.path.display(),
            info.fingerprint
        );
    }
    let bar = Progress::new("packaging");
    let receipt = session.write_package(
        out,
        &PackageOptions {
            generated_at,
            include_evidence: a.with_evidence,
        },
        &key,
        &|step, steps, _what| bar.update(step as u64, steps as u64),
        None,
    )?;
    bar.update(1, 1);
    if a.json {
        print_json(&receipt)?;
    } else {
        println!(
            "wrote {} ({} files, {} bytes)\nsha256 {}\nsigned by key {}",
            receipt.path,
            receipt.files.len(),
            receipt.size,
            receipt.sha256,
            receipt.signer.fingerprint
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `assay verify`: exit 1 naming every file that differs, or a bad signature.
pub fn run_verify(path: &Path, key: Option<&str>, json: bool) -> anyhow::Result<ExitCode> {
    let check = package::verify_package(path, key)?;
    if json {
        print_json(&check)?;
    } else if check.ok {
        println!(
            "{}: OK, {} files match the signed manifest",
            check.path, check.file_count
        );
        if let Some(s) = &check.signer {
            println!("signed by key {}", s.fingerprint);
            if key.is_none() {
                println!("confirm this fingerprint with the assessor by a separate channel");
            }
        }
    } else {
        for p in &check.problems {
            eprintln!("{}: {p}", check.path);
        }
    }
    Ok(if check.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
