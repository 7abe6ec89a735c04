//! Importing the CSP's SSP (first import and re-imports with a confirmed change list), and reading
//! it back for the system pages and the intake checks.

use std::path::Path;

use assay_oscal::ChangeKind;

use super::ImportOptions;
use serde::{Deserialize, Serialize};

use super::Session;
use crate::error::{Error, Result};
use crate::model::oscal::{Described, InfoImpact, SystemSecurityPlan};
use crate::model::ssp::{
    CheckSubject, ComponentRow, InformationTypeRow, IntakeCheck, InventoryRow, SspChange,
    SspChanges, SspImportRecord, SystemOverview, UserRow,
};
use crate::model::{AuditEntry, ImpactLevel};
use crate::store;

/// A parsed SSP waiting for the assessor to confirm the import.
#[derive(Debug, Clone)]
pub struct StagedSsp {
    ssp: SystemSecurityPlan,
    receipt: SspReceipt,
}

impl StagedSsp {
    /// What applying this import would do.
    pub fn receipt(&self) -> &SspReceipt {
        &self.receipt
    }
}

/// What an SSP import did (or, before it is applied, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SspReceipt {
    pub applied: bool,
    /// True when the engagement held no SSP before.
    pub first_import: bool,
    pub source_name: String,
    pub source_sha256: String,
    pub source_format: String,
    pub oscal_version: String,
    pub title: String,
    pub version: String,
    pub components: u32,
    pub inventory_items: u32,
    pub users: u32,
    pub implemented_requirements: u32,
    /// Problems found while reading that did not stop the import.
    pub warnings: Vec<String>,
    /// Against the stored SSP (empty on a first import).
    pub changes: SspChanges,
}

