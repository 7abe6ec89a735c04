//! The catalog as Assay keeps it (OSCAL catalogs and resolved-profile catalogs such as the FedRAMP
//! and NIST baselines): the typed, cleaned records the reader (assay-oscal) produces, and the store
//! persists.
//!
//! Invariant: `Catalog::controls` is flat, in document order (`sort_order` 0..n), controls before their
//! enhancements; every enhancement names its `parent_id`; statement parts and objectives keep both the
//! canonical prose (with `{{ insert: param, ID }}` tokens) and the display text with parameters substituted.
//! The serde shape is the stored shape (see `ssp`).

use serde::{Deserialize, Serialize};

use super::common::{Party, Prop, Resource, Role, SourceInfo};

/// A catalog with its controls and enhancements flattened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// Where the catalog came from.
    pub source: SourceInfo,
    /// Catalog UUID.
    pub uuid: String,
    /// Metadata title.
    pub title: String,
    /// Metadata version, e.g. `fedramp2.1.0-oscal1.0.4`.
    pub version: String,
    /// Declared OSCAL version.
    pub oscal_version: String,
    /// Metadata published date-time, if any.
    pub published: Option<String>,
    /// Metadata last-modified date-time.
    pub last_modified: String,
    /// Metadata roles.
    pub roles: Vec<Role>,
    /// Metadata parties.
    pub parties: Vec<Party>,
    /// Groups (families), in document order; nested groups name their parent.
    pub groups: Vec<Group>,
    /// Controls and enhancements in document order.
    pub controls: Vec<Control>,
    /// Back-matter resources (references).
    pub resources: Vec<Resource>,
}

impl Catalog {
    /// Controls and enhancements that are not withdrawn.
    pub fn active_controls(&self) -> impl Iterator<Item = &Control> {
        self.controls.iter().filter(|c| !c.withdrawn)
    }

    /// Looks a control up by id (e.g. `ac-2.1`).
    pub fn control(&self, id: &str) -> Option<&Control> {
        self.controls.iter().find(|c| c.id == id)
    }

    /// Number of objectives carrying the FedRAMP `response-point` prop (active controls only).
    pub fn objective_response_points(&self) -> usize {
        self.active_controls()
            .flat_map(|c| &c.objectives)
            .filter(|o| o.response_point)
            .count()
    }

    /// Number of FedRAMP `response-point` props on objectives (active controls only); exceeds
    /// `objective_response_points` where the resolved catalog repeats the prop on one objective.
    pub fn objective_response_point_props(&self) -> usize {
        self.active_controls()
            .flat_map(|c| &c.objectives)
            .map(|o| o.response_point_props as usize)
            .sum()
    }

    /// Number of statement parts carrying the FedRAMP `response-point` prop (active controls only).
    pub fn statement_response_points(&self) -> usize {
        self.active_controls()
            .flat_map(|c| &c.statement_parts)
            .filter(|p| p.response_point)
            .count()
    }
}

/// A control group (family).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Group id, e.g. `ac`.
    pub id: String,
    /// Title, e.g. `Access Control`.
    pub title: String,
    /// Class.
    pub class: Option<String>,
    /// Enclosing group, for nested groups.
    pub parent_id: Option<String>,
}

