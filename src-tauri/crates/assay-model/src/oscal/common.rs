//! Records shared by catalogs and SSPs: where a document came from, props, namespaces, roles,
//! parties and back-matter resources.
//!
//! Invariant: every FedRAMP namespace spelling is `Ns::FedRamp` and the NIST OSCAL namespace (or none)
//! is `Ns::Oscal`, so consumers never compare namespace URIs.

use serde::{Deserialize, Serialize};

/// Serialization format of a source document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    /// OSCAL JSON.
    Json,
    /// OSCAL XML.
    Xml,
}

/// OSCAL model of a document, from its root key / root element.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Model {
    /// `catalog`.
    Catalog,
    /// `profile`.
    Profile,
    /// `system-security-plan`.
    SystemSecurityPlan,
    /// `assessment-plan`.
    AssessmentPlan,
    /// `assessment-results`.
    AssessmentResults,
    /// `plan-of-action-and-milestones`.
    Poam,
    /// `component-definition`.
    ComponentDefinition,
    /// Any other root name.
    Unknown(String),
}

impl Model {
    /// Human name, e.g. "system security plan".
    pub fn describe(&self) -> String {
        match self {
            Model::Catalog => "catalog".into(),
            Model::Profile => "profile".into(),
            Model::SystemSecurityPlan => "system security plan".into(),
            Model::AssessmentPlan => "assessment plan".into(),
            Model::AssessmentResults => "assessment results".into(),
            Model::Poam => "plan of action and milestones".into(),
            Model::ComponentDefinition => "component definition".into(),
            Model::Unknown(name) => format!("document with root {name:?}"),
        }
    }
}

/// Provenance of an imported model (for the import record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// Source name as given by the caller (usually the file name).
    pub name: String,
    /// Lower-case hex SHA-256 of the source bytes.
    pub sha256: String,
    /// Source format.
    pub format: Format,
    /// Declared OSCAL version.
    pub oscal_version: String,
    /// Model.
    pub model: Model,
}

/// Namespace of a property or part.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Ns {
    /// No namespace, or the OSCAL namespace `http://csrc.nist.gov/ns/oscal`.
    Oscal,
    /// Any FedRAMP spelling: `http(s)://fedramp.gov/ns/oscal` or `http(s)://fedramp.gov`.
    FedRamp,
    /// NIST RMF namespace `http://csrc.nist.gov/ns/rmf` (800-53 catalog props).
    Rmf,
    /// Anything else, kept verbatim.
    Other(String),
}

impl Ns {
    /// Classifies a namespace URI.
    pub fn from_uri(uri: Option<&str>) -> Ns {
        let Some(uri) = uri.map(str::trim).filter(|u| !u.is_empty()) else {
            return Ns::Oscal;
        };
        let bare = uri.trim_end_matches('/');
        match bare {
            "http://csrc.nist.gov/ns/oscal" | "https://csrc.nist.gov/ns/oscal" => Ns::Oscal,
            "http://csrc.nist.gov/ns/rmf" | "https://csrc.nist.gov/ns/rmf" => Ns::Rmf,
            "https://fedramp.gov/ns/oscal"
            | "http://fedramp.gov/ns/oscal"
            | "https://fedramp.gov"
            | "http://fedramp.gov" => Ns::FedRamp,
            _ => Ns::Other(uri.to_string()),
        }
    }

    /// True for OSCAL or FedRAMP: the namespaces whose well-known prop names the readers interpret.
    pub fn is_known(&self) -> bool {
        matches!(self, Ns::Oscal | Ns::FedRamp)
    }
}

/// A property (name/value pair) with its normalised namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prop {
    /// Normalised namespace.
    pub ns: Ns,
    /// Property name.
    pub name: String,
    /// Property value (trimmed).
    pub value: String,
    /// Optional class.
    pub class: Option<String>,
}

/// A role defined in metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    /// Role id, e.g. `system-owner`.
    pub id: String,
    /// Title.
    pub title: String,
    /// Short name.
    pub short_name: Option<String>,
    /// Description (plain text).
    pub description: String,
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Address type, e.g. `work`.
    pub address_type: Option<String>,
    /// Street lines.
    pub lines: Vec<String>,
    /// City.
    pub city: String,
    /// State.
    pub state: String,
    /// Postal code.
    pub postal_code: String,
    /// Country.
    pub country: String,
}

/// A person or organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// UUID.
    pub uuid: String,
    /// `person` or `organization`.
    pub party_type: String,
    /// Name.
    pub name: String,
    /// Short name.
    pub short_name: Option<String>,
    /// Email addresses.
    pub emails: Vec<String>,
    /// Telephone numbers.
    pub telephones: Vec<String>,
    /// Postal addresses.
    pub addresses: Vec<Address>,
    /// Organisations this party belongs to (party UUIDs).
    pub member_of: Vec<String>,
    /// Properties.
    pub props: Vec<Prop>,
}

/// A role to parties assignment (metadata responsible-party, responsible-role).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleAssignment {
    /// Role id.
    pub role_id: String,
    /// Party UUIDs.
    pub party_uuids: Vec<String>,
}

/// A hash of a linked resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hash {
    /// Algorithm, e.g. `SHA-256`.
    pub algorithm: String,
    /// Hex value.
    pub value: String,
}

/// A resource link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rlink {
    /// Target.
    pub href: String,
    /// Media type.
    pub media_type: Option<String>,
    /// Hashes.
    pub hashes: Vec<Hash>,
}

/// A back-matter resource. Embedded base64 content is not kept, only its name, type and size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    /// UUID.
    pub uuid: String,
    /// Title.
    pub title: String,
    /// Description (plain text).
    pub description: String,
    /// Properties (e.g. FedRAMP `type`).
    pub props: Vec<Prop>,
    /// Links.
    pub rlinks: Vec<Rlink>,
    /// Embedded file name, if base64 content is present.
    pub base64_filename: Option<String>,
    /// Embedded media type.
    pub base64_media_type: Option<String>,
    /// Length of the base64 text without whitespace (0 when absent).
    pub base64_len: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fedramp_namespaces_are_normalised() {
        let cases = [
            (None, Ns::Oscal),
            (Some(""), Ns::Oscal),
            (Some("http://csrc.nist.gov/ns/oscal"), Ns::Oscal),
            (Some("https://fedramp.gov/ns/oscal"), Ns::FedRamp),
            (Some("http://fedramp.gov/ns/oscal"), Ns::FedRamp),
            (Some("https://fedramp.gov"), Ns::FedRamp),
            (Some("http://fedramp.gov/"), Ns::FedRamp),
            (Some("http://csrc.nist.gov/ns/rmf"), Ns::Rmf),
            (Some("urn:x"), Ns::Other("urn:x".into())),
        ];
        for (uri, want) in cases {
            assert_eq!(Ns::from_uri(uri), want, "{uri:?}");
        }
    }
}
