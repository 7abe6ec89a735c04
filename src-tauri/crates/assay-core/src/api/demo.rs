//! The demo engagement: a fictional cloud service offering assessed end to end, built from inputs
//! this project writes itself, with a fixed clock and fixed ids so two runs give the same records.
//!
//! Each capability adds its part of the demo here (SSP, tests, scans, findings, deliverables).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Duration};
use serde::Serialize;

use super::ImportOptions;
use chrono::NaiveDate;

use super::{Context, Session};
use crate::clock::{FixedClock, SequentialIds};
use crate::error::{Error, Result};
use crate::model::ids::{FindingId, WeaknessId};
use crate::model::report::ExportOptions;
use crate::model::sap::{ManualTest, SapLocation, SapSectionUpdate, SapTool, Signature};
use crate::model::testing::{
    EvidenceMeta, NewFinding, RiskLevel, TestFilter, TestMethod, TestResult, TestUpdate,
};
use crate::model::{EngagementField, NewEngagement, NewTeamMember, Side, TeamRole};

/// What `assay demo` wrote.
#[derive(Debug, Clone, Serialize)]
pub struct DemoOutput {
    pub engagement: PathBuf,
    pub written: Vec<PathBuf>,
    /// The demo's signing key, so its package can be verified with `assay verify --key`.
    pub signer: crate::api::package::SignerKey,
}

/// The context the demo runs in: a fixed clock starting on the demo's kickoff day.
pub fn demo_context() -> Context {
    demo_context_at("2026-03-02T14:00:00Z", 0)
}

/// The demo's context from `start` on (the demo moves its clock forward between phases, as the
/// real engagement moves from planning to testing to reporting).
/// Each phase draws ids from its own sequence (`phase` in the seed), so ids never repeat.
fn demo_context_at(start: &str, phase: u64) -> Context {
    // Literals that parse; the fallback is unreachable but keeps this free of unwrap.
    let start = DateTime::parse_from_rfc3339(start)
        .map(|d| d.to_utc())
        .unwrap_or_default();
    Context {
        clock: Arc::new(FixedClock::new(start, Duration::seconds(37))),
        ids: Arc::new(SequentialIds::new(0x4153_5359_4445_4d00 | phase)),
        actor: "Dana Whitfield".to_owned(),
    }
}

/// The demo SSP, written for the project (assets/demo/northwind-ssp.json).
const DEMO_SSP: &str = include_str!("../../../../../assets/demo/northwind-ssp.json");

