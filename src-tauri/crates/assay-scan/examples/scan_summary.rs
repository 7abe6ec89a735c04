//! Prints the detected format and record counts of each file given on the command line.
//!
//! `cargo run --example scan_summary -- FILE...`

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufReader;

use assay_scan::{parse_auto, Control, Host, Item, ScanInfo, ScanSink, Severity, SinkError};

#[derive(Default)]
struct Tally {
    info: Option<ScanInfo>,
    hosts: Vec<Host>,
    items: u64,
    by_sev: BTreeMap<&'static str, u64>,
    by_raw: BTreeMap<String, u64>,
    by_kind: BTreeMap<String, u64>,
    compliance: BTreeMap<String, u64>,
}

impl ScanSink for Tally {
    fn scan_info(&mut self, info: ScanInfo) -> Result<(), SinkError> {
        self.info = Some(info);
        Ok(())
    }
    fn host(&mut self, host: Host) -> Result<(), SinkError> {
        self.hosts.push(host);
        Ok(())
    }
    fn item(&mut self, item: Item) -> Result<(), SinkError> {
        self.items += 1;
        *self.by_sev.entry(sev(item.severity)).or_default() += 1;
        *self.by_raw.entry(item.raw_severity.clone()).or_default() += 1;
        *self.by_kind.entry(format!("{:?}", item.kind)).or_default() += 1;
        if let Some(c) = &item.compliance {
            *self
                .compliance
                .entry(format!("{:?}", c.result))
                .or_default() += 1;
        }
        Ok(())
    }
}

fn sev(s: Severity) -> &'static str {
    s.as_str()
}

fn main() {
    for path in std::env::args().skip(1) {
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) => {
                println!("{path}: {e}");
                continue;
            }
        };
        let mut input = BufReader::new(file);
        let mut t = Tally::default();
        match parse_auto(&mut input, &mut t, &Control::default()) {
            Ok((fmt, s)) => {
                println!(
                    "{path}: {} items={} hosts={} info={:?}\n  sev={:?}\n  raw={:?}\n  kind={:?}\n  compliance={:?}\n  skipped={} {:?}\n  warnings={:?}",
                    fmt.name(),
                    s.items,
                    s.hosts,
                    t.info,
                    t.by_sev,
                    t.by_raw,
                    t.by_kind,
                    t.compliance,
                    s.skipped_count,
                    s.skipped.iter().take(3).collect::<Vec<_>>(),
                    s.warnings.iter().take(3).collect::<Vec<_>>()
                );
                for h in t.hosts.iter().take(4) {
                    println!(
                        "  host {:?} cred={:?} authfail={}",
                        h.identity,
                        h.credentialed,
                        h.auth_failures.len()
                    );
                }
            }
            Err(e) => println!("{path}: error: {e}"),
        }
    }
}
