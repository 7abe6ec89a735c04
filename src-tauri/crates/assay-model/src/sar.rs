//! The Security Assessment Report (FedRAMP Rev5 SAR template v5.0) and the seed POA&M as data:
//! the risk items (one RET row = one POA&M item), SAR Table 2-2, the executive-summary figures,
//! the authorization recommendation rule and the consistency checks run before export.
//!
//! Invariants: everything here is pure (no IO, no clock: "today" and the data come in as
//! arguments). Every figure is computed from the findings, weaknesses, configuration checks, tests
//! and coverage passed in, never typed; the RET and the POA&M are two views of one list of
//! [`RiskItem`]s, so their ids, ratings and detector sources agree by construction, and
//! [`check_consistency`] re-derives each count independently to prove it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::enums::string_enum;
use super::scans::{ConfigurationFinding, Coverage, WeaknessRow};
use super::testing::{
    DeviationAnswer, Finding, FindingCategory, FindingSource, RiskLevel, TestResult, TestRow,
};
use super::AssessmentType;

string_enum! {
    /// The tab of the RET workbook an item is listed on (SAR Appendix A, Rev5).
    pub enum RetTab ("RET tab") {
        Ret => ("ret", "Risk Exposure Table (RET)"),
        Corrected => ("corrected", "Risks Corrected During Testing"),
        Configuration => ("configuration", "Configuration Findings"),
        Pl2 => ("pl2", "PL-2 Findings"),
    }
}

string_enum! {
    /// The tab of the POA&M workbook (template v2.1) an item is seeded on.
    pub enum PoamTab ("POA&M tab") {
        Open => ("open", "Open POA&M Items"),
        Closed => ("closed", "Closed POA&M Items"),
        Configuration => ("configuration", "Configuration Findings"),
    }
}

impl RetTab {
    /// Where the POA&M takes an item of this RET tab from (domain doc §7.3): RET rows and PL-2
    /// findings stay open, corrected risks and validated false positives close, configuration
    /// findings keep their own tab.
    pub fn poam_tab(self) -> PoamTab {
        match self {
            RetTab::Ret | RetTab::Pl2 => PoamTab::Open,
            RetTab::Corrected => PoamTab::Closed,
            RetTab::Configuration => PoamTab::Configuration,
        }
    }

    /// True for the tabs whose items are open risks (counted in Table 2-2).
    pub fn is_open(self) -> bool {
        self != RetTab::Corrected
    }
}

string_enum! {
    /// The authorization recommendation statements the SAR v5.0 template allows.
    pub enum Recommendation ("authorization recommendation") {
        Recommend => ("recommend", "recommends this system for authorization"),
        DoNotRecommend => ("do-not-recommend", "does not recommend this system for authorization"),
        RecommendContinued => ("recommend-continued", "recommends this system for continued authorization"),
        DoNotRecommendContinued => ("do-not-recommend-continued", "does not recommend this system for continued authorization"),
    }
}

impl Recommendation {
    /// True for the two positive statements.
    pub fn is_positive(self) -> bool {
        matches!(
            self,
            Recommendation::Recommend | Recommendation::RecommendContinued
        )
    }

    /// The statements that fit an assessment type: initial assessments (and significant changes)
    /// recommend authorization; annual assessments recommend continued authorization.
    pub fn allowed_for(kind: AssessmentType) -> &'static [Recommendation] {
        match kind {
            AssessmentType::Annual => &[
                Recommendation::RecommendContinued,
                Recommendation::DoNotRecommendContinued,
            ],
            AssessmentType::Initial | AssessmentType::Scr => {
                &[Recommendation::Recommend, Recommendation::DoNotRecommend]
            }
        }
    }
}

/// How POA&M ids are numbered (the CSP's scheme).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PoamSettings {
    /// Text before the number, e.g. `NW-` gives `NW-0001`.
    pub id_prefix: String,
    /// The first number.
    pub id_start: u32,
    /// Minimum digits (zero-padded).
    pub id_digits: u8,
    /// The CSP's point of contact written on every seeded item (may be empty for the CSP to fill).
    pub point_of_contact: String,
    /// The service within the CSO (POA&M "Service Name"), when the CSO has more than one.
    pub service_name: String,
}

impl Default for PoamSettings {
    fn default() -> Self {
        PoamSettings {
            id_prefix: "POAM-".into(),
            id_start: 1,
            id_digits: 4,
            point_of_contact: String::new(),
            service_name: String::new(),
        }
    }
}

impl PoamSettings {
    /// The id of the `index`-th item (0-based).
    pub fn id(&self, index: usize) -> String {
        let n = u64::from(self.id_start) + index as u64;
        format!(
            "{}{:0width$}",
            self.id_prefix,
            n,
            width = usize::from(self.id_digits)
        )
    }
}

/// A SAR signature (the 3PAO's assessor and its authorized official).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SarSignature {
    pub name: String,
    pub title: String,
    pub date: NaiveDate,
}

/// The recorded recommendation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecommendationRecord {
    pub statement: Recommendation,
    pub at: String,
    pub actor: String,
}

/// What the assessor writes into the SAR (everything else is computed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SarData {
    /// Document version, e.g. `1.0`.
    #[serde(default)]
    pub version: String,
    /// Document date; default: the export date.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub recommendation: Option<RecommendationRecord>,
    #[serde(default)]
    pub poam: PoamSettings,
    /// Section 4.3 and 5 narrative the assessor adds (threats considered, external services).
    #[serde(default)]
    pub threats_note: String,
    #[serde(default)]
    pub interconnections_note: String,
    #[serde(default)]
    pub signatures: Vec<SarSignature>,
}

/// One change to the SAR's written fields; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SarUpdate {
    pub version: Option<String>,
    pub date: Option<NaiveDate>,
    pub poam: Option<PoamSettings>,
    pub threats_note: Option<String>,
    pub interconnections_note: Option<String>,
    pub signatures: Option<Vec<SarSignature>>,
}

