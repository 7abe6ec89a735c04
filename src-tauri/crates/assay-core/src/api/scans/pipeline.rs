//! The streaming machinery of a scan import: three threads that read and parse the file, store
//! the records, and hash and copy the bytes, joined by bounded channels.
//!
//! Invariants:
//! - the file is read once, through a 64 KiB buffer: memory stays flat in file size;
//! - the file is read and parsed on a scoped second thread that hands records to the storing
//!   thread (the caller's, which holds the transaction) through a bounded channel (at most
//!   `QUEUE` batches of `BATCH`), and passes each chunk it read to a third thread that hashes
//!   and copies it (at most `COPY_QUEUE` chunks), so the stages overlap on two cores;
//! - the hash and the copy are of exactly the bytes parsed, trailing bytes included; a copy is
//!   synced only when the whole file was read (the end mark), never after a failed parse;
//! - a store error or the cancel flag stops the parser (its channel closes), which stops the
//!   copier: no thread outlives [`Pipeline::run`].

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};

use assay_scan::{Host, Item, ParseSummary, ScanError, ScanFormat, ScanInfo, ScanSink};
use sha2::{Digest, Sha256};

use super::io_err;
use super::sink::StoreSink;
use crate::error::{Error, Result};
use crate::model::scans::matching::host_key;

const CHUNK: usize = 64 * 1024;

/// The file on its way in: read through a 64 KiB buffer that hands every chunk to the copier.
pub(super) struct Pipeline {
    reader: BufReader<Tee>,
    /// The first bytes, read by [`Pipeline::sniff`] and parsed first by [`Pipeline::run`].
    head: Vec<u8>,
    chunks: Receiver<Vec<u8>>,
    spare: SyncSender<Vec<u8>>,
    copy: File,
}

/// What the three threads leave behind.
pub(super) struct Streamed {
    /// The parser's result.
    pub(super) parsed: std::result::Result<ParseSummary, ScanError>,
    /// The bytes read in all, once the parse succeeded and the rest of the file was drained.
    pub(super) finished: Option<Result<u64>>,
    /// The copy's (SHA-256 in hex, bytes copied), `None` when it stopped before the end.
    pub(super) copied: Result<Option<(String, u64)>>,
    /// Bytes the parser had consumed when it stopped.
    pub(super) parsed_bytes: u64,
    /// The store error that stopped the parse, if one did (reported instead of the parser's
    /// note that its sink refused).
    pub(super) store_error: Option<Error>,
}

impl Pipeline {
    /// Reads `input`, copying every byte read into `copy`.
    pub(super) fn new(input: File, copy: File) -> Pipeline {
        let (chunks, copier_chunks) = std::sync::mpsc::sync_channel::<Vec<u8>>(COPY_QUEUE);
        let (copier_spare, spare) = std::sync::mpsc::sync_channel::<Vec<u8>>(COPY_QUEUE + 2);
        let tee = Tee {
            inner: input,
            chunks,
            spare,
            size: 0,
        };
        Pipeline {
            reader: BufReader::with_capacity(CHUNK, tee),
            head: Vec::new(),
            chunks: copier_chunks,
            spare: copier_spare,
            copy,
        }
    }

    /// Reads the first bytes of the file (up to `assay_scan::SNIFF_LEN`), for detecting the
    /// format; [`Pipeline::run`] parses them first.
    pub(super) fn sniff(&mut self) -> std::io::Result<&[u8]> {
        let mut head = Vec::with_capacity(assay_scan::SNIFF_LEN);
        (&mut self.reader)
            .take(assay_scan::SNIFF_LEN as u64)
            .read_to_end(&mut head)?;
        self.head = head;
        Ok(&self.head)
    }

    /// Parses the file (`path`) as `format` into `sink` on this thread, copying the bytes into
    /// the copy (`temp`). `report` is called from this thread with the bytes parsed so far.
    pub(super) fn run(
        self,
        format: &dyn ScanFormat,
        sink: &mut StoreSink<'_, '_>,
        cancel: Option<&AtomicBool>,
        report: &dyn Fn(u64),
        path: &Path,
        temp: &Path,
    ) -> Result<Streamed> {
        let Pipeline {
            mut reader,
            head,
            chunks: copier_chunks,
            spare: copier_spare,
            copy,
        } = self;
        let mut store_error = None;
        // Three threads: this one stores while a scoped thread reads and parses, passing
        // records through a bounded channel, and a third hashes and copies the bytes the
        // parser read (the parse is the longest stage), so memory stays flat. Progress is
        // noted by the parser and reported from here (the callback need not be thread-safe).
        let parsed_bytes = AtomicU64::new(0);
        let (parsed, finished, copied) = std::thread::scope(|scope| {
            let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Record>>(QUEUE);
            let (give_back, spent) = std::sync::mpsc::sync_channel::<Vec<Record>>(QUEUE + 2);
            let parsed_bytes = &parsed_bytes;
            let copier = scope.spawn(move || copy_chunks(copier_chunks, copier_spare, copy, temp));
            let parser = scope.spawn(move || {
                let note = |done: u64| parsed_bytes.store(done, Ordering::Relaxed);
                let ctl = assay_scan::Control {
                    progress: Some(&note),
                    cancel,
                    ..assay_scan::Control::default()
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
                    store_error = Some(e);
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
        Ok(Streamed {
            parsed,
            finished,
            copied,
            parsed_bytes: parsed_bytes.load(Ordering::Relaxed),
            store_error,
        })
    }
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
pub(super) enum Record {
    Info(ScanInfo),
    Host(Host),
    Item(Box<Item>, Prepared),
}

/// The keys of an item, worked out on the parsing thread (pure functions of the item). Output
/// compression stays on the storing thread: measured, that balanced the two threads best.
pub(super) struct Prepared {
    pub(super) host_key: String,
    /// Empty for items that become no weakness (compliance checks, no plugin id).
    pub(super) weakness_key: String,
    pub(super) cves: Vec<String>,
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
