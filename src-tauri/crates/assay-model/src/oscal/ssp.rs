//! The System Security Plan as Assay keeps it: the typed, cleaned records the reader (assay-oscal)
//! produces from OSCAL JSON or XML, and the store persists.
//!
//! Invariant: lists keep document order; well-known OSCAL/FedRAMP props (inventory asset props, system
//! props, implementation status, ...) are lifted into typed fields *and* every prop stays in `props`, so
//! nothing in the source is lost by the lifting. The serde shape is the stored shape: engagement files
//! hold these records as JSON, so a renamed or retyped field is a migration.

use serde::{Deserialize, Serialize};

use super::common::{Party, Prop, Resource, Role, RoleAssignment, SourceInfo};

/// An OSCAL System Security Plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemSecurityPlan {
    /// Where the SSP came from.
    pub source: SourceInfo,
    /// SSP UUID.
    pub uuid: String,
    /// Document metadata.
    pub metadata: Metadata,
    /// `import-profile` href (the baseline the SSP claims).
    pub import_profile: String,
    /// System characteristics.
    pub system: SystemCharacteristics,
    /// Users, components, inventory, leveraged authorizations.
    pub implementation: SystemImplementation,
    /// Control-implementation description.
    pub control_implementation_description: String,
    /// SSP-wide parameter settings.
    pub set_parameters: Vec<SetParameter>,
    /// Implemented requirements in document order.
    pub implemented_requirements: Vec<ImplementedRequirement>,
    /// Back-matter resources.
    pub resources: Vec<Resource>,
}

/// Document metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// Title.
    pub title: String,
    /// Document version.
    pub version: String,
    /// Last-modified date-time.
    pub last_modified: String,
    /// Published date-time.
    pub published: Option<String>,
    /// Declared OSCAL version.
    pub oscal_version: String,
    /// Props (FedRAMP `marking`, `fedramp-version`, ...).
    pub props: Vec<Prop>,
    /// Roles.
    pub roles: Vec<Role>,
    /// Parties.
    pub parties: Vec<Party>,
    /// Role to party assignments.
    pub responsible_parties: Vec<RoleAssignment>,
}

/// A system identifier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemId {
    /// `identifier-type` URI as written.
    pub identifier_type: Option<String>,
    /// The identifier.
    pub id: String,
    /// The identifier type is a FedRAMP namespace (the FedRAMP package id).
    pub fedramp: bool,
}

/// Confidentiality / integrity / availability levels, e.g. `fips-199-moderate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cia {
    /// Confidentiality.
    pub confidentiality: String,
    /// Integrity.
    pub integrity: String,
    /// Availability.
    pub availability: String,
}

/// Impact of one information type for one objective.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InfoImpact {
    /// Base (provisional) impact.
    pub base: String,
    /// Selected impact.
    pub selected: Option<String>,
    /// Justification of an adjustment.
    pub adjustment_justification: Option<String>,
}

/// An information type (SP 800-60).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InformationType {
    /// UUID.
    pub uuid: Option<String>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Categorizations: (system URI, information type ids).
    pub categorizations: Vec<Categorization>,
    /// Confidentiality impact.
    pub confidentiality: Option<InfoImpact>,
    /// Integrity impact.
    pub integrity: Option<InfoImpact>,
    /// Availability impact.
    pub availability: Option<InfoImpact>,
}

/// Information type categorization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Categorization {
    /// System URI (e.g. `https://doi.org/10.6028/NIST.SP.800-60v2r1`).
    pub system: String,
    /// Ids, e.g. `C.2.8.12`.
    pub information_type_ids: Vec<String>,
}

/// A described diagram set (authorization boundary, network architecture, data flow).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Described {
    /// Description (plain text).
    pub description: String,
    /// Diagrams.
    pub diagrams: Vec<Diagram>,
}

/// A diagram reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagram {
    /// UUID.
    pub uuid: String,
    /// Description.
    pub description: String,
    /// Caption.
    pub caption: String,
    /// Link targets (usually `#resource-uuid`).
    pub links: Vec<String>,
}

