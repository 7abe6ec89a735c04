//! `import-scan`, `weaknesses`, `coverage`, `config-findings`: scanner results.

use std::cell::RefCell;
use std::process::ExitCode;

use assay_core::api::display_name;
use assay_core::api::scans::{ScanBatchOptions, ScanFileOutcome};
use assay_core::model::scans::{Coverage, ScanReceipt, WeaknessFilter, WeaknessRow};
use assay_core::Context;

use super::{open, open_read};
use crate::cli::{CoverageArgs, FileArgs, ImportScanArgs, WeaknessesArgs};
use crate::output::{print_error, print_json};
use crate::progress::Progress;

/// `assay import-scan`: the core's batch import (each file its own transaction and receipt; a
/// failed file is named on stderr with its reason and the others still import). Exit 1 when any
/// file failed (2 when a failure is an internal error).
pub fn import_scan(a: &ImportScanArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let mut session = open(&a.file, ctx)?;
    // One progress line per file, started when its first progress arrives.
    let progress: RefCell<Option<(usize, Progress)>> = RefCell::new(None);
    let report = |i: usize, done: u64, total: u64| {
        let mut current = progress.borrow_mut();
        if current.as_ref().is_none_or(|(at, _)| *at != i) {
            let name = a.scans.get(i).map(|p| display_name(p)).unwrap_or_default();
            *current = Some((i, Progress::new(&format!("importing {name}"))));
        }
        if let Some((_, p)) = current.as_ref() {
            p.update(done, total);
        }
    };
    let opts = ScanBatchOptions {
        progress: Some(&report),
        cancel: None,
        replace: a.replace,
        accept_invalid_utf8: a.accept_invalid_utf8,
    };
    let outcomes = session.import_scans(
        &a.scans,
        &opts,
        &mut |o: &ScanFileOutcome| match &o.result {
            // A closed stdout surfaces at the next write the command can return from.
            Ok(r) if !a.json => {
                let _ = print_scan_receipt(r);
            }
            Ok(_) => {}
            Err(e) => print_error(e),
        },
    )?;
    if a.json {
        let receipts: Vec<&ScanReceipt> = outcomes.iter().filter_map(|o| o.receipt()).collect();
        print_json(&receipts)?;
    }
    let worst = outcomes
        .iter()
        .filter_map(ScanFileOutcome::error)
        .map(|e| if e.is_user_error() { 1 } else { 2 })
        .max();
    Ok(ExitCode::from(worst.unwrap_or(0)))
}

fn print_scan_receipt(r: &ScanReceipt) -> std::io::Result<()> {
    outln!(
        "imported {} ({}{}, {}): {} items read: {} stored, {} informational, {} skipped",
        r.file,
        r.tool,
        r.tool_version
            .as_deref()
            .map(|v| format!(" {v}"))
            .unwrap_or_default(),
        r.format,
        r.items_read,
        r.stored,
        r.informational,
        r.skipped_total()
    )?;
    outln!(
        "  {} hosts ({} in the SSP inventory), {} new and {} updated weaknesses, {} compliance results",
        r.hosts, r.hosts_matched, r.weaknesses_new, r.weaknesses_updated, r.compliance_results
    )?;
    for s in &r.skipped {
        outln!("  skipped {}: {}", s.count, s.reason)?;
    }
    if let Some(d) = &r.duplicate_of {
        outln!("  replaced the import of {} ({})", d.name, d.imported_at)?;
    }
    Ok(())
}

/// `assay weaknesses`: one row per tool + plugin.
pub fn weaknesses(a: &WeaknessesArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let filter = WeaknessFilter {
        include_informational: a.all,
        ..WeaknessFilter::default()
    };
    let rows = open_read(&a.file, ctx)?.weaknesses(&filter)?;
    if a.json {
        print_json(&rows)?;
    } else {
        print_weaknesses(&rows)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_weaknesses(rows: &[WeaknessRow]) -> std::io::Result<()> {
    for w in rows {
        outln!(
            "{:>5} {:<9} {:<9} {:<10} {:<8} {} ({} assets, {} instances){}",
            w.id,
            w.fedramp_risk.map(|r| r.code()).unwrap_or("none"),
            w.review.as_str(),
            w.tool,
            w.plugin_id,
            w.name,
            w.asset_count,
            w.instance_count,
            if w.cves.is_empty() {
                String::new()
            } else {
                format!(" {}", w.cves.join(" "))
            }
        )?;
    }
    outln!("{} weaknesses", rows.len())?;
    Ok(())
}

/// `assay coverage`: scan coverage of the inventory, after recording an explanation
/// (--explain ASSET TEXT) when asked.
pub fn coverage(a: &CoverageArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let session = match a.explain.as_deref() {
        Some([asset, text]) => {
            let mut session = open(&a.file, ctx)?;
            session.explain_coverage(asset, text)?;
            session
        }
        _ => open_read(&a.file, ctx)?,
    };
    let coverage = session.coverage()?;
    if a.json {
        print_json(&coverage)?;
    } else {
        print_coverage(&coverage)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_coverage(c: &Coverage) -> std::io::Result<()> {
    let s = &c.summary;
    outln!(
        "{} of {} inventory items scanned ({}%), {} credentialed ({}%), {} undocumented hosts",
        s.scanned,
        s.in_scope,
        s.percent_scanned,
        s.credentialed,
        s.percent_credentialed,
        s.undocumented
    )?;
    for a in &c.assets {
        let cred = match a.credentialed {
            Some(true) => "credentialed",
            Some(false) => "uncredentialed",
            None => "-",
        };
        outln!(
            "{:<8} {:<14} {:<30} {}",
            if a.scanned { "scanned" } else { "MISSING" },
            cred,
            a.asset_id.clone().unwrap_or_else(|| a.address.clone()),
            a.explanation
        )?;
    }
    for u in &c.undocumented {
        outln!("UNDOCUMENTED {} ({}, {})", u.label, u.tool, u.file)?;
    }
    Ok(())
}

/// `assay config-findings`: configuration check results rolled up per check (CM-6).
pub fn config_findings(a: &FileArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let c = open_read(&a.file, ctx)?.configuration_findings()?;
    if a.json {
        print_json(&c)?;
    } else {
        outln!(
            "{} failed, {} warnings, {} passed, {} errors; {} checks need a CM-6 finding",
            c.failed,
            c.warnings,
            c.passed,
            c.errors,
            c.findings.len()
        )?;
        for f in &c.findings {
            outln!(
                "{:<7} {} [{}] on {} host(s)",
                f.result,
                f.check_name,
                f.refs_800_53.join(", "),
                f.hosts.len()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
