//! Imported scanner results: scan files, hosts, plugin text, weaknesses with their instances and
//! compressed output, compliance results and the CVE correlation table.
//!
//! Invariant: plugin text is stored once per tool+plugin; a weakness is one row per
//! `assay_scan::weakness_key` across files and hosts; instance output is zlib-compressed in
//! `instance_output`, never in the instance row; deleting a scan file removes its hosts,
//! instances, output and compliance results (cascade) and nothing else.

use std::io::Read;

use rusqlite::{params, Connection, OptionalExtension, Statement, Transaction};

use crate::error::{Error, Result};
use crate::model::scans::{
    AffectedAsset, ComplianceRow, EarlierImport, HostRow, ReviewStatus, ScanCvss, ScanFile,
    WeaknessInstance, WeaknessRow,
};
use crate::model::testing::RiskLevel;

/// Inserts the scan file row; `sha256` may be a placeholder until the file is fully read.
pub fn insert_file(tx: &Transaction<'_>, f: &ScanFile, size: u64, receipt: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO scan_file (id, sha256, name, format, tool, tool_version, scan_start, scan_end, size, imported_at, actor, receipt) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            f.id, f.sha256, f.name, f.format, f.tool, f.tool_version, f.scan_start, f.scan_end,
            size as i64, f.imported_at, f.actor, receipt
        ],
    )?;
    Ok(())
}

/// Completes a scan file row once the whole file was read and parsed.
pub fn finish_file(tx: &Transaction<'_>, f: &ScanFile, size: u64, receipt: &str) -> Result<()> {
    tx.execute(
        "UPDATE scan_file SET sha256 = ?2, format = ?3, tool = ?4, tool_version = ?5, scan_start = ?6, \
         scan_end = ?7, size = ?8, receipt = ?9 WHERE id = ?1",
        params![
            f.id, f.sha256, f.format, f.tool, f.tool_version, f.scan_start, f.scan_end, size as i64,
            receipt
        ],
    )?;
    Ok(())
}

/// The earlier import of these bytes, if any.
pub fn file_by_sha(conn: &Connection, sha256: &str) -> Result<Option<EarlierImport>> {
    Ok(conn
        .query_row(
            "SELECT id, name, imported_at, actor FROM scan_file WHERE sha256 = ?1",
            [sha256],
            |r| {
                Ok(EarlierImport {
                    file_id: r.get(0)?,
                    name: r.get(1)?,
                    imported_at: r.get(2)?,
                    actor: r.get(3)?,
                })
            },
        )
        .optional()?)
}

/// Removes a scan file and everything it brought (hosts, instances, output, compliance
/// results), then weaknesses left without instances that nobody reviewed yet.
pub fn delete_file(tx: &Transaction<'_>, file_id: &str) -> Result<()> {
    tx.execute("DELETE FROM scan_file WHERE id = ?1", [file_id])?;
    tx.execute(
        "DELETE FROM weakness WHERE review = 'pending' AND finding_id IS NULL \
         AND NOT EXISTS (SELECT 1 FROM weakness_instance i WHERE i.weakness_id = weakness.id) \
         AND NOT EXISTS (SELECT 1 FROM weakness m WHERE m.merged_into = weakness.id)",
        [],
    )?;
    Ok(())
}

