//! What the UI and CLI see of the loaded baseline: summaries and one control in detail.

use serde::{Deserialize, Serialize};

/// The baseline loaded into the engagement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BaselineInfo {
    pub source_name: String,
    pub source_sha256: String,
    pub source_format: String,
    pub oscal_version: String,
    pub title: String,
    pub version: String,
    pub loaded_at: String,
    /// Controls and enhancements.
    pub controls: u32,
    /// Assessable objectives (determination statements to rate).
    pub objectives: u32,
    pub families: u32,
}

/// A control family with its size, for the control browser's tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Family {
    pub id: String,
    pub title: String,
    pub controls: u32,
}

/// One row of the control list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ControlSummary {
    pub id: String,
    pub label: String,
    pub title: String,
    pub family_id: String,
    pub parent_id: Option<String>,
    pub core: bool,
    pub objectives: u32,
    /// The SSP's implementation status for this control, if the SSP addresses it.
    pub implementation_status: Option<String>,
}

/// A control with everything an assessor reads before testing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ControlDetail {
    pub id: String,
    pub label: String,
    pub title: String,
    pub family_title: String,
    pub core: bool,
    pub statement: Vec<TextLine>,
    pub parameters: Vec<ParameterView>,
    pub guidance: String,
    pub fedramp_notes: Vec<LabelledText>,
    pub objectives: Vec<ObjectiveView>,
    pub methods: Vec<LabelledText>,
    /// The CSP's implementation from the SSP, if any.
    pub implementation: Option<ImplementationView>,
}

/// One line of an indented text (a statement part or objective).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TextLine {
    pub id: String,
    pub label: String,
    pub text: String,
    pub depth: u32,
}

/// A text with a label (guidance notes, methods with their objects).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LabelledText {
    pub label: String,
    pub text: String,
}

/// An organisation-defined parameter with FedRAMP's values and the CSP's choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ParameterView {
    pub id: String,
    pub label: String,
    pub values: Vec<String>,
    pub constraints: Vec<String>,
    pub guidelines: Vec<String>,
    pub choices: Vec<String>,
    /// What the SSP sets the parameter to.
    pub ssp_values: Vec<String>,
}

/// An 800-53A assessment objective.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ObjectiveView {
    pub id: String,
    pub label: String,
    pub text: String,
    pub depth: u32,
    pub assessable: bool,
    pub methods: Vec<String>,
}

/// The SSP's implemented requirement for one control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImplementationView {
    pub status: Option<String>,
    pub origination: Vec<String>,
    pub responsible_roles: Vec<String>,
    pub statements: Vec<StatementView>,
}

/// One statement part's implementation, per component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StatementView {
    pub statement_id: String,
    pub by_components: Vec<ByComponentView>,
}

/// How one component implements a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ByComponentView {
    pub component_uuid: String,
    pub component_title: String,
    pub status: Option<String>,
    pub description: String,
}
