//! System Security Plan model and its conversion from the raw OSCAL shape.
//!
//! Invariant: lists keep document order; well-known OSCAL/FedRAMP props (inventory asset props, system
//! props, implementation status, ...) are lifted into typed fields *and* every prop stays in `props`, so
//! nothing in the source is lost by the lifting.

use serde::de::{IgnoredAny, MapAccess};
use serde::{Deserialize, Serialize};

use crate::common::{
    exact, map_list, prop_value, prop_values, trimmed, trimmed_list, Cx, Ns, Party, Prop, Resource,
    Role, RoleAssignment,
};
use crate::stream::{Each, Fields, Object, Track, Tracker};
use crate::xml::{Node, NodeError, Sink};
use crate::{raw, SourceInfo};

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

/// Parses yes/no/true/false props; anything else is reported and left unset.
fn yes_no(cx: &mut Cx, props: &[Prop], name: &str, location: &str) -> Option<bool> {
    let value = prop_value(props, name)?;
    match value.to_ascii_lowercase().as_str() {
        "yes" | "true" => Some(true),
        "no" | "false" => Some(false),
        _ => {
            cx.warn(
                location.to_string(),
                format!("prop {name} has value {value:?}, expected yes or no"),
            );
            None
        }
    }
}

fn owned(props: &[Prop], name: &str) -> Option<String> {
    prop_value(props, name).map(str::to_string)
}

fn port(cx: &mut Cx, value: &raw::Loose, location: &str) -> Option<u32> {
    if value.0.is_empty() {
        return None;
    }
    match value.0.parse::<u32>() {
        Ok(p) => Some(p),
        Err(_) => {
            cx.warn(
                location.to_string(),
                format!("port {:?} is not a number", value.0),
            );
            None
        }
    }
}

/// The large lists of an SSP, converted element by element while the document is read.
#[derive(Default)]
pub(crate) struct Lists {
    users: Vec<User>,
    components: Vec<Component>,
    inventory_items: Vec<InventoryItem>,
    implemented_requirements: Vec<ImplementedRequirement>,
    resources: Vec<Resource>,
}

/// Which object of an SSP document `SspRead` is reading.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Level {
    /// The document root object (`{"system-security-plan": ...}`).
    Document,
    /// `system-security-plan`.
    Ssp,
    /// `system-implementation`.
    Implementation,
    /// `control-implementation`.
    ControlImplementation,
    /// `back-matter`.
    BackMatter,
}

/// One SSP read in progress: the small parts as raw structs, the large lists already converted. JSON feeds
/// it through `Fields`; XML hands it the large lists' elements as they close (`Sink`) and the rest of the
/// tree through `Fields`.
pub(crate) struct SspRead<'a> {
    pub(crate) cx: Cx,
    pub(crate) tracker: Tracker<'a>,
    /// `None` until the `system-security-plan` root is seen.
    pub(crate) root: Option<raw::Ssp>,
    pub(crate) lists: Lists,
}

impl<'a> SspRead<'a> {
    pub(crate) fn new(cx: Cx, tracker: Tracker<'a>) -> SspRead<'a> {
        SspRead {
            cx,
            tracker,
            root: None,
            lists: Lists::default(),
        }
    }
}

impl Fields for SspRead<'_> {
    type Level = Level;

    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        level: Level,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let next = match (level, key) {
            (Level::Document, "system-security-plan") => Level::Ssp,
            (Level::Ssp, "system-implementation") => Level::Implementation,
            (Level::Ssp, "control-implementation") => Level::ControlImplementation,
            (Level::Ssp, "back-matter") => Level::BackMatter,
            _ => return self.leaf(level, key, map),
        };
        self.root.get_or_insert_with(raw::Ssp::default);
        map.next_value_seed(Object::new(self, next))
    }

    fn tracker(&mut self) -> &mut dyn Track {
        &mut self.tracker
    }
}