/// Where a risk item came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RiskOrigin {
    /// A finding (manual, pen test, documentation review, or an accepted scanner weakness).
    Finding { id: String, reference: String },
    /// A weakness the assessor validated as a false positive.
    FalsePositive {
        #[cfg_attr(feature = "specta", specta(type = u32))]
        weakness_id: i64,
    },
    /// A failed or warning configuration (compliance) check rolled up across hosts.
    ConfigurationCheck { check: String },
}

/// One risk: a RET row and the POA&M item seeded from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RiskItem {
    /// The POA&M / RET id in the CSP's scheme.
    pub poam_id: String,
    pub tab: RetTab,
    pub poam_tab: PoamTab,
    pub origin: RiskOrigin,
    pub category: FindingCategory,
    pub controls: Vec<String>,
    pub name: String,
    pub description: String,
    pub detector_source: String,
    pub source_identifier: String,
    /// Asset identifiers (inventory asset ids, or the scanner's host with port/protocol).
    pub assets: Vec<String>,
    pub detected_on: NaiveDate,
    pub original_risk: RiskLevel,
    /// The adjusted rating of a risk adjustment (any status other than No).
    pub adjusted_risk: Option<RiskLevel>,
    /// The rating that counts: the adjusted one when the adjustment is validated (Yes).
    pub effective_risk: RiskLevel,
    /// The scanner or CVSS said Critical (30-day remediation whatever the rating).
    pub critical: bool,
    pub risk_adjustment: DeviationAnswer,
    pub false_positive: DeviationAnswer,
    pub operational_requirement: DeviationAnswer,
    pub vendor_dependency: bool,
    pub vendor_product: String,
    pub last_vendor_check_in: Option<NaiveDate>,
    pub deviation_rationale: String,
    pub remediation: String,
    pub comments: String,
    pub cves: Vec<String>,
    /// The earliest CISA KEV due date among the item's CVEs.
    pub kev_due: Option<NaiveDate>,
    pub scheduled_completion: NaiveDate,
    /// When the risk was closed (corrected and validated, or validated false positive).
    pub closed_on: Option<NaiveDate>,
    pub evidence_ids: Vec<String>,
}

/// The scanner facts behind a finding that came from an accepted weakness.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanOrigin {
    pub tool: String,
    pub plugin_id: String,
    pub severity: String,
    pub cves: Vec<String>,
    pub asset_labels: Vec<String>,
    /// The raw scan file ids the weakness was seen in (its evidence).
    pub first_seen: String,
}

/// Everything [`build_risk_items`] reads.
#[derive(Debug, Clone, Default)]
pub struct RiskInputs<'a> {
    pub findings: &'a [Finding],
    /// Finding id → the weakness it was accepted from.
    pub scan_origins: HashMap<String, ScanOrigin>,
    /// Weaknesses reviewed as false positives.
    pub false_positives: &'a [WeaknessRow],
    pub configuration: &'a [ConfigurationFinding],
    /// The date configuration checks were found (the earliest compliance scan), if any.
    pub configuration_detected_on: Option<NaiveDate>,
    /// Inventory uuid → the identifier written in the RET (asset id, else address).
    pub asset_labels: HashMap<String, String>,
    /// CVE id → CISA KEV due date.
    pub kev: HashMap<String, NaiveDate>,
    /// Weakness id → the day its earliest scan ran (else its first import is used).
    pub scan_dates: HashMap<i64, NaiveDate>,
}

/// The date of an ISO 8601 timestamp (its first ten characters).
pub fn date_of(timestamp: &str) -> Option<NaiveDate> {
    timestamp
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// The day a scanner says its scan ran, from the forms scanners write: ISO 8601 / RFC 3339
/// (SARIF, Trivy, Grype, Nuclei), ctime `Tue Apr  7 09:05:12 2026` (Nessus HOST_START),
/// `Wed, 8 Apr 2026 15:20:44` (ZAP), Unix seconds (Nessus policy times, Nmap `start`).
pub fn scan_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    if let Some(d) = date_of(t) {
        return Some(d);
    }
    let words = t.split_whitespace().collect::<Vec<_>>().join(" ");
    for fmt in [
        "%a %b %d %H:%M:%S %Y",
        "%a, %d %b %Y %H:%M:%S",
        "%a, %d %b %Y %H:%M:%S %z",
        "%d %b %Y %H:%M:%S",
        "%Y/%m/%d %H:%M:%S",
    ] {
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(&words, fmt) {
            return Some(dt.date());
        }
        if let Ok(dt) = chrono::DateTime::parse_from_str(&words, fmt) {
            return Some(dt.date_naive());
        }
    }
    t.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .and_then(|n| chrono::DateTime::from_timestamp(n, 0))
        .map(|d| d.date_naive())
}

fn kev_due(cves: &[String], kev: &HashMap<String, NaiveDate>) -> Option<NaiveDate> {
    cves.iter().filter_map(|c| kev.get(c)).min().copied()
}

/// The imported CISA Known Exploited Vulnerabilities catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct KevCatalogInfo {
    pub source_name: String,
    pub sha256: String,
    pub catalog_version: String,
    pub released: String,
    pub entries: u32,
    pub imported_at: String,
}

