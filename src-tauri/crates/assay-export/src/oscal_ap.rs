//! The SAP as an OSCAL 1.2.1 assessment plan (JSON), following the FedRAMP SAP OSCAL template:
//! import-ssp, reviewed-controls, assessment-subjects, local-definitions (manual tests),
//! terms-and-conditions (the template's part names), tasks (the schedule), assessment-assets
//! (tools, scan origination addresses) and the team as parties and roles.
//!
//! [`build`] assembles the document from one function per part, in the order the template lists
//! them.
//!
//! Invariant: pure and reproducible; every uuid is derived from the document id and a stable name
//! (SSP uuids are kept as they are), never drawn at random.

use serde_json::{json, Value};

use super::oscal_common::{build_parties, date_time, fr_prop, part, prop, text, to_bytes, Parties};
use super::{derived_uuid, SapExportInput, CUI_MARKING};
use crate::error::Result;
use crate::model::report::ExportOptions;
use crate::model::sap::{display_date, Sap};
use crate::model::AssessmentType;

pub use super::oscal_common::{FEDRAMP_NS, OSCAL_VERSION};

/// Renders the assessment plan as pretty-printed JSON bytes.
pub fn render(input: &SapExportInput, opts: &ExportOptions) -> Result<Vec<u8>> {
    to_bytes(&build(input, opts), "assessment plan")
}

