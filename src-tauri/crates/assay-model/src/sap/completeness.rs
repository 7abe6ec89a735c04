//! The SAP completeness rules: everything the plan still lacks before it can be exported and
//! signed, one function per part of the template, each naming the section and saying what to
//! fix in words an assessor understands.
//!
//! Invariants: pure; blocking issues come first, then warnings, each in the order the rules run
//! (the template's order); a missing signature is a warning (signatures are collected last), and
//! the penetration-test rules do not apply to a significant change assessment.

use super::{display_date, IssueSeverity, RoleTest, Sap, SapIssue, SapSection, TESTING_TASK};
use crate::{AssessmentType, TeamRole};

/// Issues found so far, blocking ones and warnings apart.
#[derive(Default)]
struct Issues {
    blocking: Vec<SapIssue>,
    warnings: Vec<SapIssue>,
}

impl Issues {
    /// Export and signing are refused until this is fixed.
    fn block(&mut self, section: SapSection, message: String) {
        self.blocking.push(SapIssue {
            section,
            severity: IssueSeverity::Blocking,
            message,
        });
    }

    /// Worth fixing; does not stop export.
    fn warn(&mut self, section: SapSection, message: String) {
        self.warnings.push(SapIssue {
            section,
            severity: IssueSeverity::Warning,
            message,
        });
    }
}

/// The rules, in the order their issues are listed.
const RULES: [fn(&Sap, &mut Issues); 12] = [
    check_document,
    check_scope,
    check_roles,
    check_methodology,
    check_control_selection,
    check_sampling,
    check_team,
    check_tools,
    check_schedule,
    check_rules_of_engagement,
    check_penetration_test,
    check_signatures,
];

/// Everything the SAP still lacks, blocking items first.
pub fn completeness(sap: &Sap) -> Vec<SapIssue> {
    let mut issues = Issues::default();
    for rule in RULES {
        rule(sap, &mut issues);
    }
    let Issues {
        mut blocking,
        warnings,
    } = issues;
    blocking.extend(warnings);
    blocking
}

/// "1 item is" or "3 items are".
fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The document fields: CSP, 3PAO, package ID, version and date.
fn check_document(sap: &Sap, issues: &mut Issues) {
    let h = &sap.header;
    let d = &sap.data;
    if h.csp_name.trim().is_empty() {
        issues.block(
            SapSection::Document,
            "the CSP name is empty (set it on the engagement)".into(),
        );
    }
    if h.assessor_org.trim().is_empty() {
        issues.block(
            SapSection::Document,
            "the 3PAO organization is empty (set it on the engagement)".into(),
        );
    }
    if h.package_id.trim().is_empty() {
        issues.warn(
            SapSection::Document,
            "the FedRAMP package ID is empty (set it on the engagement)".into(),
        );
    }
    if d.document.version.trim().is_empty() {
        issues.block(SapSection::Document, "the SAP has no version number".into());
    }
    if d.document.date.is_none() {
        issues.warn(SapSection::Document, "the SAP has no date".into());
    }
}

/// Section 3: the SSP, the locations, exclusions with reasons, web application login URLs.
fn check_scope(sap: &Sap, issues: &mut Issues) {
    let h = &sap.header;
    let d = &sap.data;
    if h.ssp.is_none() {
        issues.block(
            SapSection::Scope,
            "no SSP imported; import the CSP's SSP first".into(),
        );
    }
    if d.scope.locations.is_empty() {
        issues.block(
            SapSection::Scope,
            "no data center location listed (Section 3.1 needs site name, address and description)"
                .into(),
        );
    }
    for (i, l) in d.scope.locations.iter().enumerate() {
        if l.name.trim().is_empty() || l.address.trim().is_empty() {
            issues.block(
                SapSection::Scope,
                format!("location {} needs a site name and an address", i + 1),
            );
        }
    }
    let unreasoned = d
        .scope
        .subjects
        .iter()
        .filter(|s| !s.included && s.reason.trim().is_empty())
        .count();
    if unreasoned > 0 {
        issues.block(
            SapSection::Scope,
            format!(
                "{} excluded without a reason",
                plural(unreasoned, "item is", "items are")
            ),
        );
    }
    if h.ssp.is_some() && !d.scope.subjects.iter().any(|s| s.included) {
        issues.block(
            SapSection::Scope,
            "nothing from the SSP inventory is in scope".into(),
        );
    }
    for w in &d.scope.web_applications {
        if w.login_url.trim().is_empty() {
            issues.warn(
                SapSection::Scope,
                format!("web application '{}' has no login URL", w.name),
            );
        }
    }
}

