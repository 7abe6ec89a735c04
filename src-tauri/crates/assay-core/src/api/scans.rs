//! Importing scanner results, the weakness review, scan coverage of the SSP inventory and the
//! configuration-check (CM-6) roll-up.
//!
//! Invariants:
//! - an import streams the file once (a 64 KiB buffer; memory flat in file size) through
//!   `assay_scan` into the store inside ONE transaction with its audit record: a parse error, a
//!   store error or a cancel rolls everything back and leaves the engagement unchanged;
//! - the file is read and parsed on a scoped second thread that hands records to the storing
//!   thread through a bounded channel (at most `QUEUE` batches of `BATCH`), and passes each
//!   chunk it read to a third thread that hashes and copies it (at most `COPY_QUEUE` chunks),
//!   so the stages overlap on two cores and memory stays flat;
//! - the same bytes (SHA-256) are imported once; a second import is refused naming the first,
//!   unless `replace`, which removes the earlier import's rows in the same transaction;
//! - the raw file is kept content-addressed beside the engagement (`<engagement>.scans/<sha256>`),
//!   copied while it is parsed (into a temporary name, renamed only on success);
//! - a weakness whose tool+plugin id is listed in a finding-library entry's `scanner_ids` gets
//!   that entry at import (recorded on the weakness); accepting the weakness writes the finding
//!   with the entry's text, the scan's FedRAMP risk and the SAR column of its scan type, in the
//!   same transaction as the review.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use assay_scan::{AssetIdentity, ComplianceStatus, Host, Item, ItemKind, ScanInfo, ScanSink};
use rusqlite::Transaction;
use sha2::{Digest, Sha256};

use super::Session;
use crate::error::{Error, Result};
use crate::model::scans::matching::{host_key, present, InventoryMatcher};
use crate::model::scans::{
    configuration, coverage, fedramp_risk, ConfigurationFindings, Coverage, ReviewAction,
    ReviewStatus, ScanCvss, ScanFile, ScanReceipt, SkipCount, WeaknessFilter, WeaknessInstance,
    WeaknessRow,
};
use crate::model::testing::{FindingCategory, FindingSource, NewFinding};
use crate::model::AuditEntry;
use crate::store;
use crate::store::scans::HostFields;

const CHUNK: usize = 64 * 1024;

/// Options of [`Session::import_scan`].
#[derive(Clone, Copy, Default)]
pub struct ScanImportOptions<'a> {
    /// Called with (bytes parsed, file size).
    pub progress: Option<&'a dyn Fn(u64, u64)>,
    /// Raise to stop; nothing is stored.
    pub cancel: Option<&'a AtomicBool>,
    /// Replace an earlier import of the same bytes instead of refusing.
    pub replace: bool,
    /// Accept text that is not valid UTF-8 (stray Latin-1 bytes from old scanners), replacing the
    /// bad bytes with U+FFFD; by default such a file is refused, naming the first bad byte.
    pub accept_invalid_utf8: bool,
}

impl std::fmt::Debug for ScanImportOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanImportOptions")
            .field("progress", &self.progress.is_some())
            .field("cancel", &self.cancel.is_some())
            .field("replace", &self.replace)
            .field("accept_invalid_utf8", &self.accept_invalid_utf8)
            .finish()
    }
}

/// The sidecar folder holding the raw scanner files of an engagement.
pub fn scans_dir(engagement: &Path) -> PathBuf {
    let mut name = engagement
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".scans");
    engagement.with_file_name(name)
}

/// Hands every byte the parser reads to the copying thread (which hashes and copies them), so
/// the hash and the copy are of exactly the parsed bytes but cost the parsing thread only a
/// memcpy per chunk.
struct Tee {
    inner: File,
    chunks: std::sync::mpsc::SyncSender<Vec<u8>>,
    /// Chunks the copying thread is done with, reused here (no allocation per read).
    spare: std::sync::mpsc::Receiver<Vec<u8>>,
    size: u64,
}