fn changes_of(diff: assay_oscal::SspDiff) -> SspChanges {
    let conv = |v: Vec<assay_oscal::Change>| {
        v.into_iter()
            .map(|c| SspChange {
                kind: match c.kind {
                    ChangeKind::Added => "added",
                    ChangeKind::Removed => "removed",
                    ChangeKind::Changed => "changed",
                }
                .to_owned(),
                uuid: c.uuid,
                name: c.name,
                summary: c.summary,
            })
            .collect()
    };
    SspChanges {
        components: conv(diff.components),
        inventory_items: conv(diff.inventory_items),
        implemented_requirements: conv(diff.implemented_requirements),
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Session {
    /// Reads an SSP and compares it with the stored one, without changing anything.
    pub fn stage_ssp(
        &self,
        source_name: &str,
        bytes: &[u8],
        opts: &ImportOptions<'_>,
    ) -> Result<StagedSsp> {
        let imported = assay_oscal::read_ssp(source_name, bytes, &opts.oscal())?;
        let ssp = imported.value;
        let previous = store::ssp::load(self.store.conn())?;
        let changes = previous
            .as_ref()
            .map(|old| changes_of(assay_oscal::diff_ssp(old, &ssp)))
            .unwrap_or_default();
        let imp = &ssp.implementation;
        let receipt = SspReceipt {
            applied: false,
            first_import: previous.is_none(),
            source_name: ssp.source.name.clone(),
            source_sha256: ssp.source.sha256.clone(),
            source_format: store::baseline::format_name(ssp.source.format).to_owned(),
            oscal_version: ssp.source.oscal_version.clone(),
            title: ssp.metadata.title.clone(),
            version: ssp.metadata.version.clone(),
            components: count(imp.components.len()),
            inventory_items: count(imp.inventory_items.len()),
            users: count(imp.users.len()),
            implemented_requirements: count(ssp.implemented_requirements.len()),
            warnings: imported
                .diagnostics
                .iter()
                .map(|d| format!("{}: {}", d.location, d.message))
                .chain(duplicate_uuids(&ssp))
                .collect(),
            changes,
        };
        Ok(StagedSsp { ssp, receipt })
    }

    /// Reads the SSP file at `path` (named by its file name) and compares it with the stored one,
    /// without changing anything.
    pub fn stage_ssp_file(&self, path: &Path, opts: &ImportOptions<'_>) -> Result<StagedSsp> {
        let bytes = super::baseline::read_input(path)?;
        self.stage_ssp(&super::display_name(path), &bytes, opts)
    }

    /// Imports the SSP file at `path`: the first SSP is stored; a re-import is stored only when
    /// `apply` is set, and otherwise only reports what would change (`applied` false).
    pub fn import_ssp(
        &mut self,
        path: &Path,
        apply: bool,
        opts: &ImportOptions<'_>,
    ) -> Result<SspReceipt> {
        let staged = self.stage_ssp_file(path, opts)?;
        if staged.receipt().first_import || apply {
            self.apply_ssp(staged)
        } else {
            Ok(staged.receipt().clone())
        }
    }

    /// Stores a staged SSP, replacing the stored one, in one transaction with its audit record.
    pub fn apply_ssp(&mut self, staged: StagedSsp) -> Result<SspReceipt> {
        let StagedSsp { ssp, mut receipt } = staged;
        let previous = store::ssp::current_import(self.store.conn())?;
        self.write_durable(|tx, ctx| {
            let record = SspImportRecord {
                id: ctx.new_id(),
                imported_at: ctx.timestamp(),
                actor: ctx.actor.clone(),
                source_name: receipt.source_name.clone(),
                source_sha256: receipt.source_sha256.clone(),
                source_format: receipt.source_format.clone(),
                oscal_version: receipt.oscal_version.clone(),
                title: receipt.title.clone(),
                version: receipt.version.clone(),
            };
            let changes_json = store::to_json(&receipt.changes)?;
            store::ssp::replace(tx, &ssp, &record, &changes_json)?;
            let counts = format!(
                "{} components, {} inventory items, {} users, {} implemented requirements",
                receipt.components,
                receipt.inventory_items,
                receipt.users,
                receipt.implemented_requirements
            );
            let summary = match &previous {
                None => format!(
                    "imported SSP \"{}\" version {} from {} (SHA-256 {}): {counts}",
                    receipt.title,
                    receipt.version,
                    receipt.source_name,
                    short(&receipt.source_sha256)
                ),
                Some(_) => format!(
                    "re-imported SSP \"{}\" version {} from {} (SHA-256 {}): {}",
                    receipt.title,
                    receipt.version,
                    receipt.source_name,
                    short(&receipt.source_sha256),
                    receipt.changes.summary()
                ),
            };
            let entry = AuditEntry {
                entity: "ssp".into(),
                entity_id: record.id.clone(),
                action: if previous.is_some() {
                    "reimport"
                } else {
                    "import"
                }
                .into(),
                summary,
                before: previous
                    .as_ref()
                    .map(|p| format!("{} ({})", p.source_name, p.source_sha256))
                    .unwrap_or_default(),
                after: changes_json.clone(),
            };
            receipt.applied = true;
            let mut entries = vec![entry];
            // After the freeze, every re-import is drift.
            entries.extend(super::testing::record_drift(
                tx,
                ctx,
                &ssp,
                &record,
                &receipt.changes,
            )?);
            Ok((receipt.clone(), entries))
        })
    }

    /// The stored SSP, rebuilt exactly as imported.
    pub fn stored_ssp(&self) -> Result<Option<SystemSecurityPlan>> {
        store::ssp::load(self.store.conn())
    }

    /// The system overview, if an SSP was imported.
    pub fn system_overview(&self) -> Result<Option<SystemOverview>> {
        let conn = self.store.conn();
        let (Some(import), Some(doc)) = (
            store::ssp::current_import(conn)?,
            store::ssp::document(conn)?,
        ) else {
            return Ok(None);
        };
        let s = &doc.system;
        let described = |d: &Option<Described>| {
            d.as_ref()
                .map(|d| d.description.clone())
                .unwrap_or_default()
        };
        let impact = |i: &Option<InfoImpact>| {
            i.as_ref()
                .map(|i| i.selected.clone().unwrap_or_else(|| i.base.clone()))
                .unwrap_or_default()
        };
        Ok(Some(SystemOverview {
            import,
            ssp_uuid: doc.uuid.clone(),
            title: doc.metadata.title.clone(),
            version: doc.metadata.version.clone(),
            last_modified: doc.metadata.last_modified.clone(),
            system_name: s.system_name.clone(),
            system_name_short: s.system_name_short.clone(),
            package_id: s.fedramp_package_id.clone(),
            description: s.description.clone(),
            status: s.status.clone(),
            cloud_service_model: s.cloud_service_model.clone(),
            cloud_deployment_model: s.cloud_deployment_model.clone(),
            authorization_type: s.authorization_type.clone(),
            security_sensitivity_level: s.security_sensitivity_level.clone(),
            confidentiality: s
                .security_impact_level
                .as_ref()
                .map(|c| c.confidentiality.clone()),
            integrity: s
                .security_impact_level
                .as_ref()
                .map(|c| c.integrity.clone()),
            availability: s
                .security_impact_level
                .as_ref()
                .map(|c| c.availability.clone()),
            authorization_boundary: described(&s.authorization_boundary),
            network_architecture: described(&s.network_architecture),
            data_flow: described(&s.data_flow),
            information_types: s
                .information_types
                .iter()
                .map(|t| InformationTypeRow {
                    title: t.title.clone(),
                    confidentiality: impact(&t.confidentiality),
                    integrity: impact(&t.integrity),
                    availability: impact(&t.availability),
                })
                .collect(),
            leveraged_authorizations: doc
                .implementation
                .leveraged_authorizations
                .iter()
                .map(|l| {
                    if l.date_authorized.is_empty() {
                        l.title.clone()
                    } else {
                        format!("{} (authorized {})", l.title, l.date_authorized)
                    }
                })
                .collect(),
            parties: doc
                .metadata
                .parties
                .iter()
                .map(|p| p.name.clone())
                .collect(),
            roles: doc
                .metadata
                .roles
                .iter()
                .map(|r| format!("{} ({})", r.title, r.id))
                .collect(),
            components: store::count_rows(conn, "ssp_component")?,
            inventory_items: store::count_rows(conn, "ssp_inventory_item")?,
            users: store::count_rows(conn, "ssp_user")?,
            implemented_requirements: store::count_rows(conn, "ssp_implemented_requirement")?,
        }))
    }

    /// The inventory as table rows.
    pub fn inventory(&self) -> Result<Vec<InventoryRow>> {
        store::ssp::inventory_rows(self.store.conn())
    }

    /// The SSP's components.
    pub fn components(&self) -> Result<Vec<ComponentRow>> {
        Ok(store::ssp::components(self.store.conn())?
            .into_iter()
            .map(|c| ComponentRow {
                uuid: c.uuid,
                component_type: c.component_type,
                title: c.title,
                status: c.status,
                description: c.description,
                responsible_roles: c.responsible_roles.into_iter().map(|r| r.role_id).collect(),
                protocols: c
                    .protocols
                    .iter()
                    .map(|p| {
                        let ports: Vec<String> = p
                            .port_ranges
                            .iter()
                            .map(|r| match (r.start, r.end) {
                                (Some(a), Some(b)) if a != b => {
                                    format!("{a}-{b}/{}", r.transport.to_lowercase())
                                }
                                (Some(a), _) => format!("{a}/{}", r.transport.to_lowercase()),
                                _ => r.transport.to_lowercase(),
                            })
                            .collect();
                        format!("{} {}", p.name, ports.join(", ")).trim().to_owned()
                    })
                    .collect(),
            })
            .collect())
    }

    /// The SSP's users.
    pub fn users(&self) -> Result<Vec<UserRow>> {
        Ok(store::ssp::users(self.store.conn())?
            .into_iter()
            .map(|u| UserRow {
                uuid: u.uuid,
                title: u.title,
                user_type: u.user_type,
                role_ids: u.role_ids,
                privileges: u
                    .authorized_privileges
                    .into_iter()
                    .map(|p| p.title)
                    .collect(),
            })
            .collect())
    }

    /// The intake checks on the stored SSP against the baseline and the engagement's impact level.
    pub fn intake_checks(&self) -> Result<Vec<IntakeCheck>> {
        let conn = self.store.conn();
        let Some(ssp) = store::ssp::load(conn)? else {
            return Err(Error::NotFound {
                what: "an imported SSP (import one first)".into(),
            });
        };
        let catalog = store::baseline::catalog(conn)?;
        let impact = match self.engagement()?.impact_level {
            ImpactLevel::LiSaas | ImpactLevel::Low => assay_oscal::ImpactLevel::Low,
            ImpactLevel::Moderate => assay_oscal::ImpactLevel::Moderate,
            ImpactLevel::High => assay_oscal::ImpactLevel::High,
        };
        let mut checks: Vec<IntakeCheck> =
            assay_oscal::check_ssp(&ssp, catalog.as_ref(), Some(impact))
                .into_iter()
                .map(|c| IntakeCheck {
                    severity: match c.severity {
                        assay_oscal::Severity::Error => "error",
                        assay_oscal::Severity::Warning => "warning",
                        assay_oscal::Severity::Info => "info",
                    }
                    .to_owned(),
                    code: c.code,
                    message: c.message,
                    subject: CheckSubject {
                        kind: subject_kind(c.subject.kind).to_owned(),
                        id: c.subject.id,
                    },
                })
                .collect();
        // Errors first, then warnings, then information; stable within a severity.
        let rank = |s: &str| match s {
            "error" => 0,
            "warning" => 1,
            _ => 2,
        };
        checks.sort_by_key(|c| rank(&c.severity));
        Ok(checks)
    }
}

/// Warnings for uuids an SSP repeats; each entry is still stored, in document order.
fn duplicate_uuids(ssp: &SystemSecurityPlan) -> Vec<String> {
    fn repeated<'a>(what: &str, uuids: impl Iterator<Item = &'a str>) -> Vec<String> {
        let mut seen = std::collections::BTreeMap::<&str, u32>::new();
        for u in uuids {
            *seen.entry(u).or_default() += 1;
        }
        seen.into_iter()
            .filter(|(_, n)| *n > 1)
            .map(|(u, n)| format!("{what} uuid {u} appears {n} times; each is kept"))
            .collect()
    }
    let imp = &ssp.implementation;
    let mut out = repeated("component", imp.components.iter().map(|c| c.uuid.as_str()));
    out.extend(repeated(
        "inventory item",
        imp.inventory_items.iter().map(|i| i.uuid.as_str()),
    ));
    out.extend(repeated("user", imp.users.iter().map(|u| u.uuid.as_str())));
    out.extend(repeated(
        "implemented requirement",
        ssp.implemented_requirements.iter().map(|r| r.uuid.as_str()),
    ));
    out
}

fn subject_kind(k: assay_oscal::SubjectKind) -> &'static str {
    use assay_oscal::SubjectKind as K;
    match k {
        K::Control => "control",
        K::Component => "component",
        K::InventoryItem => "inventory-item",
        K::User => "user",
        K::Role => "role",
        K::Party => "party",
        K::System => "system",
    }
}

fn short(sha: &str) -> &str {
    &sha[..12.min(sha.len())]
}
