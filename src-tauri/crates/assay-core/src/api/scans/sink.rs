//! The storing end of a scan import: writes each parsed record into the open transaction
//! (hosts matched to the SSP inventory, plugin text once per tool+plugin, one weakness per
//! `assay_scan::weakness_key` with its instances and CVEs, compliance results) and counts what
//! it stored for the receipt.
//!
//! Invariants: runs on the storing thread only, inside the import's one transaction; every item
//! the parser delivered is counted exactly once (stored, informational or skipped with a reason);
//! a weakness whose tool+plugin id is listed in a finding-library entry's `scanner_ids` gets that
//! entry when it is first stored (recorded on the weakness, used when it is accepted).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use assay_scan::{
    AssetIdentity, ComplianceResult, ComplianceStatus, Host, Item, ItemKind, ParseSummary, ScanInfo,
};
use rusqlite::{Connection, Transaction};

use super::pipeline::{Prepared, Record};
use crate::error::Result;
use crate::model::scans::matching::{host_key, present, InventoryMatcher};
use crate::model::scans::{
    fedramp_risk, EarlierImport, ScanCvss, ScanFile, ScanReceipt, SkipCount,
};
use crate::store;
use crate::store::scans::HostFields;

/// The finding-library entries by scanner id (`tool:plugin`, lower-cased): the first entry
/// listing an id wins.
pub(super) fn library_ids(conn: &Connection) -> Result<HashMap<String, String>> {
    let mut library = HashMap::new();
    for entry in store::testing::library(conn)? {
        for id in &entry.scanner_ids {
            library
                .entry(id.trim().to_ascii_lowercase())
                .or_insert_with(|| entry.id.clone());
        }
    }
    Ok(library)
}

fn kind_code(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Vulnerability => "vulnerability",
        ItemKind::Potential => "potential",
        ItemKind::Informational => "informational",
        ItemKind::Compliance => "compliance",
        ItemKind::Misconfiguration => "misconfiguration",
        ItemKind::Secret => "secret",
    }
}

fn compliance_code(s: ComplianceStatus) -> &'static str {
    match s {
        ComplianceStatus::Pass => "pass",
        ComplianceStatus::Fail => "fail",
        ComplianceStatus::Warning => "warning",
        ComplianceStatus::Error => "error",
    }
}

/// The sink writing parsed records into the open transaction.
pub(super) struct StoreSink<'t, 'c> {
    tx: &'t Transaction<'c>,
    statements: store::scans::ItemStatements<'t>,
    file_id: String,
    format: &'static str,
    now: String,
    matcher: InventoryMatcher,
    library: HashMap<String, String>,
    hosts: HashMap<String, i64>,
    matched_hosts: BTreeSet<i64>,
    weaknesses: HashMap<String, i64>,
    /// Per weakness, the CVE list this import stored last (one entry per weakness).
    last_cves: HashMap<i64, Vec<String>>,
    /// Tool → plugin ids whose text this import already stored (one insert per plugin).
    plugins: HashMap<String, HashSet<String>>,
    new_weaknesses: u64,
    updated: BTreeSet<i64>,
    info: Option<ScanInfo>,
    items: u64,
    stored: u64,
    informational: u64,
    compliance: u64,
    host_records: u64,
    skipped: BTreeMap<String, u64>,
}

impl<'t, 'c> StoreSink<'t, 'c> {
    /// A sink storing the records of scan file `file_id` (of `format`, imported at `now`).
    pub(super) fn new(
        tx: &'t Transaction<'c>,
        file_id: String,
        format: &'static str,
        now: String,
        matcher: InventoryMatcher,
        library: HashMap<String, String>,
    ) -> Result<Self> {
        Ok(StoreSink {
            tx,
            statements: store::scans::ItemStatements::prepare(tx)?,
            file_id,
            format,
            now,
            matcher,
            library,
            hosts: HashMap::new(),
            matched_hosts: BTreeSet::new(),
            weaknesses: HashMap::new(),
            plugins: HashMap::new(),
            last_cves: HashMap::new(),
            new_weaknesses: 0,
            updated: BTreeSet::new(),
            info: None,
            items: 0,
            stored: 0,
            informational: 0,
            compliance: 0,
            host_records: 0,
            skipped: BTreeMap::new(),
        })
    }
}

