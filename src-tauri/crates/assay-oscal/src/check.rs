//! Intake checks an assessor runs on a CSP's SSP before planning: coverage of the baseline, statuses,
//! scan-readiness of the inventory, dangling references and the impact level.
//!
//! Invariant: checks only read the models; codes are stable (`SSP-001`...) so callers can filter and
//! store them; results come in a deterministic order (by check, then document order).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use assay_model::oscal::{ByComponent, Catalog, RoleAssignment, SystemSecurityPlan};

use crate::Severity;

/// FIPS 199 impact level (LI-SaaS is Low).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ImpactLevel {
    /// Low.
    Low,
    /// Moderate.
    Moderate,
    /// High.
    High,
}

impl ImpactLevel {
    /// Parses values such as `fips-199-moderate`, `moderate`, `High`.
    pub fn parse(value: &str) -> Option<ImpactLevel> {
        let v = value.trim().to_ascii_lowercase();
        let level = v.rsplit(['-', ' ']).next().unwrap_or(&v);
        match level {
            "low" => Some(ImpactLevel::Low),
            "moderate" | "medium" => Some(ImpactLevel::Moderate),
            "high" => Some(ImpactLevel::High),
            _ => None,
        }
    }
}

/// What a check is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SubjectKind {
    /// A control id.
    Control,
    /// A component UUID.
    Component,
    /// An inventory-item UUID.
    InventoryItem,
    /// A user UUID.
    User,
    /// A role id.
    Role,
    /// A party UUID.
    Party,
    /// The system as a whole (id = SSP UUID).
    System,
}

/// The subject of a check.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Subject {
    /// Kind.
    pub kind: SubjectKind,
    /// Id or UUID.
    pub id: String,
}

/// One intake finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeCheck {
    /// Severity.
    pub severity: Severity,
    /// Stable code, e.g. `SSP-001`.
    pub code: String,
    /// Human message.
    pub message: String,
    /// What it is about.
    pub subject: Subject,
}

struct Out(Vec<IntakeCheck>);

impl Out {
    fn push(
        &mut self,
        severity: Severity,
        code: &str,
        kind: SubjectKind,
        id: &str,
        message: String,
    ) {
        self.0.push(IntakeCheck {
            severity,
            code: code.to_string(),
            message,
            subject: Subject {
                kind,
                id: id.to_string(),
            },
        });
    }
}

/// The SSP's impact level: high-water mark of security-impact-level C/I/A and security-sensitivity-level.
pub fn ssp_impact_level(ssp: &SystemSecurityPlan) -> Option<ImpactLevel> {
    let s = &ssp.system;
    let mut values: Vec<&str> = Vec::new();
    if let Some(cia) = &s.security_impact_level {
        values.extend([
            cia.confidentiality.as_str(),
            cia.integrity.as_str(),
            cia.availability.as_str(),
        ]);
    }
    if let Some(level) = &s.security_sensitivity_level {
        values.push(level);
    }
    values.into_iter().filter_map(ImpactLevel::parse).max()
}

/// Runs the intake checks. `baseline` enables the coverage checks, `engagement_impact` the impact check.
///
/// Codes: SSP-001 baseline control without implemented requirement; SSP-002 implemented requirement for a
/// control outside the baseline; SSP-003 implementation status missing; SSP-004 status planned; SSP-010
/// inventory item without IP address or FQDN; SSP-011 without scan-type; SSP-012 without
/// allows-authenticated-scan; SSP-020 component never referenced; SSP-021 reference to an undefined
/// component; SSP-030 user without authorized privileges; SSP-040 undefined role referenced; SSP-041
/// undefined party referenced; SSP-050 impact level differs from the engagement's; SSP-051 impact level
/// not stated.
pub fn check_ssp(
    ssp: &SystemSecurityPlan,
    baseline: Option<&Catalog>,
    engagement_impact: Option<ImpactLevel>,
) -> Vec<IntakeCheck> {
    let mut out = Out(Vec::new());
    check_coverage(ssp, baseline, &mut out);
    check_statuses(ssp, &mut out);
    check_inventory(ssp, &mut out);
    check_components(ssp, &mut out);
    check_users(ssp, &mut out);
    check_roles_and_parties(ssp, &mut out);
    check_impact(ssp, engagement_impact, &mut out);
    out.0
}

