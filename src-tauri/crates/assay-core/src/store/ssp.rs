//! The SSP tables: the import history and the current SSP's content.
//!
//! Invariant: the content tables hold exactly one SSP, the one named by `ssp.import_id`; a re-import
//! replaces all of it in the caller's transaction.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{from_json, to_json};
use crate::error::Result;
use crate::model::oscal::{
    Component, ImplementedRequirement, InventoryItem, SystemImplementation, SystemSecurityPlan,
    User,
};
use crate::model::ssp::{InventoryRow, SspImportRecord};

/// Records an import and replaces the stored SSP with `ssp`.
pub fn replace(
    tx: &Transaction<'_>,
    ssp: &SystemSecurityPlan,
    import: &SspImportRecord,
    changes_json: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO ssp_import (id, imported_at, actor, source_name, source_sha256, source_format, oscal_version, title, version, changes) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            import.id,
            import.imported_at,
            import.actor,
            import.source_name,
            import.source_sha256,
            import.source_format,
            import.oscal_version,
            import.title,
            import.version,
            changes_json
        ],
    )?;
    tx.execute_batch(
        "DELETE FROM ssp; DELETE FROM ssp_user; DELETE FROM ssp_component; \
         DELETE FROM ssp_inventory_item; DELETE FROM ssp_implemented_requirement; DELETE FROM ssp_resource;",
    )?;
    let imp = &ssp.implementation;
    let document = ssp.clone_header();
    tx.execute(
        "INSERT INTO ssp (id, import_id, uuid, title, system_name, package_id, document) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            import.id,
            ssp.uuid,
            ssp.metadata.title,
            ssp.system.system_name,
            ssp.system.fedramp_package_id,
            to_json(&document)?
        ],
    )?;

    let mut stmt = tx.prepare(
        "INSERT INTO ssp_user (uuid, title, user_type, role_ids, position, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, u) in imp.users.iter().enumerate() {
        stmt.execute(params![
            u.uuid,
            u.title,
            u.user_type,
            u.role_ids.join(","),
            i as i64,
            to_json(u)?
        ])?;
    }
    let mut stmt = tx.prepare(
        "INSERT INTO ssp_component (uuid, component_type, title, status, position, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, c) in imp.components.iter().enumerate() {
        stmt.execute(params![
            c.uuid,
            c.component_type,
            c.title,
            c.status,
            i as i64,
            to_json(c)?
        ])?;
    }
    let mut stmt = tx.prepare(
        "INSERT INTO ssp_inventory_item (uuid, asset_id, asset_type, ipv4, ipv6, fqdn, netbios_name, mac_address, \
         os_name, os_version, software, is_virtual, is_public, scan_type, authenticated_scan, baseline_configuration, \
         function, description, position, data) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
    )?;
    for (i, it) in imp.inventory_items.iter().enumerate() {
        let software = match (&it.software_name, &it.software_version) {
            (Some(n), Some(v)) => Some(format!("{n} {v}")),
            (Some(n), None) => Some(n.clone()),
            _ => None,
        };
        stmt.execute(params![
            it.uuid,
            it.asset_id,
            it.asset_type,
            it.ipv4_addresses.join(", "),
            it.ipv6_addresses.join(", "),
            it.fqdn,
            it.netbios_name,
            it.mac_address,
            it.os_name,
            it.os_version,
            software,
            it.is_virtual,
            it.public,
            it.scan_type,
            it.allows_authenticated_scan,
            it.baseline_configuration_name,
            it.function,
            it.description,
            i as i64,
            to_json(it)?,
        ])?;
    }
    let mut stmt = tx.prepare(
        "INSERT INTO ssp_implemented_requirement (uuid, control_id, implementation_status, control_origination, position, data) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, r) in ssp.implemented_requirements.iter().enumerate() {
        stmt.execute(params![
            r.uuid,
            r.control_id,
            r.implementation_status,
            r.control_origination.join(","),
            i as i64,
            to_json(r)?
        ])?;
    }
    let mut stmt = tx.prepare(
        "INSERT INTO ssp_resource (uuid, title, position, data) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, r) in ssp.resources.iter().enumerate() {
        stmt.execute(params![r.uuid, r.title, i as i64, to_json(r)?])?;
    }
    Ok(())
}

/// Copies the parts of an SSP that are not its large lists.
trait CloneHeader {
    fn clone_header(&self) -> SystemSecurityPlan;
}

impl CloneHeader for SystemSecurityPlan {
    fn clone_header(&self) -> SystemSecurityPlan {
        SystemSecurityPlan {
            source: self.source.clone(),
            uuid: self.uuid.clone(),
            metadata: self.metadata.clone(),
            import_profile: self.import_profile.clone(),
            system: self.system.clone(),
            implementation: SystemImplementation {
                props: self.implementation.props.clone(),
                leveraged_authorizations: self.implementation.leveraged_authorizations.clone(),
                users: Vec::new(),
                components: Vec::new(),
                inventory_items: Vec::new(),
            },
            control_implementation_description: self.control_implementation_description.clone(),
            set_parameters: self.set_parameters.clone(),
            implemented_requirements: Vec::new(),
            resources: Vec::new(),
        }
    }
}