/// System characteristics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemCharacteristics {
    /// System identifiers.
    pub system_ids: Vec<SystemId>,
    /// FedRAMP package id (the system id with a FedRAMP identifier type), if any.
    pub fedramp_package_id: Option<String>,
    /// System name.
    pub system_name: String,
    /// Short name.
    pub system_name_short: Option<String>,
    /// Description.
    pub description: String,
    /// Props.
    pub props: Vec<Prop>,
    /// Prop `cloud-service-model`.
    pub cloud_service_model: Option<String>,
    /// Prop `cloud-deployment-model`.
    pub cloud_deployment_model: Option<String>,
    /// Prop `authorization-type` (fedramp-agency, fedramp-jab, fedramp-li-saas).
    pub authorization_type: Option<String>,
    /// Date authorized.
    pub date_authorized: Option<String>,
    /// Security sensitivity level, e.g. `fips-199-moderate`.
    pub security_sensitivity_level: Option<String>,
    /// Security impact level (security-objective-*).
    pub security_impact_level: Option<Cia>,
    /// Operational status.
    pub status: String,
    /// Status remarks.
    pub status_remarks: Option<String>,
    /// Authorization boundary.
    pub authorization_boundary: Option<Described>,
    /// Network architecture.
    pub network_architecture: Option<Described>,
    /// Data flow.
    pub data_flow: Option<Described>,
    /// Information types.
    pub information_types: Vec<InformationType>,
}

/// Users, components, inventory and leveraged authorizations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemImplementation {
    /// Props (e.g. FedRAMP users-internal counts).
    pub props: Vec<Prop>,
    /// Leveraged authorizations.
    pub leveraged_authorizations: Vec<LeveragedAuthorization>,
    /// Users.
    pub users: Vec<User>,
    /// Components.
    pub components: Vec<Component>,
    /// Inventory items.
    pub inventory_items: Vec<InventoryItem>,
}

/// A leveraged authorization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeveragedAuthorization {
    /// UUID.
    pub uuid: String,
    /// Title.
    pub title: String,
    /// Props.
    pub props: Vec<Prop>,
    /// Party UUID (the leveraged provider).
    pub party_uuid: String,
    /// Date authorized.
    pub date_authorized: String,
}

/// A user role of the system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// UUID.
    pub uuid: String,
    /// Title.
    pub title: String,
    /// Short name.
    pub short_name: Option<String>,
    /// Description.
    pub description: String,
    /// Prop `type` (internal / external / general / privileged ...).
    pub user_type: Option<String>,
    /// Props.
    pub props: Vec<Prop>,
    /// Role ids.
    pub role_ids: Vec<String>,
    /// Authorized privileges.
    pub authorized_privileges: Vec<AuthorizedPrivilege>,
}

/// An authorized privilege.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthorizedPrivilege {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Functions performed.
    pub functions_performed: Vec<String>,
}

/// A system component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    /// UUID.
    pub uuid: String,
    /// Type (`this-system`, `software`, `service`, ...).
    pub component_type: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Purpose.
    pub purpose: Option<String>,
    /// Status state.
    pub status: String,
    /// Props.
    pub props: Vec<Prop>,
    /// Responsible roles.
    pub responsible_roles: Vec<RoleAssignment>,
    /// Protocols.
    pub protocols: Vec<Protocol>,
}

/// A protocol a component uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Protocol {
    /// UUID.
    pub uuid: Option<String>,
    /// Name, e.g. `https`.
    pub name: String,
    /// Title.
    pub title: Option<String>,
    /// Port ranges.
    pub port_ranges: Vec<PortRange>,
}

/// A port range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortRange {
    /// Start port.
    pub start: Option<u32>,
    /// End port.
    pub end: Option<u32>,
    /// TCP / UDP.
    pub transport: String,
}

/// An inventory item with its well-known props lifted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InventoryItem {
    /// UUID.
    pub uuid: String,
    /// Description.
    pub description: String,
    /// `asset-id`.
    pub asset_id: Option<String>,
    /// `asset-type`.
    pub asset_type: Option<String>,
    /// `ipv4-address` (all).
    pub ipv4_addresses: Vec<String>,
    /// `ipv6-address` (all).
    pub ipv6_addresses: Vec<String>,
    /// `fqdn`.
    pub fqdn: Option<String>,
    /// `uri`.
    pub uri: Option<String>,
    /// `mac-address`.
    pub mac_address: Option<String>,
    /// `netbios-name`.
    pub netbios_name: Option<String>,
    /// `os-name`.
    pub os_name: Option<String>,
    /// `os-version`.
    pub os_version: Option<String>,
    /// `software-name`.
    pub software_name: Option<String>,
    /// `software-version`.
    pub software_version: Option<String>,
    /// `virtual` (yes/no).
    pub is_virtual: Option<bool>,
    /// `public` (yes/no).
    pub public: Option<bool>,
    /// `scan-type` (infrastructure, web, database).
    pub scan_type: Option<String>,
    /// `allows-authenticated-scan` (yes/no).
    pub allows_authenticated_scan: Option<bool>,
    /// `is-scanned` (yes/no).
    pub is_scanned: Option<bool>,
    /// `baseline-configuration-name`.
    pub baseline_configuration_name: Option<String>,
    /// `function`.
    pub function: Option<String>,
    /// `vlan-id`.
    pub vlan_id: Option<String>,
    /// `network-id`.
    pub network_id: Option<String>,
    /// `physical-location`.
    pub physical_location: Option<String>,
    /// All props, including the lifted ones.
    pub props: Vec<Prop>,
    /// Responsible parties.
    pub responsible_parties: Vec<RoleAssignment>,
    /// Implemented component UUIDs.
    pub implemented_components: Vec<String>,
}

