//! Crash trials: start an import with the `assay` binary, kill it with SIGKILL at a chosen
//! moment, and check that the engagement is whole. Used by the `crash` test (a few trials) and
//! the `crash` bench (a hundred: `cargo bench -p assay-e2e --bench crash`).
//!
//! After every kill the engagement must pass SQLite's integrity check and `assay verify-log`;
//! the import must be there entirely or not at all (weakness and evidence counts, audit
//! records); every file in the content-addressed stores must hash to its name (no partial
//! content under a content name); `assay verify-evidence` must pass; and the same import
//! must then succeed.

// Test support: a panic naming the trial is the report.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{assay, assay_bin, stderr, stdout};

/// A kill moment at or past this fraction lets the import finish instead (a control trial:
/// the checks must pass on an engagement nobody interrupted).
pub const FINISH: f64 = 2.0;

/// What a trial imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A Nessus file of many hosts (`assay import-scan`).
    Scan,
    /// A large evidence file (`assay evidence add`).
    Evidence,
}

/// The inputs shared by every trial, and what a complete import leaves.
pub struct Fixture {
    dir: PathBuf,
    pristine: PathBuf,
    scan: PathBuf,
    evidence: PathBuf,
    full_weaknesses: u64,
    full_instances: u64,
    scan_time: Duration,
    evidence_time: Duration,
}

/// How a trial ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Killed before the commit: nothing of the import is stored.
    Absent,
    /// Killed after the commit (or it finished first): all of it is stored.
    Complete,
}