/// Role testing: reasons for exclusions, test user IDs, an internal, external and privileged role
/// tested.
fn check_roles(sap: &Sap, issues: &mut Issues) {
    let d = &sap.data;
    if d.roles.is_empty() {
        issues.warn(
            SapSection::Roles,
            "no roles listed for role-based testing".into(),
        );
    }
    for r in &d.roles {
        if !r.tested && r.exclusion_reason.trim().is_empty() {
            issues.block(
                SapSection::Roles,
                format!(
                    "role '{}' is excluded from testing without a reason",
                    r.role
                ),
            );
        }
        if r.tested && r.test_user_id.trim().is_empty() {
            issues.warn(
                SapSection::Roles,
                format!("role '{}' has no test user ID", r.role),
            );
        }
    }
    if !d.roles.is_empty() {
        for kind in ["internal", "external", "privileged"] {
            let matches = |r: &RoleTest| {
                let all = format!("{} {} {}", r.user_type, r.role, r.functions).to_lowercase();
                all.contains(kind) || (kind == "privileged" && all.contains("admin"))
            };
            if !d.roles.iter().any(|r| r.tested && matches(r)) {
                issues.warn(
                    SapSection::Roles,
                    format!("no {kind} role is tested; the template expects at least one"),
                );
            }
        }
    }
}

/// The assumptions and the four methodology texts.
fn check_methodology(sap: &Sap, issues: &mut Issues) {
    let d = &sap.data;
    if d.assumptions.is_empty() {
        issues.warn(SapSection::Assumptions, "no assumptions listed".into());
    }
    for (name, text) in [
        ("control testing", &d.methodology.control_testing),
        ("data gathering", &d.methodology.data_gathering),
        ("sampling", &d.methodology.sampling),
        ("penetration testing", &d.methodology.penetration_testing),
    ] {
        if text.trim().is_empty() {
            issues.block(SapSection::Methodology, format!("the {name} text is empty"));
        }
    }
}

/// Appendix A: a baseline, a selection, and the whole baseline (initial) or a reason for each
/// control.
fn check_control_selection(sap: &Sap, issues: &mut Issues) {
    let h = &sap.header;
    let d = &sap.data;
    if h.baseline_title.is_none() {
        issues.block(
            SapSection::ControlSelection,
            "no baseline loaded; load the FedRAMP baseline first".into(),
        );
    } else if d.control_selection.is_empty() {
        issues.block(
            SapSection::ControlSelection,
            "no controls listed; draft the SAP again after loading the baseline".into(),
        );
    }
    let selected = d.control_selection.iter().filter(|c| c.included).count();
    if !d.control_selection.is_empty() && selected == 0 {
        issues.block(
            SapSection::ControlSelection,
            "no control is selected for testing".into(),
        );
    }
    if h.assessment_type == AssessmentType::Initial {
        let left_out = d.control_selection.len() - selected;
        if left_out > 0 {
            issues.block(
                SapSection::ControlSelection,
                format!(
                    "{} excluded, but an initial assessment tests the whole baseline",
                    plural(left_out, "control is", "controls are")
                ),
            );
        }
    } else {
        let missing = d
            .control_selection
            .iter()
            .filter(|c| c.reason.trim().is_empty())
            .count();
        if missing > 0 {
            issues.block(SapSection::ControlSelection, format!("{} no reason for inclusion or exclusion (Appendix A needs one for each control)", plural(missing, "control has", "controls have")));
        }
    }
}

/// Appendix B: a method for each sampled area.
fn check_sampling(sap: &Sap, issues: &mut Issues) {
    let d = &sap.data;
    for s in &d.sampling {
        if s.sampled && s.method.trim().is_empty() {
            issues.block(
                SapSection::Sampling,
                format!(
                    "'{}' is sampled but the sampling method is not described",
                    s.area
                ),
            );
        }
    }
}

/// Sections 6.1 and 6.2: at least three assessors with a lead and a penetration tester, and three
/// CSP points of contact with an on-call one.
fn check_team(sap: &Sap, issues: &mut Issues) {
    let scr = sap.header.assessment_type == AssessmentType::Scr;
    let assessors = sap.team.len();
    if assessors < 3 {
        issues.block(SapSection::Team, format!("{} listed; the template requires at least 3 (a senior assessor, a junior assessor and a penetration tester)", plural(assessors, "assessor", "assessors")));
    }
    if !sap
        .team
        .iter()
        .any(|t| t.member.role == TeamRole::AssessmentLead)
        && assessors > 0
    {
        issues.warn(
            SapSection::Team,
            "no one has the assessment lead role".into(),
        );
    }
    let pen = sap.team.iter().any(|t| {
        matches!(
            t.member.role,
            TeamRole::PenetrationTestLead | TeamRole::PenetrationTestTeam
        )
    });
    if !pen {
        let message = "no penetration tester on the team".to_owned();
        if scr {
            issues.warn(SapSection::Team, message)
        } else {
            issues.block(SapSection::Team, message)
        }
    }
    let contacts = sap.csp_contacts.len();
    if contacts < 3 {
        issues.block(
            SapSection::CspContacts,
            format!(
                "{} listed; the template requires at least 3",
                plural(contacts, "CSP point of contact", "CSP points of contact")
            ),
        );
    }
    if contacts > 0
        && !sap
            .csp_contacts
            .iter()
            .any(|c| c.role == TeamRole::CspOperationsCenter)
    {
        issues.warn(
            SapSection::CspContacts,
            "no on-call contact with operations-center access (role csp-operations-center)".into(),
        );
    }
}