/// Builds the demo engagement in `out_dir` (created if missing; an existing demo file is refused):
/// team, the FedRAMP Moderate baseline (from `baseline_dirs`), the demo SSP, a complete and signed
/// SAP with its PDF and OSCAL exports, the freeze, test results with evidence, and findings.
pub fn build_demo(out_dir: &Path, baseline_dirs: &[PathBuf]) -> Result<DemoOutput> {
    std::fs::create_dir_all(out_dir).map_err(|source| Error::Io {
        path: out_dir.to_owned(),
        source,
    })?;
    let path = out_dir.join("demo.assay");
    let new = NewEngagement {
        cso_name: "Northwind Cloud Platform".into(),
        csp_name: "Northwind Systems, Inc.".into(),
        assessor_org: "Clearwater Assurance LLC".into(),
        agency: "Department of Example Affairs".into(),
        impact_level: crate::model::ImpactLevel::Moderate,
        authorization_path: crate::model::AuthorizationPath::Agency,
        assessment_type: crate::model::AssessmentType::Initial,
    };
    let mut s = Session::create(&path, &new, demo_context())?;
    s.update_engagement(EngagementField::PackageId, "FR2612345678")?;
    s.update_engagement(EngagementField::TestWindowStart, "2026-04-06")?;
    s.update_engagement(EngagementField::TestWindowEnd, "2026-05-01")?;
    let team = [
        (
            "Dana Whitfield",
            "Senior Assessor",
            "dana.whitfield@clearwater.example",
            Side::Assessor,
            TeamRole::AssessmentLead,
        ),
        (
            "Marcus Oyelaran",
            "Assessor",
            "marcus.oyelaran@clearwater.example",
            Side::Assessor,
            TeamRole::AssessmentTeam,
        ),
        (
            "Priya Raman",
            "Penetration Test Lead",
            "priya.raman@clearwater.example",
            Side::Assessor,
            TeamRole::PenetrationTestLead,
        ),
        (
            "Elena Sorokina",
            "Director, Federal Compliance",
            "elena.sorokina@northwind.example",
            Side::Csp,
            TeamRole::CspAssessmentPoc,
        ),
        (
            "Tom Brandt",
            "Cloud Security Engineer",
            "tom.brandt@northwind.example",
            Side::Csp,
            TeamRole::CspAssessmentPoc,
        ),
        (
            "Northwind SOC",
            "24x7 Security Operations Center",
            "soc@northwind.example",
            Side::Csp,
            TeamRole::CspOperationsCenter,
        ),
        (
            "Gail Hensley",
            "Authorizing Official",
            "gail.hensley@dea.example",
            Side::Agency,
            TeamRole::AuthorizingOfficial,
        ),
    ];
    for (name, title, email, side, role) in team {
        s.add_team_member(&NewTeamMember {
            name: name.into(),
            title: title.into(),
            email: email.into(),
            phone: String::new(),
            side,
            role,
        })?;
    }
    let opts = ImportOptions::default();
    s.import_bundled_baseline(baseline_dirs, &opts)?;
    let staged = s.stage_ssp("northwind-ssp.json", DEMO_SSP.as_bytes(), &opts)?;
    s.apply_ssp(staged)?;
    let mut written = vec![path.clone()];
    written.extend(plan(&mut s, out_dir)?);
    // Testing starts with the freeze on the first day of the test window.
    drop(s);
    let mut s = Session::open(&path, demo_context_at("2026-04-06T13:00:00Z", 1))?;
    written.extend(test(&mut s, out_dir)?);
    drop(s);
    let mut s = Session::open(&path, demo_context_at("2026-05-04T15:00:00Z", 2))?;
    written.extend(scans_and_report(&mut s, out_dir)?);
    written.push(package(&mut s, out_dir)?);
    let signer = assay_package::describe_public_key(&demo_signing_key());
    Ok(DemoOutput {
        engagement: path,
        written,
        signer: crate::api::package::SignerKey {
            public_key_hex: signer.public_key_hex,
            fingerprint: signer.fingerprint,
        },
    })
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Completes, signs and exports the SAP.
fn plan(s: &mut Session, out_dir: &Path) -> Result<Vec<PathBuf>> {
    let sap = s.draft_sap()?;
    let mut scope = sap.data.scope.clone();
    scope.locations = vec![SapLocation {
        name: "Example IaaS GovCloud region (us-gov-west)".into(),
        address: "Provider data centers, Oregon, USA".into(),
        description:
            "All production components of the Northwind Cloud Platform in two availability zones"
                .into(),
    }];
    s.update_sap(SapSectionUpdate::Scope(scope), None)?;
    s.update_sap(
        SapSectionUpdate::Tools(vec![
            SapTool {
                name: "Nessus Professional".into(),
                vendor: "Tenable".into(),
                version: "10.8".into(),
                purpose: "Authenticated OS and database vulnerability and configuration scanning"
                    .into(),
            },
            SapTool {
                name: "OWASP ZAP".into(),
                vendor: "OWASP".into(),
                version: "2.16".into(),
                purpose: "Web application and API scanning".into(),
            },
            SapTool {
                name: "Nmap".into(),
                vendor: "Nmap Project".into(),
                version: "7.95".into(),
                purpose: "Host and service discovery".into(),
            },
        ]),
        None,
    )?;
    s.update_sap(
        SapSectionUpdate::ScanOrigination(vec!["198.51.100.25".into(), "198.51.100.26".into()]),
        None,
    )?;
    s.update_sap(
        SapSectionUpdate::ManualTests(vec![ManualTest {
            id: String::new(),
            name: "Session timeout".into(),
            description: "Confirm that idle web sessions end after 15 minutes for agency users"
                .into(),
            method: "TEST".into(),
        }]),
        None,
    )?;
    let mut rules = s.sap()?.data.rules_of_engagement;
    rules.end_of_testing_contact =
        "Tom Brandt, Cloud Security Engineer (tom.brandt@northwind.example)".into();
    rules.results_recipients = "Elena Sorokina and Gail Hensley".into();
    s.update_sap(SapSectionUpdate::RulesOfEngagement(rules), None)?;
    // The standard tasks, a few days apart, inside the test window.
    let mut schedule = s.sap()?.data.schedule;
    let start = date("2026-03-09").unwrap_or_default();
    for (i, task) in schedule.iter_mut().enumerate() {
        let day = start + chrono::Duration::days(4 * i as i64);
        task.start = Some(day);
        task.finish = Some(day + chrono::Duration::days(3));
    }
    s.update_sap(SapSectionUpdate::Schedule(schedule), None)?;
    let signed = date("2026-04-03").unwrap_or_default();
    s.sign_sap(
        Signature {
            name: "Dana Whitfield".into(),
            title: "Senior Assessor, Clearwater Assurance LLC".into(),
            date: signed,
        },
        Signature {
            name: "Elena Sorokina".into(),
            title: "Director, Federal Compliance, Northwind Systems, Inc.".into(),
            date: signed,
        },
    )?;
    let opts = ExportOptions {
        generated_at: demo_context().clock.now(),
        document_id: "northwind-sap-2026".into(),
    };
    let pdf = out_dir.join("Northwind-Cloud-Platform-SAP.pdf");
    let oscal = out_dir.join("Northwind-Cloud-Platform-SAP.oscal.json");
    write(&pdf, &s.export_sap_pdf(&opts)?)?;
    write(&oscal, &s.export_sap_oscal(&opts)?)?;
    Ok(vec![pdf, oscal])
}

/// Freezes the system and records a slice of testing: results, evidence and findings.
fn test(s: &mut Session, out_dir: &Path) -> Result<Vec<PathBuf>> {
    let (start, end) = (
        date("2026-04-06").unwrap_or_default(),
        date("2026-05-01").unwrap_or_default(),
    );
    s.freeze(start, end)?;
    // Evidence the assessors collected, written as files first as they would be on disk.
    let evidence_dir = out_dir.join("evidence");
    std::fs::create_dir_all(&evidence_dir).map_err(|source| Error::Io {
        path: evidence_dir.clone(),
        source,
    })?;
    let files = [
        ("account-review-q1.txt", "Quarterly account review, Q1 2026\nReviewed 214 accounts; 3 inactive accounts disabled.\nReviewer: Elena Sorokina\n"),
        ("idp-mfa-policy.txt", "Identity provider policy export\nMFA: required for all users (FIDO2 or PIV)\nSession lifetime: 12 hours\n"),
        ("siem-review-log.txt", "SIEM review log, April 2026\nDaily alert review recorded on 14 of 20 business days.\n"),
    ];
    let mut ids = Vec::new();
    for (name, text) in files {
        let p = evidence_dir.join(name);
        write(&p, text.as_bytes())?;
        let added = s.add_evidence(
            &p,
            &EvidenceMeta {
                title: Some(name.trim_end_matches(".txt").replace('-', " ")),
                collected_by: Some("Marcus Oyelaran".into()),
                collected_from: "Northwind Systems, Inc.".into(),
                collected_at: Some("2026-04-08".into()),
                source: "Provided by the CSP during testing".into(),
            },
        )?;
        ids.push(added.sha256);
    }
    let assessor = Some("Marcus Oyelaran".to_owned());
    let rows = s.test_rows(&TestFilter::default())?;
    let by_control = |c: &str| {
        rows.iter()
            .filter(|r| r.control_id == c)
            .map(|r| r.objective_id.clone())
            .collect::<Vec<_>>()
    };
    for objective in by_control("ac-2").into_iter().take(6) {
        s.record_test(&TestUpdate {
            objective_id: objective,
            methods: Some(vec![TestMethod::Examine, TestMethod::Interview]),
            examined: Some("Account management procedure; quarterly account review record".into()),
            interviewed: Some("Elena Sorokina (system owner)".into()),
            observations: Some(
                "Accounts are approved, provisioned and reviewed as the SSP describes.".into(),
            ),
            result: Some(TestResult::Satisfied),
            assessor: assessor.clone(),
            tested_on: date("2026-04-08"),
            link_evidence: vec![ids[0].clone()],
            ..TestUpdate::default()
        })?;
    }
    let au6 = by_control("au-6");
    let mut finding = NewFinding::new(
        "Audit record review is not performed every business day",
        RiskLevel::Moderate,
        RiskLevel::Moderate,
    );
    finding.description =
        "The SIEM review log shows daily review on 14 of 20 business days in April 2026.".into();
    finding.controls = vec!["au-6".into()];
    finding.objective_ids = au6.iter().take(1).cloned().collect();
    finding.risk_statement = "Missed reviews delay the detection of malicious activity.".into();
    finding.recommendation =
        "Assign a back-up reviewer and alert when a daily review is not recorded.".into();
    finding.evidence_ids = vec![ids[2].clone()];
    finding.detected_on = date("2026-04-10");
    let f = s.add_finding(&finding)?;
    if let Some(objective) = au6.first() {
        s.record_test(&TestUpdate {
            objective_id: objective.clone(),
            methods: Some(vec![TestMethod::Examine]),
            examined: Some("SIEM review log for April 2026".into()),
            observations: Some(format!(
                "Reviews missing on 6 of 20 business days; see finding {}.",
                f.reference
            )),
            result: Some(TestResult::OtherThanSatisfied),
            assessor: assessor.clone(),
            tested_on: date("2026-04-10"),
            link_evidence: vec![ids[2].clone()],
            ..TestUpdate::default()
        })?;
    }
    let mut mfa = NewFinding::new(
        "Administrator sessions outlive the policy's idle limit",
        RiskLevel::High,
        RiskLevel::Moderate,
    );
    mfa.description =
        "Bastion host sessions stayed open after 30 idle minutes; the policy sets 15.".into();
    mfa.controls = vec!["ac-17".into()];
    mfa.source = crate::model::testing::FindingSource::ManualTest;
    mfa.risk_statement =
        "An unattended administrator session could be used by someone else.".into();
    mfa.recommendation = "Set the bastion's idle timeout to 15 minutes.".into();
    mfa.evidence_ids = vec![ids[1].clone()];
    mfa.detected_on = date("2026-04-14");
    s.add_finding(&mfa)?;
    Ok(vec![evidence_dir])
}

/// The demo's scanner output and KEV extract, written for the project (assets/demo).
const DEMO_NESSUS: &str = include_str!("../../../../../assets/demo/northwind-nessus.nessus");
const DEMO_ZAP: &str = include_str!("../../../../../assets/demo/northwind-zap.json");
const DEMO_KEV: &str = include_str!("../../../../../assets/demo/kev-demo.json");

fn add_demo_evidence(s: &mut Session, dir: &Path, name: &str, text: &str) -> Result<String> {
    let p = dir.join(name);
    write(&p, text.as_bytes())?;
    let added = s.add_evidence(
        &p,
        &EvidenceMeta {
            title: Some(name.trim_end_matches(".txt").replace('-', " ")),
            collected_by: Some("Priya Raman".into()),
            collected_from: "Northwind Systems, Inc.".into(),
            collected_at: Some("2026-04-21".into()),
            source: "Collected by the assessor during testing".into(),
        },
    )?;
    Ok(added.sha256)
}

/// Imports the scans and the KEV extract, reviews every weakness, records the deviations, the
/// remaining test results, and the SAR's written fields and recommendation.
fn scans_and_report(s: &mut Session, out_dir: &Path) -> Result<Vec<PathBuf>> {
    use crate::api::scans::ScanImportOptions;
    use crate::model::sar::{PoamSettings, Recommendation, SarSignature, SarUpdate};
    use crate::model::scans::{ReviewAction, WeaknessFilter};
    use crate::model::testing::{
        Closure, DeviationAnswer, DeviationInput, FindingCategory, FindingSource, FindingStatus,
        FindingUpdate, RiskAdjustmentInput, VendorDependencyInput,
    };

    let inputs = out_dir.join("inputs");
    std::fs::create_dir_all(&inputs).map_err(|source| Error::Io {
        path: inputs.clone(),
        source,
    })?;
    let nessus = inputs.join("northwind-nessus.nessus");
    let zap = inputs.join("northwind-zap.json");
    let kev = inputs.join("kev-demo.json");
    write(&nessus, DEMO_NESSUS.as_bytes())?;
    write(&zap, DEMO_ZAP.as_bytes())?;
    write(&kev, DEMO_KEV.as_bytes())?;
    let opts = ScanImportOptions::default();
    s.import_scan(&nessus, &opts)?;
    s.import_scan(&zap, &opts)?;
    s.import_kev(&kev)?;

    let evidence_dir = out_dir.join("evidence");
    let rescan = add_demo_evidence(
        s,
        &evidence_dir,
        "openssh-rescan-2026-04-21.txt",
        "Nessus rescan, 2026-04-21, plugin 201194 (OpenSSH regreSSHion)\nweb01, web02, web03, bastion: OpenSSH 8.9p1 Ubuntu-3ubuntu0.10 installed; not vulnerable.\n",
    )?;
    let ca = add_demo_evidence(
        s,
        &evidence_dir,
        "siem-internal-ca-trust.txt",
        "Northwind Internal Issuing CA 2 is distributed to every client of the SIEM console by configuration management (trust store baseline v14); the console is not reachable from outside the management network.\n",
    )?;
    let rate_limit = add_demo_evidence(
        s,
        &evidence_dir,
        "lb-http2-stream-limits.txt",
        "Load balancer configuration export, 2026-04-16\nhttp2_max_concurrent_streams 100; reset flood protection enabled (50 resets/s per connection).\nVendor advisory ticket NW-VND-2291: fixed ingress package expected in release 7.4.\n",
    )?;
    let kex = add_demo_evidence(
        s,
        &evidence_dir,
        "legacy-hsm-kex-requirement.txt",
        "The hardware security module's management client supports only diffie-hellman-group14-sha1 for SSH key exchange; vendor end-of-support letter dated 2026-02-11.\n",
    )?;
    let pen = add_demo_evidence(
        s,
        &evidence_dir,
        "pentest-error-disclosure.txt",
        "POST /api/v2/export with a malformed body returned HTTP 500 with a stack trace naming the framework and its version (ExpressoWeb 4.2.1).\n",
    )?;
    let diagram = add_demo_evidence(
        s,
        &evidence_dir,
        "ssp-diagram-review.txt",
        "SSP Figure 9-1 (authorization boundary) does not show the log forwarding path from the web tier to the SIEM; the data flow table lists it.\n",
    )?;

    // Review: accept the real weaknesses, reject the SIEM certificate as a false positive.
    for w in s.weaknesses(&WeaknessFilter::default())? {
        let action = if w.plugin_id == "51192" {
            ReviewAction::FalsePositive {
                evidence_ids: vec![ca.clone()],
                rationale: "The certificate is issued by the CSP's internal CA, which every client of the SIEM console trusts through configuration management.".into(),
            }
        } else {
            ReviewAction::Accept
        };
        s.review_weakness(WeaknessId(w.id), &action)?;
    }
    let findings = s.list_findings()?;
    let by_title = |needle: &str| {
        findings
            .iter()
            .find(|f| f.title.contains(needle))
            .map(|f| f.id.clone())
            .ok_or_else(|| Error::NotFound {
                what: format!("demo finding '{needle}'"),
            })
    };
    s.update_finding(
        &FindingId::new(by_title("regreSSHion")?),
        &FindingUpdate {
            status: Some(FindingStatus::CorrectedDuringTesting),
            closure: Some(Closure {
                description: "The CSP installed the fixed OpenSSH package on all four hosts; the assessor's rescan on 2026-04-21 no longer reports the vulnerability.".into(),
                date: date("2026-04-21").unwrap_or_default(),
                verification_evidence_ids: vec![rescan],
            }),
            ..FindingUpdate::default()
        },
    )?;
    s.update_finding(
        &FindingId::new(by_title("Rapid Reset")?),
        &FindingUpdate {
            risk_adjustment: Some(RiskAdjustmentInput {
                status: DeviationAnswer::Yes,
                adjusted_likelihood: RiskLevel::Moderate,
                adjusted_impact: RiskLevel::High,
                rationale: "Stream limits and reset-flood protection at the load balancer keep an attacker from exhausting the web tier; the assessor reproduced the attack and saw connections closed.".into(),
                evidence_ids: vec![rate_limit.clone()],
            }),
            vendor_dependency: Some(VendorDependencyInput {
                status: DeviationAnswer::Yes,
                product: "Load-balancer vendor ingress package 7.3".into(),
                last_check_in: date("2026-04-28"),
                rationale: "The fix ships in the vendor's ingress package 7.4.".into(),
                evidence_ids: vec![rate_limit],
            }),
            ..FindingUpdate::default()
        },
    )?;
    s.update_finding(
        &FindingId::new(by_title("Weak Key Exchange")?),
        &FindingUpdate {
            operational_requirement: Some(DeviationInput {
                status: DeviationAnswer::Yes,
                rationale: "The HSM management client cannot negotiate any other key exchange; access is limited to the bastion and two named administrators.".into(),
                evidence_ids: vec![kex],
            }),
            ..FindingUpdate::default()
        },
    )?;
    let mut error_pages = NewFinding::new(
        "Verbose error responses disclose the web framework and version",
        RiskLevel::Moderate,
        RiskLevel::Low,
    );
    error_pages.description = "A malformed request to the export API returns a stack trace naming the framework and its version.".into();
    error_pages.source = FindingSource::PenetrationTest;
    error_pages.category = FindingCategory::PenTest;
    error_pages.controls = vec!["si-11".into()];
    error_pages.recommendation =
        "Return a generic error body and log the details server-side.".into();
    error_pages.evidence_ids = vec![pen];
    error_pages.detected_on = date("2026-04-17");
    s.add_finding(&error_pages)?;
    let mut undocumented = NewFinding::new(
        "Scanned host web03 (10.20.1.13) is missing from the SSP inventory",
        RiskLevel::Low,
        RiskLevel::Moderate,
    );
    undocumented.description = "The credentialed scan reached web03.northwind.example inside the boundary; the SSP's inventory lists only web01 and web02.".into();
    undocumented.source = FindingSource::DocumentationReview;
    undocumented.controls = vec!["cm-8".into()];
    undocumented.recommendation =
        "Add web03 to the inventory (Appendix M) or remove it from the boundary.".into();
    undocumented.evidence_ids = vec![diagram.clone()];
    undocumented.detected_on = date("2026-04-07");
    s.add_finding(&undocumented)?;
    let mut pl2 = NewFinding::new(
        "Boundary diagram omits the log forwarding path to the SIEM",
        RiskLevel::Low,
        RiskLevel::Low,
    );
    pl2.description = "SSP Figure 9-1 does not show the flow from the web tier to the SIEM that the data flow table lists.".into();
    pl2.source = FindingSource::DocumentationReview;
    pl2.controls = vec!["PL-2".into()];
    pl2.recommendation =
        "Update the boundary and data flow diagrams in the next SSP revision.".into();
    pl2.evidence_ids = vec![diagram];
    pl2.detected_on = date("2026-04-09");
    s.add_finding(&pl2)?;

    // Every objective not tested above was examined and found satisfied.
    let untested: Vec<String> = s
        .test_rows(&TestFilter {
            untested_only: true,
            ..TestFilter::default()
        })?
        .into_iter()
        .map(|r| r.objective_id)
        .collect();
    s.set_results(&untested, TestResult::Satisfied, None)?;

    let report_day = date("2026-05-08").unwrap_or_default();
    s.update_sar(&SarUpdate {
        version: Some("1.0".into()),
        date: Some(report_day),
        poam: Some(PoamSettings {
            id_prefix: "NW-".into(),
            id_start: 101,
            id_digits: 4,
            point_of_contact: "Elena Sorokina, Director, Federal Compliance".into(),
            service_name: String::new(),
        }),
        threats_note: Some("The assessors considered the threat sources of the SAP's threat model: external attackers reaching the public web tier, malicious or careless insiders with administrative access, and failures of the underlying IaaS provider.".into()),
        interconnections_note: Some("The system leverages a FedRAMP-authorized IaaS (Moderate). It has no interconnections with non-authorized external services.".into()),
        signatures: Some(vec![SarSignature {
            name: "Dana Whitfield".into(),
            title: "Senior Assessor, Clearwater Assurance LLC".into(),
            date: report_day,
        }]),
    })?;
    s.set_recommendation(Recommendation::Recommend)?;
    Ok(vec![inputs])
}

/// The demo's signing key: derived from a published phrase so two runs sign identically. It
/// stands in for the 3PAO's real key, which `assay package` keeps in the local key store.
pub fn demo_signing_key() -> assay_package::SigningKey {
    use sha2::{Digest, Sha256};
    let seed: [u8; 32] = Sha256::digest(b"Assay demo 3PAO signing key (not secret)").into();
    assay_package::key_from_seed(seed)
}

/// Writes the signed deliverable package, with the evidence.
fn package(s: &mut Session, out_dir: &Path) -> Result<PathBuf> {
    use crate::api::package::{document_name, PackageOptions};
    let at = DateTime::parse_from_rfc3339("2026-05-08T16:00:00Z")
        .map(|d| d.to_utc())
        .unwrap_or_default();
    let name = document_name(&s.engagement()?, &s.sar_data()?, "Assessment-Package", at);
    let out = out_dir.join(format!("{name}.zip"));
    s.write_package(
        &out,
        &PackageOptions {
            generated_at: at,
            include_evidence: true,
        },
        &demo_signing_key(),
        &|_, _, _| {},
        None,
    )?;
    Ok(out)
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    super::write_file(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_is_complete_and_reproducible() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        // The baselines `assay demo` uses (assets/baselines), else the sample data's copy.
        let dirs = vec![assay_testkit::require_fedramp_baselines!()];
        build_demo(a.path(), &dirs).unwrap();
        build_demo(b.path(), &dirs).unwrap();
        let open = |d: &Path| Session::open(&d.join("demo.assay"), demo_context()).unwrap();
        let (sa, sb) = (open(a.path()), open(b.path()));
        // Records name the evidence files by their path, which differs between the two folders.
        let normalised = |s: &Session, dir: &Path| -> Vec<(u32, String, String, String)> {
            let dir = dir.display().to_string();
            s.audit_log()
                .unwrap()
                .into_iter()
                .map(|r| (r.seq, r.at, r.entity, r.summary.replace(&dir, "OUT")))
                .collect()
        };
        assert_eq!(
            normalised(&sa, a.path()),
            normalised(&sb, b.path()),
            "same clock and ids give the same log"
        );
        let info = sa.info().unwrap();
        assert_eq!(info.engagement.package_id, "FR2612345678");
        assert_eq!(info.counts.team_members, 7);
        assert!(sa.verify_audit_log().unwrap().is_intact());
        assert_eq!(info.counts.controls, 323);
        assert_eq!(info.counts.implemented_requirements, 12);
        // 2 manual findings, 6 accepted scanner weaknesses, a pen test and 2 documentation findings.
        assert_eq!(info.counts.findings, 11);
        assert_eq!(info.counts.evidence, 9);
        assert_eq!(info.counts.weaknesses, 7);
        assert_eq!(info.counts.test_results, info.counts.objectives);
        let report = sa.sar_report().unwrap();
        assert!(report.checks.is_empty(), "{:#?}", report.checks);
        assert_eq!(
            report.data.recommendation.as_ref().map(|r| r.statement),
            Some(crate::model::sar::Recommendation::Recommend)
        );
        assert_eq!(report.table_2_2.total.total, 12);
        assert_eq!(report.summary.open_high, 0);
        assert_eq!(
            (report.summary.corrected, report.summary.false_positives),
            (1, 1)
        );
        assert_eq!(report.items.len(), 14);
        assert_eq!(report.items[0].poam_id, "NW-0101");
        assert_eq!(report.kev.as_ref().map(|k| k.entries), Some(2));
        assert!(
            sa.sap().unwrap().signing.is_some(),
            "the demo SAP is signed"
        );
        for name in [
            "Northwind-Cloud-Platform-SAP.pdf",
            "Northwind-Cloud-Platform-SAP.oscal.json",
        ] {
            let x = std::fs::read(a.path().join(name)).unwrap();
            let y = std::fs::read(b.path().join(name)).unwrap();
            assert!(x == y, "{name} differs between two demo runs");
        }
        assert!(
            build_demo(a.path(), &dirs).is_err(),
            "an existing demo is not overwritten"
        );
    }
}