/// One KEV catalog entry (the fields Assay uses).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KevEntry {
    pub cve: String,
    pub vendor: String,
    pub product: String,
    pub name: String,
    pub date_added: NaiveDate,
    pub due_date: NaiveDate,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawKevCatalog {
    catalog_version: String,
    date_released: String,
    vulnerabilities: Vec<RawKev>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawKev {
    #[serde(rename = "cveID")]
    cve_id: String,
    #[serde(default)]
    vendor_project: String,
    #[serde(default)]
    product: String,
    #[serde(default)]
    vulnerability_name: String,
    date_added: String,
    due_date: String,
}

/// Reads a CISA KEV catalog (`known_exploited_vulnerabilities.json`, schema 1.x). Errors name
/// the file and the line/column or entry at fault. A key repeated in one object, or a string,
/// number or nesting over [`assay_json::Limits::DEFAULT`], is refused before parsing.
pub fn parse_kev_catalog(
    bytes: &[u8],
    source: &str,
) -> Result<(String, String, Vec<KevEntry>), String> {
    assay_json::check(bytes, assay_json::Limits::DEFAULT).map_err(|v| {
        format!(
            "{source}: line {} column {}: not a usable KEV catalog: {}",
            v.line, v.column, v.problem
        )
    })?;
    let raw: RawKevCatalog = serde_json::from_slice(bytes).map_err(|e| {
        format!(
            "{source}: line {} column {}: not a CISA KEV catalog: {e}",
            e.line(),
            e.column()
        )
    })?;
    let date = |i: usize, field: &str, v: &str| {
        NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").map_err(|_| {
            format!("{source}: $.vulnerabilities[{i}].{field}: '{v}' is not a YYYY-MM-DD date")
        })
    };
    let mut out = Vec::with_capacity(raw.vulnerabilities.len());
    for (i, v) in raw.vulnerabilities.into_iter().enumerate() {
        let cve = v.cve_id.trim().to_ascii_uppercase();
        if !cve.starts_with("CVE-") {
            return Err(format!(
                "{source}: $.vulnerabilities[{i}].cveID: '{}' is not a CVE id",
                v.cve_id
            ));
        }
        out.push(KevEntry {
            date_added: date(i, "dateAdded", &v.date_added)?,
            due_date: date(i, "dueDate", &v.due_date)?,
            cve,
            vendor: v.vendor_project,
            product: v.product,
            name: v.vulnerability_name,
        });
    }
    Ok((raw.catalog_version, raw.date_released, out))
}

/// The scheduled completion date: FedRAMP's 30/90/180 days, or an earlier KEV due date, never
/// before detection (a KEV date already past at detection makes the item due at once).
pub fn scheduled_completion(
    detected: NaiveDate,
    original: RiskLevel,
    critical: bool,
    kev_due: Option<NaiveDate>,
) -> NaiveDate {
    assay_risk::fedramp::scheduled_completion(detected, original.into(), critical, kev_due)
        .max(detected)
}

fn cves_in(text: &str) -> Vec<String> {
    let mut out = BTreeSet::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(pos) = text[i..].find("CVE-") {
        let start = i + pos;
        let mut end = start + 4;
        let mut digits = 0;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'-') {
            if bytes[end].is_ascii_digit() {
                digits += 1;
            }
            end += 1;
        }
        let cand = text[start..end].trim_end_matches('-');
        if digits >= 8 && cand.matches('-').count() == 2 {
            out.insert(cand.to_owned());
        }
        i = end.max(start + 4);
    }
    out.into_iter().collect()
}

fn detector_source(f: &Finding) -> String {
    match (f.source, f.category) {
        (FindingSource::ManualTest | FindingSource::Interview, FindingCategory::SrtmTestCase) => {
            "Assessment Test Case".into()
        }
        (s, _) => s.label().into(),
    }
}

fn finding_tab(f: &Finding) -> RetTab {
    if !f.open {
        RetTab::Corrected
    } else if f.category == FindingCategory::Cm6 {
        RetTab::Configuration
    } else if f
        .controls
        .first()
        .is_some_and(|c| c.eq_ignore_ascii_case("PL-2"))
        && f.source == FindingSource::DocumentationReview
    {
        RetTab::Pl2
    } else {
        RetTab::Ret
    }
}

fn rationale_of(f: &Finding) -> String {
    let mut parts = Vec::new();
    if let Some(ra) = &f.risk_adjustment {
        parts.push(format!("Risk adjustment: {}", ra.rationale.trim()));
    }
    if let Some(fp) = &f.false_positive {
        parts.push(format!("False positive: {}", fp.rationale.trim()));
    }
    if let Some(or) = &f.operational_requirement {
        parts.push(format!("Operational requirement: {}", or.rationale.trim()));
    }
    if let Some(vd) = &f.vendor_dependency {
        if !vd.rationale.trim().is_empty() {
            parts.push(format!("Vendor dependency: {}", vd.rationale.trim()));
        }
    }
    parts.join("\n")
}

/// A finding's CVE ids: the scanner's, else those its title and description name.
fn finding_cves(f: &Finding, origin: Option<&ScanOrigin>) -> Vec<String> {
    match origin {
        Some(o) if !o.cves.is_empty() => o.cves.clone(),
        _ => cves_in(&format!("{} {}", f.title, f.description)),
    }
}

/// Every CVE id the risk items built from `inputs` will name, so their KEV due dates can be
/// looked up before the items are built.
pub fn named_cves(inputs: &RiskInputs<'_>) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = inputs
        .findings
        .iter()
        .flat_map(|f| finding_cves(f, inputs.scan_origins.get(&f.id)))
        .collect();
    out.extend(
        inputs
            .false_positives
            .iter()
            .flat_map(|w| w.cves.iter().cloned()),
    );
    out
}