/// Every imported scan file, oldest first.
pub fn files(conn: &Connection) -> Result<Vec<ScanFile>> {
    let mut stmt = conn.prepare(
        "SELECT id, sha256, name, format, tool, tool_version, scan_start, scan_end, imported_at, actor \
         FROM scan_file ORDER BY imported_at, rowid",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(ScanFile {
            id: r.get(0)?,
            sha256: r.get(1)?,
            name: r.get(2)?,
            format: r.get(3)?,
            tool: r.get(4)?,
            tool_version: r.get(5)?,
            scan_start: r.get(6)?,
            scan_end: r.get(7)?,
            imported_at: r.get(8)?,
            actor: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The identity columns of a host.
#[derive(Debug, Clone, Default)]
pub struct HostFields<'a> {
    pub ip: Option<&'a str>,
    pub fqdn: Option<&'a str>,
    pub netbios: Option<&'a str>,
    pub mac: Option<&'a str>,
    pub os: Option<&'a str>,
    pub image: Option<&'a str>,
    pub url: Option<&'a str>,
    pub file_path: Option<&'a str>,
    pub resource: Option<&'a str>,
    pub name: Option<&'a str>,
    pub credentialed: Option<bool>,
    pub auth_failures: &'a [String],
    pub inventory_uuid: Option<&'a str>,
    pub start: Option<&'a str>,
    pub end: Option<&'a str>,
}

/// Inserts or completes the host `host_key` of a file; returns its row id. A later call (the
/// parser's `host` record after the items) fills in what earlier calls did not know.
pub fn upsert_host(
    tx: &Transaction<'_>,
    file_id: &str,
    host_key: &str,
    h: &HostFields<'_>,
    complete: bool,
) -> Result<i64> {
    let failures = serde_json::to_string(h.auth_failures).map_err(|e| Error::Encode {
        what: "a record".into(),
        message: e.to_string(),
    })?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO scan_host (file_id, host_key, ip, fqdn, netbios, mac, os, image, url, file_path, resource, name, \
         credentialed, auth_failures, inventory_uuid, start, end) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) \
         ON CONFLICT (file_id, host_key) DO UPDATE SET \
           ip = coalesce(excluded.ip, ip), fqdn = coalesce(excluded.fqdn, fqdn), \
           netbios = coalesce(excluded.netbios, netbios), mac = coalesce(excluded.mac, mac), \
           os = coalesce(excluded.os, os), image = coalesce(excluded.image, image), \
           url = coalesce(excluded.url, url), file_path = coalesce(excluded.file_path, file_path), \
           resource = coalesce(excluded.resource, resource), name = coalesce(excluded.name, name), \
           credentialed = CASE WHEN ?18 THEN coalesce(excluded.credentialed, credentialed) ELSE credentialed END, \
           auth_failures = CASE WHEN ?18 THEN excluded.auth_failures ELSE auth_failures END, \
           inventory_uuid = coalesce(excluded.inventory_uuid, inventory_uuid), \
           start = coalesce(excluded.start, start), end = coalesce(excluded.end, end) \
         RETURNING id",
    )?;
    Ok(stmt.query_row(
        params![
            file_id,
            host_key,
            h.ip,
            h.fqdn,
            h.netbios,
            h.mac,
            h.os,
            h.image,
            h.url,
            h.file_path,
            h.resource,
            h.name,
            h.credentialed,
            failures,
            h.inventory_uuid,
            h.start,
            h.end,
            complete
        ],
        |r| r.get(0),
    )?)
}

/// Plugin text, stored once per tool+plugin.
#[derive(Debug, Clone, Default)]
pub struct PluginText<'a> {
    pub tool: &'a str,
    pub plugin_id: &'a str,
    pub name: &'a str,
    pub synopsis: Option<&'a str>,
    pub description: Option<&'a str>,
    pub solution: Option<&'a str>,
    pub family: Option<&'a str>,
    pub refs: &'a [String],
}

/// Stores plugin text unless the tool+plugin is already known.
pub fn insert_plugin(tx: &Transaction<'_>, p: &PluginText<'_>) -> Result<()> {
    let refs = serde_json::to_string(p.refs).map_err(|e| Error::Encode {
        what: "a record".into(),
        message: e.to_string(),
    })?;
    tx.prepare_cached(
        "INSERT INTO plugin (tool, plugin_id, name, synopsis, description, solution, family, refs) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (tool, plugin_id) DO NOTHING",
    )?
    .execute(params![
        p.tool,
        p.plugin_id,
        p.name,
        p.synopsis,
        p.description,
        p.solution,
        p.family,
        refs
    ])?;
    Ok(())
}

/// A weakness about to be stored.
#[derive(Debug, Clone)]
pub struct NewWeakness<'a> {
    pub key: &'a str,
    pub tool: &'a str,
    pub plugin_id: &'a str,
    pub format: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub severity: &'a str,
    pub fedramp_risk: Option<RiskLevel>,
    pub cvss: &'a [ScanCvss],
    pub seen: &'a str,
    pub library_entry_id: Option<&'a str>,
}

