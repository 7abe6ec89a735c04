//! The SAP pre-fill: a first draft of every section from what the engagement already knows
//! (the engagement's names and assessment type, the SSP's components, inventory and users, and
//! the baseline's controls), plus the template's standard text.
//!
//! Invariants: pure; everything from the SSP is in scope and every role tested until the
//! assessor says otherwise; an initial assessment selects the whole baseline with its reason,
//! an annual one gives reasons to core controls only (the completeness check asks for the rest);
//! nothing the assessor must decide (locations, tools, dates, addresses) is invented.

use super::{
    default_attack_vectors, ControlChoice, PenTestPlan, RoleTest, RulesOfEngagement,
    SamplingDecision, SapData, SapDocumentInfo, SapMethodology, SapScope, SapSspRef, ScheduleTask,
    ScopeAsset, ScopeSubject, SignificantChange, ThreatModel, WebApplication, STANDARD_TASKS,
    THREAT_MODELS,
};
use crate::baseline::ControlSummary;
use crate::ssp::{ComponentRow, InventoryRow, UserRow};
use crate::{AssessmentType, Engagement};

/// What the pre-fill reads: the engagement, the SSP and the baseline.
#[derive(Debug, Clone, Default)]
pub struct DraftInputs {
    pub engagement: Option<Engagement>,
    pub ssp: Option<SapSspRef>,
    pub components: Vec<ComponentRow>,
    pub inventory: Vec<InventoryRow>,
    pub users: Vec<UserRow>,
    pub controls: Vec<ControlSummary>,
}

/// Builds the pre-filled SAP from what the engagement already knows.
pub fn draft(inputs: &DraftInputs) -> SapData {
    let assessment_type = inputs
        .engagement
        .as_ref()
        .map(|e| e.assessment_type)
        .unwrap_or(AssessmentType::Initial);
    let e = inputs.engagement.as_ref();
    let csp = e.map(|e| e.csp_name.clone()).unwrap_or_default();
    let cso = e.map(|e| e.cso_name.clone()).unwrap_or_default();
    let ia = e.map(|e| e.assessor_org.clone()).unwrap_or_default();
    let nonempty =
        |v: Vec<String>| -> Vec<String> { v.into_iter().filter(|s| !s.is_empty()).collect() };
    let purpose = purpose(inputs, assessment_type, &ia, &cso, &csp);
    SapData {
        document: SapDocumentInfo {
            version: "1.0".into(),
            date: None,
            prepared_by: nonempty(vec![ia]),
            prepared_for: nonempty(vec![csp]),
            purpose,
        },
        scope: scope(inputs, assessment_type),
        roles: roles(&inputs.users),
        assumptions: assumptions(inputs, &cso),
        methodology: methodology(&inputs.controls),
        control_selection: control_selection(&inputs.controls, assessment_type),
        sampling: vec![SamplingDecision {
            area: "Vulnerability scanning".into(),
            sampled: false,
            method: "100% of the in-scope inventory is scanned with authenticated scans.".into(),
        }],
        team_validation: Vec::new(),
        tools: Vec::new(),
        scan_origination_ips: Vec::new(),
        manual_tests: Vec::new(),
        schedule: schedule(assessment_type),
        rules_of_engagement: rules_of_engagement(),
        penetration_test: PenTestPlan {
            vectors: default_attack_vectors(),
            threat_models: THREAT_MODELS
                .iter()
                .map(|(category, name)| ThreatModel {
                    category: (*category).to_owned(),
                    name: (*name).to_owned(),
                    selected: true,
                })
                .collect(),
            methodology: "Testing uses the MITRE ATT&CK Enterprise tactics (and the Mobile tactics where mobile applications are in scope) as its attack model: reconnaissance, initial access, execution, persistence, privilege escalation, defense evasion, credential access, discovery, lateral movement, collection, command and control, exfiltration and impact.".into(),
        },
        significant_change: SignificantChange {
            description: String::new(),
            request_references: Vec::new(),
        },
    }
}