fn list_prose(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("- {i}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The assessment plan document.
pub fn build(input: &SapExportInput, opts: &ExportOptions) -> Value {
    let sap = &input.sap;
    let seed = opts.document_id.as_str();
    let id = |name: &str| derived_uuid(seed, name);
    json!({ "assessment-plan": {
        "uuid": id("assessment-plan"),
        "metadata": metadata(sap, opts, &id),
        "import-ssp": import_ssp(sap),
        "local-definitions": local_definitions(sap, &id),
        "terms-and-conditions": terms_and_conditions(sap),
        "reviewed-controls": reviewed_controls(sap),
        "assessment-subjects": assessment_subjects(sap),
        "assessment-assets": assessment_assets(sap, &id),
        "tasks": tasks(sap, &id),
        "back-matter": { "resources": resources(sap, &id) },
    }})
}

/// Metadata: the title, times, version, FedRAMP properties, and the organisations, people and
/// roles of the template.
fn metadata(sap: &Sap, opts: &ExportOptions, id: &dyn Fn(&str) -> String) -> Value {
    let h = &sap.header;
    let d = &sap.data;
    let generated = opts
        .generated_at
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let cso = text(&h.cso_name, "Cloud service offering");
    let Parties {
        roles,
        parties,
        responsible,
        ..
    } = build_parties(sap, id);
    let assessment_type = match h.assessment_type {
        AssessmentType::Initial => "initial",
        AssessmentType::Annual => "annual",
        AssessmentType::Scr => "significant-change",
    };
    let mut meta_props = vec![
        prop("marking", CUI_MARKING),
        json!({ "name": "assessment-type", "ns": FEDRAMP_NS, "value": assessment_type, "class": "scope" }),
    ];
    if !h.package_id.is_empty() {
        meta_props.push(fr_prop("fedramp-package-id", &h.package_id));
    }
    json!({
        "title": format!("{cso} Security Assessment Plan"),
        "published": generated,
        "last-modified": generated,
        "version": text(&d.document.version, "1.0"),
        "oscal-version": OSCAL_VERSION,
        "props": meta_props,
        "roles": roles,
        "parties": parties,
        "responsible-parties": responsible,
    })
}

/// The SSP this plan is based on.
fn import_ssp(sap: &Sap) -> Value {
    let h = &sap.header;
    match &h.ssp {
        Some(s) => {
            json!({ "href": text(&s.source_name, "ssp.json"), "remarks": format!("SSP \"{}\" version {}, SHA-256 {}", s.title, s.version, s.source_sha256) })
        }
        None => json!({ "href": "ssp.json" }),
    }
}

/// The controls to test: the whole baseline for an initial assessment that keeps every control,
/// else the included and excluded controls.
fn reviewed_controls(sap: &Sap) -> Value {
    let h = &sap.header;
    let d = &sap.data;
    let selection = if h.assessment_type == AssessmentType::Initial
        && d.control_selection.iter().all(|c| c.included)
    {
        json!({ "description": "Initial assessment: every control of the baseline is tested.", "include-all": {} })
    } else {
        let included: Vec<Value> = d
            .control_selection
            .iter()
            .filter(|c| c.included)
            .map(|c| json!({ "control-id": c.control_id }))
            .collect();
        let excluded: Vec<Value> = d
            .control_selection
            .iter()
            .filter(|c| !c.included)
            .map(|c| json!({ "control-id": c.control_id }))
            .collect();
        let mut s = json!({ "description": "Controls selected for this assessment; Appendix A of the SAP gives the reason for each." });
        if included.is_empty() {
            s["include-all"] = json!({});
        } else {
            s["include-controls"] = Value::Array(included);
        }
        if !excluded.is_empty() {
            s["exclude-controls"] = Value::Array(excluded);
        }
        s
    };
    json!({ "control-selections": [selection] })
}

/// Subjects: the SSP's components and inventory items, included or excluded (each uuid once).
fn assessment_subjects(sap: &Sap) -> Vec<Value> {
    let d = &sap.data;
    let mut subjects = Vec::new();
    for (kind, title) in [
        ("component", "System components in scope"),
        ("inventory-item", "Inventory items in scope"),
    ] {
        let of_kind: Vec<_> = d
            .scope
            .subjects
            .iter()
            .filter(|s| s.kind == kind && uuid::Uuid::parse_str(&s.uuid).is_ok())
            .collect();
        if of_kind.is_empty() {
            continue;
        }
        let mut seen = std::collections::BTreeSet::new();
        let include: Vec<Value> = of_kind
            .iter()
            .filter(|s| s.included && seen.insert(s.uuid.to_lowercase()))
            .map(|s| json!({ "subject-uuid": s.uuid, "type": kind }))
            .collect();
        let exclude: Vec<Value> = of_kind
            .iter()
            .filter(|s| !s.included && seen.insert(s.uuid.to_lowercase()))
            .map(|s| json!({ "subject-uuid": s.uuid, "type": kind, "remarks": text(&s.reason, "Excluded") }))
            .collect();
        let mut entry = json!({ "type": kind, "description": title });
        if include.is_empty() {
            entry["include-all"] = json!({});
        } else {
            entry["include-subjects"] = Value::Array(include);
        }
        if !exclude.is_empty() {
            entry["exclude-subjects"] = Value::Array(exclude);
        }
        subjects.push(entry);
    }
    if subjects.is_empty() {
        subjects.push(json!({ "type": "component", "description": "Every component of the SSP.", "include-all": {} }));
    }
    subjects
}

/// Local definitions: manual tests, web application tests and role tests as activities, and
/// the data center locations.
fn local_definitions(sap: &Sap, id: &dyn Fn(&str) -> String) -> Value {
    let d = &sap.data;
    let mut activities: Vec<Value> = d
        .manual_tests
        .iter()
        .map(|t| {
            json!({
                "uuid": id(&format!("activity:{}", t.id)),
                "title": text(&t.name, &t.id),
                "description": text(&t.description, &t.name),
                "props": [
                    prop("method", &text(&t.method, "TEST").to_uppercase()),
                    fr_prop("type", "manual"),
                    fr_prop("label", &t.id),
                ],
            })
        })
        .collect();
    for (i, w) in d.scope.web_applications.iter().enumerate() {
        let mut props = vec![fr_prop("test-type", "web-application")];
        if !w.login_url.trim().is_empty() {
            props.push(fr_prop("login-url", w.login_url.trim()));
        }
        for u in w.test_user_ids.iter().filter(|u| !u.trim().is_empty()) {
            props.push(fr_prop("login-id", u.trim()));
        }
        activities.push(json!({
            "uuid": id(&format!("activity:web:{i}")),
            "title": format!("Web application test: {}", text(&w.name, "web application")),
            "description": "Authenticated testing of the web application with the test user IDs listed.",
            "props": props,
        }));
    }
    for (i, r) in d.roles.iter().enumerate().filter(|(_, r)| r.tested) {
        let mut props = vec![fr_prop("test-type", "role-based")];
        if !r.test_user_id.trim().is_empty() {
            props.push(fr_prop("login-id", r.test_user_id.trim()));
        }
        if let Some(u) = r
            .user_uuid
            .as_deref()
            .filter(|u| uuid::Uuid::parse_str(u).is_ok())
        {
            props.push(fr_prop("user-uuid", u));
        }
        activities.push(json!({
            "uuid": id(&format!("activity:role:{i}")),
            "title": format!("Role-based test: {}", text(&r.role, "role")),
            "description": text(&r.functions, "Confirm the role can perform its authorized functions and nothing more."),
            "props": props,
        }));
    }
    let mut local = json!({ "activities": activities });
    if !d.scope.locations.is_empty() {
        local["remarks"] = json!(format!(
            "Data center locations: {}",
            d.scope
                .locations
                .iter()
                .map(|l| format!("{} ({})", l.name, l.address))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    local
}

/// Terms and conditions, with the FedRAMP template's part names.
fn terms_and_conditions(sap: &Sap) -> Value {
    let h = &sap.header;
    let d = &sap.data;
    let cso = text(&h.cso_name, "Cloud service offering");
    let csp = text(&h.csp_name, "Cloud service provider");
    let ia = text(&h.assessor_org, "Independent assessor");
    let roe = &d.rules_of_engagement;
    let m = &d.methodology;
    let scope_part_name = match h.assessment_type {
        AssessmentType::Initial => "initial-assessment",
        AssessmentType::Annual => "annual-assessment",
        AssessmentType::Scr => "significant-change",
    };
    let team_prose = sap
        .team
        .iter()
        .map(|t| format!("- {} ({})", t.member.name, t.member.role.label()))
        .collect::<Vec<_>>()
        .join("\n");
    let poc_prose = sap
        .csp_contacts
        .iter()
        .map(|c| format!("- {} ({})", c.name, c.role.label()))
        .collect::<Vec<_>>()
        .join("\n");
    let tools_prose = d
        .tools
        .iter()
        .map(|t| format!("- {} ({} {}): {}", t.name, t.vendor, t.version, t.purpose))
        .collect::<Vec<_>>()
        .join("\n");
    let manual_prose = d
        .manual_tests
        .iter()
        .map(|t| format!("- {}: {}", t.id, t.name))
        .collect::<Vec<_>>()
        .join("\n");
    let schedule_prose = d
        .schedule
        .iter()
        .map(|t| {
            format!(
                "- {}: {} – {}",
                t.name,
                display_date(t.start),
                display_date(t.finish)
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let sampling_yes = d.sampling.iter().any(|s| s.sampled);
    let mut sampling_part = part("sampling", true, "Sampling", &m.sampling, vec![]);
    sampling_part["props"] = json!([fr_prop("sampling", if sampling_yes { "yes" } else { "no" })]);
    json!({ "parts": [
        part("background", true, "Background", &format!("{csp} has engaged {ia} to assess {cso}."), vec![
            part("purpose", true, "Purpose", &d.document.purpose, vec![]),
            part("laws-regulations", true, "Applicable Laws, Regulations, Standards and Guidance", "FISMA; OMB Circular A-130; OMB M-24-15; FIPS 199; NIST SP 800-53 Rev 5; NIST SP 800-53A Rev 5; NIST SP 800-115; FedRAMP Penetration Test Guidance.", vec![]),
        ]),
        part("scope", true, "Scope", &format!("FedRAMP package {}; {} baseline.", text(&h.package_id, "(not assigned)"), h.impact_level.label()), vec![
            part(scope_part_name, true, "Assessment Scope", &d.scope.narrative, vec![]),
            part("location", true, "Location of Components", &text(&d.scope.locations.iter().map(|l| format!("- {}, {}: {}", l.name, l.address, l.description)).collect::<Vec<_>>().join("\n"), "None listed."), vec![]),
            part("ip-addresses", true, "IP Addresses Slated for Testing", "The inventory of the SSP's Integrated Inventory Workbook, with the inclusions and exclusions in assessment-subjects.", vec![]),
            part("role-exclusions", true, "Role Testing Exclusions", &text(&d.roles.iter().filter(|r| !r.tested).map(|r| format!("- {}: {}", r.role, r.exclusion_reason)).collect::<Vec<_>>().join("\n"), "No role is excluded from testing."), vec![]),
        ]),
        part("assumptions", false, "Assumptions", &list_prose(&d.assumptions), vec![]),
        part("methodology", false, "Methodology", "", vec![
            part("control-testing", true, "Control Testing", &m.control_testing, vec![]),
            part("data-gathering", true, "Data Gathering", &m.data_gathering, vec![]),
            sampling_part,
            part("pen-testing", true, "Penetration Test", &m.penetration_testing, vec![]),
        ]),
        part("test-plan", true, "Test Plan", "", vec![
            part("security-assessment-team", true, "Security Assessment Team", &text(&team_prose, "None listed."), vec![]),
            part("csp-testing-poc", true, "CSP Testing Points of Contact", &text(&poc_prose, "None listed."), vec![]),
            part("automated-tools-testing", true, "Testing Performed Using Automated Tools", &text(&tools_prose, "None listed."), vec![]),
            part("manual-methods-testing", true, "Testing Performed Using Manual Methods", &text(&manual_prose, "None listed."), vec![]),
            part("schedule", true, "Schedule", &text(&schedule_prose, "None listed."), vec![]),
        ]),
        part("rules-of-engagement", false, "Rules of Engagement", &format!("Testing originates only from: {}.", d.scan_origination_ips.join(", ")), vec![]),
        part("disclosures", false, "Disclosures", "Testing is performed against the production system.", vec![
            part("assessment-inclusions", true, "Security Testing May Include", "", roe.included_activities.iter().map(|a| part("included-activity", true, "Included Activity", a, vec![])).collect()),
            part("assessment-exclusions", true, "Security Testing Will Not Include", "", roe.excluded_activities.iter().map(|a| part("excluded-activity", true, "Excluded Activity", a, vec![])).collect()),
        ]),
        part("results-delivery", false, "Results Delivery", "", vec![
            part("testing-end", true, "End of Testing", &format!("When testing ends, the assessors notify {}.", text(&roe.end_of_testing_contact, "the CSP")), vec![]),
            part("results-communication", true, "Communication of Test Results", &format!("Results are delivered to {} within {} days of the end of testing.", text(&roe.results_recipients, "the CSP's points of contact"), roe.results_delivery_days), vec![]),
        ]),
        part("liability-limitations", true, "Limitation of Liability", &roe.liability.join("\n\n"), vec![]),
    ]})
}

/// Tasks: the schedule, a milestone when a task starts and finishes on the same day.
fn tasks(sap: &Sap, id: &dyn Fn(&str) -> String) -> Vec<Value> {
    sap.data
        .schedule
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut task = json!({
                "uuid": id(&format!("task:{i}")),
                "type": if t.start == t.finish { "milestone" } else { "action" },
                "title": text(&t.name, "Task"),
            });
            match (t.start, t.finish) {
                (Some(s), Some(f)) if s == f => task["timing"] = json!({ "on-date": { "date": date_time(s) } }),
                (Some(s), Some(f)) => task["timing"] = json!({ "within-date-range": { "start": date_time(s), "end": date_time(f) } }),
                (Some(s), None) | (None, Some(s)) => task["timing"] = json!({ "on-date": { "date": date_time(s) } }),
                (None, None) => {}
            }
            task
        })
        .collect()
}

/// Assets: the tools, and the scan origination platform with its addresses.
fn assessment_assets(sap: &Sap, id: &dyn Fn(&str) -> String) -> Value {
    let d = &sap.data;
    let mut components: Vec<Value> = d
        .tools
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut props = vec![fr_prop("name", &text(&t.name, "Tool"))];
            if !t.vendor.trim().is_empty() {
                props.push(fr_prop("vendor-name", t.vendor.trim()));
            }
            if !t.version.trim().is_empty() {
                props.push(prop("version", t.version.trim()));
            }
            json!({
                "uuid": id(&format!("tool:{i}")),
                "type": "software",
                "title": text(&t.name, "Tool"),
                "description": text(&t.purpose, "Assessment tool."),
                "props": props,
                "status": { "state": "operational" },
            })
        })
        .collect();
    let origination = id("component:origination");
    components.push(json!({
        "uuid": origination,
        "type": "assessment-origination",
        "title": "Assessment Addresses",
        "description": "The addresses from which scans and penetration tests originate.",
        "status": { "state": "operational" },
    }));
    let ip_props: Vec<Value> = d
        .scan_origination_ips
        .iter()
        .map(|ip| {
            fr_prop(
                if ip.contains(':') {
                    "ipv6-address"
                } else {
                    "ipv4-address"
                },
                ip.trim(),
            )
        })
        .collect();
    let mut platform = json!({
        "uuid": id("platform:scanning"),
        "title": "Scanning and Testing Platform",
        "uses-components": std::iter::once(origination.clone()).chain((0..d.tools.len()).map(|i| id(&format!("tool:{i}")))).map(|u| json!({ "component-uuid": u })).collect::<Vec<_>>(),
    });
    if !ip_props.is_empty() {
        platform["props"] = Value::Array(ip_props);
    }
    json!({ "components": components, "assessment-platforms": [platform] })
}

/// Back matter: the penetration test plan, sampling methodology and significant change
/// documentation live in the SAP PDF; they are named here so reviewers find them.
fn resources(sap: &Sap, id: &dyn Fn(&str) -> String) -> Vec<Value> {
    let h = &sap.header;
    let d = &sap.data;
    let m = &d.methodology;
    let mut resources = vec![
        json!({ "uuid": id("resource:pen-test-plan"), "title": "Penetration Testing Plan and Methodology (SAP Appendix C)",
            "description": d.penetration_test.vectors.iter().map(|v| format!("{}: {}", v.name, if v.applicable { "applicable".to_owned() } else { format!("not applicable ({})", v.rationale) })).collect::<Vec<_>>().join("; "),
            "props": [fr_prop("type", "penetration-test-plan")] }),
        json!({ "uuid": id("resource:sampling"), "title": "Sampling Methodology (SAP Appendix B)", "description": text(&m.sampling, "No sampling."), "props": [fr_prop("type", "sampling-methodology")] }),
    ];
    if h.assessment_type == AssessmentType::Scr {
        resources.push(json!({ "uuid": id("resource:scr"), "title": "Significant Change Request Documentation (SAP Appendix D)", "description": text(&d.significant_change.description, "See the SAP."), "props": [fr_prop("type", "significant-change-request")] }));
    }
    resources
}