/// The weakness with this key: (id, stored before this import began?).
pub fn weakness_id(tx: &Transaction<'_>, key: &str) -> Result<Option<i64>> {
    Ok(tx
        .prepare_cached("SELECT id FROM weakness WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// Inserts a new weakness; returns its id.
pub fn insert_weakness(tx: &Transaction<'_>, w: &NewWeakness<'_>) -> Result<i64> {
    let cvss = serde_json::to_string(w.cvss).map_err(|e| Error::Encode {
        what: "a record".into(),
        message: e.to_string(),
    })?;
    let best = w
        .cvss
        .iter()
        .filter_map(|c| c.score)
        .fold(None::<f64>, |m, s| Some(m.map_or(s, |m| m.max(s))));
    tx.prepare_cached(
        "INSERT INTO weakness (key, tool, plugin_id, format, name, kind, severity, fedramp_risk, cvss, cvss_score, \
         first_seen, last_seen, library_entry_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)",
    )?
    .execute(params![
        w.key,
        w.tool,
        w.plugin_id,
        w.format,
        w.name,
        w.kind,
        w.severity,
        w.fedramp_risk.map(|r| r.code()),
        cvss,
        best,
        w.seen,
        w.library_entry_id
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Records that a weakness was seen again.
pub fn touch_weakness(tx: &Transaction<'_>, id: i64, seen: &str) -> Result<()> {
    tx.prepare_cached(
        "UPDATE weakness SET last_seen = max(last_seen, ?2), first_seen = min(first_seen, ?2) WHERE id = ?1",
    )?
    .execute(params![id, seen])?;
    Ok(())
}

/// The statements an import runs for every item, prepared once per import: looking a cached
/// statement up by its SQL text for each item showed in profiles of large imports.
pub struct ItemStatements<'t> {
    cve: Statement<'t>,
    instance: Statement<'t>,
    output: Statement<'t>,
}

impl<'t> ItemStatements<'t> {
    /// Prepares the statements on the import's transaction.
    pub fn prepare(tx: &'t Transaction<'_>) -> Result<ItemStatements<'t>> {
        Ok(ItemStatements {
            cve: tx.prepare(
                "INSERT OR IGNORE INTO weakness_cve (weakness_id, cve) VALUES (?1, ?2)",
            )?,
            instance: tx.prepare(
                "INSERT INTO weakness_instance (weakness_id, file_id, host_id, port, protocol, service, location) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?,
            output: tx.prepare(
                "INSERT INTO instance_output (instance_id, compressed, data) VALUES (?1, ?2, ?3)",
            )?,
        })
    }

    /// Adds CVE ids to a weakness's correlation set.
    pub fn add_cves(&mut self, id: i64, cves: &[String]) -> Result<()> {
        for c in cves {
            self.cve.execute(params![id, c])?;
        }
        Ok(())
    }

    /// Stores an instance and its output (out of line); returns the instance id.
    pub fn insert_instance(&mut self, i: &NewInstance<'_>) -> Result<i64> {
        let id = self.instance.insert(params![
            i.weakness_id,
            i.file_id,
            i.host_id,
            i.port,
            i.protocol,
            i.service,
            i.location
        ])?;
        if let Some(out) = i.output {
            self.output.execute(params![id, out.compressed, out.data])?;
        }
        Ok(id)
    }
}

/// An instance of a weakness on a host.
#[derive(Debug, Clone)]
pub struct NewInstance<'a> {
    pub weakness_id: i64,
    pub file_id: &'a str,
    pub host_id: i64,
    pub port: Option<u16>,
    pub protocol: Option<&'a str>,
    pub service: Option<&'a str>,
    pub location: Option<&'a str>,
    /// Made by [`encode_output`] (possibly on another thread).
    pub output: Option<&'a EncodedOutput>,
}

/// Outputs shorter than this are stored uncompressed.
const COMPRESS_FROM: usize = 1024;

/// One instance's output as stored in `instance_output`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedOutput {
    /// True when `data` is zlib.
    pub compressed: bool,
    pub data: Vec<u8>,
}

thread_local! {
    /// One zlib compressor per thread, reset between outputs: creating one allocates and clears
    /// hundreds of kilobytes of tables, which dominated the import time when done per instance.
    static DEFLATE: std::cell::RefCell<flate2::Compress> =
        std::cell::RefCell::new(flate2::Compress::new(flate2::Compression::fast(), true));
}

/// zlib-compresses one plugin output.
fn compress(data: &[u8]) -> Result<Vec<u8>> {
    let fail = |e: flate2::CompressError| Error::Encode {
        what: "plugin output".into(),
        message: format!("zlib compression failed: {e}"),
    };
    DEFLATE.with(|cell| {
        let mut c = cell.borrow_mut();
        c.reset();
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        loop {
            let consumed = usize::try_from(c.total_in())
                .unwrap_or(data.len())
                .min(data.len());
            let status = c
                .compress_vec(&data[consumed..], &mut out, flate2::FlushCompress::Finish)
                .map_err(fail)?;
            if status == flate2::Status::StreamEnd {
                return Ok(out);
            }
            out.reserve(out.capacity().max(1024));
        }
    })
}

/// An instance's output as it will be stored: `None` when absent or blank; from
/// `COMPRESS_FROM` bytes zlib-compressed. Pure, so the import runs it on the parsing thread.
pub fn encode_output(output: Option<&str>) -> Result<Option<EncodedOutput>> {
    let Some(out) = output.filter(|o| !o.trim().is_empty()) else {
        return Ok(None);
    };
    Ok(Some(if out.len() < COMPRESS_FROM {
        EncodedOutput {
            compressed: false,
            data: out.as_bytes().to_vec(),
        }
    } else {
        EncodedOutput {
            compressed: true,
            data: compress(out.as_bytes())?,
        }
    }))
}

/// A compliance result about to be stored.
#[derive(Debug, Clone)]
pub struct NewCompliance<'a> {
    pub file_id: &'a str,
    pub host_id: i64,
    pub tool: &'a str,
    pub plugin_id: &'a str,
    pub check_name: &'a str,
    pub check_id: Option<&'a str>,
    pub audit_file: Option<&'a str>,
    pub result: Option<&'a str>,
    pub actual_value: Option<&'a str>,
    pub policy_value: Option<&'a str>,
    pub refs_800_53: &'a [String],
}

/// Stores one compliance result.
pub fn insert_compliance(tx: &Transaction<'_>, c: &NewCompliance<'_>) -> Result<()> {
    let refs = serde_json::to_string(c.refs_800_53).map_err(|e| Error::Encode {
        what: "a record".into(),
        message: e.to_string(),
    })?;
    tx.prepare_cached(
        "INSERT INTO compliance_result (file_id, host_id, tool, plugin_id, check_name, check_id, audit_file, result, \
         actual_value, policy_value, refs_800_53) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        c.file_id,
        c.host_id,
        c.tool,
        c.plugin_id,
        c.check_name,
        c.check_id,
        c.audit_file,
        c.result,
        c.actual_value,
        c.policy_value,
        refs
    ])?;
    Ok(())
}

fn host_label(
    ip: &Option<String>,
    fqdn: &Option<String>,
    name: &Option<String>,
    rest: &[&Option<String>],
) -> String {
    [ip, fqdn, name]
        .into_iter()
        .chain(rest.iter().copied())
        .flatten()
        .find(|v| !v.is_empty())
        .cloned()
        .unwrap_or_else(|| "(unnamed host)".to_owned())
}

/// SQL that yields a host's label: the first of ip, fqdn, name, url, image, resource, file.
const LABEL_SQL: &str =
    "coalesce(h.ip, h.fqdn, h.name, h.url, h.image, h.resource, h.file_path, '(unnamed host)')";

/// Every scanned host with its file's tool and time.
pub fn hosts(conn: &Connection) -> Result<Vec<HostRow>> {
    let mut stmt = conn.prepare(
        "SELECT h.id, h.file_id, f.tool, f.name, coalesce(f.scan_start, f.imported_at), h.ip, h.fqdn, h.netbios, \
         h.mac, h.image, h.url, h.name, h.credentialed, h.auth_failures, h.inventory_uuid, h.resource, h.file_path \
         FROM scan_host h JOIN scan_file f ON f.id = h.file_id ORDER BY f.imported_at, f.rowid, h.id",
    )?;
    let rows = stmt.query_map([], |r| {
        let failures: String = r.get(13)?;
        let (ip, fqdn, name) = (r.get(5)?, r.get(6)?, r.get(11)?);
        let (url, image, resource, file) = (r.get(10)?, r.get(9)?, r.get(15)?, r.get(16)?);
        Ok(HostRow {
            id: r.get(0)?,
            file_id: r.get(1)?,
            tool: r.get(2)?,
            file_name: r.get(3)?,
            when: r.get(4)?,
            label: host_label(&ip, &fqdn, &name, &[&url, &image, &resource, &file]),
            ip,
            fqdn,
            netbios: r.get(7)?,
            mac: r.get(8)?,
            image,
            url,
            name,
            credentialed: r.get(12)?,
            auth_failures: serde_json::from_str(&failures).unwrap_or_default(),
            inventory_uuid: r.get(14)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn risk(code: Option<String>) -> Option<RiskLevel> {
    code.and_then(|c| c.parse().ok())
}

/// Weakness rows (without assets), filtered by SQL on tool and review.
pub fn weaknesses(conn: &Connection, id: Option<i64>) -> Result<Vec<WeaknessRow>> {
    let mut stmt = conn.prepare(
        "SELECT w.id, w.key, w.tool, w.plugin_id, w.name, w.kind, w.severity, w.fedramp_risk, w.cvss, w.first_seen, \
         w.last_seen, w.review, w.merged_into, w.review_rationale, w.review_evidence, w.library_entry_id, w.finding_id, \
         p.synopsis, p.solution \
         FROM weakness w LEFT JOIN plugin p ON p.tool = w.tool AND p.plugin_id = w.plugin_id \
         WHERE ?1 IS NULL OR w.id = ?1 \
         ORDER BY CASE w.fedramp_risk WHEN 'high' THEN 0 WHEN 'moderate' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, \
         w.cvss_score DESC, w.tool, w.name, w.id",
    )?;
    let rows = stmt.query_map([id], |r| {
        let cvss: String = r.get(8)?;
        let evidence: String = r.get(14)?;
        let review: String = r.get(11)?;
        Ok(WeaknessRow {
            id: r.get(0)?,
            key: r.get(1)?,
            tool: r.get(2)?,
            plugin_id: r.get(3)?,
            name: r.get(4)?,
            kind: r.get(5)?,
            severity: r.get(6)?,
            fedramp_risk: risk(r.get(7)?),
            cvss: serde_json::from_str(&cvss).unwrap_or_default(),
            cves: Vec::new(),
            correlated: Vec::new(),
            first_seen: r.get(9)?,
            last_seen: r.get(10)?,
            review: ReviewStatus::parse(&review).unwrap_or(ReviewStatus::Pending),
            merged_into: r.get(12)?,
            review_rationale: r.get(13)?,
            review_evidence: serde_json::from_str(&evidence).unwrap_or_default(),
            library_entry_id: r.get(15)?,
            finding_id: r.get(16)?,
            assets: Vec::new(),
            instance_count: 0,
            asset_count: 0,
            synopsis: r.get(17)?,
            solution: r.get(18)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// CVE ids of every weakness, as (weakness id, cve).
pub fn all_cves(conn: &Connection) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare("SELECT weakness_id, cve FROM weakness_cve ORDER BY cve")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Affected assets per weakness: (weakness id, asset).
pub fn affected_assets(conn: &Connection) -> Result<Vec<(i64, AffectedAsset)>> {
    let sql = format!(
        "SELECT i.weakness_id, {LABEL_SQL} AS label, max(h.inventory_uuid), count(*) \
         FROM weakness_instance i JOIN scan_host h ON h.id = i.host_id \
         GROUP BY i.weakness_id, label ORDER BY i.weakness_id, label"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            AffectedAsset {
                label: r.get(1)?,
                inventory_uuid: r.get(2)?,
                instances: r.get::<_, i64>(3)? as u64,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn inflate(compressed: Option<bool>, blob: Option<Vec<u8>>) -> Option<String> {
    let blob = blob?;
    if compressed != Some(true) {
        return String::from_utf8(blob).ok();
    }
    let mut out = String::new();
    flate2::read::ZlibDecoder::new(blob.as_slice())
        .read_to_string(&mut out)
        .ok()?;
    Some(out)
}

/// Instances of a weakness (or every instance on the given hosts), with their output.
pub fn instances(
    conn: &Connection,
    weakness_id: Option<i64>,
    host_ids: Option<&[i64]>,
) -> Result<Vec<WeaknessInstance>> {
    let sql = format!(
        "SELECT i.id, i.weakness_id, i.file_id, {LABEL_SQL}, h.inventory_uuid, i.port, i.protocol, i.service, \
         i.location, o.compressed, o.data, i.host_id FROM weakness_instance i JOIN scan_host h ON h.id = i.host_id \
         LEFT JOIN instance_output o ON o.instance_id = i.id \
         WHERE ?1 IS NULL OR i.weakness_id = ?1 ORDER BY i.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([weakness_id], |r| {
        Ok((
            r.get::<_, i64>(11)?,
            WeaknessInstance {
                id: r.get(0)?,
                weakness_id: r.get(1)?,
                file_id: r.get(2)?,
                host: r.get(3)?,
                inventory_uuid: r.get(4)?,
                port: r.get(5)?,
                protocol: r.get(6)?,
                service: r.get(7)?,
                location: r.get(8)?,
                output: inflate(r.get(9)?, r.get(10)?),
            },
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (host, inst) = row?;
        if host_ids.is_none_or(|h| h.contains(&host)) {
            out.push(inst);
        }
    }
    Ok(out)
}

/// Sets a weakness's review fields.
pub fn set_review(
    tx: &Transaction<'_>,
    id: i64,
    review: ReviewStatus,
    merged_into: Option<i64>,
    rationale: &str,
    evidence: &[String],
    finding_id: Option<&str>,
) -> Result<()> {
    let evidence = serde_json::to_string(evidence).map_err(|e| Error::Encode {
        what: "a record".into(),
        message: e.to_string(),
    })?;
    tx.execute(
        "UPDATE weakness SET review = ?2, merged_into = ?3, review_rationale = ?4, review_evidence = ?5, \
         finding_id = coalesce(?6, finding_id) WHERE id = ?1",
        params![id, review.as_str(), merged_into, rationale, evidence, finding_id],
    )?;
    Ok(())
}

/// Plugin text of a tool+plugin.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PluginRecord {
    pub synopsis: Option<String>,
    pub description: Option<String>,
    pub solution: Option<String>,
    pub family: Option<String>,
}

/// The stored text of a tool+plugin.
pub fn plugin_text(conn: &Connection, tool: &str, plugin_id: &str) -> Result<Option<PluginRecord>> {
    Ok(conn
        .query_row(
            "SELECT synopsis, description, solution, family FROM plugin WHERE tool = ?1 AND plugin_id = ?2",
            [tool, plugin_id],
            |r| {
                Ok(PluginRecord {
                    synopsis: r.get(0)?,
                    description: r.get(1)?,
                    solution: r.get(2)?,
                    family: r.get(3)?,
                })
            },
        )
        .optional()?)
}

/// The stored format of a weakness's first import.
pub fn weakness_format(conn: &Connection, id: i64) -> Result<String> {
    Ok(
        conn.query_row("SELECT format FROM weakness WHERE id = ?1", [id], |r| {
            r.get(0)
        })?,
    )
}

/// Every compliance result with its host label, in import order.
pub fn compliance(conn: &Connection) -> Result<Vec<ComplianceRow>> {
    let sql = format!(
        "SELECT {LABEL_SQL}, c.check_name, c.check_id, c.audit_file, c.result, c.refs_800_53 \
         FROM compliance_result c JOIN scan_host h ON h.id = c.host_id ORDER BY c.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| {
        let refs: String = r.get(5)?;
        Ok(ComplianceRow {
            host: r.get(0)?,
            check_name: r.get(1)?,
            check_id: r.get(2)?,
            audit_file: r.get(3)?,
            result: r.get(4)?,
            refs_800_53: serde_json::from_str(&refs).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Weaknesses that count for `info` (RET candidates: not informational, not merged).
pub fn count_weaknesses(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT count(*) FROM weakness WHERE kind <> 'informational' AND review <> 'merged'",
        [],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_round_trip_whether_stored_plain_or_compressed() {
        let short = "Credentialed checks : yes".to_owned();
        let long = "Installed package: openssl 1.1.1k (fixed in 1.1.1w)\n".repeat(200);
        assert!(short.len() < COMPRESS_FROM && long.len() >= COMPRESS_FROM);
        assert_eq!(
            inflate(Some(false), Some(short.clone().into_bytes())),
            Some(short.clone())
        );
        let blob = compress(long.as_bytes()).unwrap();
        assert!(
            blob.len() < long.len() / 10,
            "repetitive output compresses well"
        );
        assert_eq!(inflate(Some(true), Some(blob.clone())), Some(long.clone()));
        // The reused compressor gives the same bytes every time.
        assert_eq!(compress(long.as_bytes()).unwrap(), blob);
        // encode_output picks between the two by length and drops blank output.
        for blank in [None, Some(""), Some(" \n\t")] {
            assert_eq!(encode_output(blank).unwrap(), None, "{blank:?}");
        }
        let plain = encode_output(Some(&short)).unwrap().unwrap();
        assert!(!plain.compressed);
        assert_eq!(inflate(Some(false), Some(plain.data)), Some(short));
        let packed = encode_output(Some(&long)).unwrap().unwrap();
        assert!(packed.compressed);
        assert_eq!(packed.data, blob);
    }
}
