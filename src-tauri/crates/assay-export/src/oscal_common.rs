//! What the OSCAL exporters share: the version and FedRAMP namespace, small JSON builders, the
//! metadata parties and roles, and the objects the assessment results (SAR) and the POA&M both
//! carry — observations and risks for the risk items, tool components, and back-matter resources
//! for the evidence and raw scan files.
//!
//! Invariant: every uuid of an object that the SAR and the POA&M share is derived from the
//! engagement id and the object's stable key (finding id, weakness id, configuration check,
//! evidence hash), never from a document id, so both documents name the same risk, observation,
//! party and resource by the same uuid whatever options they were exported with. Only the
//! documents' own uuids come from the document id.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{json, Map, Value};

use super::{derived_uuid, SarExportInput};
use crate::error::{Error, Result};
use crate::model::sap::Sap;
use crate::model::sar::{RiskItem, RiskOrigin};
use crate::model::testing::{DeviationAnswer, Finding, FindingSource};
use crate::model::{Side, TeamMember};

/// The OSCAL version declared.
pub const OSCAL_VERSION: &str = "1.2.1";
/// FedRAMP's extension namespace (the 2024 ADR form), also the `system` of FedRAMP facets and
/// the `identifier-type` of the FedRAMP system id.
pub const FEDRAMP_NS: &str = "http://fedramp.gov/ns/oscal";

/// Encodes a document as pretty JSON with a trailing newline.
pub(crate) fn to_bytes(doc: &Value, what: &'static str) -> Result<Vec<u8>> {
    let mut bytes =
        serde_json::to_vec_pretty(doc).map_err(|source| Error::Json { what, source })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// A FedRAMP extension property.
pub(crate) fn fr_prop(name: &str, value: &str) -> Value {
    json!({ "name": name, "ns": FEDRAMP_NS, "value": value })
}

/// A core OSCAL property.
pub(crate) fn prop(name: &str, value: &str) -> Value {
    json!({ "name": name, "value": value })
}

/// OSCAL text values must not be empty or start/end with whitespace.
pub(crate) fn text(s: &str, fallback: &str) -> String {
    let t = s.trim();
    if t.is_empty() {
        fallback.to_owned()
    } else {
        t.to_owned()
    }
}

/// A markup-line value (titles): one line, whitespace runs folded.
pub(crate) fn line(s: &str, fallback: &str) -> String {
    let folded = s.split_whitespace().collect::<Vec<_>>().join(" ");
    text(&folded, fallback)
}

/// A part with optional FedRAMP namespace, prose and sub-parts.
pub(crate) fn part(
    name: &str,
    fedramp: bool,
    title: &str,
    prose: &str,
    parts: Vec<Value>,
) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(name));
    if fedramp {
        m.insert("ns".into(), json!(FEDRAMP_NS));
    }
    m.insert("title".into(), json!(title));
    if !prose.trim().is_empty() {
        m.insert("prose".into(), json!(prose.trim()));
    }
    if !parts.is_empty() {
        m.insert("parts".into(), Value::Array(parts));
    }
    Value::Object(m)
}

/// Midnight UTC of a date, as an OSCAL date-time.
pub(crate) fn date_time(d: chrono::NaiveDate) -> String {
    format!("{}T00:00:00Z", d.format("%Y-%m-%d"))
}

/// Inserts `values` under `key` only when there are any (OSCAL arrays have at least one item).
pub(crate) fn put_list(obj: &mut Value, key: &str, values: Vec<Value>) {
    if !values.is_empty() {
        obj[key] = Value::Array(values);
    }
}

/// The metadata's parties, roles and responsible parties, built from the SAP's team.
pub(crate) struct Parties {
    pub roles: Vec<Value>,
    pub parties: Vec<Value>,
    pub responsible: Vec<Value>,
    /// The 3PAO organisation's party uuid.
    pub ia_org: String,
    /// Lower-cased person name → party uuid.
    pub by_name: HashMap<String, String>,
}

impl Parties {
    /// The party uuid of the person called `name`, else the 3PAO organisation.
    pub fn assessor(&self, name: &str) -> &str {
        self.by_name
            .get(&name.trim().to_lowercase())
            .map_or(self.ia_org.as_str(), String::as_str)
    }
}