impl Read for Tee {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            let mut chunk = self.spare.try_recv().unwrap_or_default();
            chunk.clear();
            chunk.extend_from_slice(buf.get(..n).unwrap_or_default());
            self.chunks
                .send(chunk)
                .map_err(|_| std::io::Error::other("the copy of the file stopped"))?;
            self.size += n as u64;
        }
        Ok(n)
    }
}

/// Chunks the reader may run ahead of the copying thread (about 1 MiB).
const COPY_QUEUE: usize = 16;
/// The copy is synced every this many bytes so the disk writes overlap the parse instead of
/// all waiting for the final sync (measured: about 50 ms per 100 MB at the end otherwise).
const SYNC_EVERY: u64 = 16 * 1024 * 1024;

/// The copying thread: hashes and writes each chunk until the empty chunk that marks the end,
/// then syncs the copy: (SHA-256 in hex, bytes copied). A channel closed without the end mark
/// (the parse failed or was cancelled) gives `None` without syncing. The syncs along the way
/// run on a thread of their own, so a slow disk never holds up the copy (nor the parser
/// behind it); only the final sync is waited for and its error reported.
fn copy_chunks(
    chunks: std::sync::mpsc::Receiver<Vec<u8>>,
    spare: std::sync::mpsc::SyncSender<Vec<u8>>,
    mut copy: File,
    temp: &Path,
) -> Result<Option<(String, u64)>> {
    // Without a second handle the copy is simply synced at the end.
    let syncing = copy.try_clone().ok();
    std::thread::scope(|scope| {
        let (sync_now, sync_asked) = std::sync::mpsc::sync_channel::<()>(1);
        if let Some(handle) = syncing {
            scope.spawn(move || {
                for () in sync_asked {
                    // Best effort: the final sync_all reports any error.
                    let _ = handle.sync_data();
                }
            });
        }
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut asked = 0u64;
        for chunk in &chunks {
            if chunk.is_empty() {
                drop(sync_now);
                copy.sync_all().map_err(io_err(temp))?;
                return Ok(Some((hex::encode(hasher.finalize()), size)));
            }
            hasher.update(&chunk);
            copy.write_all(&chunk).map_err(io_err(temp))?;
            size += chunk.len() as u64;
            if size - asked >= SYNC_EVERY {
                asked = size;
                // Skipped while the previous sync still runs: it is behind anyway.
                let _ = sync_now.try_send(());
            }
            let _ = spare.try_send(chunk);
        }
        Ok(None)
    })
}

/// One parser record on its way from the parsing thread to the store.
enum Record {
    Info(ScanInfo),
    Host(Host),
    Item(Box<Item>, Prepared),
}

/// The keys of an item, worked out on the parsing thread (pure functions of the item). Output
/// compression stays on the storing thread: measured, that balanced the two threads best.
struct Prepared {
    host_key: String,
    /// Empty for items that become no weakness (compliance checks, no plugin id).
    weakness_key: String,
    cves: Vec<String>,
}

impl Prepared {
    fn of(item: &Item) -> Prepared {
        let host_key = host_key(&item.asset);
        if item.compliance.is_some() || item.plugin_id.trim().is_empty() {
            return Prepared {
                host_key,
                weakness_key: String::new(),
                cves: Vec::new(),
            };
        }
        Prepared {
            host_key,
            weakness_key: assay_scan::weakness_key(item),
            cves: assay_scan::correlation_keys(item),
        }
    }
}

/// Records per batch sent between the threads: large enough that the channel costs nothing
/// per item, small enough that the queue stays a few megabytes.
const BATCH: usize = 256;
/// Batches the parser may run ahead of the store (bounds memory: about 8 × 256 items).
const QUEUE: usize = 8;

/// The parsing thread's sink: batches records into a bounded channel to the storing thread.
/// A closed channel (the store refused a record or saw the cancel flag) stops the parse.
struct RelaySink {
    send: std::sync::mpsc::SyncSender<Vec<Record>>,
    /// Batches the store is done with, sent back to be freed on this thread: glibc frees a
    /// block from another thread under the allocating thread's arena lock, and profiling showed
    /// the store waiting on that lock most of the time when it dropped the records itself.
    spent: std::sync::mpsc::Receiver<Vec<Record>>,
    batch: Vec<Record>,
}

