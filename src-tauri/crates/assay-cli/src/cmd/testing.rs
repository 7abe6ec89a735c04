//! `freeze`, `test`, `evidence add`, `verify-evidence`, `finding add`, `findings`: testing during
//! the freeze.

use std::process::ExitCode;

use assay_core::api::evidence::AddOptions;
use assay_core::model::testing::{EvidenceMeta, Finding, NewFinding, TestUpdate};
use assay_core::Context;

use super::{open, open_read};
use crate::cli::{EvidenceAddArgs, FileArgs, FileOnly, FindingAddArgs, FreezeArgs, TestArgs};
use crate::output::print_json;

/// `assay freeze`: the freeze baseline for the window given or the engagement's.
pub fn freeze(a: &FreezeArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let freeze = open(&a.file, ctx)?.freeze_with_defaults(a.start, a.end)?;
    if a.json {
        print_json(&freeze)?;
    } else {
        outln!(
            "froze {} for testing {} – {}",
            a.file.display(),
            freeze.window.start,
            freeze.window.end
        )?;
        outln!("SHA-256 {}", freeze.sha256)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `assay test`: records the result of one objective.
pub fn test(a: TestArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let row = open(&a.file, ctx)?.record_test(&TestUpdate {
        objective_id: a.objective,
        methods: (!a.methods.is_empty()).then_some(a.methods),
        observations: a.note,
        result: Some(a.result),
        tested_on: a.date,
        no_finding_reason: a.no_finding_reason,
        link_evidence: a.evidence,
        ..TestUpdate::default()
    })?;
    if a.json {
        print_json(&row)?;
    } else {
        outln!(
            "{} ({}): {} by {} on {}",
            row.objective_id,
            row.control_label,
            row.result,
            row.assessor,
            row.tested_on.map(|d| d.to_string()).unwrap_or_default()
        )?;
        if row.outside_window {
            errln!(
                "warning: {} is dated outside the test window",
                row.objective_id
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `assay evidence add`: stores the files (each once by content), all or none.
pub fn evidence_add(a: EvidenceAddArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let meta = EvidenceMeta {
        title: a.title,
        collected_from: a.from,
        ..EvidenceMeta::default()
    };
    let opts = AddOptions {
        follow_symlinks: a.follow_symlinks,
    };
    let added = open(&a.file, ctx)?.add_evidence_files_with(&a.paths, &meta, opts)?;
    if a.json {
        let out: Vec<serde_json::Value> = added
            .iter()
            .map(|a| {
                serde_json::json!({
                    "path": a.path,
                    "sha256": a.sha256,
                    "stored_once": a.stored_once,
                    "title": a.item.title,
                    "size": a.item.size as u64,
                })
            })
            .collect();
        print_json(&out)?;
    } else {
        for a in &added {
            let note = if a.stored_once {
                " (already stored)"
            } else {
                ""
            };
            outln!("{}  {}{note}", a.sha256, a.path)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `assay verify-evidence`: exit 1 listing every problem: each changed, missing or unreadable
/// evidence file, and everything in the evidence folder no record refers to.
pub fn verify_evidence(a: &FileOnly, ctx: Context) -> anyhow::Result<ExitCode> {
    let session = open_read(&a.file, ctx)?;
    let check = session.check_evidence()?;
    if check.is_clean() {
        outln!(
            "{}: all {} evidence files match their hashes",
            a.file.display(),
            check.records
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    for p in &check.problems {
        errln!(
            "{}: evidence {} \"{}\" is {}",
            a.file.display(),
            p.id,
            p.title,
            p.problem
        );
    }
    let folder = session.evidence_dir();
    for s in &check.strays {
        eprintln!("{}: {}", folder.join(&s.path).display(), s.problem);
    }
    Ok(ExitCode::from(1))
}

/// `assay finding add`: a manual finding, its risk computed by the core.
pub fn finding_add(a: FindingAddArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let mut new = NewFinding::new(&a.title, a.likelihood, a.impact);
    new.controls = a.controls;
    new.assets = a.assets;
    new.objective_ids = a.objectives;
    new.description = a.description;
    new.recommendation = a.recommendation;
    new.source = a.source;
    new.category = a.category;
    new.cvss_vector = a.cvss;
    let finding = open(&a.file, ctx)?.add_finding(&new)?;
    if a.json {
        print_json(&finding)?;
    } else {
        print_finding(&finding)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `assay findings`: every finding, by reference.
pub fn findings(a: &FileArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let findings = open_read(&a.file, ctx)?.list_findings()?;
    if a.json {
        print_json(&findings)?;
    } else if findings.is_empty() {
        outln!("no findings")?;
    } else {
        for f in &findings {
            print_finding(f)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_finding(f: &Finding) -> std::io::Result<()> {
    let adjusted = if f.effective_risk != f.risk {
        format!(" (adjusted {})", f.effective_risk)
    } else {
        String::new()
    };
    outln!(
        "{:<6} {:<9}{adjusted} {:<6} {}{}",
        f.reference,
        f.risk,
        if f.open { "open" } else { "closed" },
        f.title,
        if f.controls.is_empty() {
            String::new()
        } else {
            format!(" [{}]", f.controls.join(", "))
        }
    )?;
    Ok(())
}