/// Builds the parties (3PAO and CSP organisations, the team and CSP contacts) and the roles
/// they hold; `id` derives each uuid from a stable name.
pub(crate) fn build_parties(sap: &Sap, id: &dyn Fn(&str) -> String) -> Parties {
    let h = &sap.header;
    let ia_org = id("party:ia");
    let csp_org = id("party:csp");
    let person = |m: &TeamMember, org: &str| {
        let mut p = json!({
            "uuid": id(&format!("party:{}", m.id)),
            "type": "person",
            "name": text(&m.name, "Unnamed"),
            "member-of-organizations": [org],
        });
        if !m.email.trim().is_empty() {
            p["email-addresses"] = json!([m.email.trim()]);
        }
        if !m.phone.trim().is_empty() {
            p["telephone-numbers"] = json!([{ "number": m.phone.trim() }]);
        }
        if !m.title.trim().is_empty() {
            p["props"] = json!([prop("job-title", m.title.trim())]);
        }
        p
    };
    let mut parties = vec![
        json!({ "uuid": ia_org, "type": "organization", "name": text(&h.assessor_org, "Independent assessor") }),
        json!({ "uuid": csp_org, "type": "organization", "name": text(&h.csp_name, "Cloud service provider") }),
    ];
    let people: Vec<&TeamMember> = sap
        .team
        .iter()
        .map(|t| &t.member)
        .chain(sap.csp_contacts.iter())
        .collect();
    let mut by_name = HashMap::new();
    for m in &people {
        let org = if m.side == Side::Csp {
            &csp_org
        } else {
            &ia_org
        };
        parties.push(person(m, org));
        by_name
            .entry(m.name.trim().to_lowercase())
            .or_insert_with(|| id(&format!("party:{}", m.id)));
    }
    let mut roles: Vec<Value> = vec![
        json!({ "id": "assessor", "title": "Independent Assessor (3PAO)" }),
        json!({ "id": "cloud-service-provider", "title": "Cloud Service Provider" }),
    ];
    let mut responsible = vec![
        json!({ "role-id": "assessor", "party-uuids": [ia_org] }),
        json!({ "role-id": "cloud-service-provider", "party-uuids": [csp_org] }),
    ];
    for role in crate::model::TeamRole::ALL {
        let holders: Vec<String> = people
            .iter()
            .filter(|m| m.role == *role)
            .map(|m| id(&format!("party:{}", m.id)))
            .collect();
        if holders.is_empty() {
            continue;
        }
        roles.push(json!({ "id": role.code(), "title": role.label() }));
        responsible.push(json!({ "role-id": role.code(), "party-uuids": holders }));
    }
    Parties {
        roles,
        parties,
        responsible,
        ia_org,
        by_name,
    }
}

/// The file name the SAP's OSCAL export is delivered under beside the SAR
/// (`Northwind-Cloud-Platform-SAP.oscal.json`): the SAR's `import-ap` points at it.
pub fn sap_oscal_file_name(cso_name: &str) -> String {
    let words: Vec<String> = cso_name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let stem = if words.is_empty() {
        "Assessment".to_owned()
    } else {
        words.join("-")
    };
    format!("{stem}-SAP.oscal.json")
}

/// Where an evidence file is delivered, relative to the OSCAL documents: content-addressed as in
/// the engagement's evidence store.
pub fn evidence_href(sha256: &str, file_name: &str) -> String {
    format!("../{}", super::package_evidence_path(sha256, file_name))
}

/// Where a raw scanner file is delivered, relative to the OSCAL documents.
pub fn scan_file_href(sha256: &str, format: &str, file_name: &str) -> String {
    format!("../{}", super::package_scan_path(sha256, format, file_name))
}

fn media_type(file_name: &str) -> &'static str {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "txt" | "log" => "text/plain",
        "csv" => "text/csv",
        "json" | "sarif" => "application/json",
        "xml" | "nessus" => "application/xml",
        "html" | "htm" => "text/html",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// A key for a risk item that survives renumbering: its origin.
pub(crate) fn risk_key(item: &RiskItem) -> String {
    match &item.origin {
        RiskOrigin::Finding { id, .. } => format!("finding:{id}"),
        RiskOrigin::FalsePositive { weakness_id } => format!("false-positive:{weakness_id}"),
        RiskOrigin::ConfigurationCheck { check } => format!("configuration:{check}"),
    }
}