/// Section 2.1: what the plan describes, naming the assessor, the offering, the system, the
/// provider and the baseline (or saying who they are while a name is missing).
fn purpose(
    inputs: &DraftInputs,
    assessment_type: AssessmentType,
    ia: &str,
    cso: &str,
    csp: &str,
) -> String {
    format!(
        "This plan describes how {} will perform the {} assessment of {} ({}), provided by {}, against the FedRAMP {} baseline: what will be tested, by whom, when, with which tools and methods, and under which rules of engagement.",
        if ia.is_empty() { "the independent assessor" } else { ia },
        assessment_type.label().to_lowercase(),
        if cso.is_empty() { "the cloud service offering" } else { cso },
        inputs.ssp.as_ref().map(|s| s.system_name.clone()).filter(|s| !s.is_empty()).unwrap_or_else(|| "the system described in its SSP".to_owned()),
        if csp.is_empty() { "the cloud service provider" } else { csp },
        inputs.engagement.as_ref().map(|e| e.impact_level.label()).unwrap_or("Moderate"),
    )
}

/// Section 3: every SSP component and inventory item in scope; web applications, databases,
/// container images and APIs picked out of the inventory by their asset and scan types.
fn scope(inputs: &DraftInputs, assessment_type: AssessmentType) -> SapScope {
    let kind_of = |i: &InventoryRow| {
        let t = i.asset_type.as_deref().unwrap_or_default().to_lowercase();
        let s = i.scan_type.as_deref().unwrap_or_default().to_lowercase();
        (t, s)
    };
    let asset = |i: &InventoryRow| ScopeAsset {
        name: inventory_name(i),
        detail: [
            i.software.clone().unwrap_or_default(),
            i.os.clone().unwrap_or_default(),
            i.ipv4.clone(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", "),
        inventory_uuid: Some(i.uuid.clone()),
    };
    let web_applications = inputs
        .inventory
        .iter()
        .filter(|i| {
            let (t, s) = kind_of(i);
            s == "web" || t.contains("web")
        })
        .map(|i| WebApplication {
            name: inventory_name(i),
            login_url: String::new(),
            test_user_ids: Vec::new(),
            inventory_uuid: Some(i.uuid.clone()),
        })
        .collect();
    let databases = inputs
        .inventory
        .iter()
        .filter(|i| {
            let (t, s) = kind_of(i);
            t == "database" || s == "database"
        })
        .map(asset)
        .collect();
    let container_images = inputs
        .inventory
        .iter()
        .filter(|i| kind_of(i).0.contains("container"))
        .map(asset)
        .collect();
    let apis = inputs
        .inventory
        .iter()
        .filter(|i| kind_of(i).0.contains("api"))
        .map(asset)
        .collect();
    let narrative = match assessment_type {
        AssessmentType::Initial => "This is an initial assessment: every control of the baseline and the entire inventory in the SSP's integrated inventory workbook are in scope.",
        AssessmentType::Annual => "This is an annual assessment: the core controls, the controls selected for this year and any controls affected by changes since the last assessment are in scope, with the entire inventory.",
        AssessmentType::Scr => "This is a significant change assessment: the controls and inventory affected by the change requests in Appendix D are in scope.",
    }
    .to_owned();
    SapScope {
        narrative,
        locations: Vec::new(),
        subjects: subjects(inputs),
        web_applications,
        databases,
        container_images,
        apis,
    }
}

/// The SSP's components, then its inventory items, all included.
fn subjects(inputs: &DraftInputs) -> Vec<ScopeSubject> {
    let mut subjects: Vec<ScopeSubject> = inputs
        .components
        .iter()
        .map(|c| ScopeSubject {
            kind: "component".into(),
            uuid: c.uuid.clone(),
            title: c.title.clone(),
            detail: c.component_type.clone(),
            included: true,
            reason: String::new(),
        })
        .collect();
    subjects.extend(inputs.inventory.iter().map(|i| {
        ScopeSubject {
            kind: "inventory-item".into(),
            uuid: i.uuid.clone(),
            title: inventory_name(i),
            detail: [i.asset_type.clone().unwrap_or_default(), i.ipv4.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            included: true,
            reason: String::new(),
        }
    }));
    subjects
}

/// How the SAP names an inventory item: its asset id, FQDN or NetBIOS name, else the start of
/// its description, else its uuid.
fn inventory_name(i: &InventoryRow) -> String {
    i.asset_id
        .clone()
        .or_else(|| i.fqdn.clone())
        .or_else(|| i.netbios_name.clone())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            if i.description.is_empty() {
                i.uuid.clone()
            } else {
                i.description.chars().take(60).collect()
            }
        })
}

