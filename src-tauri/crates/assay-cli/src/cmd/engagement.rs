//! `new`, `info`, `log`, `verify-log`: the engagement file and its audit log.

use std::process::ExitCode;

use assay_core::model::NewEngagement;
use assay_core::{Context, Info, Session};

use super::{open, open_read};
use crate::cli::{FileArgs, NewArgs, SealArgs, VerifyLogArgs};
use crate::output::{print_fields, print_json};

/// `assay new`: creates the engagement file (never overwrites).
pub fn new(a: NewArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let new = NewEngagement {
        cso_name: a.name,
        csp_name: a.csp,
        assessor_org: a.assessor_org,
        agency: a.agency,
        impact_level: a.impact,
        authorization_path: a.path,
        assessment_type: a.assessment_type,
    };
    let engagement = Session::create(&a.file, &new, ctx)?.engagement()?;
    if a.json {
        print_json(&engagement)?;
    } else {
        outln!(
            "created {} for {} ({} baseline, {} assessment)",
            a.file.display(),
            engagement.cso_name,
            engagement.impact_level,
            engagement.assessment_type
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `assay info`: the engagement's fields and record counts.
pub fn info(a: &FileArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let info = open_read(&a.file, ctx)?.info()?;
    if a.json {
        print_json(&info)?;
    } else {
        print_info(&info)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_info(info: &Info) -> std::io::Result<()> {
    let e = &info.engagement;
    let c = &info.counts;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    print_fields(&[
        ("File", info.path.clone()),
        ("Schema version", info.schema_version.to_string()),
        ("CSO", e.cso_name.clone()),
        ("CSP", e.csp_name.clone()),
        ("3PAO", e.assessor_org.clone()),
        ("Agency", e.agency.clone()),
        ("FedRAMP package ID", e.package_id.clone()),
        ("Impact level", e.impact_level.to_string()),
        ("Authorization path", e.authorization_path.to_string()),
        ("Assessment type", e.assessment_type.to_string()),
        (
            "Test window",
            format!(
                "{} – {}",
                date(e.test_window_start),
                date(e.test_window_end)
            ),
        ),
    ])?;
    outln!()?;
    print_fields(&[
        ("Controls", c.controls.to_string()),
        ("Objectives", c.objectives.to_string()),
        ("Components", c.components.to_string()),
        ("Inventory items", c.inventory_items.to_string()),
        ("Users", c.users.to_string()),
        (
            "Implemented requirements",
            c.implemented_requirements.to_string(),
        ),
        ("Test results", c.test_results.to_string()),
        ("Findings", c.findings.to_string()),
        ("Weaknesses", c.weaknesses.to_string()),
        ("Evidence", c.evidence.to_string()),
        ("POA&M items", c.poam_items.to_string()),
        ("Team members", c.team_members.to_string()),
        ("Audit records", c.audit_records.to_string()),
    ])?;
    Ok(())
}

/// `assay upgrade`: the schema migrations, after a backup copy; says what it did.
pub fn upgrade(a: &FileArgs) -> anyhow::Result<ExitCode> {
    let done = assay_core::api::upgrade(&a.file)?;
    if a.json {
        print_json(&done)?;
    } else if let Some(backup) = &done.backup {
        outln!(
            "upgraded {} from schema {} to {}; the file as it was is kept in {}",
            a.file.display(),
            done.from,
            done.to,
            backup.display()
        )?;
    } else {
        outln!(
            "{} already uses schema {}, this Assay's; nothing to do",
            a.file.display(),
            done.to
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `assay log`: the audit log, oldest first.
pub fn log(a: &FileArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let log = open_read(&a.file, ctx)?.audit_log()?;
    if a.json {
        print_json(&log)?;
    } else {
        for r in &log {
            outln!(
                "{:>5}  {}  {:<16} {:<12} {}",
                r.seq,
                r.at,
                r.actor,
                r.entity,
                r.summary
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `assay verify-log`: exit 1 naming the first record that breaks the hash chain.
pub fn verify_log(a: &VerifyLogArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let check = open_read(&a.file, ctx)?.check_custody(a.deep, a.key_dir.as_deref())?;
    if a.json {
        print_json(&check)?;
    } else if check.ok {
        outln!(
            "{}: audit log intact ({} records, {} checkpoints{})",
            a.file.display(),
            check.records,
            check.checkpoints,
            if check.deep {
                format!(
                    "; {} rows match their last record, {} rows and {} older records not covered",
                    check.rows_checked, check.rows_not_covered, check.records_without_row_hash
                )
            } else {
                String::new()
            }
        )?;
    } else {
        for p in &check.problems {
            errln!("{}: {p}", a.file.display());
        }
    }
    Ok(ExitCode::from(u8::from(!check.ok)))
}

/// `assay seal`: signs the log head with the 3PAO's key and stores the checkpoint.
pub fn seal(a: &SealArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let mut session = open(&a.file, ctx)?;
    let (key, _) = assay_core::api::package::signing_key_in(a.key_dir.as_deref())?;
    let sealed = session.seal(&key)?;
    if a.json {
        print_json(&sealed)?;
    } else {
        outln!(
            "{}: sealed the audit log at {} records (last hash {}) with key {}",
            a.file.display(),
            sealed.checkpoint.count,
            sealed.checkpoint.hash,
            sealed.fingerprint
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