/// The import the stored SSP came from.
pub fn current_import(conn: &Connection) -> Result<Option<SspImportRecord>> {
    Ok(conn
        .query_row(
            "SELECT i.id, i.imported_at, i.actor, i.source_name, i.source_sha256, i.source_format, i.oscal_version, i.title, i.version \
             FROM ssp s JOIN ssp_import i ON i.id = s.import_id WHERE s.id = 1",
            [],
            |r| {
                Ok(SspImportRecord {
                    id: r.get(0)?,
                    imported_at: r.get(1)?,
                    actor: r.get(2)?,
                    source_name: r.get(3)?,
                    source_sha256: r.get(4)?,
                    source_format: r.get(5)?,
                    oscal_version: r.get(6)?,
                    title: r.get(7)?,
                    version: r.get(8)?,
                })
            },
        )
        .optional()?)
}

/// The stored SSP without its large lists (cheap: for the overview).
pub fn document(conn: &Connection) -> Result<Option<SystemSecurityPlan>> {
    let doc: Option<String> = conn
        .query_row("SELECT document FROM ssp WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    doc.map(|d| from_json(&d)).transpose()
}

fn load_list<T: serde::de::DeserializeOwned>(conn: &Connection, table: &str) -> Result<Vec<T>> {
    let mut stmt = conn.prepare(&format!("SELECT data FROM {table} ORDER BY position"))?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        out.push(from_json(&row?)?);
    }
    Ok(out)
}

/// The whole stored SSP, rebuilt exactly as it was imported.
pub fn load(conn: &Connection) -> Result<Option<SystemSecurityPlan>> {
    let Some(mut ssp) = document(conn)? else {
        return Ok(None);
    };
    ssp.implementation.users = load_list(conn, "ssp_user")?;
    ssp.implementation.components = load_list(conn, "ssp_component")?;
    ssp.implementation.inventory_items = load_list(conn, "ssp_inventory_item")?;
    ssp.implemented_requirements = load_list(conn, "ssp_implemented_requirement")?;
    ssp.resources = load_list(conn, "ssp_resource")?;
    Ok(Some(ssp))
}

/// Every component, in SSP order.
pub fn components(conn: &Connection) -> Result<Vec<Component>> {
    load_list(conn, "ssp_component")
}

/// Every user, in SSP order.
pub fn users(conn: &Connection) -> Result<Vec<User>> {
    load_list(conn, "ssp_user")
}

/// Every inventory item, in SSP order.
pub fn inventory_items(conn: &Connection) -> Result<Vec<InventoryItem>> {
    load_list(conn, "ssp_inventory_item")
}

/// Component titles by uuid.
pub fn component_titles(conn: &Connection) -> Result<HashMap<String, String>> {
    let mut stmt = conn.prepare("SELECT uuid, title FROM ssp_component")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The inventory as table rows, from the indexed columns only (fast for large inventories).
pub fn inventory_rows(conn: &Connection) -> Result<Vec<InventoryRow>> {
    let mut stmt = conn.prepare(
        "SELECT uuid, asset_id, asset_type, ipv4, ipv6, fqdn, netbios_name, mac_address, os_name, os_version, software, \
         is_virtual, is_public, scan_type, authenticated_scan, baseline_configuration, function, description \
         FROM ssp_inventory_item ORDER BY position",
    )?;
    let rows = stmt.query_map([], |r| {
        let os = match (
            r.get::<_, Option<String>>(8)?,
            r.get::<_, Option<String>>(9)?,
        ) {
            (Some(n), Some(v)) => Some(format!("{n} {v}")),
            (Some(n), None) => Some(n),
            (None, v) => v,
        };
        Ok(InventoryRow {
            uuid: r.get(0)?,
            asset_id: r.get(1)?,
            asset_type: r.get(2)?,
            ipv4: r.get(3)?,
            ipv6: r.get(4)?,
            fqdn: r.get(5)?,
            netbios_name: r.get(6)?,
            mac_address: r.get(7)?,
            os,
            software: r.get(10)?,
            is_virtual: r.get(11)?,
            is_public: r.get(12)?,
            scan_type: r.get(13)?,
            authenticated_scan: r.get(14)?,
            baseline_configuration: r.get(15)?,
            function: r.get(16)?,
            description: r.get(17)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The implemented requirement for a control, if the SSP has one.
pub fn implemented_requirement(
    conn: &Connection,
    control_id: &str,
) -> Result<Option<ImplementedRequirement>> {
    let data: Option<String> = conn
        .query_row(
            "SELECT data FROM ssp_implemented_requirement WHERE control_id = ?1 ORDER BY position LIMIT 1",
            [control_id],
            |r| r.get(0),
        )
        .optional()?;
    data.map(|d| from_json(&d)).transpose()
}
