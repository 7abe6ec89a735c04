//! The SAR as OSCAL 1.2.1 assessment results (JSON), following the FedRAMP SAR OSCAL template:
//! `import-ap` through a back-matter resource that links the SAP's OSCAL file (named by
//! [`super::oscal_common::sap_oscal_file_name`]) delivered beside the SAR, one `result` for the
//! assessment (start and end = the frozen test window), the controls actually tested, one
//! `finding` per tested objective (target `objective-id`, satisfied / not-satisfied; untested
//! objectives are counted in the result's remarks only), an observation per method of each tested
//! objective and one per risk item, one `risk` per risk item (RET row), the recommendation as an
//! attestation when one is recorded, and the evidence and raw scan files as back-matter resources
//! with their SHA-256.
//!
//! Invariant: pure and reproducible. The document's own uuids come from the document id; the
//! risks, observations, parties and resources the POA&M repeats come from the engagement id
//! (see [`super::oscal_common`]), so both documents name them alike.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::oscal_common::{
    date_time, fr_prop, line, prop, put_list, sap_oscal_file_name, text, to_bytes, Shared,
    FEDRAMP_NS,
};
use super::{derived_uuid, SarExportInput};
use crate::error::Result;
use crate::model::report::ExportOptions;
use crate::model::sar::RiskOrigin;
use crate::model::testing::{TestMethod, TestResult, TestRow};

/// Renders the assessment results as pretty-printed JSON bytes.
pub fn render(input: &SarExportInput, opts: &ExportOptions) -> Result<Vec<u8>> {
    to_bytes(&build(input, opts), "assessment results")
}

fn end_of_day(d: chrono::NaiveDate) -> String {
    format!("{}T23:59:59Z", d.format("%Y-%m-%d"))
}

fn method_code(m: TestMethod) -> &'static str {
    match m {
        TestMethod::Examine => "EXAMINE",
        TestMethod::Interview => "INTERVIEW",
        TestMethod::Test => "TEST",
    }
}

/// The methods of a tested objective: those used, else those the baseline names.
fn methods_of(row: &TestRow) -> Vec<&'static str> {
    let mut out: Vec<&str> = row.methods.iter().map(|m| method_code(*m)).collect();
    if out.is_empty() {
        out = row
            .baseline_methods
            .iter()
            .filter_map(|m| match m.trim().to_uppercase().as_str() {
                "EXAMINE" => Some("EXAMINE"),
                "INTERVIEW" => Some("INTERVIEW"),
                "TEST" => Some("TEST"),
                _ => None,
            })
            .collect();
    }
    if out.is_empty() {
        out.push("UNKNOWN");
    }
    let mut seen = BTreeSet::new();
    out.retain(|m| seen.insert(*m));
    out
}