impl RelaySink {
    fn push(&mut self, record: Record) -> Result<(), assay_scan::SinkError> {
        self.batch.push(record);
        if self.batch.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), assay_scan::SinkError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let mut next = Vec::new();
        while let Ok(mut old) = self.spent.try_recv() {
            old.clear();
            next = old;
        }
        if next.capacity() < BATCH {
            next = Vec::with_capacity(BATCH);
        }
        let full = std::mem::replace(&mut self.batch, next);
        self.send
            .send(full)
            .map_err(|_| assay_scan::SinkError::new("the store stopped the import"))
    }
}

impl ScanSink for RelaySink {
    fn scan_info(&mut self, info: ScanInfo) -> Result<(), assay_scan::SinkError> {
        self.push(Record::Info(info))
    }

    fn host(&mut self, host: Host) -> Result<(), assay_scan::SinkError> {
        self.push(Record::Host(host))
    }

    fn item(&mut self, item: Item) -> Result<(), assay_scan::SinkError> {
        let prepared = Prepared::of(&item);
        self.push(Record::Item(Box::new(item), prepared))
    }
}

/// Reads what the parser left (it may stop before trailing whitespace) so every byte is hashed
/// and copied, then marks the end for the copying thread: bytes read.
fn finish_tee(mut reader: BufReader<Tee>, path: &Path) -> Result<u64> {
    std::io::copy(&mut reader, &mut std::io::sink()).map_err(|e| Error::ScanImport {
        path: path.to_owned(),
        message: format!("read error: {e}"),
    })?;
    let tee = reader.into_inner();
    tee.chunks.send(Vec::new()).map_err(|_| Error::ScanImport {
        path: path.to_owned(),
        message: "the copy of the file stopped".into(),
    })?;
    Ok(tee.size)
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
struct StoreSink<'t, 'c> {
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
    /// The store error behind a sink refusal (kept so the caller reports it, not a string).
    error: Option<Error>,
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
        if let Some(c) = &item.compliance {
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
            return Ok(());
        }
        let key = prepared.weakness_key.as_str();
        let weakness_id = match self.weaknesses.get(key) {
            Some(id) => *id,
            None => {
                let id = match store::scans::weakness_id(self.tx, key)? {
                    Some(id) => {
                        self.updated.insert(id);
                        store::scans::touch_weakness(self.tx, id, &self.now)?;
                        id
                    }
                    None => {
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
                        let scanner_id =
                            format!("{}:{}", item.tool.to_ascii_lowercase(), item.plugin_id);
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
                        )?
                    }
                };
                self.weaknesses.insert(key.to_owned(), id);
                id
            }
        };
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

    /// Stores one record from the parsing thread.
    fn take(&mut self, record: &mut Record) -> Result<()> {
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

/// The SAR Table 2-2 column of a scanner format (plugin family decides DB scans).
fn category_for(format: &str, family: Option<&str>) -> FindingCategory {
    if family.is_some_and(|f| f.to_ascii_lowercase().contains("database")) {
        return FindingCategory::DbScan;
    }
    match format {
        "zap-xml" | "zap-json" | "burp" | "nuclei" | "sarif" => FindingCategory::WebScan,
        "trivy" | "grype" => FindingCategory::ContainerScan,
        _ => FindingCategory::OsScan,
    }
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

impl Session {
    /// Imports one scanner file (any format `assay_scan` detects) in one transaction.
    pub fn import_scan(
        &mut self,
        path: &Path,
        opts: &ScanImportOptions<'_>,
    ) -> Result<ScanReceipt> {
        let shown = path.display().to_string();
        let input = File::open(path).map_err(io_err(path))?;
        let meta = input.metadata().map_err(io_err(path))?;
        if meta.is_dir() {
            return Err(Error::ScanImport {
                path: path.to_owned(),
                message: "is a folder, not a scanner file".into(),
            });
        }
        let total = meta.len();
        let conn = self.store.conn();
        let matcher = InventoryMatcher::new(&store::ssp::inventory_rows(conn)?);
        let mut library = HashMap::new();
        for entry in store::testing::library(conn)? {
            for id in &entry.scanner_ids {
                library
                    .entry(id.trim().to_ascii_lowercase())
                    .or_insert_with(|| entry.id.clone());
            }
        }
        let dir = scans_dir(self.path());
        std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        let file_id = self.ctx.new_id();
        let temp = dir.join(format!(".incoming-{file_id}"));
        let copy = File::create(&temp).map_err(io_err(&temp))?;
        let (chunks, copier_chunks) = std::sync::mpsc::sync_channel::<Vec<u8>>(COPY_QUEUE);
        let (copier_spare, spare) = std::sync::mpsc::sync_channel::<Vec<u8>>(COPY_QUEUE + 2);
        let tee = Tee {
            inner: input,
            chunks,
            spare,
            size: 0,
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.clone());
        let result = self.write(|tx, ctx| {
            let refused = |message: String| Error::ScanImport {
                path: path.to_owned(),
                message,
            };
            let mut reader = BufReader::with_capacity(CHUNK, tee);
            let mut head = Vec::with_capacity(assay_scan::SNIFF_LEN);
            (&mut reader)
                .take(assay_scan::SNIFF_LEN as u64)
                .read_to_end(&mut head)
                .map_err(|e| refused(format!("read error: {e}")))?;
            let format = assay_scan::detect(&head).map_err(|e| refused(e.to_string()))?;
            let now = ctx.timestamp();
            let mut file = ScanFile {
                id: file_id.clone(),
                sha256: format!("pending:{file_id}"),
                name: name.clone(),
                format: format.name().to_owned(),
                tool: String::new(),
                tool_version: None,
                scan_start: None,
                scan_end: None,
                imported_at: now.clone(),
                actor: ctx.actor.clone(),
            };
            store::scans::insert_file(tx, &file, total, "{}")?;
            let mut sink = StoreSink {
                tx,
                statements: store::scans::ItemStatements::prepare(tx)?,
                file_id: file_id.clone(),
                format: format.name(),
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
                error: None,
            };
            let report = |done: u64| {
                if let Some(p) = opts.progress {
                    p(done, total);
                }
            };
            // Three threads: this one stores while a scoped thread reads and parses, passing
            // records through a bounded channel, and a third hashes and copies the bytes the
            // parser read (the parse is the longest stage), so memory stays flat. Progress is
            // noted by the parser and reported from here (the callback need not be thread-safe).
            let cancel = opts.cancel;
            let parsed_bytes = AtomicU64::new(0);
            let (parsed, finished, copied) = std::thread::scope(|scope| {
                let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Record>>(QUEUE);
                let (give_back, spent) = std::sync::mpsc::sync_channel::<Vec<Record>>(QUEUE + 2);
                let parsed_bytes = &parsed_bytes;
                let temp = temp.as_path();
                let copier = scope.spawn(move || copy_chunks(copier_chunks, copier_spare, copy, temp));
                let parser = scope.spawn(move || {
                    let note = |done: u64| parsed_bytes.store(done, Ordering::Relaxed);
                    let ctl = assay_scan::Control {
                        progress: Some(&note),
                        cancel,
                    };
                    let mut relay = RelaySink {
                        send,
                        spent,
                        batch: Vec::with_capacity(BATCH),
                    };
                    let parsed = {
                        let mut chained = std::io::Cursor::new(head).chain(&mut reader);
                        format.parse(&mut chained as &mut dyn BufRead, &mut relay, &ctl)
                    };
                    let parsed = parsed.and_then(|s| relay.flush().map(|()| s).map_err(Into::into));
                    drop(relay);
                    // Drained here, the hash and the synced copy overlap the store's last batches.
                    let finished = parsed.is_ok().then(|| finish_tee(reader, path));
                    (parsed, finished)
                });
                let mut reported = 0;
                for mut batch in receive {
                    if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                        break;
                    }
                    if let Err(e) = batch.iter_mut().try_for_each(|r| sink.take(r)) {
                        // Kept so the caller reports the store error, not the parser's note.
                        sink.error = Some(e);
                        break;
                    }
                    // Freed by the parser; when its queue is full or it has finished, here.
                    let _ = give_back.try_send(batch);
                    let done = parsed_bytes.load(Ordering::Relaxed);
                    if done > reported {
                        reported = done;
                        report(done);
                    }
                }
                // Leaving the loop early drops the receiver, which stops the parser, whose
                // reader then closes the copier's channel.
                let stopped = |what: &str| Error::ScanImport {
                    path: path.to_owned(),
                    message: format!("the {what} stopped unexpectedly"),
                };
                let (parsed, finished) = parser.join().map_err(|_| stopped("parser"))?;
                let copied = copier.join().map_err(|_| stopped("copy"))?;
                Ok::<_, Error>((parsed, finished, copied))
            })?;
            // A failed copy (disk full) is the cause of the parser's read error: reported first.
            let copied = copied?;
            if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return Err(Error::Cancelled);
            }
            report(parsed_bytes.load(Ordering::Relaxed));
            let summary = match parsed {
                Ok(s) => s,
                Err(assay_scan::ScanError::Cancelled) => return Err(Error::Cancelled),
                Err(e) => {
                    return Err(match sink.error.take() {
                        Some(inner) => inner,
                        None => refused(e.to_string()),
                    })
                }
            };
            if !opts.accept_invalid_utf8 {
                if let Some(note) = summary.warnings.iter().find(|w| w.starts_with("invalid UTF-8")) {
                    let place = note.trim_end_matches(" replaced with U+FFFD");
                    return Err(refused(format!(
                        "{place}: the file is not valid UTF-8 (import it with --accept-invalid-utf8 to replace such bytes)"
                    )));
                }
            }
            let Some(finished) = finished else {
                return Err(refused("the parser stopped without a result".into()));
            };
            let size = finished?;
            let Some((sha256, _)) = copied.filter(|(_, n)| *n == size) else {
                return Err(refused("the copy of the file is incomplete".into()));
            };
            let earlier = store::scans::file_by_sha(tx, &sha256)?;
            if let Some(earlier) = &earlier {
                if !opts.replace {
                    return Err(Error::ScanDuplicate {
                        path: path.to_owned(),
                        earlier: earlier.name.clone(),
                        at: earlier.imported_at.clone(),
                        actor: earlier.actor.clone(),
                    });
                }
                store::scans::delete_file(tx, &earlier.file_id)?;
            }
            let info = sink.info.take().unwrap_or_default();
            file.sha256.clone_from(&sha256);
            file.tool = if info.tool.is_empty() {
                format.name().to_owned()
            } else {
                info.tool.clone()
            };
            file.tool_version = info.tool_version.clone();
            file.scan_start = info.scan_start.clone();
            file.scan_end = info.scan_end.clone();
            let weaknesses_updated = sink.updated.len() as u64;
            let receipt = ScanReceipt {
                file_id: file_id.clone(),
                file: shown.clone(),
                sha256: sha256.clone(),
                size: size as f64,
                format: format.name().to_owned(),
                tool: file.tool.clone(),
                tool_version: file.tool_version.clone(),
                items_read: sink.items,
                stored: sink.stored,
                informational: sink.informational,
                skipped: sink
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
                hosts: sink.hosts.len() as u64,
                hosts_matched: sink.matched_hosts.len() as u64,
                weaknesses_new: sink.new_weaknesses,
                weaknesses_updated,
                compliance_results: sink.compliance,
                duplicate_of: earlier,
            };
            let receipt_json = super::engagement::to_json(&receipt);
            store::scans::finish_file(tx, &file, size, &receipt_json)?;
            let target = dir.join(&sha256);
            std::fs::rename(&temp, &target).map_err(io_err(&target))?;
            let replaced = receipt
                .duplicate_of
                .as_ref()
                .map(|e| format!(", replacing the import of {}", e.imported_at))
                .unwrap_or_default();
            let entry = AuditEntry {
                entity: "scan_file".into(),
                entity_id: file_id.clone(),
                action: if receipt.duplicate_of.is_some() {
                    "replace".into()
                } else {
                    "import".into()
                },
                summary: format!(
                    "imported scan {name} ({}, {}): {} items, {} hosts, {} new and {} updated weaknesses, {} compliance results{replaced}",
                    receipt.format,
                    receipt.tool,
                    receipt.items_read,
                    receipt.hosts,
                    receipt.weaknesses_new,
                    receipt.weaknesses_updated,
                    receipt.compliance_results
                ),
                before: String::new(),
                after: receipt_json,
            };
            Ok((receipt, vec![entry]))
        });
        if result.is_err() {
            // Best effort: the copy of a refused file is not kept.
            let _ = std::fs::remove_file(&temp);
        }
        result
    }

    /// Every imported scan file, oldest first.
    pub fn scan_files(&self) -> Result<Vec<ScanFile>> {
        store::scans::files(self.store.conn())
    }

    fn weakness_rows(&self, id: Option<i64>) -> Result<Vec<WeaknessRow>> {
        let conn = self.store.conn();
        let mut rows = store::scans::weaknesses(conn, id)?;
        let mut cves: HashMap<i64, Vec<String>> = HashMap::new();
        let mut by_cve: HashMap<String, Vec<i64>> = HashMap::new();
        for (w, cve) in store::scans::all_cves(conn)? {
            cves.entry(w).or_default().push(cve.clone());
            by_cve.entry(cve).or_default().push(w);
        }
        let tools: HashMap<i64, String> = store::scans::weaknesses(conn, None)?
            .into_iter()
            .map(|w| (w.id, w.tool.to_ascii_lowercase()))
            .collect();
        let mut assets: HashMap<i64, Vec<_>> = HashMap::new();
        for (w, a) in store::scans::affected_assets(conn)? {
            assets.entry(w).or_default().push(a);
        }
        for row in &mut rows {
            row.cves = cves.remove(&row.id).unwrap_or_default();
            let mut correlated = BTreeSet::new();
            let tool = row.tool.to_ascii_lowercase();
            for cve in &row.cves {
                for other in by_cve.get(cve).into_iter().flatten() {
                    if *other != row.id && tools.get(other) != Some(&tool) {
                        correlated.insert(*other);
                    }
                }
            }
            row.correlated = correlated.into_iter().collect();
            row.assets = assets.remove(&row.id).unwrap_or_default();
            row.asset_count = row.assets.len() as u64;
            row.instance_count = row.assets.iter().map(|a| a.instances).sum();
        }
        Ok(rows)
    }

    /// Weaknesses, one row per tool+plugin across hosts with the affected assets (RET order:
    /// High first, then by CVSS score).
    pub fn weaknesses(&self, filter: &WeaknessFilter) -> Result<Vec<WeaknessRow>> {
        Ok(self
            .weakness_rows(None)?
            .into_iter()
            .filter(|w| filter.include_informational || w.kind != "informational")
            .filter(|w| filter.include_merged || w.review != ReviewStatus::Merged)
            .filter(|w| {
                filter
                    .tool
                    .as_deref()
                    .is_none_or(|t| w.tool.eq_ignore_ascii_case(t.trim()))
            })
            .filter(|w| filter.review.is_none_or(|r| w.review == r))
            .collect())
    }

    /// One weakness.
    pub fn weakness(&self, id: i64) -> Result<WeaknessRow> {
        self.weakness_rows(Some(id))?
            .into_iter()
            .next()
            .ok_or_else(|| Error::NotFound {
                what: format!("weakness {id}"),
            })
    }

    /// Every instance of a weakness, with its decompressed output.
    pub fn weakness_instances(&self, weakness_id: i64) -> Result<Vec<WeaknessInstance>> {
        self.weakness(weakness_id)?;
        store::scans::instances(self.store.conn(), Some(weakness_id), None)
    }

    /// The weaknesses found on one asset: an inventory uuid, or an IP, FQDN or scanner host
    /// name (case-insensitive).
    pub fn asset_weaknesses(&self, asset: &str) -> Result<Vec<WeaknessRow>> {
        let asset = asset.trim();
        let hosts: Vec<i64> = store::scans::hosts(self.store.conn())?
            .into_iter()
            .filter(|h| {
                h.inventory_uuid.as_deref() == Some(asset)
                    || [&h.ip, &h.fqdn, &h.name, &h.netbios, &h.url, &h.image]
                        .into_iter()
                        .flatten()
                        .any(|v| v.eq_ignore_ascii_case(asset))
            })
            .map(|h| h.id)
            .collect();
        if hosts.is_empty() {
            return Err(Error::NotFound {
                what: format!("scanned asset {asset}"),
            });
        }
        let ids: BTreeSet<i64> = store::scans::instances(self.store.conn(), None, Some(&hosts))?
            .into_iter()
            .map(|i| i.weakness_id)
            .collect();
        Ok(self
            .weakness_rows(None)?
            .into_iter()
            .filter(|w| ids.contains(&w.id))
            .collect())
    }

    /// Records the assessor's decision on a weakness. Accepting writes a finding (source: scan;
    /// SAR column by scan type; likelihood and impact both the FedRAMP risk of the scanner
    /// severity; the mapped library entry's text when there is one, else the plugin's).
    pub fn review_weakness(&mut self, id: i64, action: &ReviewAction) -> Result<WeaknessRow> {
        let before = self.weakness(id)?;
        if let Some(f) = &before.finding_id {
            return Err(Error::validation(
                "review",
                format!("weakness {id} was already accepted as finding {f}"),
            ));
        }
        let (status, merged_into, rationale, evidence, finding) = match action {
            ReviewAction::Accept => {
                let risk = before.fedramp_risk.ok_or_else(|| {
                    Error::validation(
                        "review",
                        format!(
                            "weakness {id} is {} ({}); informational results stay out of the RET",
                            before.severity, before.kind
                        ),
                    )
                })?;
                let conn = self.store.conn();
                let plugin = store::scans::plugin_text(conn, &before.tool, &before.plugin_id)?
                    .unwrap_or_default();
                let format = store::scans::weakness_format(conn, id)?;
                let entry = match &before.library_entry_id {
                    Some(e) => store::testing::library_entry(conn, e)?,
                    None => None,
                };
                let mut assets: Vec<String> = before
                    .assets
                    .iter()
                    .filter_map(|a| a.inventory_uuid.clone())
                    .collect();
                assets.dedup();
                let labels: Vec<&str> = before.assets.iter().map(|a| a.label.as_str()).collect();
                let plugin_text = [plugin.synopsis.clone(), plugin.description.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("\n\n");
                let cvss_vector = before
                    .cvss
                    .iter()
                    .rev()
                    .filter_map(|c| c.vector.clone())
                    .find(|v| assay_risk::parse_cvss(v).is_ok());
                let pick = |lib: Option<&str>, scan: String| {
                    lib.map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned)
                        .unwrap_or(scan)
                };
                let mut controls = vec!["RA-5".to_owned()];
                if let Some(e) = &entry {
                    controls.extend(e.controls.iter().cloned());
                }
                let new = NewFinding {
                    title: pick(
                        entry.as_ref().map(|e| e.title.as_str()),
                        before.name.clone(),
                    ),
                    description: format!(
                        "{}\n\n{} {} on: {}{}",
                        pick(entry.as_ref().map(|e| e.description.as_str()), plugin_text),
                        before.tool,
                        before.plugin_id,
                        labels.join(", "),
                        if before.cves.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", before.cves.join(", "))
                        }
                    ),
                    source: FindingSource::VulnerabilityScan,
                    category: category_for(&format, plugin.family.as_deref()),
                    controls,
                    assets,
                    objective_ids: Vec::new(),
                    likelihood: risk,
                    impact: risk,
                    risk_statement: entry
                        .as_ref()
                        .map(|e| e.risk_statement.clone())
                        .unwrap_or_default(),
                    recommendation: pick(
                        entry.as_ref().map(|e| e.recommendation.as_str()),
                        plugin.solution.clone().unwrap_or_default(),
                    ),
                    evidence_ids: Vec::new(),
                    cvss_vector,
                    // Detected when the scan first reported it, not when it was reviewed.
                    detected_on: super::sar::weakness_detected_on(conn, id)?,
                };
                (
                    ReviewStatus::Accepted,
                    None,
                    String::new(),
                    Vec::new(),
                    Some(self.prepare_finding(&new)?),
                )
            }
            ReviewAction::FalsePositive {
                evidence_ids,
                rationale,
            } => {
                if rationale.trim().is_empty() {
                    return Err(Error::validation(
                        "rationale",
                        "a false positive needs a rationale",
                    ));
                }
                for e in evidence_ids {
                    if store::testing::evidence(self.store.conn(), e)?.is_none() {
                        return Err(Error::NotFound {
                            what: format!("evidence {e}"),
                        });
                    }
                }
                (
                    ReviewStatus::FalsePositive,
                    None,
                    rationale.trim().to_owned(),
                    evidence_ids.clone(),
                    None,
                )
            }
            ReviewAction::Merge { into } => {
                let target = self.weakness(*into)?;
                if target.id == id || target.review == ReviewStatus::Merged {
                    return Err(Error::validation(
                        "merge",
                        format!("weakness {into} cannot take a merge (it is this weakness or merged itself)"),
                    ));
                }
                (
                    ReviewStatus::Merged,
                    Some(*into),
                    String::new(),
                    Vec::new(),
                    None,
                )
            }
        };
        // The finding and the review are one transaction: never a finding without its weakness.
        self.write(|tx, ctx| {
            let mut entries = Vec::new();
            if let Some((f, number)) = &finding {
                entries.extend(super::findings::create_finding(tx, ctx, f, *number)?);
            }
            let finding = finding.as_ref().map(|(f, _)| f.id.clone());
            store::scans::set_review(
                tx,
                id,
                status,
                merged_into,
                &rationale,
                &evidence,
                finding.as_deref(),
            )?;
            entries.push(AuditEntry {
                entity: "weakness".into(),
                entity_id: id.to_string(),
                action: "review".into(),
                summary: format!(
                    "reviewed weakness {id} \"{}\" ({} {}): {}{}",
                    before.name,
                    before.tool,
                    before.plugin_id,
                    status.as_str(),
                    merged_into
                        .map(|m| format!(" into {m}"))
                        .or(finding.as_ref().map(|f| format!(", finding {f}")))
                        .unwrap_or_default()
                ),
                before: super::engagement::to_json(&before.review),
                after: super::engagement::to_json(&status),
            });
            Ok(((), entries))
        })?;
        self.weakness(id)
    }

    /// Scan coverage of the SSP inventory: which items were scanned, by which tools, with or
    /// without credentials; scanned hosts missing from the inventory are "undocumented".
    /// Hosts are matched against the inventory as it is now, so the order of SSP and scan
    /// imports does not matter.
    pub fn coverage(&self) -> Result<Coverage> {
        let conn = self.store.conn();
        Ok(coverage::compute(
            store::ssp::inventory_rows(conn)?,
            store::scans::hosts(conn)?,
            store::sar::coverage_notes(conn)?,
        ))
    }

    /// Compliance check results rolled up per check for the CM-6 column: each check that failed
    /// or warned on any host, with its 800-53 references and hosts; plus totals by result.
    pub fn configuration_findings(&self) -> Result<ConfigurationFindings> {
        Ok(configuration::roll_up(store::scans::compliance(
            self.store.conn(),
        )?))
    }
}