/// A small deterministic generator (SplitMix64), so a failing trial can be replayed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A fraction in [0, 1).
    pub fn fraction(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn run(args: &[&str]) -> std::process::Output {
    let o = assay(args);
    assert!(
        o.status.success(),
        "assay {args:?}: {}{}",
        stdout(&o),
        stderr(&o)
    );
    o
}

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

fn counts(file: &Path) -> serde_json::Value {
    json(&run(&["info", file.to_str().unwrap(), "--json"]))["counts"].clone()
}

fn count(c: &serde_json::Value, key: &str) -> u64 {
    c[key]
        .as_u64()
        .unwrap_or_else(|| panic!("no count {key} in {c}"))
}

/// The instances (host and port) of all stored weaknesses.
fn instances(file: &Path) -> u64 {
    let rows = json(&run(&["weaknesses", file.to_str().unwrap(), "--json"]));
    rows.as_array()
        .expect("a list of weaknesses")
        .iter()
        .map(|w| w["instance_count"].as_u64().expect("instance_count"))
        .sum()
}

/// A Nessus file with `copies` copies of every host of `sample`, each under a new name.
fn many_hosts(sample: &str, copies: usize) -> String {
    let first = sample.find("<ReportHost").expect("a ReportHost");
    let end = sample.rfind("</ReportHost>").expect("a ReportHost end") + "</ReportHost>".len();
    let hosts = &sample[first..end];
    let mut out = String::with_capacity(sample.len() * copies);
    out.push_str(&sample[..first]);
    for i in 0..copies {
        out.push_str(&hosts.replace("<ReportHost name=\"", &format!("<ReportHost name=\"c{i}-")));
    }
    out.push_str(&sample[end..]);
    out
}

fn timed(args: &[&str]) -> Duration {
    let start = Instant::now();
    run(args);
    start.elapsed()
}

impl Fixture {
    /// Builds the inputs in `dir` from the shared Nessus sample and times one complete import
    /// of each kind (the kill moments are fractions of those times).
    pub fn new(dir: &Path, shared: &Path) -> Fixture {
        let sample = std::fs::read_to_string(shared.join("scans/nessus/heimdall2__sample.nessus"))
            .expect("the shared Nessus sample");
        let scan = dir.join("many-hosts.nessus");
        std::fs::write(&scan, many_hosts(&sample, 30)).unwrap();
        let evidence = dir.join("capture.bin");
        let mut rng = Rng::new(7);
        let bytes: Vec<u8> = (0..(24 << 20) / 8)
            .flat_map(|_| rng.next_u64().to_le_bytes())
            .collect();
        std::fs::write(&evidence, bytes).unwrap();
        let pristine = dir.join("pristine.assay");
        run(&["new", pristine.to_str().unwrap(), "--name", "Crash Cloud"]);

        let probe = dir.join("probe.assay");
        std::fs::copy(&pristine, &probe).unwrap();
        let p = probe.to_str().unwrap();
        let scan_time = timed(&["import-scan", p, scan.to_str().unwrap()]);
        let evidence_time = timed(&["evidence", "add", p, evidence.to_str().unwrap()]);
        let full_weaknesses = count(&counts(&probe), "weaknesses");
        let full_instances = instances(&probe);
        assert!(full_weaknesses > 0, "the generated scan has weaknesses");
        Fixture {
            dir: dir.to_owned(),
            pristine,
            scan,
            evidence,
            full_weaknesses,
            full_instances,
            scan_time,
            evidence_time,
        }
    }

    fn args<'a>(&'a self, kind: Kind, file: &'a str) -> Vec<&'a str> {
        match kind {
            Kind::Scan => vec!["import-scan", file, self.scan.to_str().unwrap()],
            Kind::Evidence => vec!["evidence", "add", file, self.evidence.to_str().unwrap()],
        }
    }

    /// Runs trial `n`: the import of `kind` on a fresh copy of the engagement, killed after
    /// `fraction` of a complete import's time; then every check of the module's invariant.
    pub fn trial(&self, n: usize, kind: Kind, fraction: f64) -> Outcome {
        let file = self.dir.join(format!("trial-{n}.assay"));
        std::fs::copy(&self.pristine, &file).unwrap();
        let f = file.to_str().unwrap();
        let full = match kind {
            Kind::Scan => self.scan_time,
            Kind::Evidence => self.evidence_time,
        };
        let mut child = Command::new(assay_bin())
            .args(self.args(kind, f))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        if fraction < FINISH {
            std::thread::sleep(full.mul_f64(fraction));
            // SIGKILL: no destructor, no rollback, as a power cut or the OOM killer would.
            let _ = child.kill();
        }
        let _ = child.wait();

        let what = format!("trial {n} ({kind:?} killed at {:.0}%)", fraction * 100.0);
        assert_integrity(&file, &what, kind == Kind::Evidence);
        let c = counts(&file);
        let (records, stored) = match kind {
            Kind::Scan => (count(&c, "audit_records"), count(&c, "weaknesses")),
            Kind::Evidence => (count(&c, "audit_records"), count(&c, "evidence")),
        };
        let complete = match kind {
            Kind::Scan => self.full_weaknesses,
            Kind::Evidence => 1,
        };
        let outcome = match (records, stored) {
            (1, 0) => Outcome::Absent,
            (2, s) if s == complete => Outcome::Complete,
            _ => panic!(
                "{what}: partial import: {records} audit records, {stored} stored of {complete}"
            ),
        };
        if kind == Kind::Scan {
            let found = instances(&file);
            let want = if outcome == Outcome::Complete {
                self.full_instances
            } else {
                0
            };
            assert_eq!(found, want, "{what}: weakness instances");
        }
        assert_stores_whole(&file, &what);
        // The import can be run again (a no-op or refusal when it was complete, the import
        // when it was not) and leaves a complete, intact engagement.
        if outcome == Outcome::Absent {
            run(&self.args(kind, f));
            assert_integrity(&file, &what, false);
        }
        let _ = std::fs::remove_file(&file);
        let _ = std::fs::remove_dir_all(self.dir.join(format!("trial-{n}.assay.scans")));
        let _ = std::fs::remove_dir_all(self.dir.join(format!("trial-{n}.assay.evidence")));
        outcome
    }
}

/// SQLite's integrity check, the audit chain, and the evidence store (where a killed add's
/// temporary file may remain when `leftovers_allowed`).
fn assert_integrity(file: &Path, what: &str, leftovers_allowed: bool) {
    let conn = rusqlite::Connection::open(file).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "{what}: integrity check");
    drop(conn);
    let f = file.to_str().unwrap();
    let log = assay(&["verify-log", f]);
    assert!(
        log.status.success(),
        "{what}: verify-log: {}{}",
        stdout(&log),
        stderr(&log)
    );
    let ev = assay(&["verify-evidence", f]);
    // A kill during an add leaves its temporary file (never under a content name); verify
    // names it and the next add removes it. Anything else is a failure.
    let only_leftovers = stderr(&ev).lines().all(|l| l.contains("a temporary file"));
    assert!(
        ev.status.success() || (leftovers_allowed && only_leftovers),
        "{what}: verify-evidence: {}{}",
        stdout(&ev),
        stderr(&ev)
    );
}

/// Every file kept in the content-addressed stores beside `file` is named by the SHA-256 of
/// its bytes (temporary files aside, which carry no content name).
fn assert_stores_whole(file: &Path, what: &str) {
    let name = file.file_name().unwrap().to_str().unwrap();
    for store in [format!("{name}.scans"), format!("{name}.evidence")] {
        let root = file.with_file_name(store);
        for path in walk(&root) {
            let Some(stem) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let hex = stem.split('.').next().unwrap_or("");
            if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            assert_eq!(
                sha256_hex(&bytes),
                hex,
                "{what}: {} does not hold the bytes its name promises",
                path.display()
            );
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}