/// The assessment results document.
pub fn build(input: &SarExportInput, opts: &ExportOptions) -> Value {
    let shared = Shared::new(input);
    let r = &input.report;
    let h = &input.sap.header;
    let doc_id = |name: &str| derived_uuid(&opts.document_id, name);
    let generated = opts
        .generated_at
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let cso = text(&h.cso_name, "Cloud service offering");
    let ia = text(&h.assessor_org, "Independent assessor");
    let metadata = shared.metadata(&format!("{cso} Security Assessment Report"), &generated);

    // The assessment plan, delivered in the package's SAP folder.
    let sap_resource = shared.id("resource:sap");
    let sap_file = format!("../SAP/{}", sap_oscal_file_name(&h.cso_name));
    let mut sap_props = vec![fr_prop("type", "security-assessment-plan")];
    if !input.sap.data.document.version.trim().is_empty() {
        sap_props.push(prop("version", input.sap.data.document.version.trim()));
    }
    let mut resources = vec![json!({
        "uuid": sap_resource,
        "title": format!("{cso} Security Assessment Plan"),
        "props": sap_props,
        "rlinks": [{ "href": sap_file, "media-type": "application/json" }],
    })];
    resources.extend(shared.ssp_resource());
    resources.extend(shared.evidence_resources());

    // The assessment window: the freeze, else the engagement's planned window, else today.
    let window = r
        .freeze
        .as_ref()
        .map(|f| (f.window.start, f.window.end))
        .or(r
            .engagement
            .test_window_start
            .zip(r.engagement.test_window_end));
    let (start, end) = match window {
        Some((s, e)) => (date_time(s), Some(end_of_day(e))),
        None => (generated.clone(), None),
    };

    let tested: Vec<&TestRow> = input
        .tests
        .iter()
        .filter(|t| t.result != TestResult::Untested)
        .collect();
    let untested = input.tests.len() - tested.len();

    // The controls actually tested.
    let mut controls: Vec<&str> = Vec::new();
    let mut seen = BTreeSet::new();
    for t in &tested {
        if seen.insert(t.control_id.as_str()) {
            controls.push(&t.control_id);
        }
    }
    let selection = if controls.is_empty() {
        json!({ "description": "No objective has a test result yet; the assessment plan's selection applies.", "include-all": {} })
    } else {
        json!({
            "description": "The controls with at least one tested objective.",
            "include-controls": controls.iter().map(|c| json!({ "control-id": c })).collect::<Vec<_>>(),
        })
    };

    // Observations: one per method of each tested objective (FedRAMP: at least one per test
    // method), then one per risk item.
    let objective_obs = |t: &TestRow, method: &str| {
        shared.id(&format!(
            "observation:objective:{}:{method}",
            t.objective_id
        ))
    };
    let mut observations: Vec<Value> = Vec::new();
    for t in &tested {
        let assessor = shared.parties.assessor(&t.assessor);
        let collected = t.tested_on.map(date_time).unwrap_or_else(|| start.clone());
        for method in methods_of(t) {
            let (label, detail) = match method {
                "EXAMINE" => ("Examined", t.examined.trim()),
                "INTERVIEW" => ("Interviewed", t.interviewed.trim()),
                "TEST" => ("Tested", t.tested.trim()),
                _ => ("", ""),
            };
            let mut described = Vec::new();
            if !t.observations.trim().is_empty() {
                described.push(t.observations.trim().to_owned());
            }
            if !detail.is_empty() {
                described.push(format!("{label}: {detail}"));
            }
            let mut obs = json!({
                "uuid": objective_obs(t, method),
                "title": format!("{} {} ({})", line(&t.control_label, &t.control_id), line(&t.objective_label, &t.objective_id), method.to_lowercase()),
                "description": text(&described.join("\n\n"), t.result.label()),
                "methods": [method],
                "types": ["control-objective"],
                "origins": [{ "actors": [{ "type": "party", "actor-uuid": assessor }] }],
                "collected": collected,
            });
            put_list(
                &mut obs,
                "relevant-evidence",
                shared.evidence_refs(&t.evidence_ids),
            );
            observations.push(obs);
        }
    }
    observations.extend(r.items.iter().map(|i| shared.risk_observation(i)));
    let risks: Vec<Value> = r.items.iter().map(|i| shared.risk(i)).collect();

    // Findings: one per tested objective, with the risks of the findings that answer it.
    let findings: Vec<Value> = tested
        .iter()
        .map(|t| {
            let answering: Vec<_> = r
                .items
                .iter()
                .filter(|i| matches!(&i.origin, RiskOrigin::Finding { id, .. } if t.finding_ids.contains(id)))
                .collect();
            let mut related: Vec<Value> = methods_of(t)
                .into_iter()
                .map(|m| json!({ "observation-uuid": objective_obs(t, m) }))
                .collect();
            related.extend(
                answering
                    .iter()
                    .map(|i| json!({ "observation-uuid": shared.observation_uuid(i) })),
            );
            let state = if t.result == TestResult::Satisfied {
                "satisfied"
            } else {
                "not-satisfied"
            };
            let mut finding = json!({
                "uuid": shared.id(&format!("finding:objective:{}", t.objective_id)),
                "title": format!("{} {}", line(&t.control_label, &t.control_id), line(&t.objective_label, &t.objective_id)),
                "description": text(&t.objective_text, &t.objective_id),
                "origins": [{ "actors": [{ "type": "party", "actor-uuid": shared.parties.assessor(&t.assessor) }] }],
                "target": {
                    "type": "objective-id",
                    "target-id": t.objective_id,
                    "title": line(&t.objective_label, &t.objective_id),
                    "status": { "state": state },
                },
                "related-observations": related,
            });
            put_list(
                &mut finding,
                "related-risks",
                answering
                    .iter()
                    .map(|i| json!({ "risk-uuid": shared.risk_uuid(i) }))
                    .collect(),
            );
            if t.result == TestResult::OtherThanSatisfied
                && answering.is_empty()
                && !t.no_finding_reason.trim().is_empty()
            {
                finding["remarks"] = json!(format!(
                    "No finding: {}",
                    t.no_finding_reason.trim()
                ));
            }
            finding
        })
        .collect();

    let mut remarks = vec![r.summary_sentence.clone()];
    if untested > 0 {
        remarks.push(format!(
            "{untested} objective(s) in scope have no test result and no finding here."
        ));
    }
    let mut result = json!({
        "uuid": doc_id("result"),
        "title": format!("{} assessment of {cso}", r.engagement.assessment_type.label()),
        "description": format!("{ia}'s assessment of {cso} against the FedRAMP {} baseline.", h.impact_level.label()),
        "start": start,
    });
    if let Some(e) = end {
        result["end"] = json!(e);
    }
    let tools = shared.tool_components();
    if !tools.is_empty() {
        result["local-definitions"] = json!({ "components": tools });
    }
    result["reviewed-controls"] = json!({ "control-selections": [selection] });
    if let Some(rec) = &r.data.recommendation {
        let statement = format!("{ia} {}.", rec.statement.label());
        result["attestations"] = json!([{ "parts": [{
            "name": "authorization-statements",
            "ns": FEDRAMP_NS,
            "title": "Authorization Recommendation",
            "props": [fr_prop("recommend-authorization", if rec.statement.is_positive() { "yes" } else { "no" })],
            "parts": [{ "name": "authorization-statement", "ns": FEDRAMP_NS, "prose": statement }],
        }]}]);
    }
    put_list(&mut result, "observations", observations);
    put_list(&mut result, "risks", risks);
    put_list(&mut result, "findings", findings);
    result["remarks"] = json!(remarks.join("\n\n"));

    json!({ "assessment-results": {
        "uuid": doc_id("assessment-results"),
        "metadata": metadata,
        "import-ap": {
            "href": format!("#{sap_resource}"),
            "remarks": format!("The assessment plan is the back-matter resource linking {sap_file}, delivered beside this file."),
        },
        "results": [result],
        "back-matter": { "resources": resources },
    }})
}
