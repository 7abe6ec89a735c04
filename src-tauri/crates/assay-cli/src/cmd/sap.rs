//! `sap`, `sap-set`, `sap-sign`, `team`: the Security Assessment Plan and the people on the
//! engagement.

use std::path::PathBuf;
use std::process::ExitCode;

use assay_core::api::exports::{Deliverable, ExportRequest};
use assay_core::model::sap::{self as sap_core, SapIssue, SapSectionUpdate, Signature};
use assay_core::model::NewTeamMember;
use assay_core::{Context, Error, Session};

use super::{open, open_read, read_data};
use crate::cli::{SapArgs, SapSetArgs, SapSignArgs, TeamAction, UserError};
use crate::output::print_json;

/// `assay sap`: draft (--draft), show (--show), the completeness check (--check, or when nothing
/// is exported) and the exports; exit 1 with --check while anything blocks export.
pub fn sap(a: SapArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let mut session = if a.draft {
        open(&a.file, ctx)?
    } else {
        open_read(&a.file, ctx)?
    };
    if a.draft {
        let sap = session.draft_sap()?;
        if !a.json {
            outln!(
                "drafted the SAP: {} controls, {} scope items, {} roles, {} schedule tasks",
                sap.data.control_selection.len(),
                sap.data.scope.subjects.len(),
                sap.data.roles.len(),
                sap.data.schedule.len()
            )?;
        }
    }
    if a.show {
        let sap = session.sap()?;
        if a.json {
            print_json(&sap)?;
        } else {
            outln!("{}", serde_json::to_string_pretty(&sap)?)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let files: Vec<(Deliverable, PathBuf)> = [
        (Deliverable::SapPdf, &a.pdf),
        (Deliverable::SapOscal, &a.oscal),
    ]
    .into_iter()
    .filter_map(|(d, out)| out.clone().map(|out| (d, out)))
    .collect();
    let issues = session.sap_completeness()?;
    if a.check || files.is_empty() {
        print_issues(&issues, a.json)?;
        if files.is_empty() {
            let blocked = a.check && issues.iter().any(SapIssue::is_blocking);
            return Ok(ExitCode::from(u8::from(blocked)));
        }
    }
    let request = ExportRequest {
        files,
        generated_at: a.export.generated_at.as_deref(),
        document_id: a.export.document_id.clone(),
    };
    let written = match session.export_files(&request, None) {
        Err(Error::SapBlocked { blocking, .. }) => return Err(blocked(&session, &blocking)),
        written => written?,
    };
    if !a.check {
        let written: Vec<String> = written
            .iter()
            .map(|w| w.path.display().to_string())
            .collect();
        if a.json {
            print_json(&serde_json::json!({ "written": written, "issues": issues }))?;
        } else {
            for w in &written {
                outln!("wrote {w}")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_issues(issues: &[SapIssue], json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(&issues);
    }
    if issues.is_empty() {
        outln!("the SAP is complete")?;
        return Ok(());
    }
    for i in issues {
        let severity = if i.is_blocking() {
            "blocking"
        } else {
            "warning"
        };
        outln!("{severity:<8} {i}")?;
    }
    let blocking = issues.iter().filter(|i| i.is_blocking()).count();
    outln!(
        "\n{} items: {} blocking, {} warnings",
        issues.len(),
        blocking,
        issues.len() - blocking
    )?;
    Ok(())
}

/// The export refusal: every blocking item on stderr, then the one error line.
fn blocked(session: &Session, blocking: &[SapIssue]) -> anyhow::Error {
    for i in blocking {
        errln!("blocking: {i}");
    }
    UserError(format!(
        "{}: cannot export the SAP while {} items block it",
        session.path().display(),
        blocking.len()
    ))
    .into()
}

/// `assay sap-set`: replaces one section (after signing, recorded as a deviation).
pub fn sap_set(a: SapSetArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let mut session = open(&a.file, ctx)?;
    let text = read_data(&a.data)?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| UserError(format!("section data: not JSON: {e}")))?;
    let section = a.section;
    let update: SapSectionUpdate =
        serde_json::from_value(serde_json::json!({ "section": section, "data": value }))
            .map_err(|e| UserError(format!("section {section}: {e}")))?;
    let sap = session.update_sap(update, a.justification)?;
    if a.json {
        print_json(&sap)?;
    } else {
        let blocking = sap_core::completeness(&sap)
            .iter()
            .filter(|i| i.is_blocking())
            .count();
        outln!("saved SAP section {section}; {blocking} items still block export")?;
        if let Some(d) = sap.deviations.last().filter(|_| sap.is_signed()) {
            outln!("recorded {}: {}", d.id, d.description)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `assay sap-sign`: records both signatures and locks the SAP.
pub fn sap_sign(a: SapSignArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let sap = open(&a.file, ctx)?.sign_sap(
        Signature {
            name: a.ia_name,
            title: a.ia_title,
            date: a.date,
        },
        Signature {
            name: a.csp_name,
            title: a.csp_title,
            date: a.date,
        },
    )?;
    if a.json {
        print_json(&sap)?;
    } else {
        outln!("signed the SAP; later changes are recorded as deviations")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `assay team add` and `assay team list`.
pub fn team(action: TeamAction, ctx: Context) -> anyhow::Result<ExitCode> {
    match action {
        TeamAction::Add(a) => {
            let member = open(&a.file, ctx)?.add_team_member(&NewTeamMember {
                name: a.name,
                title: a.title,
                email: a.email,
                phone: a.phone,
                side: a.side.unwrap_or(a.role.usual_side()),
                role: a.role,
            })?;
            if a.json {
                print_json(&member)?;
            } else {
                outln!("added {} ({}, {})", member.name, member.role, member.side)?;
            }
        }
        TeamAction::List(a) => {
            let team = open_read(&a.file, ctx)?.team()?;
            if a.json {
                print_json(&team)?;
            } else {
                for m in &team {
                    outln!(
                        "{:<6} {:<32} {:<28} {}",
                        m.side.code(),
                        m.name,
                        m.role.label(),
                        m.title
                    )?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
