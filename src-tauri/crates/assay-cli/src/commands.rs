//! The subcommands. Each one parses its arguments, makes one core call and prints the result.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use assay_core::api::baseline::{baseline_search_dirs, read_input};
use assay_core::api::scans::{ScanBatchOptions, ScanFileOutcome};
use assay_core::api::ssp::SspReceipt;
use assay_core::api::ImportOptions;
use assay_core::model::report::DocumentKind;
use assay_core::model::sap::{self as sap_core, SapSectionUpdate, Signature};
use assay_core::model::sar::Recommendation;
use assay_core::model::scans::{Coverage, ScanReceipt, WeaknessFilter, WeaknessRow};
use assay_core::model::testing::{
    EvidenceMeta, Finding, FindingCategory, FindingSource, NewFinding, RiskLevel, TestMethod,
    TestResult, TestUpdate,
};
use assay_core::model::{
    AssessmentType, AuthorizationPath, ImpactLevel, NewEngagement, NewTeamMember, Side, TeamRole,
};
use assay_core::{Context, Session};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::output::{print_fields, print_json};
use crate::progress::Progress;
use crate::report;

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
    /// Import scanner results (Nessus, Nmap, ZAP, Burp, GVM, Qualys, Nuclei, Trivy, Grype, SARIF).
    ///
    /// Each file is its own transaction with its own receipt; a file that fails is named on
    /// stderr with its reason and stores nothing, and the other files still import (exit 1 if
    /// any failed). The same file (SHA-256) is imported once unless --replace.
    ImportScan {
        file: PathBuf,
        #[arg(required = true)]
        scans: Vec<PathBuf>,
        /// Replace an earlier import of the same file (same SHA-256) instead of refusing it.
        #[arg(long)]
        replace: bool,
        /// Import text that is not valid UTF-8 (stray Latin-1 from old scanners), replacing the
        /// bad bytes, instead of refusing the file.
        #[arg(long)]
        accept_invalid_utf8: bool,
        #[arg(long)]
        json: bool,
    },
    /// Scan coverage of the SSP inventory: per asset scanned, credentialed, tools.
    Coverage {
        file: PathBuf,
        /// Record why an in-scope asset was not scanned: ASSET (uuid or asset id) and TEXT
        /// (an empty TEXT removes the explanation).
        #[arg(long, num_args = 2, value_names = ["ASSET", "TEXT"])]
        explain: Option<Vec<String>>,
        #[arg(long)]
        json: bool,
    },
    /// The Security Assessment Report: consistency checks, figures, recommendation and exports.
    /// Exits 1 while a consistency error remains.
    Sar {
        file: PathBuf,
        /// Record the authorization recommendation: recommend, do-not-recommend,
        /// recommend-continued, do-not-recommend-continued.
        #[arg(long, value_parser = parse_vocab::<Recommendation>)]
        recommend: Option<Recommendation>,
        /// Change the SAR's written fields (JSON text, or @FILE): version, date, poam
        /// {id_prefix, id_start, id_digits, point_of_contact, service_name}, threats_note,
        /// interconnections_note, signatures.
        #[arg(long, value_name = "JSON")]
        set: Option<String>,
        /// Import the CISA Known Exploited Vulnerabilities catalog (JSON) for POA&M due dates.
        #[arg(long, value_name = "KEV_JSON")]
        kev: Option<PathBuf>,
        /// Write the SAR as PDF to this file.
        #[arg(long, value_name = "OUT")]
        pdf: Option<PathBuf>,
        /// Write the SAR as OSCAL assessment results (JSON) to this file.
        #[arg(long, value_name = "OUT")]
        oscal: Option<PathBuf>,
        /// Write the risk exposure table workbook (SAR Appendix A, .xlsx) to this file.
        #[arg(long, value_name = "OUT")]
        ret_xlsx: Option<PathBuf>,
        #[command(flatten)]
        export: report::ExportArgs,
        #[arg(long)]
        json: bool,
    },
    /// Build the signed deliverable package (zip): SAP, SAR, POA&M, workbooks, OSCAL, raw scans,
    /// evidence index, manifest.json with every file's SHA-256, signed with the 3PAO's key.
    Package {
        file: PathBuf,
        /// The zip to write.
        out: PathBuf,
        /// Put the evidence files in the package too (the index is always there).
        #[arg(long)]
        with_evidence: bool,
        /// Generation time written into every document (RFC 3339; default: now).
        #[arg(long, value_name = "TIME")]
        generated_at: Option<String>,
        /// The key store folder (default: $ASSAY_KEY_DIR, else ~/.config/assay/keys).
        #[arg(long, value_name = "DIR")]
        key_dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Check a deliverable package: every file's hash and size, and the manifest's signature.
    /// Exits 1 naming each file that differs.
    Verify {
        package: PathBuf,
        /// The signer's public key (hex) as confirmed out of band; without it the key in the
        /// manifest is reported for you to compare.
        #[arg(long, value_name = "HEX")]
        key: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The seed POA&M: one item per RET row, closed items and configuration findings.
    Poam {
        file: PathBuf,
        /// Write the POA&M as PDF to this file.
        #[arg(long, value_name = "OUT")]
        pdf: Option<PathBuf>,
        /// Write the POA&M as an OSCAL plan of action and milestones (JSON) to this file.
        #[arg(long, value_name = "OUT")]
        oscal: Option<PathBuf>,
        /// Write the POA&M workbook (FedRAMP POA&M template v2.1, .xlsx) to this file.
        #[arg(long, value_name = "OUT")]
        xlsx: Option<PathBuf>,
        #[command(flatten)]
        export: report::ExportArgs,
        #[arg(long)]
        json: bool,
    },
    /// Weaknesses from imported scans: one row per tool+plugin with the affected assets.
    Weaknesses {
        file: PathBuf,
        /// Include informational results.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Configuration (compliance) check results rolled up per check (CM-6).
    ConfigFindings {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Run the SSP intake checks.
    Checks {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// SAP completeness check and exports (PDF, OSCAL assessment plan).
    Sap {
        file: PathBuf,
        /// Write the SAP as PDF to this file.
        #[arg(long, value_name = "OUT")]
        pdf: Option<PathBuf>,
        /// Write the SAP as an OSCAL assessment plan (JSON) to this file.
        #[arg(long, value_name = "OUT")]
        oscal: Option<PathBuf>,
        /// Print the completeness items; exit 1 while anything blocks export.
        #[arg(long)]
        check: bool,
        /// Pre-fill every section from the SSP and baseline first (replaces the current draft).
        #[arg(long)]
        draft: bool,
        /// Print the whole SAP (with --json: the SAP document the UI reads).
        #[arg(long)]
        show: bool,
        /// Generation time written into exports (RFC 3339; default: now).
        #[arg(long, value_name = "TIME")]
        generated_at: Option<String>,
        /// Document id for exports (default: derived from the engagement, stable across runs).
        #[arg(long, value_name = "ID")]
        document_id: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Replace one SAP section with JSON (DATA is JSON text, or @FILE). After signing, needs --justification.
    SapSet {
        file: PathBuf,
        /// document, scope, roles, assumptions, methodology, control-selection, sampling,
        /// team-validation, tools, scan-origination, manual-tests, schedule, rules-of-engagement,
        /// penetration-test, significant-change
        section: String,
        data: String,
        /// Why the signed SAP changes (recorded as a deviation).
        #[arg(long)]
        justification: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Record the 3PAO and CSP signatures and lock the SAP (refused while items block it).
    SapSign {
        file: PathBuf,
        #[arg(long)]
        ia_name: String,
        #[arg(long, default_value = "")]
        ia_title: String,
        #[arg(long)]
        csp_name: String,
        #[arg(long, default_value = "")]
        csp_title: String,
        /// Signing date (YYYY-MM-DD), used for both signatures.
        #[arg(long)]
        date: chrono::NaiveDate,
        #[arg(long)]
        json: bool,
    },
    /// The people on the engagement.
    Team {
        #[command(subcommand)]
        action: TeamAction,
    },
    /// Take the freeze baseline: hash the SSP's in-scope content and the test window.
    Freeze {
        file: PathBuf,
        /// First day of the test window (default: the engagement's test window start).
        #[arg(long, value_name = "YYYY-MM-DD")]
        start: Option<NaiveDate>,
        /// Last day of the test window (default: the engagement's test window end).
        #[arg(long, value_name = "YYYY-MM-DD")]
        end: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// Record a test result for one assessment objective.
    Test {
        file: PathBuf,
        /// The objective id, e.g. ac-2_obj.a-1.
        #[arg(long)]
        objective: String,
        #[arg(long, value_parser = parse_vocab::<TestResult>)]
        result: TestResult,
        /// The methods used, comma-separated: examine,interview,test.
        #[arg(long = "method", value_delimiter = ',', value_parser = parse_vocab::<TestMethod>)]
        methods: Vec<TestMethod>,
        /// Observations: what was tested, how, and the result.
        #[arg(long)]
        note: Option<String>,
        /// Evidence to link, by SHA-256 (add it first with `assay evidence add`).
        #[arg(long = "evidence", value_name = "SHA256")]
        evidence: Vec<String>,
        /// Why an other-than-satisfied result has no finding.
        #[arg(long = "no-finding-reason", value_name = "TEXT")]
        no_finding_reason: Option<String>,
        /// The test date (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// Store evidence files in the engagement's evidence folder.
    Evidence {
        #[command(subcommand)]
        command: EvidenceCommand,
    },
    /// Re-hash every stored evidence file; exit 1 lists each changed or missing one.
    VerifyEvidence { file: PathBuf },
    /// Add findings.
    Finding {
        #[command(subcommand)]
        command: FindingCommand,
    },
    /// List the findings.
    Findings {
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

#[derive(Debug, Subcommand)]
enum TeamAction {
    /// Add a person (3PAO assessor, CSP point of contact or agency person).
    Add {
        file: PathBuf,
        #[arg(long)]
        name: String,
        /// assessment-lead, assessment-team, penetration-test-lead, penetration-test-team,
        /// assessment-executive, csp-assessment-poc, csp-operations-center, authorizing-official, agency-poc
        #[arg(long, value_parser = parse_vocab::<TeamRole>)]
        role: TeamRole,
        /// 3pao, csp or agency (default: the role's usual side).
        #[arg(long, value_parser = parse_vocab::<Side>)]
        side: Option<Side>,
        #[arg(long, default_value = "")]
        title: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        phone: String,
        #[arg(long)]
        json: bool,
    },
    /// List the people.
    List {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum EvidenceCommand {
    /// Store files as evidence (each stored once by content).
    Add {
        file: PathBuf,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Title for the evidence (default: the file name).
        #[arg(long)]
        title: Option<String>,
        /// Where the evidence was collected from.
        #[arg(long, default_value = "")]
        from: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum FindingCommand {
    /// Add a manual finding; its risk is computed from likelihood and impact.
    Add {
        file: PathBuf,
        #[arg(long)]
        title: String,
        #[arg(long, value_parser = parse_vocab::<RiskLevel>)]
        likelihood: RiskLevel,
        #[arg(long, value_parser = parse_vocab::<RiskLevel>)]
        impact: RiskLevel,
        /// An affected control (repeatable), e.g. ac-2 or AC-2(1).
        #[arg(long = "control", value_name = "ID")]
        controls: Vec<String>,
        /// An affected inventory item uuid (repeatable).
        #[arg(long = "asset", value_name = "ID")]
        assets: Vec<String>,
        /// An objective this finding answers (repeatable).
        #[arg(long = "objective", value_name = "ID")]
        objectives: Vec<String>,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long, default_value = "")]
        recommendation: String,
        #[arg(long, default_value = "manual-test", value_parser = parse_vocab::<FindingSource>)]
        source: FindingSource,
        #[arg(long, default_value = "srtm", value_parser = parse_vocab::<FindingCategory>)]
        category: FindingCategory,
        /// A CVSS v3.x or v4.0 vector; the base score is computed and stored.
        #[arg(long)]
        cvss: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

fn parse_vocab<T: std::str::FromStr<Err = String>>(s: &str) -> Result<T, String> {
    s.parse()
}

/// Runs one command and returns the exit status for a completed run.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let ctx = Context::from_env(cli.actor.as_deref());
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
            let opts = ImportOptions {
                progress: Some(&report),
                ..ImportOptions::default()
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
            let opts = ImportOptions {
                progress: Some(&report),
                ..ImportOptions::default()
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
        Command::ImportScan {
            file,
            scans,
            replace,
            accept_invalid_utf8,
            json,
        } => {
            return run_import_scan(
                open(&file, ctx)?,
                &scans,
                ScanFlags {
                    replace,
                    accept_invalid_utf8,
                },
                json,
            )
        }
        Command::Coverage {
            file,
            explain,
            json,
        } => {
            let mut session = open(&file, ctx)?;
            if let Some([asset, text]) = explain.as_deref() {
                report::explain_coverage(&mut session, asset, text)?;
            }
            let coverage = session.coverage()?;
            if json {
                print_json(&coverage)?;
            } else {
                print_coverage(&coverage);
            }
        }
        Command::Weaknesses { file, all, json } => {
            let filter = WeaknessFilter {
                include_informational: all,
                ..WeaknessFilter::default()
            };
            let rows = open(&file, ctx)?.weaknesses(&filter)?;
            if json {
                print_json(&rows)?;
            } else {
                print_weaknesses(&rows);
            }
        }
        Command::ConfigFindings { file, json } => {
            let c = open(&file, ctx)?.configuration_findings()?;
            if json {
                print_json(&c)?;
            } else {
                println!(
                    "{} failed, {} warnings, {} passed, {} errors; {} checks need a CM-6 finding",
                    c.failed,
                    c.warnings,
                    c.passed,
                    c.errors,
                    c.findings.len()
                );
                for f in &c.findings {
                    println!(
                        "{:<7} {} [{}] on {} host(s)",
                        f.result,
                        f.check_name,
                        f.refs_800_53.join(", "),
                        f.hosts.len()
                    );
                }
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
                    "\n{} check(s): {errors} error(s), {warnings} warning(s)",
                    checks.len()
                );
            }
        }
        Command::Sap {
            file,
            pdf,
            oscal,
            check,
            draft,
            show,
            generated_at,
            document_id,
            json,
        } => {
            return run_sap(
                open(&file, ctx)?,
                SapArgs {
                    pdf,
                    oscal,
                    check,
                    draft,
                    show,
                    generated_at,
                    document_id,
                    json,
                },
            );
        }
        Command::SapSet {
            file,
            section,
            data,
            justification,
            json,
        } => {
            let mut session = open(&file, ctx)?;
            let text = match data.strip_prefix('@') {
                Some(path) => {
                    std::fs::read_to_string(path).map_err(|e| UserError(format!("{path}: {e}")))?
                }
                None => data,
            };
            let value: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| UserError(format!("section data: not JSON: {e}")))?;
            let update: SapSectionUpdate =
                serde_json::from_value(serde_json::json!({ "section": section, "data": value }))
                    .map_err(|e| UserError(format!("section {section}: {e}")))?;
            let sap = session.update_sap(update, justification)?;
            if json {
                print_json(&sap)?;
            } else {
                let blocking = sap_core::completeness(&sap)
                    .iter()
                    .filter(|i| i.is_blocking())
                    .count();
                println!("saved SAP section {section}; {blocking} items still block export");
                if let Some(d) = sap.deviations.last().filter(|_| sap.is_signed()) {
                    println!("recorded {}: {}", d.id, d.description);
                }
            }
        }
        Command::SapSign {
            file,
            ia_name,
            ia_title,
            csp_name,
            csp_title,
            date,
            json,
        } => {
            let mut session = open(&file, ctx)?;
            let sap = session.sign_sap(
                Signature {
                    name: ia_name,
                    title: ia_title,
                    date,
                },
                Signature {
                    name: csp_name,
                    title: csp_title,
                    date,
                },
            )?;
            if json {
                print_json(&sap)?;
            } else {
                println!("signed the SAP; later changes are recorded as deviations");
            }
        }
        Command::Team { action } => match action {
            TeamAction::Add {
                file,
                name,
                role,
                side,
                title,
                email,
                phone,
                json,
            } => {
                let member = open(&file, ctx)?.add_team_member(&NewTeamMember {
                    name,
                    title,
                    email,
                    phone,
                    side: side.unwrap_or(role.usual_side()),
                    role,
                })?;
                if json {
                    print_json(&member)?;
                } else {
                    println!("added {} ({}, {})", member.name, member.role, member.side);
                }
            }
            TeamAction::List { file, json } => {
                let team = open(&file, ctx)?.team()?;
                if json {
                    print_json(&team)?;
                } else {
                    for m in &team {
                        println!(
                            "{:<6} {:<32} {:<28} {}",
                            m.side.code(),
                            m.name,
                            m.role.label(),
                            m.title
                        );
                    }
                }
            }
        },
        Command::Freeze {
            file,
            start,
            end,
            json,
        } => {
            let mut session = open(&file, ctx)?;
            let e = session.engagement()?;
            let (Some(start), Some(end)) =
                (start.or(e.test_window_start), end.or(e.test_window_end))
            else {
                return Err(UserError(format!(
                    "{}: no test window; give --start and --end or set the engagement's test window",
                    file.display()
                ))
                .into());
            };
            let freeze = session.freeze(start, end)?;
            if json {
                print_json(&freeze)?;
            } else {
                println!(
                    "froze {} for testing {} – {}",
                    file.display(),
                    freeze.window.start,
                    freeze.window.end
                );
                println!("SHA-256 {}", freeze.sha256);
            }
        }
        Command::Test {
            file,
            objective,
            result,
            methods,
            note,
            evidence,
            no_finding_reason,
            date,
            json,
        } => {
            let mut session = open(&file, ctx)?;
            let row = session.record_test(&TestUpdate {
                objective_id: objective,
                methods: (!methods.is_empty()).then_some(methods),
                observations: note,
                result: Some(result),
                tested_on: date,
                no_finding_reason,
                link_evidence: evidence,
                ..TestUpdate::default()
            })?;
            if json {
                print_json(&row)?;
            } else {
                println!(
                    "{} ({}): {} by {} on {}",
                    row.objective_id,
                    row.control_label,
                    row.result,
                    row.assessor,
                    row.tested_on.map(|d| d.to_string()).unwrap_or_default()
                );
                if row.outside_window {
                    eprintln!(
                        "warning: {} is dated outside the test window",
                        row.objective_id
                    );
                }
            }
        }
        Command::Evidence {
            command:
                EvidenceCommand::Add {
                    file,
                    paths,
                    title,
                    from,
                    json,
                },
        } => {
            let mut session = open(&file, ctx)?;
            let meta = EvidenceMeta {
                title,
                collected_from: from,
                ..EvidenceMeta::default()
            };
            let mut added = Vec::with_capacity(paths.len());
            for path in &paths {
                added.push(session.add_evidence(path, &meta)?);
            }
            if json {
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
                    println!("{}  {}{note}", a.sha256, a.path);
                }
            }
        }
        Command::VerifyEvidence { file } => {
            let session = open(&file, ctx)?;
            let problems = session.verify_evidence()?;
            if problems.is_empty() {
                println!(
                    "{}: all {} evidence files match their hashes",
                    file.display(),
                    session.list_evidence()?.len()
                );
            } else {
                for p in &problems {
                    eprintln!(
                        "{}: evidence {} \"{}\" is {}",
                        file.display(),
                        p.id,
                        p.title,
                        p.problem
                    );
                }
                return Ok(ExitCode::from(1));
            }
        }
        Command::Finding {
            command:
                FindingCommand::Add {
                    file,
                    title,
                    likelihood,
                    impact,
                    controls,
                    assets,
                    objectives,
                    description,
                    recommendation,
                    source,
                    category,
                    cvss,
                    json,
                },
        } => {
            let mut session = open(&file, ctx)?;
            let mut new = NewFinding::new(&title, likelihood, impact);
            new.controls = controls;
            new.assets = assets;
            new.objective_ids = objectives;
            new.description = description;
            new.recommendation = recommendation;
            new.source = source;
            new.category = category;
            new.cvss_vector = cvss;
            let finding = session.add_finding(&new)?;
            if json {
                print_json(&finding)?;
            } else {
                print_finding(&finding);
            }
        }
        Command::Findings { file, json } => {
            let findings = open(&file, ctx)?.list_findings()?;
            if json {
                print_json(&findings)?;
            } else if findings.is_empty() {
                println!("no findings");
            } else {
                for f in &findings {
                    print_finding(f);
                }
            }
        }
        Command::Sar {
            file,
            recommend,
            set,
            kev,
            pdf,
            oscal,
            ret_xlsx,
            export,
            json,
        } => {
            return report::run_sar(
                open(&file, ctx)?,
                report::SarArgs {
                    recommend,
                    set,
                    kev,
                    pdf,
                    oscal,
                    ret_xlsx,
                    export,
                    json,
                },
            );
        }
        Command::Poam {
            file,
            pdf,
            oscal,
            xlsx,
            export,
            json,
        } => {
            return report::run_poam(
                &open(&file, ctx)?,
                report::PoamArgs {
                    pdf,
                    oscal,
                    xlsx,
                    export,
                    json,
                },
            )
        }
        Command::Package {
            file,
            out,
            with_evidence,
            generated_at,
            key_dir,
            json,
        } => {
            return report::run_package(
                open(&file, ctx)?,
                &out,
                report::PackageArgs {
                    with_evidence,
                    generated_at,
                    key_dir,
                    json,
                },
            );
        }
        Command::Verify { package, key, json } => {
            return report::run_verify(&package, key.as_deref(), json);
        }
        Command::Demo { out_dir, json } => {
            let out = assay_core::api::demo::build_demo(&out_dir, &baseline_search_dirs(&[]))?;
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

fn print_finding(f: &Finding) {
    let adjusted = if f.effective_risk != f.risk {
        format!(" (adjusted {})", f.effective_risk)
    } else {
        String::new()
    };
    println!(
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
    );
}

/// The switches of `import-scan`.
#[derive(Debug, Clone, Copy)]
struct ScanFlags {
    replace: bool,
    accept_invalid_utf8: bool,
}

fn run_import_scan(
    mut session: Session,
    scans: &[PathBuf],
    flags: ScanFlags,
    json: bool,
) -> anyhow::Result<ExitCode> {
    // One progress line per file, started when its first progress arrives.
    let progress: RefCell<Option<(usize, Progress)>> = RefCell::new(None);
    let report = |i: usize, done: u64, total: u64| {
        let mut current = progress.borrow_mut();
        if current.as_ref().is_none_or(|(at, _)| *at != i) {
            let name = scans.get(i).map(|p| display_name(p)).unwrap_or_default();
            *current = Some((i, Progress::new(&format!("importing {name}"))));
        }
        if let Some((_, p)) = current.as_ref() {
            p.update(done, total);
        }
    };
    let opts = ScanBatchOptions {
        progress: Some(&report),
        cancel: None,
        replace: flags.replace,
        accept_invalid_utf8: flags.accept_invalid_utf8,
    };
    let outcomes =
        session.import_scans(scans, &opts, &mut |o: &ScanFileOutcome| match &o.result {
            Ok(r) if !json => print_scan_receipt(r),
            Ok(_) => {}
            Err(e) => eprintln!("assay: {e}"),
        })?;
    if json {
        let receipts: Vec<&ScanReceipt> = outcomes.iter().filter_map(|o| o.receipt()).collect();
        print_json(&receipts)?;
    }
    // Exit 1 when a file failed (2 when a failure is an internal error).
    let worst = outcomes
        .iter()
        .filter_map(ScanFileOutcome::error)
        .map(|e| if e.is_user_error() { 1 } else { 2 })
        .max();
    Ok(ExitCode::from(worst.unwrap_or(0)))
}

fn print_scan_receipt(r: &ScanReceipt) {
    println!(
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
    );
    println!(
        "  {} hosts ({} in the SSP inventory), {} new and {} updated weaknesses, {} compliance results",
        r.hosts, r.hosts_matched, r.weaknesses_new, r.weaknesses_updated, r.compliance_results
    );
    for s in &r.skipped {
        println!("  skipped {}: {}", s.count, s.reason);
    }
    if let Some(d) = &r.duplicate_of {
        println!("  replaced the import of {} ({})", d.name, d.imported_at);
    }
}

fn print_coverage(c: &Coverage) {
    let s = &c.summary;
    println!(
        "{} of {} inventory items scanned ({}%), {} credentialed ({}%), {} undocumented hosts",
        s.scanned,
        s.in_scope,
        s.percent_scanned,
        s.credentialed,
        s.percent_credentialed,
        s.undocumented
    );
    for a in &c.assets {
        let cred = match a.credentialed {
            Some(true) => "credentialed",
            Some(false) => "uncredentialed",
            None => "-",
        };
        println!(
            "{:<8} {:<14} {:<30} {}",
            if a.scanned { "scanned" } else { "MISSING" },
            cred,
            a.asset_id.clone().unwrap_or_else(|| a.address.clone()),
            a.explanation
        );
    }
    for u in &c.undocumented {
        println!("UNDOCUMENTED {} ({}, {})", u.label, u.tool, u.file);
    }
}

fn print_weaknesses(rows: &[WeaknessRow]) {
    for w in rows {
        println!(
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
        );
    }
    println!("{} weaknesses", rows.len());
}

fn open(file: &Path, ctx: Context) -> anyhow::Result<Session> {
    Ok(Session::open(file, ctx)?)
}

struct SapArgs {
    pdf: Option<PathBuf>,
    oscal: Option<PathBuf>,
    check: bool,
    draft: bool,
    show: bool,
    generated_at: Option<String>,
    document_id: Option<String>,
    json: bool,
}

fn run_sap(mut session: Session, a: SapArgs) -> anyhow::Result<ExitCode> {
    if a.draft {
        let sap = session.draft_sap()?;
        if !a.json {
            println!(
                "drafted the SAP: {} controls, {} scope items, {} roles, {} schedule tasks",
                sap.data.control_selection.len(),
                sap.data.scope.subjects.len(),
                sap.data.roles.len(),
                sap.data.schedule.len()
            );
        }
    }
    if a.show {
        let sap = session.sap()?;
        if a.json {
            print_json(&sap)?;
        } else {
            println!("{}", serde_json::to_string_pretty(&sap)?);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let issues = session.sap_completeness()?;
    let blocking: Vec<_> = issues.iter().filter(|i| i.is_blocking()).collect();
    let exporting = a.pdf.is_some() || a.oscal.is_some();
    if a.check || !exporting {
        if a.json {
            print_json(&issues)?;
        } else if issues.is_empty() {
            println!("the SAP is complete");
        } else {
            for i in &issues {
                let severity = if i.is_blocking() {
                    "blocking"
                } else {
                    "warning"
                };
                println!("{severity:<8} {i}");
            }
            println!(
                "\n{} items: {} blocking, {} warnings",
                issues.len(),
                blocking.len(),
                issues.len() - blocking.len()
            );
        }
        if !exporting {
            return Ok(if a.check && !blocking.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            });
        }
    }
    if !blocking.is_empty() {
        for i in &blocking {
            eprintln!("blocking: {i}");
        }
        return Err(UserError(format!(
            "{}: cannot export the SAP while {} items block it",
            session.path().display(),
            blocking.len()
        ))
        .into());
    }
    let opts =
        session.export_options(DocumentKind::Sap, a.generated_at.as_deref(), a.document_id)?;
    let mut written = Vec::new();
    if let Some(out) = &a.pdf {
        let bytes = session.export_sap_pdf(&opts)?;
        write_output(out, &bytes)?;
        written.push(out.display().to_string());
    }
    if let Some(out) = &a.oscal {
        let bytes = session.export_sap_oscal(&opts)?;
        write_output(out, &bytes)?;
        written.push(out.display().to_string());
    }
    if !a.check {
        if a.json {
            print_json(&serde_json::json!({ "written": written, "issues": issues }))?;
        } else {
            for w in &written {
                println!("wrote {w}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_output(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    assay_core::api::write_file(path, bytes)?;
    Ok(())
}