fn finding_item(f: &Finding, inputs: &RiskInputs<'_>) -> RiskItem {
    let origin = inputs.scan_origins.get(&f.id);
    let tab = finding_tab(f);
    let cves = finding_cves(f, origin);
    let critical = origin.map(|o| o.severity.eq_ignore_ascii_case("critical")) == Some(true)
        || f.cvss
            .as_ref()
            .is_some_and(|c| c.base_severity.eq_ignore_ascii_case("critical"));
    let assets = match origin {
        Some(o) if !o.asset_labels.is_empty() => o.asset_labels.clone(),
        _ => f
            .assets
            .iter()
            .map(|a| {
                inputs
                    .asset_labels
                    .get(a)
                    .cloned()
                    .unwrap_or_else(|| a.clone())
            })
            .collect(),
    };
    let (detector, identifier) = match origin {
        Some(o) => (o.tool.clone(), o.plugin_id.clone()),
        None => (
            detector_source(f),
            if f.objective_ids.is_empty() {
                f.reference.clone()
            } else {
                f.objective_ids.join(", ")
            },
        ),
    };
    let kev = kev_due(&cves, &inputs.kev);
    let adjusted = f
        .risk_adjustment
        .as_ref()
        .filter(|ra| ra.status != DeviationAnswer::No)
        .map(|ra| ra.adjusted_risk);
    let answer = |d: Option<DeviationAnswer>| d.unwrap_or(DeviationAnswer::No);
    let vd = f
        .vendor_dependency
        .as_ref()
        .filter(|v| v.status != DeviationAnswer::No);
    let closed_on = if f.open {
        None
    } else {
        f.closure
            .as_ref()
            .map(|c| c.date)
            .or_else(|| date_of(&f.updated_at))
    };
    let mut evidence = f.evidence_ids.clone();
    if let Some(c) = &f.closure {
        evidence.extend(c.verification_evidence_ids.iter().cloned());
    }
    for d in [&f.false_positive, &f.operational_requirement]
        .into_iter()
        .flatten()
    {
        evidence.extend(d.evidence_ids.iter().cloned());
    }
    let mut seen = BTreeSet::new();
    evidence.retain(|e| seen.insert(e.clone()));
    let comments = match &f.closure {
        Some(c) => format!(
            "{}: corrected during testing on {}: {}",
            f.reference,
            c.date,
            c.description.trim()
        ),
        None => f.reference.clone(),
    };
    RiskItem {
        poam_id: String::new(),
        tab,
        poam_tab: tab.poam_tab(),
        origin: RiskOrigin::Finding {
            id: f.id.clone(),
            reference: f.reference.clone(),
        },
        category: f.category,
        controls: f.controls.clone(),
        name: f.title.clone(),
        description: f.description.clone(),
        detector_source: detector,
        source_identifier: identifier,
        assets,
        detected_on: f.detected_on,
        original_risk: f.risk,
        adjusted_risk: adjusted,
        effective_risk: f.effective_risk,
        critical,
        risk_adjustment: answer(f.risk_adjustment.as_ref().map(|d| d.status)),
        false_positive: answer(f.false_positive.as_ref().map(|d| d.status)),
        operational_requirement: answer(f.operational_requirement.as_ref().map(|d| d.status)),
        vendor_dependency: vd.is_some(),
        vendor_product: vd.map(|v| v.product.clone()).unwrap_or_default(),
        last_vendor_check_in: vd.map(|v| v.last_check_in),
        deviation_rationale: rationale_of(f),
        remediation: f.recommendation.clone(),
        comments,
        scheduled_completion: scheduled_completion(f.detected_on, f.risk, critical, kev),
        kev_due: kev,
        cves,
        closed_on,
        evidence_ids: evidence,
    }
}

fn false_positive_item(w: &WeaknessRow, inputs: &RiskInputs<'_>) -> Option<RiskItem> {
    let risk = w.fedramp_risk?;
    let detected = inputs
        .scan_dates
        .get(&w.id)
        .copied()
        .or_else(|| date_of(&w.first_seen))?;
    let critical = w.severity.eq_ignore_ascii_case("critical");
    let kev = kev_due(&w.cves, &inputs.kev);
    Some(RiskItem {
        poam_id: String::new(),
        tab: RetTab::Corrected,
        poam_tab: PoamTab::Closed,
        origin: RiskOrigin::FalsePositive { weakness_id: w.id },
        category: FindingCategory::OsScan,
        controls: vec!["RA-5".into()],
        name: w.name.clone(),
        description: w.synopsis.clone().unwrap_or_default(),
        detector_source: w.tool.clone(),
        source_identifier: w.plugin_id.clone(),
        assets: w.assets.iter().map(|a| a.label.clone()).collect(),
        detected_on: detected,
        original_risk: risk,
        adjusted_risk: None,
        effective_risk: risk,
        critical,
        risk_adjustment: DeviationAnswer::No,
        false_positive: DeviationAnswer::Yes,
        operational_requirement: DeviationAnswer::No,
        vendor_dependency: false,
        vendor_product: String::new(),
        last_vendor_check_in: None,
        deviation_rationale: w.review_rationale.clone(),
        remediation: w.solution.clone().unwrap_or_default(),
        comments: "Validated false positive".into(),
        scheduled_completion: scheduled_completion(detected, risk, critical, kev),
        kev_due: kev,
        cves: w.cves.clone(),
        closed_on: date_of(&w.last_seen),
        evidence_ids: w.review_evidence.clone(),
    })
}

/// The rating of a failed (Moderate) or warning (Low) configuration check: a deviation from the
/// hardening baseline with no scanner severity of its own.
pub fn configuration_risk(result: &str) -> RiskLevel {
    if result.eq_ignore_ascii_case("fail") || result.eq_ignore_ascii_case("failed") {
        RiskLevel::Moderate
    } else {
        RiskLevel::Low
    }
}