impl StoreSink<'_, '_> {
    fn ensure_host(&mut self, key: &str, id: &AssetIdentity, host: Option<&Host>) -> Result<i64> {
        if host.is_none() {
            if let Some(row) = self.hosts.get(key) {
                return Ok(*row);
            }
        }
        let uuid = self.matcher.match_identity(id);
        let none: [String; 0] = [];
        let fields = HostFields {
            ip: present(&id.ip),
            fqdn: present(&id.fqdn),
            netbios: present(&id.netbios),
            mac: present(&id.mac),
            os: present(&id.os),
            image: present(&id.image),
            url: present(&id.url),
            file_path: present(&id.file),
            resource: present(&id.resource),
            name: present(&id.name),
            credentialed: host.and_then(|h| h.credentialed),
            auth_failures: host.map_or(&none[..], |h| &h.auth_failures[..]),
            inventory_uuid: uuid.as_deref(),
            start: host.and_then(|h| present(&h.start)),
            end: host.and_then(|h| present(&h.end)),
        };
        let row = store::scans::upsert_host(self.tx, &self.file_id, key, &fields, host.is_some())?;
        if uuid.is_some() {
            self.matched_hosts.insert(row);
        }
        self.hosts.insert(key.to_owned(), row);
        Ok(row)
    }

    fn store_item(&mut self, item: &Item, prepared: &Prepared) -> Result<()> {
        self.items += 1;
        if item.plugin_id.trim().is_empty() {
            *self
                .skipped
                .entry("no rule or plugin id".to_owned())
                .or_default() += 1;
            return Ok(());
        }
        let host_id = self.ensure_host(&prepared.host_key, &item.asset, None)?;
        self.ensure_plugin(item)?;
        if let Some(c) = &item.compliance {
            return self.store_compliance(item, c, host_id);
        }
        let weakness_id = self.ensure_weakness(item, &prepared.weakness_key)?;
        // A plugin reports the same CVE list on every host: skip the inserts when the list is
        // the one this import last stored for the weakness (INSERT OR IGNORE would keep nothing).
        if self.last_cves.get(&weakness_id) != Some(&prepared.cves) {
            self.statements.add_cves(weakness_id, &prepared.cves)?;
            self.last_cves.insert(weakness_id, prepared.cves.clone());
        }
        // Compressed here: the parsing thread is the longer of the two.
        let output = store::scans::encode_output(item.output.as_deref())?;
        self.statements
            .insert_instance(&store::scans::NewInstance {
                weakness_id,
                file_id: &self.file_id,
                host_id,
                port: item.port,
                protocol: present(&item.protocol),
                service: present(&item.service),
                location: present(&item.location),
                output: output.as_ref(),
            })?;
        if item.kind == ItemKind::Informational {
            self.informational += 1;
        } else {
            self.stored += 1;
        }
        Ok(())
    }

    /// Stores the plugin's text the first time this import sees the tool+plugin.
    fn ensure_plugin(&mut self, item: &Item) -> Result<()> {
        let known = self
            .plugins
            .get(item.tool.as_str())
            .is_some_and(|ids| ids.contains(item.plugin_id.as_str()));
        if !known {
            self.plugins
                .entry(item.tool.clone())
                .or_default()
                .insert(item.plugin_id.clone());
            store::scans::insert_plugin(
                self.tx,
                &store::scans::PluginText {
                    tool: &item.tool,
                    plugin_id: &item.plugin_id,
                    name: &item.name,
                    synopsis: item.synopsis.as_deref(),
                    description: item.description.as_deref(),
                    solution: item.solution.as_deref(),
                    family: item.plugin_family.as_deref(),
                    refs: &item.references,
                },
            )?;
        }
        Ok(())
    }

    /// Stores a compliance (configuration check) result.
    fn store_compliance(&mut self, item: &Item, c: &ComplianceResult, host_id: i64) -> Result<()> {
        store::scans::insert_compliance(
            self.tx,
            &store::scans::NewCompliance {
                file_id: &self.file_id,
                host_id,
                tool: &item.tool,
                plugin_id: &item.plugin_id,
                check_name: &c.check_name,
                check_id: c.check_id.as_deref(),
                audit_file: c.audit_file.as_deref(),
                result: c.result.map(compliance_code),
                actual_value: c.actual_value.as_deref(),
                policy_value: c.policy_value.as_deref(),
                refs_800_53: &c.references_800_53,
            },
        )?;
        self.compliance += 1;
        self.stored += 1;
        Ok(())
    }