/// Sections 6.3, 6.4 and 7: the tools, the scan origination addresses and the manual tests.
fn check_tools(sap: &Sap, issues: &mut Issues) {
    let d = &sap.data;
    if d.tools.is_empty() {
        issues.block(
            SapSection::Tools,
            "no automated tools listed (Table 6-3)".into(),
        );
    }
    for (i, t) in d.tools.iter().enumerate() {
        if t.name.trim().is_empty() {
            issues.block(SapSection::Tools, format!("tool {} has no name", i + 1));
        } else if t.version.trim().is_empty() {
            issues.warn(SapSection::Tools, format!("'{}' has no version", t.name));
        }
        if !t.name.trim().is_empty() && t.purpose.trim().is_empty() {
            issues.warn(SapSection::Tools, format!("'{}' has no purpose", t.name));
        }
    }
    if d.scan_origination_ips.is_empty() {
        issues.block(
            SapSection::ScanOrigination,
            "no scan origination IP addresses listed".into(),
        );
    }
    for ip in &d.scan_origination_ips {
        if !is_ip_or_cidr(ip) {
            issues.block(
                SapSection::ScanOrigination,
                format!("'{ip}' is not an IP address or CIDR range"),
            );
        }
    }
    if d.manual_tests.is_empty() {
        issues.warn(
            SapSection::ManualTests,
            "no manual tests listed (Table 6-4)".into(),
        );
    }
    for t in &d.manual_tests {
        if t.name.trim().is_empty() {
            issues.block(SapSection::ManualTests, format!("{} has no name", t.id));
        }
    }
}

/// Section 6.5: every task dated in order, and the standard testing task.
fn check_schedule(sap: &Sap, issues: &mut Issues) {
    let d = &sap.data;
    if d.schedule.is_empty() {
        issues.block(SapSection::Schedule, "no tasks scheduled".into());
    }
    for t in &d.schedule {
        match (t.start, t.finish) {
            (None, _) => issues.block(
                SapSection::Schedule,
                format!("'{}' has no start date", t.name),
            ),
            (_, None) => issues.block(
                SapSection::Schedule,
                format!("'{}' has no finish date", t.name),
            ),
            (Some(s), Some(f)) if f < s => issues.block(
                SapSection::Schedule,
                format!(
                    "'{}' finishes ({}) before it starts ({})",
                    t.name,
                    display_date(Some(f)),
                    display_date(Some(s))
                ),
            ),
            _ => {}
        }
    }
    if !d.schedule.iter().any(|t| t.name == TESTING_TASK) {
        issues.warn(
            SapSection::Schedule,
            format!("the standard task '{TESTING_TASK}' is missing"),
        );
    }
}

/// Section 7: who is told when testing ends, and when and to whom results are delivered.
fn check_rules_of_engagement(sap: &Sap, issues: &mut Issues) {
    let d = &sap.data;
    let roe = &d.rules_of_engagement;
    if roe.end_of_testing_contact.trim().is_empty() {
        issues.block(
            SapSection::RulesOfEngagement,
            "no CSP contact named to be told when testing ends (7.2)".into(),
        );
    }
    if roe.results_delivery_days == 0 {
        issues.block(
            SapSection::RulesOfEngagement,
            "the number of days for delivering results is 0 (7.3)".into(),
        );
    }
    if roe.results_recipients.trim().is_empty() {
        issues.warn(
            SapSection::RulesOfEngagement,
            "no recipients named for the test results (7.3)".into(),
        );
    }
}

/// Appendix C (not for a significant change): a rationale for each vector not applicable and a
/// threat model; Appendix D: the significant change described.
fn check_penetration_test(sap: &Sap, issues: &mut Issues) {
    let d = &sap.data;
    let scr = sap.header.assessment_type == AssessmentType::Scr;
    if !scr {
        for v in &d.penetration_test.vectors {
            if !v.applicable && v.rationale.trim().is_empty() {
                issues.block(
                    SapSection::PenetrationTest,
                    format!("'{}' is marked not applicable without a rationale", v.name),
                );
            }
        }
        if !d.penetration_test.threat_models.iter().any(|t| t.selected) {
            issues.warn(
                SapSection::PenetrationTest,
                "no threat model selected".into(),
            );
        }
    }
    if scr && d.significant_change.description.trim().is_empty() {
        issues.block(
            SapSection::SignificantChange,
            "the significant change is not described (Appendix D)".into(),
        );
    }
}

/// Section 8: the signatures, collected last, so a missing one is a reminder, not a block.
fn check_signatures(sap: &Sap, issues: &mut Issues) {
    if sap.signing.is_none() {
        issues.warn(
            SapSection::Signatures,
            "the 3PAO signature is missing".into(),
        );
        issues.warn(
            SapSection::Signatures,
            "the CSP signature is missing".into(),
        );
    }
}

/// True for an IPv4/IPv6 address, optionally with a /prefix.
pub fn is_ip_or_cidr(s: &str) -> bool {
    let s = s.trim();
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let Ok(ip) = addr.parse::<std::net::IpAddr>() else {
        return false;
    };
    match prefix {
        None => true,
        Some(p) => p
            .parse::<u8>()
            .is_ok_and(|n| n <= if ip.is_ipv4() { 32 } else { 128 }),
    }
}