fn check_coverage(ssp: &SystemSecurityPlan, baseline: Option<&Catalog>, out: &mut Out) {
    let Some(baseline) = baseline else { return };
    let implemented: HashSet<&str> = ssp
        .implemented_requirements
        .iter()
        .map(|r| r.control_id.as_str())
        .collect();
    for control in baseline.active_controls() {
        if !implemented.contains(control.id.as_str()) {
            out.push(
                Severity::Error,
                "SSP-001",
                SubjectKind::Control,
                &control.id,
                format!(
                    "{} ({}) is in the baseline but has no implemented requirement",
                    control.label, control.title
                ),
            );
        }
    }
    let in_baseline: HashSet<&str> = baseline.active_controls().map(|c| c.id.as_str()).collect();
    for req in &ssp.implemented_requirements {
        if !in_baseline.contains(req.control_id.as_str()) {
            out.push(
                Severity::Info,
                "SSP-002",
                SubjectKind::Control,
                &req.control_id,
                format!(
                    "implemented requirement for {} which is not in the baseline",
                    req.control_id
                ),
            );
        }
    }
}

fn check_statuses(ssp: &SystemSecurityPlan, out: &mut Out) {
    for req in &ssp.implemented_requirements {
        match req.implementation_status.as_deref() {
            None | Some("") => out.push(
                Severity::Warning,
                "SSP-003",
                SubjectKind::Control,
                &req.control_id,
                format!("{}: implementation status missing", req.control_id),
            ),
            Some("planned") => {
                let when = req.planned_completion_date.as_deref().map_or_else(
                    || "no planned completion date".to_string(),
                    |d| format!("planned completion {d}"),
                );
                out.push(
                    Severity::Warning,
                    "SSP-004",
                    SubjectKind::Control,
                    &req.control_id,
                    format!(
                        "{}: implementation status is planned ({when})",
                        req.control_id
                    ),
                );
            }
            Some(_) => {}
        }
    }
}

fn check_inventory(ssp: &SystemSecurityPlan, out: &mut Out) {
    for item in &ssp.implementation.inventory_items {
        let name = item.asset_id.as_deref().unwrap_or(&item.uuid);
        if item.ipv4_addresses.is_empty() && item.ipv6_addresses.is_empty() && item.fqdn.is_none() {
            out.push(
                Severity::Warning,
                "SSP-010",
                SubjectKind::InventoryItem,
                &item.uuid,
                format!("inventory item {name} has no IP address or FQDN"),
            );
        }
        if item.scan_type.is_none() {
            out.push(
                Severity::Warning,
                "SSP-011",
                SubjectKind::InventoryItem,
                &item.uuid,
                format!("inventory item {name} has no scan-type"),
            );
        }
        if item.allows_authenticated_scan.is_none() {
            out.push(
                Severity::Warning,
                "SSP-012",
                SubjectKind::InventoryItem,
                &item.uuid,
                format!("inventory item {name} does not say whether it allows authenticated scans"),
            );
        }
    }
}

fn all_by_components(ssp: &SystemSecurityPlan) -> impl Iterator<Item = &ByComponent> {
    ssp.implemented_requirements.iter().flat_map(|r| {
        r.by_components
            .iter()
            .chain(r.statements.iter().flat_map(|s| &s.by_components))
    })
}

fn check_components(ssp: &SystemSecurityPlan, out: &mut Out) {
    let mut referenced: HashSet<&str> = HashSet::new();
    for item in &ssp.implementation.inventory_items {
        referenced.extend(item.implemented_components.iter().map(String::as_str));
    }
    referenced.extend(all_by_components(ssp).map(|b| b.component_uuid.as_str()));
    let defined: HashSet<&str> = ssp
        .implementation
        .components
        .iter()
        .map(|c| c.uuid.as_str())
        .collect();
    for c in &ssp.implementation.components {
        if !referenced.contains(c.uuid.as_str()) {
            out.push(
                Severity::Warning,
                "SSP-020",
                SubjectKind::Component,
                &c.uuid,
                format!("component {:?} ({}) is not referenced by any inventory item or control implementation", c.title, c.component_type),
            );
        }
    }
    let mut reported = HashSet::new();
    let dangling = ssp
        .implementation
        .inventory_items
        .iter()
        .flat_map(|i| i.implemented_components.iter().map(String::as_str))
        .chain(all_by_components(ssp).map(|b| b.component_uuid.as_str()));
    for uuid in dangling {
        if !defined.contains(uuid) && reported.insert(uuid) {
            out.push(
                Severity::Error,
                "SSP-021",
                SubjectKind::Component,
                uuid,
                format!("component {uuid} is referenced but not defined"),
            );
        }
    }
}

fn check_users(ssp: &SystemSecurityPlan, out: &mut Out) {
    for user in &ssp.implementation.users {
        if user.authorized_privileges.is_empty() {
            out.push(
                Severity::Warning,
                "SSP-030",
                SubjectKind::User,
                &user.uuid,
                format!("user {:?} has no authorized privileges", user.title),
            );
        }
    }
}