fn configuration_item(c: &ConfigurationFinding, detected: NaiveDate) -> RiskItem {
    let risk = configuration_risk(&c.result);
    let mut controls = vec!["CM-6".to_owned()];
    for r in &c.refs_800_53 {
        if !controls.iter().any(|x| x.eq_ignore_ascii_case(r)) {
            controls.push(r.clone());
        }
    }
    let mut description = format!(
        "Configuration check {} on {} of {} host(s)",
        c.result,
        c.failed + c.warnings,
        c.failed + c.warnings + c.passed
    );
    if let Some(a) = &c.audit_file {
        description.push_str(&format!(" (benchmark: {a})"));
    }
    description.push('.');
    RiskItem {
        poam_id: String::new(),
        tab: RetTab::Configuration,
        poam_tab: PoamTab::Configuration,
        origin: RiskOrigin::ConfigurationCheck {
            check: c.check_name.clone(),
        },
        category: FindingCategory::Cm6,
        controls,
        name: c.check_name.clone(),
        description,
        detector_source: "Nessus compliance audit".into(),
        source_identifier: c
            .check_id
            .clone()
            .or_else(|| c.audit_file.clone())
            .unwrap_or_else(|| "None".into()),
        assets: c.hosts.clone(),
        detected_on: detected,
        original_risk: risk,
        adjusted_risk: None,
        effective_risk: risk,
        critical: false,
        risk_adjustment: DeviationAnswer::No,
        false_positive: DeviationAnswer::No,
        operational_requirement: DeviationAnswer::No,
        vendor_dependency: false,
        vendor_product: String::new(),
        last_vendor_check_in: None,
        deviation_rationale: String::new(),
        remediation: "Apply the benchmark setting on every listed host, or document an approved deviation in the CSP's configuration baseline.".into(),
        comments: String::new(),
        scheduled_completion: scheduled_completion(detected, risk, false, None),
        kev_due: None,
        cves: Vec::new(),
        closed_on: None,
        evidence_ids: Vec::new(),
    }
}

fn risk_rank(l: RiskLevel) -> u8 {
    match l {
        RiskLevel::High => 0,
        RiskLevel::Moderate => 1,
        RiskLevel::Low => 2,
    }
}

fn tab_rank(t: RetTab) -> u8 {
    match t {
        RetTab::Ret => 0,
        RetTab::Pl2 => 1,
        RetTab::Configuration => 2,
        RetTab::Corrected => 3,
    }
}

/// Builds the risk items and numbers them in the CSP's scheme: open RET rows first (by original
/// risk, then detection date, then name), then PL-2 findings, configuration findings and the
/// closed items, so the numbering is stable for the same data.
pub fn build_risk_items(inputs: &RiskInputs<'_>, settings: &PoamSettings) -> Vec<RiskItem> {
    let mut items: Vec<RiskItem> = inputs
        .findings
        .iter()
        .map(|f| finding_item(f, inputs))
        .collect();
    items.extend(
        inputs
            .false_positives
            .iter()
            .filter_map(|w| false_positive_item(w, inputs)),
    );
    if let Some(detected) = inputs.configuration_detected_on {
        items.extend(
            inputs
                .configuration
                .iter()
                .filter(|c| c.failed + c.warnings > 0)
                .map(|c| configuration_item(c, detected)),
        );
    }
    items.sort_by(|a, b| {
        (tab_rank(a.tab), risk_rank(a.original_risk), a.detected_on)
            .cmp(&(tab_rank(b.tab), risk_rank(b.original_risk), b.detected_on))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.source_identifier.cmp(&b.source_identifier))
    });
    for (i, item) in items.iter_mut().enumerate() {
        item.poam_id = settings.id(i);
    }
    items
}

/// One row of Table 2-2: counts per column.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Table22Counts {
    pub total: u32,
    pub operational_requirement: u32,
    pub vendor_dependency: u32,
    pub srtm: u32,
    pub os_scans: u32,
    pub web_scans: u32,
    pub db_scans: u32,
    pub container_scans: u32,
    pub pen_test: u32,
    pub cm6: u32,
}

impl Table22Counts {
    fn add(&mut self, item: &RiskItem) {
        self.total += 1;
        if item.operational_requirement != DeviationAnswer::No {
            self.operational_requirement += 1;
        }
        if item.vendor_dependency {
            self.vendor_dependency += 1;
        }
        let cell = match item.category {
            FindingCategory::SrtmTestCase => &mut self.srtm,
            FindingCategory::OsScan => &mut self.os_scans,
            FindingCategory::WebScan => &mut self.web_scans,
            FindingCategory::DbScan => &mut self.db_scans,
            FindingCategory::ContainerScan => &mut self.container_scans,
            FindingCategory::PenTest => &mut self.pen_test,
            FindingCategory::Cm6 => &mut self.cm6,
        };
        *cell += 1;
    }

    /// The column values in template order (Total, OR, VD, SRTM, OS, Web, DB, Container, Pen
    /// Test, CM-6).
    pub fn cells(&self) -> [u32; 10] {
        [
            self.total,
            self.operational_requirement,
            self.vendor_dependency,
            self.srtm,
            self.os_scans,
            self.web_scans,
            self.db_scans,
            self.container_scans,
            self.pen_test,
            self.cm6,
        ]
    }
}

/// The column headers of Table 2-2 after "Category".
pub const TABLE_2_2_COLUMNS: [&str; 10] = [
    "Total",
    "Operational Requirement (OR)",
    "Vendor Dependency (VD)",
    "SRTM Test Cases",
    "OS Scans",
    "Web Scans",
    "DB Scans",
    "Container Scans",
    "Pen Test",
    "CM-6 Finds",
];

/// A labelled row of Table 2-2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Table22Line {
    pub label: String,
    pub counts: Table22Counts,
}

/// SAR Table 2-2 "Summary of Risks that Remained Open at the Conclusion of this Assessment".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Table22 {
    /// High, H RA to M, M, H RA to L, M RA to L, L (template order).
    pub rows: Vec<Table22Line>,
    pub total: Table22Counts,
}

/// The Table 2-2 row of an open item: a validated (Yes) risk adjustment moves it.
fn table_row(item: &RiskItem) -> assay_risk::fedramp::Table22Row {
    let adjusted = (item.risk_adjustment == DeviationAnswer::Yes)
        .then_some(item.adjusted_risk)
        .flatten()
        .map(Into::into);
    assay_risk::fedramp::classify_table_2_2(item.original_risk.into(), adjusted)
}