/// A control or control enhancement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Control {
    /// Id, e.g. `ac-2` or `ac-2.1`.
    pub id: String,
    /// Display label, e.g. `AC-2`, `AC-2(1)` (the label prop without class; else the id upper-cased).
    pub label: String,
    /// Title.
    pub title: String,
    /// Class, e.g. `SP800-53`.
    pub class: Option<String>,
    /// Parent control id for enhancements.
    pub parent_id: Option<String>,
    /// Family / group id.
    pub group_id: Option<String>,
    /// Family / group title.
    pub group_title: Option<String>,
    /// Position in document order (0-based).
    pub sort_order: u32,
    /// The `sort-id` prop, if any.
    pub sort_id: Option<String>,
    /// Prop `status` = `withdrawn`.
    pub withdrawn: bool,
    /// FedRAMP `CORE` prop present.
    pub core: bool,
    /// FedRAMP `method` props on the control itself (LI-SaaS designations: ASSESS, ATTEST, NSO, ...).
    pub fedramp_methods: Vec<String>,
    /// All props.
    pub props: Vec<Prop>,
    /// Related control ids (links with rel `related`).
    pub related: Vec<String>,
    /// Parameters.
    pub params: Vec<Param>,
    /// Statement as labelled plain-text lines (parameters substituted, nested items indented by two spaces).
    pub statement: String,
    /// Statement part tree, flattened depth-first (the `statement` part itself at depth 0).
    pub statement_parts: Vec<StatementPart>,
    /// NIST guidance (`guidance` part of the control), plain text.
    pub guidance: String,
    /// FedRAMP additional requirements and guidance (`*_fr` parts and FedRAMP-namespace parts).
    pub fedramp_notes: Vec<FedrampNote>,
    /// Assessment objectives, flattened depth-first.
    pub objectives: Vec<Objective>,
    /// Assessment methods (EXAMINE / INTERVIEW / TEST) with their assessment objects.
    pub methods: Vec<AssessmentMethod>,
}

impl Control {
    /// True for control enhancements.
    pub fn is_enhancement(&self) -> bool {
        self.parent_id.is_some()
    }
}

/// A control parameter (organisation-defined parameter).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param {
    /// Id, e.g. `ac-02_odp.01`.
    pub id: String,
    /// Label (plain text).
    pub label: String,
    /// Usage.
    pub usage: String,
    /// Values set by the profile.
    pub values: Vec<String>,
    /// Constraints (FedRAMP parameter values appear here), plain text.
    pub constraints: Vec<String>,
    /// Guidelines, plain text.
    pub guidelines: Vec<String>,
    /// Selection, when the parameter is a choice.
    pub select: Option<ParamSelect>,
    /// Props.
    pub props: Vec<Prop>,
}

/// A parameter selection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamSelect {
    /// `one` or `one-or-more` (None = one).
    pub how_many: Option<String>,
    /// Choices, plain text (may contain insert tokens).
    pub choices: Vec<String>,
}

/// One statement part (e.g. `ac-2_smt.a`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatementPart {
    /// Part id (`ac-2_smt`, `ac-2_smt.a`, ...); empty if the part has none.
    pub id: String,
    /// Label prop, e.g. `a.`.
    pub label: String,
    /// Prose with insert tokens.
    pub prose: String,
    /// Prose with parameters substituted.
    pub text: String,
    /// Parent part id (None for the statement root).
    pub parent_id: Option<String>,
    /// 0 for the statement root.
    pub depth: u32,
    /// FedRAMP `response-point` prop present (an SSP response point).
    pub response_point: bool,
}

/// A FedRAMP additional requirement or guidance note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FedrampNote {
    /// Part id, e.g. `ac-2.3_fr_smt.1`.
    pub id: String,
    /// `requirement` or `guidance`.
    pub kind: String,
    /// Label, e.g. `(d) Requirement:`.
    pub label: String,
    /// Plain text.
    pub text: String,
}

/// An 800-53A assessment objective (determination statement when `leaf`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Objective {
    /// Id, e.g. `ac-2_obj.a-1`.
    pub id: String,
    /// Label, e.g. `AC-02a.[01]`.
    pub label: String,
    /// Prose with insert tokens.
    pub prose: String,
    /// Prose with parameters substituted.
    pub text: String,
    /// Parent objective id (None for the root objective of the control).
    pub parent_id: Option<String>,
    /// 0 for the root objective.
    pub depth: u32,
    /// No child objectives.
    pub leaf: bool,
    /// FedRAMP `response-point` prop present.
    pub response_point: bool,
    /// Number of FedRAMP `response-point` props (a few resolved objectives carry the prop twice).
    pub response_point_props: u32,
    /// FedRAMP `method` props (EXAMINE, INTERVIEW, TEST).
    pub methods: Vec<String>,
}

/// An assessment method part with its potential assessment objects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentMethod {
    /// Part id, e.g. `ac-2_asm-examine`.
    pub id: String,
    /// EXAMINE, INTERVIEW or TEST (prop `method`).
    pub method: String,
    /// Label, e.g. `AC-02-Examine`.
    pub label: String,
    /// Assessment objects, one per line.
    pub objects: String,
}