    /// The weakness an item belongs to: found earlier in this import, found in the engagement
    /// (then marked seen again), or stored now.
    fn ensure_weakness(&mut self, item: &Item, key: &str) -> Result<i64> {
        if let Some(id) = self.weaknesses.get(key) {
            return Ok(*id);
        }
        let id = match store::scans::weakness_id(self.tx, key)? {
            Some(id) => {
                self.updated.insert(id);
                store::scans::touch_weakness(self.tx, id, &self.now)?;
                id
            }
            None => self.insert_weakness(item, key)?,
        };
        self.weaknesses.insert(key.to_owned(), id);
        Ok(id)
    }

    /// Stores a new weakness with its scanner ratings and the finding-library entry its scanner
    /// id (`tool:plugin`, else `format:plugin`) maps to.
    fn insert_weakness(&mut self, item: &Item, key: &str) -> Result<i64> {
        let cvss: Vec<ScanCvss> = item
            .cvss
            .iter()
            .map(|c| ScanCvss {
                version: c.version.clone(),
                score: c.score,
                vector: c.vector.clone(),
                source: c.source.clone(),
            })
            .collect();
        let scanner_id = format!("{}:{}", item.tool.to_ascii_lowercase(), item.plugin_id);
        let library = self
            .library
            .get(&scanner_id)
            .or_else(|| {
                self.library
                    .get(&format!("{}:{}", self.format, item.plugin_id))
            })
            .cloned();
        self.new_weaknesses += 1;
        store::scans::insert_weakness(
            self.tx,
            &store::scans::NewWeakness {
                key,
                tool: &item.tool,
                plugin_id: &item.plugin_id,
                format: self.format,
                name: &item.name,
                kind: kind_code(item.kind),
                severity: item.severity.as_str(),
                fedramp_risk: if item.kind == ItemKind::Informational {
                    None
                } else {
                    fedramp_risk(item.severity)
                },
                cvss: &cvss,
                seen: &self.now,
                library_entry_id: library.as_deref(),
            },
        )
    }

    /// The scan information the parser reported, if any.
    pub(super) fn take_info(&mut self) -> ScanInfo {
        self.info.take().unwrap_or_default()
    }

    /// What this import stored, for the user and the audit record.
    pub(super) fn receipt(
        &self,
        file: &ScanFile,
        shown: &str,
        size: u64,
        summary: &ParseSummary,
        earlier: Option<EarlierImport>,
    ) -> ScanReceipt {
        ScanReceipt {
            file_id: file.id.clone(),
            file: shown.to_owned(),
            sha256: file.sha256.clone(),
            size: size as f64,
            format: file.format.clone(),
            tool: file.tool.clone(),
            tool_version: file.tool_version.clone(),
            items_read: self.items,
            stored: self.stored,
            informational: self.informational,
            skipped: self
                .skipped
                .iter()
                .map(|(reason, count)| SkipCount {
                    reason: reason.clone(),
                    count: *count,
                })
                .collect(),
            parser_skipped: summary.skipped_count,
            parser_notes: summary
                .skipped
                .iter()
                .chain(summary.warnings.iter())
                .take(20)
                .cloned()
                .collect(),
            hosts: self.hosts.len() as u64,
            hosts_matched: self.matched_hosts.len() as u64,
            weaknesses_new: self.new_weaknesses,
            weaknesses_updated: self.updated.len() as u64,
            compliance_results: self.compliance,
            duplicate_of: earlier,
        }
    }

    /// Stores one record from the parsing thread.
    pub(super) fn take(&mut self, record: &mut Record) -> Result<()> {
        match record {
            Record::Info(info) => {
                self.info = Some(info.clone());
                Ok(())
            }
            Record::Host(host) => {
                self.host_records += 1;
                let key = host_key(&host.identity);
                self.ensure_host(&key, &host.identity, Some(host))
                    .map(|_| ())
            }
            Record::Item(item, prepared) => self.store_item(item, prepared),
        }
    }
}