impl SspRead<'_> {
    /// Reads a value that is not one of the containers: a small part or a large list.
    fn leaf<'de, A: MapAccess<'de>>(
        &mut self,
        level: Level,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let SspRead {
            cx,
            tracker,
            root,
            lists,
        } = self;
        let ssp = root.get_or_insert_with(raw::Ssp::default);
        match (level, key) {
            (Level::Ssp, "uuid") => ssp.uuid = map.next_value()?,
            (Level::Ssp, "metadata") => ssp.metadata = map.next_value()?,
            (Level::Ssp, "import-profile") => ssp.import_profile = map.next_value()?,
            (Level::Ssp, "system-characteristics") => {
                ssp.system_characteristics = map.next_value()?;
            }
            (Level::Implementation, "props") => {
                ssp.system_implementation.props = map.next_value()?
            }
            (Level::Implementation, "leveraged-authorizations") => {
                ssp.system_implementation.leveraged_authorizations = map.next_value()?;
            }
            (Level::Implementation, "users") => {
                let each = |u| lists.users.push(convert_user(cx, u));
                map.next_value_seed(Each::new(tracker, each))?;
            }
            (Level::Implementation, "components") => {
                let each = |c| lists.components.push(convert_component(cx, c));
                map.next_value_seed(Each::new(tracker, each))?;
            }
            (Level::Implementation, "inventory-items") => {
                let each = |i| lists.inventory_items.push(convert_inventory_item(cx, i));
                map.next_value_seed(Each::new(tracker, each))?;
            }
            (Level::ControlImplementation, "description") => {
                ssp.control_implementation.description = map.next_value()?;
            }
            (Level::ControlImplementation, "set-parameters") => {
                ssp.control_implementation.set_parameters = map.next_value()?;
            }
            (Level::ControlImplementation, "implemented-requirements") => {
                let each = |r| {
                    let r = convert_requirement(cx, r);
                    lists.implemented_requirements.push(r);
                };
                map.next_value_seed(Each::new(tracker, each))?;
            }
            (Level::BackMatter, "resources") => {
                let each = |r| lists.resources.push(cx.resource(r));
                map.next_value_seed(Each::new(tracker, each))?;
            }
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl Sink for SspRead<'_> {
    fn wants(&self, parent: &str, name: &str) -> bool {
        matches!(
            (parent, name),
            (
                "system-implementation",
                "user" | "component" | "inventory-item"
            ) | ("control-implementation", "implemented-requirement")
                | ("back-matter", "resource")
        )
    }

    fn take(&mut self, name: &str, node: Node) -> Result<(), NodeError> {
        let (cx, lists) = (&mut self.cx, &mut self.lists);
        match name {
            "user" => lists
                .users
                .push(convert_user(cx, raw::User::deserialize(node)?)),
            "component" => lists
                .components
                .push(convert_component(cx, raw::Component::deserialize(node)?)),
            "inventory-item" => {
                let item = raw::InventoryItem::deserialize(node)?;
                lists.inventory_items.push(convert_inventory_item(cx, item));
            }
            "implemented-requirement" => {
                let r = raw::ImplementedRequirement::deserialize(node)?;
                lists
                    .implemented_requirements
                    .push(convert_requirement(cx, r));
            }
            "resource" => lists
                .resources
                .push(cx.resource(raw::Resource::deserialize(node)?)),
            _ => {}
        }
        Ok(())
    }
}

/// Converts the small parts of an SSP and adds the already converted large lists.
pub(crate) fn convert(
    cx: &mut Cx,
    source: SourceInfo,
    raw: raw::Ssp,
    lists: Lists,
) -> SystemSecurityPlan {
    let metadata = raw.metadata.unwrap_or_default();
    let metadata = Metadata {
        title: cx.text(metadata.title.unwrap_or_default()),
        version: metadata.version.unwrap_or_default(),
        last_modified: metadata.last_modified.unwrap_or_default(),
        published: metadata.published,
        oscal_version: metadata.oscal_version.unwrap_or_default(),
        props: cx.props(metadata.props),
        roles: cx.roles(metadata.roles),
        parties: cx.parties(metadata.parties),
        responsible_parties: cx.assignments(metadata.responsible_parties),
    };
    let system = convert_system(cx, raw.system_characteristics);
    let si = raw.system_implementation;
    let implementation = SystemImplementation {
        props: cx.props(si.props),
        leveraged_authorizations: map_list(si.leveraged_authorizations, |l| {
            LeveragedAuthorization {
                uuid: l.uuid,
                title: cx.text(l.title),
                props: cx.props(l.props),
                party_uuid: if l.party_uuid.is_empty() {
                    l.party_uuids.into_iter().next().unwrap_or_default()
                } else {
                    l.party_uuid
                },
                date_authorized: l.date_authorized,
            }
        }),
        users: exact(lists.users),
        components: exact(lists.components),
        inventory_items: exact(lists.inventory_items),
    };
    let ci = raw.control_implementation;
    SystemSecurityPlan {
        source,
        uuid: raw.uuid.unwrap_or_default(),
        metadata,
        import_profile: raw.import_profile.href,
        system,
        implementation,
        control_implementation_description: cx.text(ci.description),
        set_parameters: set_parameters(ci.set_parameters),
        implemented_requirements: exact(lists.implemented_requirements),
        resources: exact(lists.resources),
    }
}

fn described(cx: &Cx, b: Option<raw::Boundary>) -> Option<Described> {
    b.map(|b| Described {
        description: cx.text(b.description),
        diagrams: map_list(b.diagrams, |d| Diagram {
            uuid: d.uuid,
            description: cx.text(d.description),
            caption: cx.text(d.caption),
            links: map_list(d.links, |l| l.href),
        }),
    })
}

fn impact(cx: &Cx, i: Option<raw::Impact>) -> Option<InfoImpact> {
    i.map(|i| InfoImpact {
        base: trimmed(i.base),
        selected: i.selected.map(trimmed),
        adjustment_justification: cx.opt_text(i.adjustment_justification),
    })
}

fn convert_system(cx: &mut Cx, s: raw::SystemCharacteristics) -> SystemCharacteristics {
    let props = cx.props(s.props);
    let system_ids: Vec<SystemId> = map_list(s.system_ids, |id| SystemId {
        fedramp: Ns::from_uri(id.identifier_type.as_deref()) == Ns::FedRamp,
        identifier_type: id.identifier_type,
        id: trimmed(id.id),
    });
    let information_types = map_list(s.system_information.information_types, |t| {
        InformationType {
            uuid: t.uuid,
            title: cx.text(t.title),
            description: cx.text(t.description),
            categorizations: map_list(t.categorizations, |c| Categorization {
                system: c.system,
                information_type_ids: exact(c.information_type_ids),
            }),
            confidentiality: impact(cx, t.confidentiality_impact),
            integrity: impact(cx, t.integrity_impact),
            availability: impact(cx, t.availability_impact),
        }
    });
    SystemCharacteristics {
        fedramp_package_id: system_ids.iter().find(|i| i.fedramp).map(|i| i.id.clone()),
        system_ids,
        system_name: trimmed(s.system_name),
        system_name_short: s.system_name_short.map(trimmed),
        description: cx.text(s.description),
        cloud_service_model: owned(&props, "cloud-service-model"),
        cloud_deployment_model: owned(&props, "cloud-deployment-model"),
        authorization_type: owned(&props, "authorization-type"),
        props,
        date_authorized: s.date_authorized,
        security_sensitivity_level: s.security_sensitivity_level.map(trimmed),
        security_impact_level: s.security_impact_level.map(|l| Cia {
            confidentiality: trimmed(l.security_objective_confidentiality),
            integrity: trimmed(l.security_objective_integrity),
            availability: trimmed(l.security_objective_availability),
        }),
        status: s.status.state,
        status_remarks: cx.opt_text(s.status.remarks),
        authorization_boundary: described(cx, s.authorization_boundary),
        network_architecture: described(cx, s.network_architecture),
        data_flow: described(cx, s.data_flow),
        information_types,
    }
}

fn convert_user(cx: &Cx, u: raw::User) -> User {
    let props = cx.props(u.props);
    User {
        uuid: u.uuid,
        title: cx.text(u.title.unwrap_or_default()),
        short_name: u.short_name,
        description: cx.text(u.description),
        user_type: owned(&props, "type"),
        props,
        role_ids: trimmed_list(u.role_ids),
        authorized_privileges: map_list(u.authorized_privileges, |a| AuthorizedPrivilege {
            title: cx.text(a.title),
            description: cx.text(a.description),
            functions_performed: trimmed_list(a.functions_performed),
        }),
    }
}

fn convert_component(cx: &mut Cx, c: raw::Component) -> Component {
    let location = format!("component {}", c.uuid);
    let mut protocols = Vec::with_capacity(c.protocols.len());
    for p in c.protocols {
        let mut port_ranges = Vec::with_capacity(p.port_ranges.len());
        for r in p.port_ranges {
            port_ranges.push(PortRange {
                start: port(cx, &r.start, &location),
                end: port(cx, &r.end, &location),
                transport: r.transport,
            });
        }
        protocols.push(Protocol {
            uuid: p.uuid,
            name: p.name,
            title: cx.opt_text(p.title),
            port_ranges,
        });
    }
    Component {
        uuid: c.uuid,
        component_type: c.component_type,
        title: cx.text(c.title),
        description: cx.text(c.description),
        purpose: cx.opt_text(c.purpose),
        status: c.status.state,
        props: cx.props(c.props),
        responsible_roles: cx.role_assignments(c.responsible_roles),
        protocols,
    }
}

fn convert_inventory_item(cx: &mut Cx, item: raw::InventoryItem) -> InventoryItem {
    let props = cx.props(item.props);
    let location = format!("inventory-item {}", item.uuid);
    InventoryItem {
        description: cx.text(item.description),
        asset_id: owned(&props, "asset-id"),
        asset_type: owned(&props, "asset-type"),
        ipv4_addresses: prop_values(&props, "ipv4-address"),
        ipv6_addresses: prop_values(&props, "ipv6-address"),
        fqdn: owned(&props, "fqdn"),
        uri: owned(&props, "uri"),
        mac_address: owned(&props, "mac-address"),
        netbios_name: owned(&props, "netbios-name"),
        os_name: owned(&props, "os-name"),
        os_version: owned(&props, "os-version"),
        software_name: owned(&props, "software-name"),
        software_version: owned(&props, "software-version"),
        is_virtual: yes_no(cx, &props, "virtual", &location),
        public: yes_no(cx, &props, "public", &location),
        scan_type: owned(&props, "scan-type"),
        allows_authenticated_scan: yes_no(cx, &props, "allows-authenticated-scan", &location),
        is_scanned: yes_no(cx, &props, "is-scanned", &location),
        baseline_configuration_name: owned(&props, "baseline-configuration-name"),
        function: owned(&props, "function"),
        vlan_id: owned(&props, "vlan-id"),
        network_id: owned(&props, "network-id"),
        physical_location: owned(&props, "physical-location"),
        props,
        responsible_parties: cx.assignments(item.responsible_parties),
        implemented_components: map_list(item.implemented_components, |c| c.component_uuid),
        uuid: item.uuid,
    }
}

fn set_parameters(list: Vec<raw::SetParameter>) -> Vec<SetParameter> {
    map_list(list, |s| SetParameter {
        param_id: s.param_id,
        values: trimmed_list(s.values),
    })
}

fn convert_by_component(cx: &Cx, b: raw::ByComponent) -> ByComponent {
    let props = cx.props(b.props);
    let (export_description, provided, responsibilities) = match b.export {
        Some(e) => (
            Some(cx.text(e.description)).filter(|d| !d.is_empty()),
            map_list(e.provided, |p| Provided {
                uuid: p.uuid,
                description: cx.text(p.description),
                responsible_roles: cx.role_assignments(p.responsible_roles),
            }),
            map_list(e.responsibilities, |r| Responsibility {
                uuid: r.uuid,
                provided_uuid: r.provided_uuid,
                description: cx.text(r.description),
                responsible_roles: cx.role_assignments(r.responsible_roles),
            }),
        ),
        None => (None, Vec::new(), Vec::new()),
    };
    ByComponent {
        component_uuid: b.component_uuid,
        uuid: b.uuid,
        description: cx.text(b.description),
        implementation_status: b
            .implementation_status
            .map(|s| s.state)
            .filter(|s| !s.is_empty())
            .or_else(|| owned(&props, "implementation-status")),
        props,
        set_parameters: set_parameters(b.set_parameters),
        sharing: Some(Sharing {
            export_description,
            provided,
            responsibilities,
            inherited: map_list(b.inherited, |i| Inherited {
                uuid: i.uuid,
                provided_uuid: i.provided_uuid,
                description: cx.text(i.description),
                responsible_roles: cx.role_assignments(i.responsible_roles),
            }),
            satisfied: map_list(b.satisfied, |s| Satisfied {
                uuid: s.uuid,
                responsibility_uuid: s.responsibility_uuid,
                description: cx.text(s.description),
                responsible_roles: cx.role_assignments(s.responsible_roles),
            }),
        })
        .filter(|s| *s != Sharing::default())
        .map(Box::new),
        responsible_roles: cx.role_assignments(b.responsible_roles),
        remarks: cx.opt_text(b.remarks),
    }
}

fn convert_requirement(cx: &Cx, r: raw::ImplementedRequirement) -> ImplementedRequirement {
    let props = cx.props(r.props);
    let statements: Vec<Statement> = map_list(r.statements, |s| Statement {
        statement_id: s.statement_id,
        uuid: s.uuid,
        props: cx.props(s.props),
        responsible_roles: cx.role_assignments(s.responsible_roles),
        by_components: map_list(s.by_components, |b| convert_by_component(cx, b)),
        remarks: cx.opt_text(s.remarks),
    });
    let by_components = map_list(r.by_components, |b| convert_by_component(cx, b));
    let implementation_status = owned(&props, "implementation-status").or_else(|| {
        // OSCAL 1.1 puts the status on by-components; lift it when all of them agree.
        let mut states = by_components
            .iter()
            .chain(statements.iter().flat_map(|s| &s.by_components))
            .filter_map(|b| b.implementation_status.as_deref());
        let first = states.next()?;
        states.all(|s| s == first).then(|| first.to_string())
    });
    ImplementedRequirement {
        uuid: r.uuid,
        control_id: trimmed(r.control_id),
        implementation_status,
        control_origination: prop_values(&props, "control-origination"),
        planned_completion_date: owned(&props, "planned-completion-date"),
        props,
        set_parameters: set_parameters(r.set_parameters),
        responsible_roles: cx.role_assignments(r.responsible_roles),
        statements,
        by_components,
        remarks: cx.opt_text(r.remarks),
    }
}