fn deviation_value(a: DeviationAnswer) -> Option<&'static str> {
    // Yes = validated by the assessor (the RET's "Yes"); Pending = a deviation request awaiting
    // the authorizing official. FedRAMP's vocabulary has no "no": the prop is left out.
    match a {
        DeviationAnswer::Yes => Some("approved"),
        DeviationAnswer::Pending => Some("pending"),
        DeviationAnswer::No => None,
    }
}

fn method_of(source: Option<FindingSource>) -> &'static str {
    match source {
        Some(FindingSource::DocumentationReview) => "EXAMINE",
        Some(FindingSource::Interview) => "INTERVIEW",
        _ => "TEST",
    }
}

/// Everything the SAR and POA&M builders share for one export.
pub(crate) struct Shared<'a> {
    pub input: &'a SarExportInput,
    seed: String,
    pub parties: Parties,
    findings: HashMap<&'a str, &'a Finding>,
    /// Asset labels and addresses → inventory uuid.
    inventory: HashMap<String, String>,
    inventory_uuids: BTreeSet<String>,
    evidence: BTreeSet<&'a str>,
    /// Detector source → tool component uuid.
    tools: BTreeMap<String, String>,
}

impl<'a> Shared<'a> {
    pub fn new(input: &'a SarExportInput) -> Self {
        let seed = format!("assay-engagement:{}", input.report.engagement.id);
        let id = |name: &str| derived_uuid(&seed, name);
        let parties = build_parties(&input.sap, &id);
        let findings = input.findings.iter().map(|f| (f.id.as_str(), f)).collect();
        let mut inventory = HashMap::new();
        let mut inventory_uuids = BTreeSet::new();
        for a in &input.report.coverage.assets {
            if uuid::Uuid::parse_str(&a.inventory_uuid).is_err() {
                continue;
            }
            inventory_uuids.insert(a.inventory_uuid.to_lowercase());
            let mut labels: Vec<&str> = a.address.split([',', ' ', '\n']).collect();
            if let Some(asset) = &a.asset_id {
                labels.push(asset);
            }
            for l in labels.into_iter().map(str::trim).filter(|l| !l.is_empty()) {
                inventory
                    .entry(l.to_lowercase())
                    .or_insert_with(|| a.inventory_uuid.clone());
            }
        }
        let evidence = input
            .report
            .evidence
            .iter()
            .map(|e| e.id.as_str())
            .collect();
        let mut shared = Shared {
            input,
            seed,
            parties,
            findings,
            inventory,
            inventory_uuids,
            evidence,
            tools: BTreeMap::new(),
        };
        let tools: BTreeMap<String, String> = input
            .report
            .items
            .iter()
            .filter(|i| shared.is_tool(i))
            .map(|i| {
                let name = line(&i.detector_source, "Scanner");
                (name.clone(), shared.id(&format!("tool:{name}")))
            })
            .collect();
        shared.tools = tools;
        shared
    }

    /// A uuid derived from the engagement and `name`.
    pub fn id(&self, name: &str) -> String {
        derived_uuid(&self.seed, name)
    }

