//! The subcommands. Each one parses its arguments, makes one core call and prints the result.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use assay_core::api::baseline::{baseline_search_dirs, read_input};
use assay_core::api::ssp::SspReceipt;
use assay_core::model::{AssessmentType, AuthorizationPath, ImpactLevel, NewEngagement};
use assay_core::{Context, Session};
use assay_oscal::ReadOptions;
use clap::{Parser, Subcommand};

use crate::output::{print_fields, print_json};
use crate::progress::Progress;

/// A problem with the command's arguments that the user must fix (exit status 1).
#[derive(Debug)]
pub struct UserError(pub String);

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UserError {}

/// Assay: the FedRAMP assessor's workbench, on the command line.
#[derive(Debug, Parser)]
#[command(name = "assay", version, about, long_about = None)]
pub struct Cli {
    /// The person recorded in the audit log (default: $ASSAY_ACTOR, then $USER).
    #[arg(long, global = true)]
    actor: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create an engagement file (never overwrites).
    New {
        /// The engagement file to create (*.assay).
        file: PathBuf,
        /// The cloud service offering's name.
        #[arg(long)]
        name: String,
        /// The cloud service provider.
        #[arg(long, default_value = "")]
        csp: String,
        /// The 3PAO organisation.
        #[arg(long = "assessor", default_value = "")]
        assessor_org: String,
        /// The sponsoring agency.
        #[arg(long, default_value = "")]
        agency: String,
        /// The FedRAMP baseline.
        #[arg(long, default_value = "moderate", value_parser = parse_vocab::<ImpactLevel>)]
        impact: ImpactLevel,
        /// The assessment type.
        #[arg(long = "type", default_value = "initial", value_parser = parse_vocab::<AssessmentType>)]
        assessment_type: AssessmentType,
        /// The authorization path.
        #[arg(long, default_value = "agency", value_parser = parse_vocab::<AuthorizationPath>)]
        path: AuthorizationPath,
        #[arg(long)]
        json: bool,
    },
    /// Show the engagement's fields and record counts.
    Info {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Show the audit log.
    Log {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Re-check the audit log's hash chain; exit 1 names the first bad record.
    VerifyLog { file: PathBuf },
    /// Load the FedRAMP baseline for the engagement's impact level, or the OSCAL catalog given.
    Baseline {
        file: PathBuf,
        /// An OSCAL catalog or resolved-profile catalog (JSON or XML) to load instead.
        #[arg(long = "import", value_name = "CATALOG")]
        catalog: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Import the CSP's OSCAL SSP (JSON or XML). A re-import lists what changes and needs --apply.
    ImportSsp {
        file: PathBuf,
        ssp: PathBuf,
        /// Replace the stored SSP with this one after showing what changes.
        #[arg(long)]
        apply: bool,
        #[arg(long)]
        json: bool,
    },
    /// Run the SSP intake checks.
    Checks {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Build the demo engagement from the project's own demo inputs into OUT_DIR.
    Demo {
        out_dir: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

fn parse_vocab<T: std::str::FromStr<Err = String>>(s: &str) -> Result<T, String> {
    s.parse()
}

/// Runs one command and returns the exit status for a completed run.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let actor = cli
        .actor
        .or_else(|| std::env::var("ASSAY_ACTOR").ok())
        .or_else(|| std::env::var("USER").ok())
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| "assessor".to_owned());
    let ctx = Context::system(&actor);
    match cli.command {
        Command::New {
            file,
            name,
            csp,
            assessor_org,
            agency,
            impact,
            assessment_type,
            path,
            json,
        } => {
            let new = NewEngagement {
                cso_name: name,
                csp_name: csp,
                assessor_org,
                agency,
                impact_level: impact,
                authorization_path: path,
                assessment_type,
            };
            let session = Session::create(&file, &new, ctx)?;
            let engagement = session.engagement()?;
            if json {
                print_json(&engagement)?;
            } else {
                println!(
                    "created {} for {} ({} baseline, {} assessment)",
                    file.display(),
                    engagement.cso_name,
                    engagement.impact_level,
                    engagement.assessment_type
                );
            }
        }
        Command::Info { file, json } => {
            let info = open(&file, ctx)?.info()?;
            if json {
                print_json(&info)?;
            } else {
                let e = &info.engagement;
                let c = &info.counts;
                let date =
                    |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
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
                ]);
                println!();
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
                ]);
            }
        }
        Command::Log { file, json } => {
            let log = open(&file, ctx)?.audit_log()?;
            if json {
                print_json(&log)?;
            } else {
                for r in &log {
                    println!(
                        "{:>5}  {}  {:<16} {:<12} {}",
                        r.seq, r.at, r.actor, r.entity, r.summary
                    );
                }
            }
        }
        Command::VerifyLog { file } => {
            let check = open(&file, ctx)?.verify_audit_log()?;
            match check.first_bad {
                None => println!(
                    "{}: audit log intact ({} records)",
                    file.display(),
                    check.records
                ),
                Some(bad) => {
                    eprintln!(
                        "{}: audit record {}: {}",
                        file.display(),
                        bad.seq,
                        bad.reason
                    );
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::Baseline {
            file,
            catalog,
            json,
        } => {
            let mut session = open(&file, ctx)?;
            let progress = Progress::new("reading baseline");
            let report = |done: u64, total: u64| progress.update(done, total);
            let opts = ReadOptions {
                progress: Some(&report),
                ..ReadOptions::default()
            };
            let receipt = match catalog {
                Some(path) => {
                    let bytes = read_input(&path)?;
                    session.import_baseline(&display_name(&path), &bytes, &opts)?
                }
                None => session.import_bundled_baseline(&baseline_search_dirs(&[]), &opts)?,
            };
            if json {
                print_json(&receipt)?;
            } else {
                let b = &receipt.baseline;
                println!(
                    "loaded {}: {} controls and enhancements in {} families, {} objectives to test",
                    b.title, b.controls, b.families, b.objectives
                );
                println!("source: {} (SHA-256 {})", b.source_name, b.source_sha256);
            }
            for w in &receipt.warnings {
                eprintln!("warning: {w}");
            }
        }
        Command::ImportSsp {
            file,
            ssp,
            apply,
            json,
        } => {
            let mut session = open(&file, ctx)?;
            let bytes = read_input(&ssp)?;
            let progress = Progress::new("reading SSP");
            let report = |done: u64, total: u64| progress.update(done, total);
            let opts = ReadOptions {
                progress: Some(&report),
                ..ReadOptions::default()
            };
            let staged = session.stage_ssp(&display_name(&ssp), &bytes, &opts)?;
            let first = staged.receipt().first_import;
            let receipt = if first || apply {
                session.apply_ssp(staged)?
            } else {
                staged.receipt().clone()
            };
            if json {
                print_json(&receipt)?;
            } else {
                print_ssp_receipt(&receipt);
            }
            for w in &receipt.warnings {
                eprintln!("warning: {w}");
            }
            if !receipt.applied {
                eprintln!(
                    "{}: an SSP is already stored; nothing was changed. Review the changes above and run again with --apply to replace it",
                    file.display()
                );
            }
        }
        Command::Checks { file, json } => {
            let checks = open(&file, ctx)?.intake_checks()?;
            if json {
                print_json(&checks)?;
            } else if checks.is_empty() {
                println!("no intake findings");
            } else {
                for c in &checks {
                    println!(
                        "{:<7} {:<8} {:<15} {}",
                        c.severity,
                        c.code,
                        format!("{} {}", c.subject.kind, short_id(&c.subject.id)),
                        c.message
                    );
                }
                let errors = checks.iter().filter(|c| c.severity == "error").count();
                let warnings = checks.iter().filter(|c| c.severity == "warning").count();
                println!(
                    "\n{} checks: {errors} errors, {warnings} warnings",
                    checks.len()
                );
            }
        }
        Command::Demo { out_dir, json } => {
            let out = assay_core::api::demo::build_demo(&out_dir)?;
            if json {
                print_json(&out)?;
            } else {
                for path in &out.written {
                    println!("{}", path.display());
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn short_id(id: &str) -> &str {
    // UUIDs are long; the first block is enough to find a subject by eye.
    if id.len() == 36 && id.as_bytes().get(8) == Some(&b'-') {
        &id[..8]
    } else {
        id
    }
}

fn print_ssp_receipt(r: &SspReceipt) {
    let verb = if !r.applied {
        "would import"
    } else if r.first_import {
        "imported"
    } else {
        "re-imported"
    };
    println!(
        "{verb} \"{}\" version {} ({} OSCAL {})",
        r.title,
        r.version,
        r.source_format.to_uppercase(),
        r.oscal_version
    );
    println!("source: {} (SHA-256 {})", r.source_name, r.source_sha256);
    println!(
        "{} components, {} inventory items, {} users, {} implemented requirements",
        r.components, r.inventory_items, r.users, r.implemented_requirements
    );
    if !r.first_import {
        println!("changes against the stored SSP: {}", r.changes.summary());
        for (what, list) in [
            ("component", &r.changes.components),
            ("inventory item", &r.changes.inventory_items),
            (
                "implemented requirement",
                &r.changes.implemented_requirements,
            ),
        ] {
            for c in list {
                println!("  {:<8} {what} {} {}", c.kind, c.name, c.summary);
            }
        }
    }
}

fn open(file: &Path, ctx: Context) -> anyhow::Result<Session> {
    Ok(Session::open(file, ctx)?)
}