/// A parameter setting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetParameter {
    /// Parameter id.
    pub param_id: String,
    /// Values.
    pub values: Vec<String>,
}

/// An implemented requirement (one control).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImplementedRequirement {
    /// UUID.
    pub uuid: String,
    /// Control id, e.g. `ac-2.1`.
    pub control_id: String,
    /// Prop `implementation-status` (FedRAMP 1.0.x style) or, failing that, the by-component statuses
    /// when they all agree.
    pub implementation_status: Option<String>,
    /// Prop `control-origination` values.
    pub control_origination: Vec<String>,
    /// Prop `planned-completion-date`.
    pub planned_completion_date: Option<String>,
    /// Props.
    pub props: Vec<Prop>,
    /// Parameter settings.
    pub set_parameters: Vec<SetParameter>,
    /// Responsible roles.
    pub responsible_roles: Vec<RoleAssignment>,
    /// Statements.
    pub statements: Vec<Statement>,
    /// Requirement-level by-components (OSCAL 1.1+).
    pub by_components: Vec<ByComponent>,
    /// Remarks.
    pub remarks: Option<String>,
}

/// A statement response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// Statement id, e.g. `ac-2_smt.a`.
    pub statement_id: String,
    /// UUID.
    pub uuid: String,
    /// Props.
    pub props: Vec<Prop>,
    /// Responsible roles.
    pub responsible_roles: Vec<RoleAssignment>,
    /// By-component responses.
    pub by_components: Vec<ByComponent>,
    /// Remarks.
    pub remarks: Option<String>,
}

/// How one component implements a statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ByComponent {
    /// Component UUID.
    pub component_uuid: String,
    /// UUID.
    pub uuid: String,
    /// Description.
    pub description: String,
    /// `implementation-status` element state, or prop.
    pub implementation_status: Option<String>,
    /// Props.
    pub props: Vec<Prop>,
    /// Parameter settings.
    pub set_parameters: Vec<SetParameter>,
    /// What the component shares with leveraging systems; boxed because most SSPs never use it
    /// and a by-component is the most numerous record of a large SSP.
    pub sharing: Option<Box<Sharing>>,
    /// Responsible roles.
    pub responsible_roles: Vec<RoleAssignment>,
    /// Remarks.
    pub remarks: Option<String>,
}

/// Capabilities and responsibilities a by-component exports, inherits or satisfies.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sharing {
    /// Export description.
    pub export_description: Option<String>,
    /// Provided capabilities.
    pub provided: Vec<Provided>,
    /// Customer responsibilities.
    pub responsibilities: Vec<Responsibility>,
    /// Inherited capabilities.
    pub inherited: Vec<Inherited>,
    /// Satisfied responsibilities.
    pub satisfied: Vec<Satisfied>,
}

impl ByComponent {
    /// The sharing details, or an empty set when the component shares nothing.
    pub fn sharing(&self) -> Sharing {
        self.sharing.as_deref().cloned().unwrap_or_default()
    }
}

/// An exported provided capability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provided {
    /// UUID.
    pub uuid: String,
    /// Description.
    pub description: String,
    /// Responsible roles.
    pub responsible_roles: Vec<RoleAssignment>,
}

/// An exported customer responsibility.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Responsibility {
    /// UUID.
    pub uuid: String,
    /// Provided capability this belongs to.
    pub provided_uuid: Option<String>,
    /// Description.
    pub description: String,
    /// Responsible roles.
    pub responsible_roles: Vec<RoleAssignment>,
}

/// An inherited capability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inherited {
    /// UUID.
    pub uuid: String,
    /// Provided capability inherited.
    pub provided_uuid: Option<String>,
    /// Description.
    pub description: String,
    /// Responsible roles.
    pub responsible_roles: Vec<RoleAssignment>,
}

/// A satisfied responsibility.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Satisfied {
    /// UUID.
    pub uuid: String,
    /// Responsibility satisfied.
    pub responsibility_uuid: Option<String>,
    /// Description.
    pub description: String,
    /// Responsible roles.
    pub responsible_roles: Vec<RoleAssignment>,
}
