//! What the UI and CLI see of the imported SSP: the system overview, inventory, components,
//! users, intake checks and the changes a re-import would make.

use serde::{Deserialize, Serialize};

/// Where the stored SSP came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SspImportRecord {
    pub id: String,
    pub imported_at: String,
    pub actor: String,
    pub source_name: String,
    pub source_sha256: String,
    pub source_format: String,
    pub oscal_version: String,
    pub title: String,
    pub version: String,
}

/// The system overview page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SystemOverview {
    pub import: SspImportRecord,
    pub ssp_uuid: String,
    pub title: String,
    pub version: String,
    pub last_modified: String,
    pub system_name: String,
    pub system_name_short: Option<String>,
    pub package_id: Option<String>,
    pub description: String,
    pub status: String,
    pub cloud_service_model: Option<String>,
    pub cloud_deployment_model: Option<String>,
    pub authorization_type: Option<String>,
    pub security_sensitivity_level: Option<String>,
    pub confidentiality: Option<String>,
    pub integrity: Option<String>,
    pub availability: Option<String>,
    pub authorization_boundary: String,
    pub network_architecture: String,
    pub data_flow: String,
    pub information_types: Vec<InformationTypeRow>,
    pub leveraged_authorizations: Vec<String>,
    pub parties: Vec<String>,
    pub roles: Vec<String>,
    pub components: u32,
    pub inventory_items: u32,
    pub users: u32,
    pub implemented_requirements: u32,
}

/// An information type with its impact levels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InformationTypeRow {
    pub title: String,
    pub confidentiality: String,
    pub integrity: String,
    pub availability: String,
}

/// One inventory item as the inventory table shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InventoryRow {
    pub uuid: String,
    pub asset_id: Option<String>,
    pub asset_type: Option<String>,
    pub ipv4: String,
    pub ipv6: String,
    pub fqdn: Option<String>,
    pub netbios_name: Option<String>,
    pub mac_address: Option<String>,
    pub os: Option<String>,
    pub software: Option<String>,
    pub is_virtual: Option<bool>,
    pub is_public: Option<bool>,
    pub scan_type: Option<String>,
    pub authenticated_scan: Option<bool>,
    pub baseline_configuration: Option<String>,
    pub function: Option<String>,
    pub description: String,
}

/// One component of the system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ComponentRow {
    pub uuid: String,
    pub component_type: String,
    pub title: String,
    pub status: String,
    pub description: String,
    pub responsible_roles: Vec<String>,
    /// e.g. `https 443/tcp`.
    pub protocols: Vec<String>,
}

/// One user (role) of the system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UserRow {
    pub uuid: String,
    pub title: String,
    pub user_type: Option<String>,
    pub role_ids: Vec<String>,
    pub privileges: Vec<String>,
}

/// An intake check result: something in the SSP the assessor should look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IntakeCheck {
    /// `error`, `warning` or `info`.
    pub severity: String,
    pub code: String,
    pub message: String,
    pub subject: CheckSubject,
}

/// What an intake check is about, so the UI can link to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CheckSubject {
    /// `control`, `component`, `inventory-item`, `user`, `role`, `party` or `system`.
    pub kind: String,
    pub id: String,
}

/// One entity a re-import adds, removes or changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SspChange {
    /// `added`, `removed` or `changed`.
    pub kind: String,
    pub uuid: String,
    pub name: String,
    pub summary: String,
}

/// What a re-import would change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SspChanges {
    pub components: Vec<SspChange>,
    pub inventory_items: Vec<SspChange>,
    pub implemented_requirements: Vec<SspChange>,
}

impl SspChanges {
    /// True when nothing would change.
    pub fn is_empty(&self) -> bool {
        self.components.is_empty()
            && self.inventory_items.is_empty()
            && self.implemented_requirements.is_empty()
    }

    /// "2 components, 1 inventory item changed" style summary.
    pub fn summary(&self) -> String {
        let part = |n: usize, one: &str, many: &str| match n {
            0 => None,
            1 => Some(format!("1 {one}")),
            n => Some(format!("{n} {many}")),
        };
        let parts: Vec<String> = [
            part(self.components.len(), "component", "components"),
            part(
                self.inventory_items.len(),
                "inventory item",
                "inventory items",
            ),
            part(
                self.implemented_requirements.len(),
                "implemented requirement",
                "implemented requirements",
            ),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() {
            "no changes".to_owned()
        } else {
            format!("{} changed", parts.join(", "))
        }
    }
}
