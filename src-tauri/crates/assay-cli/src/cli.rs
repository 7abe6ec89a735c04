//! The command line's contract (shared/docs/cli.md): every command, flag and help text, and the
//! dispatch to the command groups in [`crate::cmd`]. Nothing here touches an engagement.

use std::path::PathBuf;
use std::process::ExitCode;

use assay_core::model::sar::Recommendation;
use assay_core::model::testing::{
    FindingCategory, FindingSource, RiskLevel, TestMethod, TestResult,
};
use assay_core::model::{AssessmentType, AuthorizationPath, ImpactLevel, Side, TeamRole};
use assay_core::Context;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::cmd::{baseline, demo, engagement, package, report, sap, scans, testing};

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
    New(NewArgs),
    /// Show the engagement's fields and record counts.
    Info(FileArgs),
    /// Bring an engagement file from an older Assay to this version's schema, after copying
    /// it to FILE.v<N>.bak (N: its old schema version). Commands that only read never
    /// upgrade a file; commands that write upgrade it on their own, without the copy.
    Upgrade(FileArgs),
    /// Show the audit log.
    Log(FileArgs),
    /// Re-check the audit log: its hash chain, its head and the signed checkpoints (truncation,
    /// rewrite, wipe, deleted or forged checkpoints); --deep also compares every covered data
    /// row with its last audit record. Exit 1 names each problem.
    VerifyLog(VerifyLogArgs),
    /// Seal the audit log: sign its head (count and last hash) with the 3PAO's key and keep
    /// the checkpoint in the engagement (every package build also does this).
    Seal(SealArgs),
    /// Load the FedRAMP baseline for the engagement's impact level, or the OSCAL catalog given.
    Baseline(BaselineArgs),
    /// Import the CSP's OSCAL SSP (JSON or XML). A re-import lists what changes and needs --apply.
    ImportSsp(ImportSspArgs),
    /// Import scanner results (Nessus, Nmap, ZAP, Burp, GVM, Qualys, Nuclei, Trivy, Grype, SARIF).
    ///
    /// Each file is its own transaction with its own receipt; a file that fails is named on
    /// stderr with its reason and stores nothing, and the other files still import (exit 1 if
    /// any failed). The same file (SHA-256) is imported once unless --replace.
    ImportScan(ImportScanArgs),
    /// Scan coverage of the SSP inventory: per asset scanned, credentialed, tools.
    Coverage(CoverageArgs),
    /// The Security Assessment Report: consistency checks, figures, recommendation and exports.
    /// Exits 1 while a consistency error remains.
    Sar(SarArgs),
    /// Build the signed deliverable package (zip): SAP, SAR, POA&M, workbooks, OSCAL, raw scans,
    /// evidence index, manifest.json with every file's SHA-256, signed with the 3PAO's key.
    Package(PackageArgs),
    /// Check a deliverable package: every file's hash and size, the signature over the whole
    /// archive, and that the signer is trusted (given with --key, pinned with `assay trust add`,
    /// or your own signing key). Exits 1 naming each problem.
    Verify(VerifyArgs),
    /// The package signers you trust, pinned by name beside your signing key.
    Trust {
        #[command(subcommand)]
        action: TrustAction,
    },
    /// The seed POA&M: one item per RET row, closed items and configuration findings.
    Poam(PoamArgs),
    /// Weaknesses from imported scans: one row per tool+plugin with the affected assets.
    Weaknesses(WeaknessesArgs),
    /// Configuration (compliance) check results rolled up per check (CM-6).
    ConfigFindings(FileArgs),
    /// Run the SSP intake checks.
    Checks(FileArgs),
    /// SAP completeness check and exports (PDF, OSCAL assessment plan).
    Sap(SapArgs),
    /// Replace one SAP section with JSON (DATA is JSON text, or @FILE). After signing, needs --justification.
    SapSet(SapSetArgs),
    /// Record the 3PAO and CSP signatures and lock the SAP (refused while items block it).
    SapSign(SapSignArgs),
    /// The people on the engagement.
    Team {
        #[command(subcommand)]
        action: TeamAction,
    },
    /// Take the freeze baseline: hash the SSP's in-scope content and the test window.
    Freeze(FreezeArgs),
    /// Record a test result for one assessment objective.
    Test(TestArgs),
    /// Store evidence files in the engagement's evidence folder (all or none: a file that
    /// cannot be read stores nothing).
    Evidence {
        #[command(subcommand)]
        command: EvidenceCommand,
    },
    /// Re-hash every stored evidence file and look through the evidence folder; exit 1 lists
    /// every problem: changed, missing or unreadable files, and files no record refers to
    /// (symbolic links and special files there are reported, never followed or opened).
    VerifyEvidence(FileOnly),
    /// Add findings.
    Finding {
        #[command(subcommand)]
        command: FindingCommand,
    },
    /// List the findings.
    Findings(FileArgs),
    /// Build the demo engagement from the project's own demo inputs into OUT_DIR.
    Demo(DemoArgs),
}