/// Computes Table 2-2 from the open items.
pub fn table_2_2(items: &[RiskItem]) -> Table22 {
    use assay_risk::fedramp::Table22Row;
    let mut by_row: BTreeMap<usize, Table22Counts> = BTreeMap::new();
    let mut total = Table22Counts::default();
    for item in items.iter().filter(|i| i.tab.is_open()) {
        let row = table_row(item);
        let idx = Table22Row::ALL.iter().position(|r| *r == row).unwrap_or(0);
        by_row.entry(idx).or_default().add(item);
        total.add(item);
    }
    Table22 {
        rows: Table22Row::ALL
            .iter()
            .enumerate()
            .map(|(i, r)| Table22Line {
                label: r.label().to_owned(),
                counts: by_row.remove(&i).unwrap_or_default(),
            })
            .collect(),
        total,
    }
}

/// Executive-summary figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SarSummary {
    /// Open risks (RET, configuration and PL-2 tabs).
    pub open_total: u32,
    pub open_high: u32,
    pub open_moderate: u32,
    pub open_low: u32,
    /// Open risks with an operational requirement (Yes or Pending).
    pub operational_requirements: u32,
    pub vendor_dependencies: u32,
    /// Open risks with a risk adjustment (Yes or Pending).
    pub risk_adjustments: u32,
    /// Deviation requests still pending the AO's approval.
    pub pending_deviations: u32,
    /// Risks corrected during testing (excluding false positives).
    pub corrected: u32,
    pub false_positives: u32,
    pub configuration_findings: u32,
    pub pl2_findings: u32,
    pub controls_assessed: u32,
    pub objectives_total: u32,
    pub objectives_satisfied: u32,
    pub objectives_other_than_satisfied: u32,
    pub objectives_untested: u32,
    pub assets_in_scope: u32,
    pub assets_scanned: u32,
    pub assets_credentialed: u32,
    pub undocumented_assets: u32,
    /// Kinds of testing performed, as the executive summary lists them.
    pub test_types: Vec<String>,
    /// Open risks by category (Table 2-2 columns SRTM … CM-6), for the chart.
    pub open_by_category: Vec<(String, u32)>,
}

fn n32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Computes the executive-summary figures.
pub fn summarize(
    items: &[RiskItem],
    tests: &[TestRow],
    coverage: &Coverage,
    scan_formats: &[String],
) -> SarSummary {
    let open: Vec<&RiskItem> = items.iter().filter(|i| i.tab.is_open()).collect();
    let level = |l: RiskLevel| n32(open.iter().filter(|i| i.effective_risk == l).count());
    // A control counts as assessed once any of its objectives has a result.
    let controls: BTreeSet<&str> = tests
        .iter()
        .filter(|t| t.result != TestResult::Untested)
        .map(|t| t.control_id.as_str())
        .collect();
    let result = |r: TestResult| n32(tests.iter().filter(|t| t.result == r).count());
    let t22 = table_2_2(items);
    let open_by_category = TABLE_2_2_COLUMNS[3..]
        .iter()
        .zip(&t22.total.cells()[3..])
        .map(|(label, n)| ((*label).to_owned(), *n))
        .collect();
    let mut test_types = Vec::new();
    if !tests.is_empty() {
        test_types.push("Security control testing (SRTM test cases)".to_owned());
    }
    let has_source = |s: FindingSource| {
        items.iter().any(|i| {
            matches!(&i.origin, RiskOrigin::Finding { .. }) && i.detector_source == s.label()
        })
    };
    if has_source(FindingSource::ManualTest) {
        test_types.push("Manual testing".to_owned());
    }
    if has_source(FindingSource::PenetrationTest) {
        test_types.push("Penetration testing".to_owned());
    }
    if has_source(FindingSource::DocumentationReview) {
        test_types.push("Documentation review".to_owned());
    }
    for (kind, label) in [
        ("os", "Operating system and infrastructure scans"),
        ("web", "Web application scans"),
        ("db", "Database scans"),
        ("container", "Container scans"),
        ("code", "Static code analysis"),
    ] {
        if scan_formats.iter().any(|f| scan_kind(f) == kind) {
            test_types.push(label.to_owned());
        }
    }
    SarSummary {
        open_total: n32(open.len()),
        open_high: level(RiskLevel::High),
        open_moderate: level(RiskLevel::Moderate),
        open_low: level(RiskLevel::Low),
        operational_requirements: n32(open
            .iter()
            .filter(|i| i.operational_requirement != DeviationAnswer::No)
            .count()),
        vendor_dependencies: n32(open.iter().filter(|i| i.vendor_dependency).count()),
        risk_adjustments: n32(open
            .iter()
            .filter(|i| i.risk_adjustment != DeviationAnswer::No)
            .count()),
        pending_deviations: n32(items
            .iter()
            .filter(|i| {
                [
                    i.risk_adjustment,
                    i.false_positive,
                    i.operational_requirement,
                ]
                .contains(&DeviationAnswer::Pending)
            })
            .count()),
        corrected: n32(items
            .iter()
            .filter(|i| i.tab == RetTab::Corrected && i.false_positive != DeviationAnswer::Yes)
            .count()),
        false_positives: n32(items
            .iter()
            .filter(|i| i.tab == RetTab::Corrected && i.false_positive == DeviationAnswer::Yes)
            .count()),
        configuration_findings: n32(open
            .iter()
            .filter(|i| i.tab == RetTab::Configuration)
            .count()),
        pl2_findings: n32(open.iter().filter(|i| i.tab == RetTab::Pl2).count()),
        controls_assessed: n32(controls.len()),
        objectives_total: n32(tests.len()),
        objectives_satisfied: result(TestResult::Satisfied),
        objectives_other_than_satisfied: result(TestResult::OtherThanSatisfied),
        objectives_untested: result(TestResult::Untested),
        assets_in_scope: n32(coverage.assets.len()),
        assets_scanned: n32(coverage.assets.iter().filter(|a| a.scanned).count()),
        assets_credentialed: n32(coverage
            .assets
            .iter()
            .filter(|a| a.credentialed == Some(true))
            .count()),
        undocumented_assets: n32(coverage.undocumented.len()),
        test_types,
        open_by_category,
    }
}

