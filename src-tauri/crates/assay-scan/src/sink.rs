//! The consumer side of a parse: [`ScanSink`] receives records one at a time.
//!
//! Invariant: parsers call `scan_info` before the first `host`/`item` (and possibly again
//! later with more complete data); a host's `host` call comes after that host's items, so
//! its credential status (derived from items) is final.

use crate::error::SinkError;
use crate::model::{Host, Item, ScanInfo, Severity, SeverityCounts};

/// Receives parsed records. Returning an error aborts the parse with [`crate::ScanError::Sink`].
pub trait ScanSink {
    /// Scan-level metadata; may be called again with refined data (last call wins).
    fn scan_info(&mut self, info: ScanInfo) -> Result<(), SinkError>;
    /// One scanned host, after its items.
    fn host(&mut self, host: Host) -> Result<(), SinkError>;
    /// One finding instance.
    fn item(&mut self, item: Item) -> Result<(), SinkError>;
}

/// A sink that only counts; used by tests and benchmarks.
#[derive(Debug, Default, Clone)]
pub struct CountingSink {
    /// Last scan info received.
    pub info: Option<ScanInfo>,
    /// Number of `scan_info` calls.
    pub info_calls: u64,
    /// Hosts received.
    pub hosts: u64,
    /// Hosts with `credentialed == Some(true)`.
    pub credentialed_hosts: u64,
    /// Hosts with at least one auth failure.
    pub hosts_with_auth_failures: u64,
    /// Items received.
    pub items: u64,
    /// Items by severity.
    pub by_severity: SeverityCounts,
    /// Bytes of `output` text received.
    pub output_bytes: u64,
}

impl CountingSink {
    /// Count for one severity.
    pub fn severity(&self, s: Severity) -> u64 {
        self.by_severity.get(s)
    }
}

impl ScanSink for CountingSink {
    fn scan_info(&mut self, info: ScanInfo) -> Result<(), SinkError> {
        self.info = Some(info);
        self.info_calls += 1;
        Ok(())
    }

    fn host(&mut self, host: Host) -> Result<(), SinkError> {
        self.hosts += 1;
        if host.credentialed == Some(true) {
            self.credentialed_hosts += 1;
        }
        if !host.auth_failures.is_empty() {
            self.hosts_with_auth_failures += 1;
        }
        Ok(())
    }

    fn item(&mut self, item: Item) -> Result<(), SinkError> {
        self.items += 1;
        self.by_severity.add(item.severity);
        self.output_bytes += item.output.as_ref().map_or(0, |o| o.len() as u64);
        Ok(())
    }
}

/// A sink that keeps everything in memory; convenient for tests and small files only.
#[derive(Debug, Default, Clone)]
pub struct VecSink {
    /// Every scan info call, in order.
    pub infos: Vec<ScanInfo>,
    /// Hosts in order.
    pub hosts: Vec<Host>,
    /// Items in order.
    pub items: Vec<Item>,
}

impl ScanSink for VecSink {
    fn scan_info(&mut self, info: ScanInfo) -> Result<(), SinkError> {
        self.infos.push(info);
        Ok(())
    }

    fn host(&mut self, host: Host) -> Result<(), SinkError> {
        self.hosts.push(host);
        Ok(())
    }

    fn item(&mut self, item: Item) -> Result<(), SinkError> {
        self.items.push(item);
        Ok(())
    }
}