#[derive(Debug, Subcommand)]
pub enum TeamAction {
    /// Add a person (3PAO assessor, CSP point of contact or agency person).
    Add(TeamAddArgs),
    /// List the people.
    List(FileArgs),
}

#[derive(Debug, Subcommand)]
pub enum TrustAction {
    /// Pin a signer: KEY is the fingerprint the 3PAO gave you out of band (as `assay verify`
    /// prints it) or their 64-hex-digit public key.
    Add(TrustAddArgs),
    /// List the pinned signers (name, fingerprint, date added).
    List(TrustListArgs),
    /// Remove the signer pinned as NAME.
    Remove(TrustRemoveArgs),
}

#[derive(Debug, Args)]
pub struct TrustAddArgs {
    pub name: String,
    pub key: String,
    /// The key store folder (default: $ASSAY_KEY_DIR, else ~/.config/assay/keys).
    #[arg(long, value_name = "DIR")]
    pub key_dir: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TrustListArgs {
    /// The key store folder (default: $ASSAY_KEY_DIR, else ~/.config/assay/keys).
    #[arg(long, value_name = "DIR")]
    pub key_dir: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TrustRemoveArgs {
    pub name: String,
    /// The key store folder (default: $ASSAY_KEY_DIR, else ~/.config/assay/keys).
    #[arg(long, value_name = "DIR")]
    pub key_dir: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Store files as evidence (each stored once by content).
    Add(EvidenceAddArgs),
}

#[derive(Debug, Subcommand)]
pub enum FindingCommand {
    /// Add a manual finding; its risk is computed from likelihood and impact.
    Add(FindingAddArgs),
}

// The argument sets below carry no doc comment of their own: a command's help is the doc
// comment of its variant above, so the help text stays where the command is listed.

#[derive(Debug, Args)]
pub struct FileArgs {
    pub file: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct FileOnly {
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct VerifyLogArgs {
    pub file: PathBuf,
    /// Also compare every covered data row (findings, weakness reviews, test results,
    /// evidence, the SAR's fields, coverage notes) with its last audit record.
    #[arg(long)]
    pub deep: bool,
    /// The key store whose signing key and pinned signers may sign checkpoints (default:
    /// $ASSAY_KEY_DIR, else ~/.config/assay/keys).
    #[arg(long, value_name = "DIR")]
    pub key_dir: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SealArgs {
    pub file: PathBuf,
    /// The key store folder (default: $ASSAY_KEY_DIR, else ~/.config/assay/keys).
    #[arg(long, value_name = "DIR")]
    pub key_dir: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The engagement file to create (*.assay).
    pub file: PathBuf,
    /// The cloud service offering's name.
    #[arg(long)]
    pub name: String,
    /// The cloud service provider.
    #[arg(long, default_value = "")]
    pub csp: String,
    /// The 3PAO organisation.
    #[arg(long = "assessor", default_value = "")]
    pub assessor_org: String,
    /// The sponsoring agency.
    #[arg(long, default_value = "")]
    pub agency: String,
    /// The FedRAMP baseline.
    #[arg(long, default_value = "moderate", value_parser = parse_vocab::<ImpactLevel>)]
    pub impact: ImpactLevel,
    /// The assessment type.
    #[arg(long = "type", default_value = "initial", value_parser = parse_vocab::<AssessmentType>)]
    pub assessment_type: AssessmentType,
    /// The authorization path.
    #[arg(long, default_value = "agency", value_parser = parse_vocab::<AuthorizationPath>)]
    pub path: AuthorizationPath,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    pub file: PathBuf,
    /// An OSCAL catalog or resolved-profile catalog (JSON or XML) to load instead.
    #[arg(long = "import", value_name = "CATALOG")]
    pub catalog: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ImportSspArgs {
    pub file: PathBuf,
    pub ssp: PathBuf,
    /// Replace the stored SSP with this one after showing what changes.
    #[arg(long)]
    pub apply: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ImportScanArgs {
    pub file: PathBuf,
    #[arg(required = true)]
    pub scans: Vec<PathBuf>,
    /// Replace an earlier import of the same file (same SHA-256) instead of refusing it.
    #[arg(long)]
    pub replace: bool,
    /// Import text that is not valid UTF-8 (stray Latin-1 from old scanners), replacing the
    /// bad bytes, instead of refusing the file.
    #[arg(long)]
    pub accept_invalid_utf8: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CoverageArgs {
    pub file: PathBuf,
    /// Record why an in-scope asset was not scanned: ASSET (uuid or asset id) and TEXT
    /// (an empty TEXT removes the explanation).
    #[arg(long, num_args = 2, value_names = ["ASSET", "TEXT"])]
    pub explain: Option<Vec<String>>,
    #[arg(long)]
    pub json: bool,
}

/// Options shared by the exports.
#[derive(Debug, Default, Args)]
pub struct ExportArgs {
    /// Generation time written into exports (RFC 3339; default: now).
    #[arg(long, value_name = "TIME")]
    pub generated_at: Option<String>,
    /// Document id for exports (default: derived from the engagement, stable across runs).
    #[arg(long, value_name = "ID")]
    pub document_id: Option<String>,
}

#[derive(Debug, Args)]
pub struct SarArgs {
    pub file: PathBuf,
    /// Record the authorization recommendation: recommend, do-not-recommend,
    /// recommend-continued, do-not-recommend-continued.
    #[arg(long, value_parser = parse_vocab::<Recommendation>)]
    pub recommend: Option<Recommendation>,
    /// Change the SAR's written fields (JSON text, or @FILE): version, date, poam
    /// {id_prefix, id_start, id_digits, point_of_contact, service_name}, threats_note,
    /// interconnections_note, signatures.
    #[arg(long, value_name = "JSON")]
    pub set: Option<String>,
    /// Import the CISA Known Exploited Vulnerabilities catalog (JSON) for POA&M due dates.
    #[arg(long, value_name = "KEV_JSON")]
    pub kev: Option<PathBuf>,
    /// Write the SAR as PDF to this file.
    #[arg(long, value_name = "OUT")]
    pub pdf: Option<PathBuf>,
    /// Write the SAR as OSCAL assessment results (JSON) to this file.
    #[arg(long, value_name = "OUT")]
    pub oscal: Option<PathBuf>,
    /// Write the risk exposure table workbook (SAR Appendix A, .xlsx) to this file.
    #[arg(long, value_name = "OUT")]
    pub ret_xlsx: Option<PathBuf>,
    #[command(flatten)]
    pub export: ExportArgs,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PackageArgs {
    pub file: PathBuf,
    /// The zip to write.
    pub out: PathBuf,
    /// Put the evidence files in the package too (the index is always there).
    #[arg(long)]
    pub with_evidence: bool,
    /// Generation time written into every document (RFC 3339; default: now).
    #[arg(long, value_name = "TIME")]
    pub generated_at: Option<String>,
    /// The key store folder (default: $ASSAY_KEY_DIR, else ~/.config/assay/keys).
    #[arg(long, value_name = "DIR")]
    pub key_dir: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    pub package: PathBuf,
    /// The signer's fingerprint or public key as confirmed out of band; only that key is
    /// trusted. Without it the signer must be pinned (`assay trust add`) or be your own key.
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,
    /// The key store folder with the pinned signers (default: $ASSAY_KEY_DIR, else
    /// ~/.config/assay/keys).
    #[arg(long, value_name = "DIR")]
    pub key_dir: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PoamArgs {
    pub file: PathBuf,
    /// Write the POA&M as PDF to this file.
    #[arg(long, value_name = "OUT")]
    pub pdf: Option<PathBuf>,
    /// Write the POA&M as an OSCAL plan of action and milestones (JSON) to this file.
    #[arg(long, value_name = "OUT")]
    pub oscal: Option<PathBuf>,
    /// Write the POA&M workbook (FedRAMP POA&M template v2.1, .xlsx) to this file.
    #[arg(long, value_name = "OUT")]
    pub xlsx: Option<PathBuf>,
    #[command(flatten)]
    pub export: ExportArgs,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct WeaknessesArgs {
    pub file: PathBuf,
    /// Include informational results.
    #[arg(long)]
    pub all: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SapArgs {
    pub file: PathBuf,
    /// Write the SAP as PDF to this file.
    #[arg(long, value_name = "OUT")]
    pub pdf: Option<PathBuf>,
    /// Write the SAP as an OSCAL assessment plan (JSON) to this file.
    #[arg(long, value_name = "OUT")]
    pub oscal: Option<PathBuf>,
    /// Print the completeness items; exit 1 while anything blocks export.
    #[arg(long)]
    pub check: bool,
    /// Pre-fill every section from the SSP and baseline first (replaces the current draft).
    #[arg(long)]
    pub draft: bool,
    /// Print the whole SAP (with --json: the SAP document the UI reads).
    #[arg(long)]
    pub show: bool,
    #[command(flatten)]
    pub export: ExportArgs,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SapSetArgs {
    pub file: PathBuf,
    /// document, scope, roles, assumptions, methodology, control-selection, sampling,
    /// team-validation, tools, scan-origination, manual-tests, schedule, rules-of-engagement,
    /// penetration-test, significant-change
    pub section: String,
    pub data: String,
    /// Why the signed SAP changes (recorded as a deviation).
    #[arg(long)]
    pub justification: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SapSignArgs {
    pub file: PathBuf,
    #[arg(long)]
    pub ia_name: String,
    #[arg(long, default_value = "")]
    pub ia_title: String,
    #[arg(long)]
    pub csp_name: String,
    #[arg(long, default_value = "")]
    pub csp_title: String,
    /// Signing date (YYYY-MM-DD), used for both signatures.
    #[arg(long)]
    pub date: NaiveDate,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TeamAddArgs {
    pub file: PathBuf,
    #[arg(long)]
    pub name: String,
    /// assessment-lead, assessment-team, penetration-test-lead, penetration-test-team,
    /// assessment-executive, csp-assessment-poc, csp-operations-center, authorizing-official, agency-poc
    #[arg(long, value_parser = parse_vocab::<TeamRole>)]
    pub role: TeamRole,
    /// 3pao, csp or agency (default: the role's usual side).
    #[arg(long, value_parser = parse_vocab::<Side>)]
    pub side: Option<Side>,
    #[arg(long, default_value = "")]
    pub title: String,
    #[arg(long, default_value = "")]
    pub email: String,
    #[arg(long, default_value = "")]
    pub phone: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct FreezeArgs {
    pub file: PathBuf,
    /// First day of the test window (default: the engagement's test window start).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub start: Option<NaiveDate>,
    /// Last day of the test window (default: the engagement's test window end).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub end: Option<NaiveDate>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    pub file: PathBuf,
    /// The objective id, e.g. ac-2_obj.a-1.
    #[arg(long)]
    pub objective: String,
    #[arg(long, value_parser = parse_vocab::<TestResult>)]
    pub result: TestResult,
    /// The methods used, comma-separated: examine,interview,test.
    #[arg(long = "method", value_delimiter = ',', value_parser = parse_vocab::<TestMethod>)]
    pub methods: Vec<TestMethod>,
    /// Observations: what was tested, how, and the result.
    #[arg(long)]
    pub note: Option<String>,
    /// Evidence to link, by SHA-256 (add it first with `assay evidence add`).
    #[arg(long = "evidence", value_name = "SHA256")]
    pub evidence: Vec<String>,
    /// Why an other-than-satisfied result has no finding.
    #[arg(long = "no-finding-reason", value_name = "TEXT")]
    pub no_finding_reason: Option<String>,
    /// The test date (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EvidenceAddArgs {
    pub file: PathBuf,
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Title for the evidence (default: the file name).
    #[arg(long)]
    pub title: Option<String>,
    /// Where the evidence was collected from.
    #[arg(long, default_value = "")]
    pub from: String,
    /// Store the file a symbolic link points to (the link and its target are recorded in the
    /// custody log); without it symbolic links are refused.
    #[arg(long)]
    pub follow_symlinks: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct FindingAddArgs {
    pub file: PathBuf,
    #[arg(long)]
    pub title: String,
    #[arg(long, value_parser = parse_vocab::<RiskLevel>)]
    pub likelihood: RiskLevel,
    #[arg(long, value_parser = parse_vocab::<RiskLevel>)]
    pub impact: RiskLevel,
    /// An affected control (repeatable), e.g. ac-2 or AC-2(1).
    #[arg(long = "control", value_name = "ID")]
    pub controls: Vec<String>,
    /// An affected inventory item uuid (repeatable).
    #[arg(long = "asset", value_name = "ID")]
    pub assets: Vec<String>,
    /// An objective this finding answers (repeatable).
    #[arg(long = "objective", value_name = "ID")]
    pub objectives: Vec<String>,
    #[arg(long, default_value = "")]
    pub description: String,
    #[arg(long, default_value = "")]
    pub recommendation: String,
    #[arg(long, default_value = "manual-test", value_parser = parse_vocab::<FindingSource>)]
    pub source: FindingSource,
    #[arg(long, default_value = "srtm", value_parser = parse_vocab::<FindingCategory>)]
    pub category: FindingCategory,
    /// A CVSS v3.x or v4.0 vector; the base score is computed and stored.
    #[arg(long)]
    pub cvss: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    pub out_dir: PathBuf,
    #[arg(long)]
    pub json: bool,
}

fn parse_vocab<T: std::str::FromStr<Err = String>>(s: &str) -> Result<T, String> {
    s.parse()
}

/// Runs one command and returns the exit status for a completed run. The core's errors about
/// the engagement file that SQLite raised without a path are given the command's FILE.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let file = cli.command.engagement_file().map(PathBuf::from);
    dispatch(cli).map_err(|e| match (e.downcast::<assay_core::Error>(), &file) {
        (Ok(core), Some(file)) => core.in_file(file).into(),
        (Ok(core), None) => core.into(),
        (Err(e), _) => e,
    })
}

impl Command {
    /// The engagement file the command works on, if any.
    fn engagement_file(&self) -> Option<&std::path::Path> {
        Some(match self {
            Command::New(a) => &a.file,
            Command::Info(a)
            | Command::Upgrade(a)
            | Command::Log(a)
            | Command::ConfigFindings(a)
            | Command::Checks(a)
            | Command::Findings(a) => &a.file,
            Command::VerifyLog(a) => &a.file,
            Command::Seal(a) => &a.file,
            Command::VerifyEvidence(a) => &a.file,
            Command::Baseline(a) => &a.file,
            Command::ImportSsp(a) => &a.file,
            Command::ImportScan(a) => &a.file,
            Command::Coverage(a) => &a.file,
            Command::Sar(a) => &a.file,
            Command::Package(a) => &a.file,
            Command::Poam(a) => &a.file,
            Command::Weaknesses(a) => &a.file,
            Command::Sap(a) => &a.file,
            Command::SapSet(a) => &a.file,
            Command::SapSign(a) => &a.file,
            Command::Team {
                action: TeamAction::Add(a),
            } => &a.file,
            Command::Team {
                action: TeamAction::List(a),
            } => &a.file,
            Command::Freeze(a) => &a.file,
            Command::Test(a) => &a.file,
            Command::Evidence {
                command: EvidenceCommand::Add(a),
            } => &a.file,
            Command::Finding {
                command: FindingCommand::Add(a),
            } => &a.file,
            Command::Verify(_) | Command::Demo(_) | Command::Trust { .. } => return None,
        })
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    let ctx = Context::from_env(cli.actor.as_deref());
    match cli.command {
        Command::New(a) => engagement::new(a, ctx),
        Command::Info(a) => engagement::info(&a, ctx),
        Command::Upgrade(a) => engagement::upgrade(&a),
        Command::Log(a) => engagement::log(&a, ctx),
        Command::VerifyLog(a) => engagement::verify_log(&a, ctx),
        Command::Seal(a) => engagement::seal(&a, ctx),
        Command::Baseline(a) => baseline::baseline(&a, ctx),
        Command::ImportSsp(a) => baseline::import_ssp(&a, ctx),
        Command::Checks(a) => baseline::checks(&a, ctx),
        Command::Sap(a) => sap::sap(a, ctx),
        Command::SapSet(a) => sap::sap_set(a, ctx),
        Command::SapSign(a) => sap::sap_sign(a, ctx),
        Command::Team { action } => sap::team(action, ctx),
        Command::Freeze(a) => testing::freeze(&a, ctx),
        Command::Test(a) => testing::test(a, ctx),
        Command::Evidence {
            command: EvidenceCommand::Add(a),
        } => testing::evidence_add(a, ctx),
        Command::VerifyEvidence(a) => testing::verify_evidence(&a, ctx),
        Command::Finding {
            command: FindingCommand::Add(a),
        } => testing::finding_add(a, ctx),
        Command::Findings(a) => testing::findings(&a, ctx),
        Command::ImportScan(a) => scans::import_scan(&a, ctx),
        Command::Weaknesses(a) => scans::weaknesses(&a, ctx),
        Command::Coverage(a) => scans::coverage(&a, ctx),
        Command::ConfigFindings(a) => scans::config_findings(&a, ctx),
        Command::Sar(a) => report::sar(a, ctx),
        Command::Poam(a) => report::poam(a, ctx),
        Command::Package(a) => package::package(&a, ctx),
        Command::Verify(a) => package::verify(&a),
        Command::Trust { action } => package::trust(&action, &ctx),
        Command::Demo(a) => demo::demo(&a),
    }
}
