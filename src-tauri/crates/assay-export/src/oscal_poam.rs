//! The seed POA&M as an OSCAL 1.2.1 plan of action and milestones (JSON), following the FedRAMP
//! POA&M OSCAL template: `import-ssp` through a back-matter resource, the FedRAMP package id as
//! `system-id`, the SAR's observations and risks for every risk item, and one `poam-item` per
//! risk item (open, closed and configuration-finding tabs alike) with the FedRAMP `POAM-ID`,
//! exactly one related risk and its observation. Closed items (corrected during testing,
//! validated false positives) stay in the POA&M with their risk status `closed`.
//!
//! Invariant: pure and reproducible; observations, risks, parties and resources carry the same
//! uuids as in the SAR exported from the same engagement (see [`super::oscal_common`]).

use serde_json::{json, Value};

use super::oscal_common::{fr_prop, line, put_list, text, to_bytes, Shared, FEDRAMP_NS};
use super::{derived_uuid, SarExportInput};
use crate::error::{Error, Result};
use crate::model::report::ExportOptions;

/// Renders the POA&M as pretty-printed JSON bytes. Refused when there is no risk item: an OSCAL
/// POA&M needs at least one item.
pub fn render(input: &SarExportInput, opts: &ExportOptions) -> Result<Vec<u8>> {
    if input.report.items.is_empty() {
        return Err(Error::validation(
            "poam",
            "the POA&M has no items: record a finding or review a weakness first",
        ));
    }
    to_bytes(&build(input, opts), "POA&M")
}

/// The plan of action and milestones document.
pub fn build(input: &SarExportInput, opts: &ExportOptions) -> Value {
    let shared = Shared::new(input);
    let r = &input.report;
    let doc_id = |name: &str| derived_uuid(&opts.document_id, name);
    let generated = opts
        .generated_at
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let cso = text(&input.sap.header.cso_name, "Cloud service offering");
    let metadata = shared.metadata(&format!("{cso} Plan of Action and Milestones"), &generated);

    let mut doc = json!({ "uuid": doc_id("plan-of-action-and-milestones"), "metadata": metadata });
    let mut resources: Vec<Value> = Vec::new();
    if let Some(ssp) = shared.ssp_resource() {
        doc["import-ssp"] = json!({ "href": format!("#{}", shared.ssp_resource_uuid()) });
        resources.push(ssp);
    }
    let package = r.engagement.package_id.trim();
    if !package.is_empty() {
        doc["system-id"] = json!({ "identifier-type": FEDRAMP_NS, "id": package });
    }
    let tools = shared.tool_components();
    if !tools.is_empty() {
        doc["local-definitions"] = json!({ "components": tools });
    }
    put_list(
        &mut doc,
        "observations",
        r.items.iter().map(|i| shared.risk_observation(i)).collect(),
    );
    put_list(
        &mut doc,
        "risks",
        r.items.iter().map(|i| shared.risk(i)).collect(),
    );
    let settings = &r.data.poam;
    let items: Vec<Value> = r
        .items
        .iter()
        .map(|i| {
            let mut remarks = vec![format!("POA&M tab: {}.", i.poam_tab.label())];
            if !settings.point_of_contact.trim().is_empty() {
                remarks.push(format!(
                    "Point of contact: {}.",
                    settings.point_of_contact.trim()
                ));
            }
            if !settings.service_name.trim().is_empty() {
                remarks.push(format!("Service name: {}.", settings.service_name.trim()));
            }
            json!({
                "uuid": shared.id(&format!("poam-item:{}", super::oscal_common::risk_key(i))),
                "title": line(&i.name, "Weakness"),
                "description": text(&i.description, &line(&i.name, "Weakness")),
                "props": [fr_prop("POAM-ID", &line(&i.poam_id, "unnumbered"))],
                "related-observations": [{ "observation-uuid": shared.observation_uuid(i) }],
                "related-risks": [{ "risk-uuid": shared.risk_uuid(i) }],
                "remarks": remarks.join("\n\n"),
            })
        })
        .collect();
    doc["poam-items"] = Value::Array(items);
    resources.extend(shared.evidence_resources());
    if !resources.is_empty() {
        doc["back-matter"] = json!({ "resources": resources });
    }
    json!({ "plan-of-action-and-milestones": doc })
}