/// The kind of scanning a scan file format stands for (Table 2-2 / test-type wording).
pub fn scan_kind(format: &str) -> &'static str {
    match format {
        "zap-xml" | "zap-json" | "burp-xml" | "nuclei" => "web",
        "trivy" | "grype" => "container",
        "sarif" => "code",
        _ => "os",
    }
}

/// The summary sentence the SAR template's tooling writes.
pub fn summary_sentence(s: &SarSummary) -> String {
    format!(
        "A total of {} system risks were identified, including {} High, {} Moderate, {} Low and {} operationally required risks.",
        s.open_total, s.open_high, s.open_moderate, s.open_low, s.operational_requirements
    )
}

/// Why a recommendation cannot be recorded, if it cannot: the statement must fit the assessment
/// type, and "recommend" is refused while open High risks remain on an initial assessment.
pub fn check_recommendation(
    statement: Recommendation,
    kind: AssessmentType,
    summary: &SarSummary,
) -> Result<(), String> {
    if !Recommendation::allowed_for(kind).contains(&statement) {
        let allowed: Vec<&str> = Recommendation::allowed_for(kind)
            .iter()
            .map(|r| r.code())
            .collect();
        let kind = match kind {
            AssessmentType::Initial => "an initial assessment",
            AssessmentType::Annual => "an annual assessment",
            AssessmentType::Scr => "a significant change request",
        };
        return Err(format!(
            "'{}' does not fit {kind}; use one of: {}",
            statement.code(),
            allowed.join(", ")
        ));
    }
    if statement.is_positive() && kind != AssessmentType::Annual && summary.open_high > 0 {
        return Err(format!(
            "{} High risk(s) remain open; all High risks must be remediated before the assessor can recommend authorization",
            summary.open_high
        ));
    }
    Ok(())
}

string_enum! {
    /// How serious a consistency problem is: errors block the deliverable package.
    pub enum CheckSeverity ("check severity") {
        Error => ("error", "Error"),
        Warning => ("warning", "Warning"),
    }
}

/// One consistency problem found before export, with how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConsistencyCheck {
    /// Stable code, e.g. `SAR-003`.
    pub code: String,
    pub severity: CheckSeverity,
    pub message: String,
    pub hint: String,
    /// The page of the app where it is fixed (`testing`, `findings`, `weaknesses`, `coverage`,
    /// `sar`, `sap`).
    pub page: String,
    /// The record concerned (objective id, finding reference, inventory uuid, ...).
    pub subject: Option<String>,
}

/// What the consistency checks read besides the risk items.
#[derive(Debug, Clone)]
pub struct CheckInputs<'a> {
    pub items: &'a [RiskItem],
    pub findings: &'a [Finding],
    pub tests: &'a [TestRow],
    pub coverage: &'a Coverage,
    /// Weaknesses still waiting for review (RET candidates only).
    pub pending_weaknesses: u32,
    pub summary: &'a SarSummary,
    pub table: &'a Table22,
    pub recommendation: Option<Recommendation>,
    pub assessment_type: AssessmentType,
    pub sap_signed: bool,
    /// The RET tab rows and POA&M rows as exported: (id, original rating, detector source).
    pub ret_rows: Vec<(String, RiskLevel, String)>,
    pub poam_rows: Vec<(String, RiskLevel, String)>,
}

fn check(
    code: &str,
    severity: CheckSeverity,
    message: String,
    hint: &str,
    page: &str,
    subject: Option<String>,
) -> ConsistencyCheck {
    ConsistencyCheck {
        code: code.into(),
        severity,
        message,
        hint: hint.into(),
        page: page.into(),
        subject,
    }
}

/// SAR-001: every RET row has a POA&M item with the same original rating and detector source,
/// and every POA&M item a RET row. Rows are (id, original rating, detector source); the package
/// runs this again on the two workbooks as written.
pub fn ret_poam_checks(
    ret_rows: &[(String, RiskLevel, String)],
    poam_rows: &[(String, RiskLevel, String)],
) -> Vec<ConsistencyCheck> {
    let index = |rows: &'_ [(String, RiskLevel, String)]| -> HashMap<String, (RiskLevel, String)> {
        rows.iter()
            .map(|(id, r, s)| (id.clone(), (*r, s.clone())))
            .collect()
    };
    let (ret, poam) = (index(ret_rows), index(poam_rows));
    let mut out = Vec::new();
    for (id, rating, source) in ret_rows {
        match poam.get(id) {
            None => out.push(check(
                "SAR-001",
                CheckSeverity::Error,
                format!("RET row {id} has no POA&M item"),
                "Every RET row seeds one POA&M item; re-export both from the same data.",
                "sar",
                Some(id.clone()),
            )),
            Some((r, s)) if r != rating || s != source => out.push(check(
                "SAR-001",
                CheckSeverity::Error,
                format!("RET row {id} and its POA&M item differ in original risk rating or detector source"),
                "Re-export the RET and the POA&M from the same data.",
                "sar",
                Some(id.clone()),
            )),
            Some(_) => {}
        }
    }
    for (id, _, _) in poam_rows {
        if !ret.contains_key(id) {
            out.push(check(
                "SAR-001",
                CheckSeverity::Error,
                format!("POA&M item {id} has no RET row"),
                "Every POA&M item is seeded from one RET row; re-export both from the same data.",
                "sar",
                Some(id.clone()),
            ));
        }
    }
    out
}