fn check_roles_and_parties<'s>(ssp: &'s SystemSecurityPlan, out: &mut Out) {
    let roles: HashSet<&str> = ssp.metadata.roles.iter().map(|r| r.id.as_str()).collect();
    let parties: HashSet<&str> = ssp
        .metadata
        .parties
        .iter()
        .map(|p| p.uuid.as_str())
        .collect();
    let mut role_refs: Vec<(&str, String)> = Vec::new();
    let mut party_refs: Vec<(&str, String)> = Vec::new();
    let mut add = |list: &'s [RoleAssignment], place: String| {
        for a in list {
            role_refs.push((a.role_id.as_str(), place.clone()));
            party_refs.extend(a.party_uuids.iter().map(|p| (p.as_str(), place.clone())));
        }
    };
    add(
        &ssp.metadata.responsible_parties,
        "metadata responsible-parties".into(),
    );
    for c in &ssp.implementation.components {
        add(&c.responsible_roles, format!("component {:?}", c.title));
    }
    for i in &ssp.implementation.inventory_items {
        add(&i.responsible_parties, format!("inventory item {}", i.uuid));
    }
    for r in &ssp.implemented_requirements {
        add(
            &r.responsible_roles,
            format!("{} implementation", r.control_id),
        );
        for s in &r.statements {
            add(
                &s.responsible_roles,
                format!("{} statement", s.statement_id),
            );
        }
        for b in r
            .by_components
            .iter()
            .chain(r.statements.iter().flat_map(|s| &s.by_components))
        {
            let place = format!("{} by-component", r.control_id);
            add(&b.responsible_roles, place.clone());
            if let Some(sh) = &b.sharing {
                for p in &sh.provided {
                    add(&p.responsible_roles, place.clone());
                }
                for p in &sh.responsibilities {
                    add(&p.responsible_roles, place.clone());
                }
                for p in &sh.inherited {
                    add(&p.responsible_roles, place.clone());
                }
                for p in &sh.satisfied {
                    add(&p.responsible_roles, place.clone());
                }
            }
        }
    }
    for u in &ssp.implementation.users {
        role_refs.extend(
            u.role_ids
                .iter()
                .map(|r| (r.as_str(), format!("user {:?}", u.title))),
        );
    }
    for l in &ssp.implementation.leveraged_authorizations {
        if !l.party_uuid.is_empty() {
            party_refs.push((
                l.party_uuid.as_str(),
                format!("leveraged authorization {:?}", l.title),
            ));
        }
    }
    for p in &ssp.metadata.parties {
        party_refs.extend(
            p.member_of
                .iter()
                .map(|m| (m.as_str(), format!("party {:?}", p.name))),
        );
    }
    let mut seen = HashSet::new();
    for (role, place) in role_refs {
        if !roles.contains(role) && seen.insert(role) {
            out.push(
                Severity::Error,
                "SSP-040",
                SubjectKind::Role,
                role,
                format!("role {role:?} is referenced ({place}) but not defined in metadata"),
            );
        }
    }
    let mut seen = HashSet::new();
    for (party, place) in party_refs {
        if !parties.contains(party) && seen.insert(party) {
            out.push(
                Severity::Error,
                "SSP-041",
                SubjectKind::Party,
                party,
                format!("party {party} is referenced ({place}) but not defined in metadata"),
            );
        }
    }
}

fn check_impact(ssp: &SystemSecurityPlan, engagement: Option<ImpactLevel>, out: &mut Out) {
    let Some(engagement) = engagement else { return };
    match ssp_impact_level(ssp) {
        Some(level) if level != engagement => out.push(
            Severity::Error,
            "SSP-050",
            SubjectKind::System,
            &ssp.uuid,
            format!("the SSP's impact level is {level:?} (high-water mark) but the engagement is {engagement:?}"),
        ),
        Some(_) => {}
        None => out.push(
            Severity::Warning,
            "SSP-051",
            SubjectKind::System,
            &ssp.uuid,
            "the SSP states no security impact or sensitivity level".to_string(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impact_levels_parse_fips_values() {
        for (v, want) in [
            ("fips-199-low", Some(ImpactLevel::Low)),
            ("fips-199-moderate", Some(ImpactLevel::Moderate)),
            ("High", Some(ImpactLevel::High)),
            ("", None),
            ("fips-199-unknown", None),
        ] {
            assert_eq!(ImpactLevel::parse(v), want, "{v}");
        }
    }
}
