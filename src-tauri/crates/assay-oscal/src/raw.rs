//! Raw serde structs in the OSCAL JSON shape, deserialized from serde_json or from the XML tree (`xml`).
//! The document roots and their containers (`Ssp`, `Catalog`, ...) are not derived: `stream` seeds fill
//! them so the large lists can be converted element by element.
//!
//! Invariant: these mirror OSCAL's JSON names only; every field has a default and unknown fields are
//! ignored, so documents from 1.0.x to 1.2.x (and FedRAMP's slightly non-conformant templates) load.
//! Fields holding markup contain Markdown when read from JSON and already-rendered plain text when read
//! from XML; the conversion (`catalog`, `ssp`) renders them through `Text::plain`. Nothing here is public.

use serde::{Deserialize, Deserializer};

/// A scalar that OSCAL JSON writes as a number and XML as text.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Loose(pub(crate) String);

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Loose;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Loose, E> {
                Ok(Loose(v.trim().to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Loose, E> {
                Ok(Loose(v.trim().to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Loose, E> {
                Ok(Loose(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Loose, E> {
                Ok(Loose(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Loose, E> {
                Ok(Loose(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Loose, E> {
                Ok(Loose(v.to_string()))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Loose, E> {
                Ok(Loose(String::new()))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Prop {
    pub name: String,
    pub value: String,
    pub ns: Option<String>,
    pub class: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Link {
    pub href: String,
    pub rel: Option<String>,
    pub media_type: Option<String>,
    #[serde(alias = "$text")]
    pub text: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Metadata {
    pub title: Option<String>,
    pub published: Option<String>,
    pub last_modified: Option<String>,
    pub version: Option<String>,
    pub oscal_version: Option<String>,
    pub props: Vec<Prop>,
    pub roles: Vec<Role>,
    pub parties: Vec<Party>,
    pub responsible_parties: Vec<ResponsibleParty>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Role {
    pub id: String,
    pub title: String,
    pub short_name: Option<String>,
    pub description: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Party {
    pub uuid: String,
    #[serde(rename = "type")]
    pub party_type: String,
    pub name: String,
    pub short_name: Option<String>,
    pub props: Vec<Prop>,
    pub email_addresses: Vec<String>,
    pub telephone_numbers: Vec<Telephone>,
    pub addresses: Vec<Address>,
    pub location_uuids: Vec<String>,
    pub member_of_organizations: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Telephone {
    #[serde(rename = "type")]
    pub phone_type: Option<String>,
    #[serde(alias = "$text")]
    pub number: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Address {
    #[serde(rename = "type")]
    pub address_type: Option<String>,
    pub addr_lines: Vec<String>,
    pub city: String,
    pub state: String,
    pub postal_code: String,
    pub country: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct ResponsibleParty {
    pub role_id: String,
    pub party_uuids: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct ResponsibleRole {
    pub role_id: String,
    pub party_uuids: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct BackMatter {
    pub resources: Vec<Resource>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Resource {
    pub uuid: String,
    pub title: String,
    pub description: String,
    pub props: Vec<Prop>,
    pub rlinks: Vec<Rlink>,
    pub base64: Option<Base64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Rlink {
    pub href: String,
    pub media_type: Option<String>,
    pub hashes: Vec<Hash>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Hash {
    pub algorithm: String,
    #[serde(alias = "$text")]
    pub value: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Base64 {
    pub filename: Option<String>,
    pub media_type: Option<String>,
    #[serde(alias = "$text")]
    pub value: String,
}

// ---------------------------------------------------------------- catalog

/// Filled by `catalog::CatalogRead` (groups and controls arrive one by one).
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    pub uuid: Option<String>,
    pub metadata: Option<Metadata>,
    pub params: Vec<Param>,
    pub controls: Vec<Control>,
    pub groups: Vec<Group>,
    pub back_matter: BackMatter,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Group {
    pub id: String,
    pub class: Option<String>,
    pub title: String,
    pub params: Vec<Param>,
    pub props: Vec<Prop>,
    pub parts: Vec<Part>,
    pub groups: Vec<Group>,
    pub controls: Vec<Control>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Control {
    pub id: String,
    pub class: Option<String>,
    pub title: String,
    pub params: Vec<Param>,
    pub props: Vec<Prop>,
    pub links: Vec<Link>,
    pub parts: Vec<Part>,
    pub controls: Vec<Control>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Param {
    pub id: String,
    pub class: Option<String>,
    pub label: String,
    pub usage: String,
    pub props: Vec<Prop>,
    pub values: Vec<String>,
    pub select: Option<Select>,
    pub constraints: Vec<Constraint>,
    pub guidelines: Vec<Guideline>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Select {
    pub how_many: Option<String>,
    pub choice: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Constraint {
    pub description: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Guideline {
    pub prose: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Part {
    pub id: Option<String>,
    pub name: String,
    pub ns: Option<String>,
    pub class: Option<String>,
    pub title: String,
    pub props: Vec<Prop>,
    pub prose: String,
    pub parts: Vec<Part>,
}

// ---------------------------------------------------------------- system security plan

/// The small parts of an SSP, filled by `ssp::SspRead`; its large lists (users, components, inventory
/// items, implemented requirements, back-matter resources) are converted as they are read and never stored
/// here.
#[derive(Debug, Default)]
pub(crate) struct Ssp {
    pub uuid: Option<String>,
    pub metadata: Option<Metadata>,
    pub import_profile: ImportProfile,
    pub system_characteristics: SystemCharacteristics,
    pub system_implementation: SystemImplementation,
    pub control_implementation: ControlImplementation,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct ImportProfile {
    pub href: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct SystemCharacteristics {
    pub system_ids: Vec<SystemId>,
    pub system_name: String,
    pub system_name_short: Option<String>,
    pub description: String,
    pub props: Vec<Prop>,
    pub date_authorized: Option<String>,
    pub security_sensitivity_level: Option<String>,
    pub system_information: SystemInformation,
    pub security_impact_level: Option<SecurityImpactLevel>,
    pub status: Status,
    pub authorization_boundary: Option<Boundary>,
    pub network_architecture: Option<Boundary>,
    pub data_flow: Option<Boundary>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct SystemId {
    pub identifier_type: Option<String>,
    #[serde(alias = "$text")]
    pub id: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct SystemInformation {
    pub props: Vec<Prop>,
    pub information_types: Vec<InformationType>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct InformationType {
    pub uuid: Option<String>,
    pub title: String,
    pub description: String,
    pub categorizations: Vec<Categorization>,
    pub confidentiality_impact: Option<Impact>,
    pub integrity_impact: Option<Impact>,
    pub availability_impact: Option<Impact>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Categorization {
    pub system: String,
    pub information_type_ids: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Impact {
    pub base: String,
    pub selected: Option<String>,
    pub adjustment_justification: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct SecurityImpactLevel {
    pub security_objective_confidentiality: String,
    pub security_objective_integrity: String,
    pub security_objective_availability: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Status {
    pub state: String,
    pub remarks: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Boundary {
    pub description: String,
    pub diagrams: Vec<Diagram>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Diagram {
    pub uuid: String,
    pub description: String,
    pub caption: String,
    pub links: Vec<Link>,
}

/// `system-implementation` without its large lists (see `Ssp`).
#[derive(Debug, Default)]
pub(crate) struct SystemImplementation {
    pub props: Vec<Prop>,
    pub leveraged_authorizations: Vec<LeveragedAuthorization>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct LeveragedAuthorization {
    pub uuid: String,
    pub title: String,
    pub props: Vec<Prop>,
    pub party_uuid: String,
    /// XML `<party-uuid>` is grouped like the list-valued `party-uuid` of responsible parties.
    pub party_uuids: Vec<String>,
    pub date_authorized: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct User {
    pub uuid: String,
    pub title: Option<String>,
    pub short_name: Option<String>,
    pub description: String,
    pub props: Vec<Prop>,
    pub role_ids: Vec<String>,
    pub authorized_privileges: Vec<AuthorizedPrivilege>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct AuthorizedPrivilege {
    pub title: String,
    pub description: String,
    pub functions_performed: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Component {
    pub uuid: String,
    #[serde(rename = "type")]
    pub component_type: String,
    pub title: String,
    pub description: String,
    pub purpose: Option<String>,
    pub props: Vec<Prop>,
    pub links: Vec<Link>,
    pub status: Status,
    pub responsible_roles: Vec<ResponsibleRole>,
    pub protocols: Vec<Protocol>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Protocol {
    pub uuid: Option<String>,
    pub name: String,
    pub title: Option<String>,
    pub port_ranges: Vec<PortRange>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct PortRange {
    pub start: Loose,
    pub end: Loose,
    pub transport: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct InventoryItem {
    pub uuid: String,
    pub description: String,
    pub props: Vec<Prop>,
    pub links: Vec<Link>,
    pub responsible_parties: Vec<ResponsibleParty>,
    pub implemented_components: Vec<ImplementedComponent>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct ImplementedComponent {
    pub component_uuid: String,
}

/// `control-implementation` without its implemented requirements (see `Ssp`).
#[derive(Debug, Default)]
pub(crate) struct ControlImplementation {
    pub description: String,
    pub set_parameters: Vec<SetParameter>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct SetParameter {
    pub param_id: String,
    pub values: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct ImplementedRequirement {
    pub uuid: String,
    pub control_id: String,
    pub props: Vec<Prop>,
    pub set_parameters: Vec<SetParameter>,
    pub responsible_roles: Vec<ResponsibleRole>,
    pub statements: Vec<Statement>,
    pub by_components: Vec<ByComponent>,
    pub remarks: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Statement {
    pub statement_id: String,
    pub uuid: String,
    pub props: Vec<Prop>,
    pub responsible_roles: Vec<ResponsibleRole>,
    pub by_components: Vec<ByComponent>,
    pub remarks: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct ByComponent {
    pub component_uuid: String,
    pub uuid: String,
    pub description: String,
    pub props: Vec<Prop>,
    pub set_parameters: Vec<SetParameter>,
    pub implementation_status: Option<ImplementationStatus>,
    pub export: Option<Export>,
    pub inherited: Vec<Inherited>,
    pub satisfied: Vec<Satisfied>,
    pub responsible_roles: Vec<ResponsibleRole>,
    pub remarks: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct ImplementationStatus {
    pub state: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Export {
    pub description: String,
    pub provided: Vec<Provided>,
    pub responsibilities: Vec<Responsibility>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Provided {
    pub uuid: String,
    pub description: String,
    pub responsible_roles: Vec<ResponsibleRole>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Responsibility {
    pub uuid: String,
    pub provided_uuid: Option<String>,
    pub description: String,
    pub responsible_roles: Vec<ResponsibleRole>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Inherited {
    pub uuid: String,
    pub provided_uuid: Option<String>,
    pub description: String,
    pub responsible_roles: Vec<ResponsibleRole>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct Satisfied {
    pub uuid: String,
    pub responsibility_uuid: Option<String>,
    pub description: String,
    pub responsible_roles: Vec<ResponsibleRole>,
}