/// Section 3.3: one role per SSP user, all tested, named by title, else role ids, else number.
fn roles(users: &[UserRow]) -> Vec<RoleTest> {
    users
        .iter()
        .enumerate()
        .map(|(i, u)| RoleTest {
            user_uuid: Some(u.uuid.clone()),
            role: if !u.title.trim().is_empty() {
                u.title.clone()
            } else if !u.role_ids.is_empty() {
                u.role_ids.join(", ")
            } else {
                format!("User {}", i + 1)
            },
            user_type: u.user_type.clone().unwrap_or_default(),
            test_user_id: String::new(),
            functions: u.privileges.join("; "),
            tested: true,
            exclusion_reason: String::new(),
        })
        .collect()
}

/// Section 4: the SSP the plan rests on, then the template's standard assumptions, naming the
/// controls the SSP marks not applicable.
fn assumptions(inputs: &DraftInputs, cso: &str) -> Vec<String> {
    let not_applicable: Vec<String> = inputs
        .controls
        .iter()
        .filter(|c| c.implementation_status.as_deref() == Some("not-applicable"))
        .map(|c| c.label.clone())
        .collect();
    let ssp_line = match &inputs.ssp {
        Some(s) => format!(
            "This plan is based on the {} System Security Plan, version {}, dated {}.",
            if s.system_name.is_empty() {
                cso
            } else {
                &s.system_name
            },
            if s.version.is_empty() {
                "(not stated)"
            } else {
                &s.version
            },
            if s.date.is_empty() {
                "(not stated)".to_owned()
            } else {
                s.display_date()
            }
        ),
        None => {
            "This plan is based on the System Security Plan named in Section 3 (not yet imported)."
                .to_owned()
        }
    };
    let mut assumptions = vec![
        ssp_line,
        "The CSP will give the assessors every scan result in both its native machine-readable format and a human-readable report.".to_owned(),
        "The CSP will provide credentials so that every operating system, database, web application and network device in scope can be scanned with authentication.".to_owned(),
        "The CSP will allow the assessors' test systems to reach the system from the scan origination addresses listed in Section 7, and will keep that access open for the whole testing period.".to_owned(),
    ];
    if not_applicable.is_empty() {
        assumptions.push("The assessors will confirm that any control the SSP marks as not applicable is indeed not applicable.".to_owned());
    } else {
        assumptions.push(format!(
            "The assessors will confirm that the controls the SSP marks as not applicable are indeed not applicable: {}.",
            not_applicable.join(", ")
        ));
    }
    assumptions.extend([
        "The CSP will make no significant change to the system while testing is under way, and will tell the assessors at once of any change it must make.".to_owned(),
        "CSP staff with the necessary access will be available to support testing scheduled outside business hours.".to_owned(),
    ]);
    assumptions
}

