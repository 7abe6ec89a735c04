//! Conversion of the raw OSCAL shape into assay-model's System Security Plan (`assay_model::oscal::ssp`),
//! element by element while the document is read.
//!
//! Invariant: lists keep document order; well-known OSCAL/FedRAMP props (inventory asset props, system
//! props, implementation status, ...) are lifted into typed fields *and* every prop stays in `props`, so
//! nothing in the source is lost by the lifting.

use assay_model::oscal::{
    AuthorizedPrivilege, ByComponent, Categorization, Cia, Component, Described, Diagram,
    ImplementedRequirement, InfoImpact, InformationType, Inherited, InventoryItem,
    LeveragedAuthorization, Metadata, Ns, PortRange, Prop, Protocol, Provided, Resource,
    Responsibility, Satisfied, SetParameter, Sharing, SourceInfo, Statement, SystemCharacteristics,
    SystemId, SystemImplementation, SystemSecurityPlan, User,
};
use serde::de::{IgnoredAny, MapAccess};
use serde::Deserialize;

use crate::common::{exact, map_list, prop_value, prop_values, trimmed, trimmed_list, Cx};
use crate::raw;
use crate::stream::{Each, Fields, Object, Track, Tracker};
use crate::xml::{Node, NodeError, Sink};

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
