//! `baseline`, `import-ssp`, `checks`: the FedRAMP baseline and the CSP's SSP.

use std::process::ExitCode;

use assay_core::api::ssp::SspReceipt;
use assay_core::api::ImportOptions;
use assay_core::Context;

use super::{open, open_read};
use crate::cli::{BaselineArgs, FileArgs, ImportSspArgs};
use crate::output::print_json;
use crate::progress::Progress;

/// `assay baseline`: loads the bundled baseline for the engagement's impact level, or the
/// catalog given.
pub fn baseline(a: &BaselineArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let mut session = open(&a.file, ctx)?;
    let progress = Progress::new("reading baseline");
    let report = |done: u64, total: u64| progress.update(done, total);
    let opts = ImportOptions {
        progress: Some(&report),
        ..ImportOptions::default()
    };
    let receipt = session.load_baseline(a.catalog.as_deref(), &[], &opts)?;
    if a.json {
        print_json(&receipt)?;
    } else {
        let b = &receipt.baseline;
        outln!(
            "loaded {}: {} controls and enhancements in {} families, {} objectives to test",
            b.title,
            b.controls,
            b.families,
            b.objectives
        )?;
        outln!("source: {} (SHA-256 {})", b.source_name, b.source_sha256)?;
    }
    for w in &receipt.warnings {
        errln!("warning: {w}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `assay import-ssp`: the first SSP is stored; a re-import shows its changes and is stored only
/// with --apply.
pub fn import_ssp(a: &ImportSspArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let mut session = open(&a.file, ctx)?;
    let progress = Progress::new("reading SSP");
    let report = |done: u64, total: u64| progress.update(done, total);
    let opts = ImportOptions {
        progress: Some(&report),
        ..ImportOptions::default()
    };
    let receipt = session.import_ssp(&a.ssp, a.apply, &opts)?;
    if a.json {
        print_json(&receipt)?;
    } else {
        print_ssp_receipt(&receipt)?;
    }
    for w in &receipt.warnings {
        errln!("warning: {w}");
    }
    if !receipt.applied {
        errln!(
            "{}: an SSP is already stored; nothing was changed. Review the changes above and run again with --apply to replace it",
            a.file.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print_ssp_receipt(r: &SspReceipt) -> std::io::Result<()> {
    let verb = if !r.applied {
        "would import"
    } else if r.first_import {
        "imported"
    } else {
        "re-imported"
    };
    outln!(
        "{verb} \"{}\" version {} ({} OSCAL {})",
        r.title,
        r.version,
        r.source_format.to_uppercase(),
        r.oscal_version
    )?;
    outln!("source: {} (SHA-256 {})", r.source_name, r.source_sha256)?;
    outln!(
        "{} components, {} inventory items, {} users, {} implemented requirements",
        r.components,
        r.inventory_items,
        r.users,
        r.implemented_requirements
    )?;
    if !r.first_import {
        outln!("changes against the stored SSP: {}", r.changes.summary())?;
        for (what, list) in [
            ("component", &r.changes.components),
            ("inventory item", &r.changes.inventory_items),
            (
                "implemented requirement",
                &r.changes.implemented_requirements,
            ),
        ] {
            for c in list {
                outln!("  {:<8} {what} {} {}", c.kind, c.name, c.summary)?;
            }
        }
    }
    Ok(())
}

/// `assay checks`: the SSP intake checks.
pub fn checks(a: &FileArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let checks = open_read(&a.file, ctx)?.intake_checks()?;
    if a.json {
        print_json(&checks)?;
    } else if checks.is_empty() {
        outln!("no intake findings")?;
    } else {
        for c in &checks {
            outln!(
                "{:<7} {:<8} {:<15} {}",
                c.severity,
                c.code,
                format!("{} {}", c.subject.kind, short_id(&c.subject.id)),
                c.message
            )?;
        }
        let errors = checks.iter().filter(|c| c.severity == "error").count();
        let warnings = checks.iter().filter(|c| c.severity == "warning").count();
        outln!(
            "\n{} check(s): {errors} error(s), {warnings} warning(s)",
            checks.len()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The first block of a UUID (enough to find a subject by eye); other ids whole.
fn short_id(id: &str) -> &str {
    if id.len() == 36 && id.as_bytes().get(8) == Some(&b'-') {
        &id[..8]
    } else {
        id
    }
}