    fn finding_of(&self, item: &RiskItem) -> Option<&'a Finding> {
        match &item.origin {
            RiskOrigin::Finding { id, .. } => self.findings.get(id.as_str()).copied(),
            _ => None,
        }
    }

    /// True when a scanner (not a person) detected the item.
    fn is_tool(&self, item: &RiskItem) -> bool {
        match &item.origin {
            RiskOrigin::FalsePositive { .. } | RiskOrigin::ConfigurationCheck { .. } => true,
            RiskOrigin::Finding { .. } => {
                let manual = FindingSource::ALL
                    .iter()
                    .any(|s| s.label() == item.detector_source)
                    || item.detector_source == "Assessment Test Case";
                !manual && !item.detector_source.trim().is_empty()
            }
        }
    }

    pub fn observation_uuid(&self, item: &RiskItem) -> String {
        self.id(&format!("observation:{}", risk_key(item)))
    }

    pub fn risk_uuid(&self, item: &RiskItem) -> String {
        self.id(&format!("risk:{}", risk_key(item)))
    }

    fn evidence_uuid(&self, sha256: &str) -> String {
        self.id(&format!("evidence:{sha256}"))
    }

    fn scan_file_uuid(&self, sha256: &str) -> String {
        self.id(&format!("scan-file:{sha256}"))
    }

    /// The back-matter resource of the SSP, when the SAP names one.
    pub fn ssp_resource_uuid(&self) -> String {
        self.id("resource:ssp")
    }

    /// The tool components the observations and risks name as origins.
    pub fn tool_components(&self) -> Vec<Value> {
        self.tools
            .iter()
            .map(|(name, uuid)| {
                json!({
                    "uuid": uuid,
                    "type": "software",
                    "title": name,
                    "description": format!("The scanner that reported the weakness ({name})."),
                    "props": [fr_prop("name", name)],
                    "status": { "state": "operational" },
                })
            })
            .collect()
    }

    fn actors(&self, item: &RiskItem) -> Vec<Value> {
        let mut actors = vec![json!({ "type": "party", "actor-uuid": self.parties.ia_org })];
        if let Some(t) = self.tools.get(&line(&item.detector_source, "Scanner")) {
            actors.push(json!({ "type": "tool", "actor-uuid": t }));
        }
        actors
    }

    /// `relevant-evidence` entries for evidence ids known to the report.
    pub fn evidence_refs(&self, ids: &[String]) -> Vec<Value> {
        let mut seen = BTreeSet::new();
        ids.iter()
            .filter(|e| self.evidence.contains(e.as_str()) && seen.insert(e.as_str()))
            .map(|e| {
                let title = self
                    .input
                    .report
                    .evidence
                    .iter()
                    .find(|x| &x.id == e)
                    .map_or_else(|| "Evidence".to_owned(), |x| line(&x.title, &x.file_name));
                json!({ "href": format!("#{}", self.evidence_uuid(e)), "description": title })
            })
            .collect()
    }

    /// The observation behind one risk item (the weakness as found).
    pub fn risk_observation(&self, item: &RiskItem) -> Value {
        let finding = self.finding_of(item);
        let mut types = vec![json!("discovery")];
        for (answer, kind) in [
            (item.risk_adjustment, "risk-adjustment"),
            (item.false_positive, "false-positive"),
            (item.operational_requirement, "operational-requirement"),
        ] {
            if answer != DeviationAnswer::No {
                types.push(json!(kind));
            }
        }
        let mut obs = json!({
            "uuid": self.observation_uuid(item),
            "title": line(&item.name, "Weakness"),
            "description": text(&item.description, &line(&item.name, "Weakness")),
            "methods": [method_of(finding.map(|f| f.source))],
            "types": types,
            "origins": [{ "actors": self.actors(item) }],
            "collected": date_time(item.detected_on),
        });
        // Subjects: the inventory items affected, by uuid when the finding names them, else by
        // the label or address the scanner reported.
        let mut subjects: Vec<Value> = Vec::new();
        let mut seen = BTreeSet::new();
        let mut unmatched = Vec::new();
        if let Some(f) = finding {
            for a in &f.assets {
                if self.inventory_uuids.contains(&a.to_lowercase()) && seen.insert(a.to_lowercase())
                {
                    subjects.push(json!({ "subject-uuid": a, "type": "inventory-item" }));
                }
            }
        }
        for label in &item.assets {
            let key = label.trim().to_lowercase();
            let host = key.split([':', ' ', '/']).next().unwrap_or_default();
            let found = self
                .inventory
                .get(&key)
                .or_else(|| self.inventory.get(host));
            match found {
                Some(u) if seen.insert(u.to_lowercase()) => {
                    subjects.push(json!({ "subject-uuid": u, "type": "inventory-item", "title": line(label, "Asset") }));
                }
                Some(_) => {}
                // A finding's own uuid (an asset without id or address) is already a subject.
                None if self.inventory_uuids.contains(&key) => {}
                None => unmatched.push(label.trim()),
            }
        }
        put_list(&mut obs, "subjects", subjects);
        let mut evidence = self.evidence_refs(&item.evidence_ids);
        if self.is_tool(item) {
            for f in self
                .input
                .report
                .scan_files
                .iter()
                .filter(|f| f.tool.eq_ignore_ascii_case(item.detector_source.trim()))
            {
                evidence.push(json!({
                    "href": format!("#{}", self.scan_file_uuid(&f.sha256)),
                    "description": format!("Raw scanner output: {}", line(&f.name, "scan file")),
                }));
            }
        }
        put_list(&mut obs, "relevant-evidence", evidence);
        let mut remarks = vec![format!(
            "Weakness detector source: {}; source identifier: {}.",
            line(&item.detector_source, "unknown"),
            line(&item.source_identifier, "None")
        )];
        if !unmatched.is_empty() {
            remarks.push(format!(
                "Assets not in the SSP inventory: {}.",
                unmatched.join(", ")
            ));
        }
        obs["remarks"] = json!(remarks.join("\n\n"));
        obs
    }

    /// The risk of one item: ratings as facets (initial beside adjusted), FedRAMP deviation
    /// props, deadline, remediations and, for closed items, the closing log entry.
    pub fn risk(&self, item: &RiskItem) -> Value {
        let finding = self.finding_of(item);
        let closed = !item.tab.is_open();
        let mut props = vec![fr_prop("POAM-ID", &line(&item.poam_id, "unnumbered"))];
        let mut controls = BTreeSet::new();
        for c in &item.controls {
            let c = c.trim().to_lowercase();
            if !c.is_empty() && controls.insert(c.clone()) {
                props.push(fr_prop("impacted-control-id", &c));
            }
        }
        for (answer, name) in [
            (item.risk_adjustment, "risk-adjustment"),
            (item.false_positive, "false-positive"),
            (item.operational_requirement, "operational-requirement"),
        ] {
            if let Some(v) = deviation_value(answer) {
                props.push(fr_prop(name, v));
            }
        }
        if item.vendor_dependency {
            props.push(fr_prop(
                "vendor-dependency",
                if closed { "resolved" } else { "tracking" },
            ));
            if !item.vendor_product.trim().is_empty() {
                props.push(fr_prop("vendor-name", item.vendor_product.trim()));
            }
        }
        if let Some(due) = item.kev_due {
            props.push(fr_prop("kev-catalog", "yes"));
            props.push(fr_prop("kev-due-date", &due.format("%Y-%m-%d").to_string()));
        }

        let facet = |name: &str, system: &str, value: &str, state: Option<&str>| {
            let mut f = json!({ "name": name, "system": system, "value": value });
            if let Some(s) = state {
                f["props"] = json!([prop("state", s)]);
            }
            f
        };
        let mut facets = Vec::new();
        if let Some(f) = finding {
            facets.push(facet(
                "likelihood",
                FEDRAMP_NS,
                f.likelihood.code(),
                Some("initial"),
            ));
            facets.push(facet(
                "impact",
                FEDRAMP_NS,
                f.impact.code(),
                Some("initial"),
            ));
        }
        facets.push(facet(
            "risk",
            FEDRAMP_NS,
            item.original_risk.code(),
            Some("initial"),
        ));
        if let Some(adjusted) = item.adjusted_risk {
            if let Some(ra) = finding.and_then(|f| f.risk_adjustment.as_ref()) {
                facets.push(facet(
                    "likelihood",
                    FEDRAMP_NS,
                    ra.adjusted_likelihood.code(),
                    Some("adjusted"),
                ));
                facets.push(facet(
                    "impact",
                    FEDRAMP_NS,
                    ra.adjusted_impact.code(),
                    Some("adjusted"),
                ));
            }
            facets.push(facet("risk", FEDRAMP_NS, adjusted.code(), Some("adjusted")));
        }
        if self.is_tool(item) && !item.source_identifier.trim().is_empty() {
            facets.push(facet(
                "plugin-id",
                "http://csrc.nist.gov/ns/oscal/unknown",
                item.source_identifier.trim(),
                None,
            ));
        }
        for cve in &item.cves {
            facets.push(facet("cve-id", "http://cve.mitre.org", cve, None));
        }
        if let Some(c) = finding.and_then(|f| f.cvss.as_ref()) {
            let system = if c.vector.starts_with("CVSS:4") {
                "https://www.first.org/cvss/v4.0"
            } else if c.vector.starts_with("CVSS:3.0") {
                "http://www.first.org/cvss/v3.0"
            } else {
                "http://www.first.org/cvss/v3.1"
            };
            facets.push(facet("vector", system, &c.vector, None));
            facets.push(facet(
                "base-score",
                system,
                &format!("{:.1}", c.base_score),
                None,
            ));
        }

        let statement = finding
            .map(|f| f.risk_statement.trim())
            .filter(|s| !s.is_empty())
            .map_or_else(
                || {
                    format!(
                        "{} risk: {}",
                        item.original_risk.label(),
                        line(&item.name, "weakness")
                    )
                },
                str::to_owned,
            );
        let mut risk = json!({
            "uuid": self.risk_uuid(item),
            "title": line(&item.name, "Risk"),
            "description": text(&item.description, &line(&item.name, "Risk")),
            "statement": statement,
            "props": props,
            "status": if closed { "closed" } else { "open" },
            "characterizations": [{ "origin": { "actors": self.actors(item) }, "facets": facets }],
        });
        if item.risk_adjustment != DeviationAnswer::No
            && !item.deviation_rationale.trim().is_empty()
        {
            risk["mitigating-factors"] = json!([{
                "uuid": self.id(&format!("mitigating-factor:{}", risk_key(item))),
                "description": item.deviation_rationale.trim(),
            }]);
        }
        risk["deadline"] = json!(date_time(item.scheduled_completion));

        let mut remediations = Vec::new();
        if !item.remediation.trim().is_empty() {
            remediations.push(json!({
                "uuid": self.id(&format!("remediation:recommendation:{}", risk_key(item))),
                "lifecycle": "recommendation",
                "title": "Assessor's Recommendation",
                "description": item.remediation.trim(),
                "origins": [{ "actors": [{ "type": "party", "actor-uuid": self.parties.ia_org }] }],
            }));
        }
        let mut log = Vec::new();
        if let (true, Some(check_in)) = (item.vendor_dependency, item.last_vendor_check_in) {
            log.push(json!({
                "uuid": self.id(&format!("risk-log:vendor-check-in:{}", risk_key(item))),
                "title": "Vendor check-in",
                "description": format!("Last vendor check-in for {}.", line(&item.vendor_product, "the vendor's product")),
                "start": date_time(check_in),
            }));
        }
        if closed {
            let completed = self.id(&format!("remediation:completed:{}", risk_key(item)));
            let false_positive = item.false_positive == DeviationAnswer::Yes;
            let (how, done) = if false_positive {
                (
                    "Validated by the assessor as a false positive.".to_owned(),
                    "Validated False Positive",
                )
            } else {
                (
                    text(
                        &item.comments,
                        "Corrected during testing and validated by the assessor.",
                    ),
                    "Corrected During Testing",
                )
            };
            remediations.push(json!({
                "uuid": completed,
                "lifecycle": "completed",
                "title": done,
                "description": how,
            }));
            let mut entry = json!({
                "uuid": self.id(&format!("risk-log:closed:{}", risk_key(item))),
                "title": "Closed",
                "description": how,
                "start": date_time(item.closed_on.unwrap_or(item.detected_on)),
                "logged-by": [{ "party-uuid": self.parties.ia_org }],
                "status-change": "closed",
                "related-responses": [{ "response-uuid": completed }],
            });
            if false_positive {
                entry["title"] = json!("Closed: false positive");
            }
            log.push(entry);
        }
        put_list(&mut risk, "remediations", remediations);
        if !log.is_empty() {
            risk["risk-log"] = json!({ "entries": log });
        }
        risk["related-observations"] = json!([{ "observation-uuid": self.observation_uuid(item) }]);
        risk
    }

    /// Back-matter resources: the evidence files and the raw scanner files, each with a relative
    /// link and its SHA-256.
    pub fn evidence_resources(&self) -> Vec<Value> {
        let r = &self.input.report;
        let mut out = Vec::new();
        for e in &r.evidence {
            let mut res = json!({
                "uuid": self.evidence_uuid(&e.id),
                "title": line(&e.title, &line(&e.file_name, "Evidence")),
                "props": [fr_prop("type", "evidence")],
                "rlinks": [{
                    "href": evidence_href(&e.id, &e.file_name),
                    "media-type": media_type(&e.file_name),
                    "hashes": [{ "algorithm": "SHA-256", "value": e.id }],
                }],
            });
            let mut about = Vec::new();
            if !e.file_name.trim().is_empty() {
                about.push(format!("File: {}", e.file_name.trim()));
            }
            if !e.collected_by.trim().is_empty() {
                about.push(format!("Collected by: {}", e.collected_by.trim()));
            }
            if !e.collected_from.trim().is_empty() {
                about.push(format!("Collected from: {}", e.collected_from.trim()));
            }
            if !e.collected_at.trim().is_empty() {
                about.push(format!("Collected at: {}", e.collected_at.trim()));
            }
            if !e.source.trim().is_empty() {
                about.push(format!("Source: {}", e.source.trim()));
            }
            if !about.is_empty() {
                res["description"] = json!(about.join("\n\n"));
            }
            out.push(res);
        }
        for f in &r.scan_files {
            let mut about = vec![format!("File: {}", line(&f.name, "scan file"))];
            about.push(format!("Format: {}", f.format));
            if let Some(s) = &f.scan_start {
                about.push(format!("Scan start: {s}"));
            }
            if let Some(s) = &f.scan_end {
                about.push(format!("Scan end: {s}"));
            }
            out.push(json!({
                "uuid": self.scan_file_uuid(&f.sha256),
                "title": format!("{} output: {}", line(&f.tool, "Scanner"), line(&f.name, "scan file")),
                "description": about.join("\n\n"),
                "props": [fr_prop("type", "tool-output")],
                "rlinks": [{
                    "href": scan_file_href(&f.sha256, &f.format, &f.name),
                    "media-type": media_type(&f.name),
                    "hashes": [{ "algorithm": "SHA-256", "value": f.sha256 }],
                }],
            }));
        }
        out
    }

    /// The back-matter resource for the SSP (`import-ssp` points at it), when known.
    pub fn ssp_resource(&self) -> Option<Value> {
        let s = self.input.sap.header.ssp.as_ref()?;
        let mut rlink = json!({ "href": text(&s.source_name, "ssp.json"), "media-type": media_type(&s.source_name) });
        if s.source_sha256.len() == 64 {
            rlink["hashes"] = json!([{ "algorithm": "SHA-256", "value": s.source_sha256 }]);
        }
        Some(json!({
            "uuid": self.ssp_resource_uuid(),
            "title": line(&s.title, "System Security Plan"),
            "props": [fr_prop("type", "system-security-plan"), prop("version", &text(&s.version, "unknown"))],
            "rlinks": [rlink],
        }))
    }

    /// The document metadata: title, times, version, parties and roles.
    pub fn metadata(&self, title: &str, generated: &str) -> Value {
        let r = &self.input.report;
        let mut props = vec![prop("marking", super::CUI_MARKING)];
        if !r.engagement.package_id.trim().is_empty() {
            props.push(fr_prop(
                "fedramp-package-id",
                r.engagement.package_id.trim(),
            ));
        }
        json!({
            "title": title,
            "published": generated,
            "last-modified": generated,
            "version": text(&r.data.version, "1.0"),
            "oscal-version": OSCAL_VERSION,
            "props": props,
            "roles": self.parties.roles,
            "parties": self.parties.parties,
            "responsible-parties": self.parties.responsible,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sap_file_name_follows_the_offering_name() {
        for (cso, want) in [
            (
                "Northwind Cloud Platform",
                "Northwind-Cloud-Platform-SAP.oscal.json",
            ),
            (
                "  Acme / Gov (FedRAMP)  ",
                "Acme-Gov-FedRAMP-SAP.oscal.json",
            ),
            ("", "Assessment-SAP.oscal.json"),
            ("Nörd", "N-rd-SAP.oscal.json"),
        ] {
            assert_eq!(sap_oscal_file_name(cso), want, "for {cso:?}");
        }
    }

    #[test]
    fn titles_are_one_trimmed_line() {
        assert_eq!(line("  a\n  b\tc ", "x"), "a b c");
        assert_eq!(line(" \n ", "fallback"), "fallback");
        assert_eq!(text("  keep\n lines ", "x"), "keep\n lines");
    }

    #[test]
    fn deviation_answers_map_to_the_fedramp_vocabulary() {
        assert_eq!(deviation_value(DeviationAnswer::Yes), Some("approved"));
        assert_eq!(deviation_value(DeviationAnswer::Pending), Some("pending"));
        assert_eq!(deviation_value(DeviationAnswer::No), None);
    }

    #[test]
    fn media_types_come_from_the_extension() {
        for (name, want) in [
            ("scan.nessus", "application/xml"),
            ("notes.TXT", "text/plain"),
            ("report.sarif", "application/json"),
            ("screenshot.png", "image/png"),
            ("no-extension", "application/octet-stream"),
        ] {
            assert_eq!(media_type(name), want, "for {name}");
        }
    }

    #[test]
    fn evidence_and_scan_links_are_relative_and_content_addressed() {
        let sha = "ab".repeat(32);
        assert_eq!(
            evidence_href(&sha, "log review.txt"),
            format!("../Evidence/{}_log-review.txt", &sha[..12])
        );
        assert_eq!(
            scan_file_href(&sha, "zap-json", "zap.json"),
            format!("../Scans/web/{}_zap.json", &sha[..12])
        );
    }
}