/// Runs every consistency check; an empty list means the SAR, RET and POA&M agree with the data.
pub fn check_consistency(c: &CheckInputs<'_>) -> Vec<ConsistencyCheck> {
    use CheckSeverity::{Error, Warning};
    let mut out = Vec::new();

    out.extend(ret_poam_checks(&c.ret_rows, &c.poam_rows));

    // SAR-002: every other-than-satisfied objective has a finding or a corrected record.
    let answered: BTreeSet<&str> = c
        .findings
        .iter()
        .flat_map(|f| f.objective_ids.iter().map(String::as_str))
        .collect();
    for t in c
        .tests
        .iter()
        .filter(|t| t.result == TestResult::OtherThanSatisfied)
    {
        if !answered.contains(t.objective_id.as_str()) && t.finding_ids.is_empty() {
            // A recorded reason keeps it visible without blocking: the assessor has looked.
            let severity = if t.no_finding_reason.trim().is_empty() {
                Error
            } else {
                Warning
            };
            out.push(check(
                "SAR-002",
                severity,
                format!(
                    "objective {} is Other Than Satisfied but no finding answers it",
                    t.objective_id
                ),
                "Add a finding for the objective (or record it corrected during testing).",
                "testing",
                Some(t.objective_id.clone()),
            ));
        }
    }

    // SAR-003: the counts written in the SAR equal the data.
    let open_items = n32(c.items.iter().filter(|i| i.tab.is_open()).count());
    let row_sum: u32 = c.table.rows.iter().map(|r| r.counts.total).sum();
    let category_sum: u32 = c.table.total.cells()[3..].iter().sum();
    let level_sum = c.summary.open_high + c.summary.open_moderate + c.summary.open_low;
    if c.table.total.total != open_items
        || row_sum != open_items
        || category_sum != open_items
        || level_sum != open_items
        || c.summary.open_total != open_items
    {
        out.push(check(
            "SAR-003",
            Error,
            format!(
                "the SAR's counts disagree: {open_items} open risks, Table 2-2 total {}, rows {row_sum}, categories {category_sum}, levels {level_sum}",
                c.table.total.total
            ),
            "Report this as a bug in Assay: every SAR count is computed from the same risk list.",
            "sar",
            None,
        ));
    }

    // SAR-004: every finding has evidence (a scanner weakness carries its scan file).
    for item in c.items {
        let RiskOrigin::Finding { reference, .. } = &item.origin else {
            continue;
        };
        // A scanner finding rests on the raw scan file, which the package carries.
        let from_scan = c
            .findings
            .iter()
            .any(|f| &f.reference == reference && f.source == FindingSource::VulnerabilityScan);
        if item.evidence_ids.is_empty() && !from_scan {
            out.push(check(
                "SAR-004",
                Error,
                format!("finding {reference} has no evidence"),
                "Attach the evidence the finding rests on (Findings page, Evidence).",
                "findings",
                Some(reference.clone()),
            ));
        }
    }

    // SAR-005: every in-scope asset has scan coverage or a recorded explanation.
    for a in &c.coverage.assets {
        if !a.scanned && a.note.trim().is_empty() {
            let name = a.asset_id.clone().unwrap_or_else(|| a.address.clone());
            out.push(check(
                "SAR-005",
                Error,
                format!("in-scope asset {name} was not scanned and has no explanation"),
                "Import a scan that covers it, or record why it was not scanned (Coverage page).",
                "coverage",
                Some(a.inventory_uuid.clone()),
            ));
        }
    }

    // SAR-006: weaknesses still waiting for the assessor's review.
    if c.pending_weaknesses > 0 {
        out.push(check(
            "SAR-006",
            Error,
            format!(
                "{} scanner weakness(es) are not reviewed yet and are missing from the RET",
                c.pending_weaknesses
            ),
            "Accept, mark false positive or merge each weakness (Weaknesses page).",
            "weaknesses",
            None,
        ));
    }

    // SAR-007: the recommendation is recorded and still allowed by the data.
    match c.recommendation {
        None => out.push(check(
            "SAR-007",
            Error,
            "no authorization recommendation is recorded".into(),
            "Choose the recommendation statement (SAR page).",
            "sar",
            None,
        )),
        Some(r) => {
            if let Err(why) = check_recommendation(r, c.assessment_type, c.summary) {
                out.push(check(
                    "SAR-007",
                    Error,
                    format!("the recorded recommendation no longer holds: {why}"),
                    "Record a recommendation that the open risks allow (SAR page).",
                    "sar",
                    None,
                ));
            }
        }
    }

    // SAR-008: objectives not tested.
    let untested = c
        .tests
        .iter()
        .filter(|t| t.result == TestResult::Untested)
        .count();
    if untested > 0 {
        out.push(check(
            "SAR-008",
            Warning,
            format!("{untested} objective(s) have no test result"),
            "Record a result for every objective in scope (Testing page).",
            "testing",
            None,
        ));
    }

    // SAR-009: the SAP the SAR reports against is signed.
    if !c.sap_signed {
        out.push(check(
            "SAR-009",
            Warning,
            "the SAP is not signed".into(),
            "Record the SAP signatures before the SAR goes out (SAP page).",
            "sap",
            None,
        ));
    }

    // SAR-010: pending deviation requests need the AO's approval before authorization.
    if c.summary.pending_deviations > 0 {
        out.push(check(
            "SAR-010",
            Warning,
            format!(
                "{} risk(s) carry a pending deviation request (RA, FP or OR)",
                c.summary.pending_deviations
            ),
            "Pending deviation requests need the authorizing official's approval before authorization.",
            "findings",
            None,
        ));
    }
    out
}

#[cfg(test)]
mod tests;