/// Section 5: the template's methodology, naming the alternative implementations the SSP
/// describes.
fn methodology(controls: &[ControlSummary]) -> SapMethodology {
    let alternative: Vec<String> = controls
        .iter()
        .filter(|c| c.implementation_status.as_deref() == Some("alternative"))
        .map(|c| c.label.clone())
        .collect();
    SapMethodology {
        control_testing: "Controls are tested with the assessment procedures of NIST SP 800-53A Rev 5 as FedRAMP tailors them in its Security Requirements Traceability Matrix workbook. Each assessable objective (determination statement) of every selected control receives a result of satisfied or other than satisfied, with the evidence that supports it. Alternative implementations the SSP describes are tested against the intent of the control.".into(),
        alternative_implementations: alternative,
        data_gathering: "Evidence is gathered with the three methods of SP 800-53A: Examine (reviewing documents, configurations, records and system settings), Interview (discussions with the CSP staff who operate the controls) and Test (exercising mechanisms and activities under specified conditions and comparing actual with expected behaviour).".into(),
        sampling: "No sampling is planned for vulnerability scanning: authenticated scans cover 100% of the in-scope inventory. Any sampling for control testing is listed in Appendix B with its method.".into(),
        penetration_testing: "Penetration testing follows the FedRAMP Penetration Test Guidance and covers the six mandatory attack vectors in Appendix C, from an attributable internet connection against the production system.".into(),
    }
}

/// Appendix A: every baseline control selected; an initial assessment gives the reason for all,
/// an annual or significant change assessment for core controls only.
fn control_selection(
    controls: &[ControlSummary],
    assessment_type: AssessmentType,
) -> Vec<ControlChoice> {
    controls
        .iter()
        .map(|c| {
            let (included, reason) = match assessment_type {
                AssessmentType::Initial => (
                    true,
                    "Initial assessment: the whole baseline is tested".to_owned(),
                ),
                _ if c.core => (true, "Core control: tested every year".to_owned()),
                // The assessor decides the rest; an empty reason is reported by the check.
                _ => (true, String::new()),
            };
            ControlChoice {
                control_id: c.id.clone(),
                label: c.label.clone(),
                title: c.title.clone(),
                core: c.core,
                included,
                reason,
            }
        })
        .collect()
}

/// Section 6.5: the standard tasks, undated (no penetration testing for a significant change).
fn schedule(assessment_type: AssessmentType) -> Vec<ScheduleTask> {
    STANDARD_TASKS
        .iter()
        .filter(|t| assessment_type != AssessmentType::Scr || **t != "Perform Penetration Testing")
        .map(|t| ScheduleTask {
            name: (*t).to_owned(),
            start: None,
            finish: None,
        })
        .collect()
}

/// Section 7: the template's included and excluded activities, ten days for the results and
/// the standard limitation of liability; the contacts are left for the assessor.
fn rules_of_engagement() -> RulesOfEngagement {
    RulesOfEngagement {
        included_activities: [
            "Port scanning and other network service enumeration",
            "Network sniffing and host discovery",
            "Login attempts with any account, token or password the assessors hold or find",
            "SQL injection and other input-validation testing of web applications and APIs",
            "Running exploit code against identified weaknesses",
            "Cracking password hashes obtained during testing",
            "Spoofing addresses and identities",
            "Changing running configurations, short of causing a denial of service",
            "Adding user accounts",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect(),
        excluded_activities: [
            "Changing the passwords of existing accounts",
            "Modifying or deleting user or system files",
            "Probing telephone modems",
            "Reading staff e-mail, browser caches or cookies",
            "Denial-of-service attacks",
            "Exploits that would introduce new weaknesses into the system",
            "Installing or running malicious code",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect(),
        end_of_testing_contact: String::new(),
        results_recipients: String::new(),
        results_delivery_days: 10,
        liability: vec![
            "The assessors will take reasonable care not to disrupt the system, but security testing carries an inherent risk of service interruption or data loss; the CSP accepts that risk by signing this plan.".into(),
            "The assessment reflects the state of the system during the testing period only; it does not guarantee that the system is free of weaknesses that were not detected, or that appear later.".into(),
        ],
    }
}
