//! Throughput and memory benchmark of the Nessus parser against a bare quick-xml event
//! loop over the same bytes. Files are generated to a temp file and streamed from disk.
//!
//! `cargo bench -p assay-scan --bench parse_nessus` (set `ASSAY_BENCH_500MB=1` to add a
//! 500 MB run).

use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::PathBuf;
use std::time::Instant;

use assay_scan::formats::nessus::Nessus;
use assay_scan::gen::{write_nessus, GenSpec};
use assay_scan::{Control, CountingSink, ScanFormat};

const MB: u64 = 1024 * 1024;

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn bare_loop(path: &PathBuf) -> (f64, u64) {
    let start = Instant::now();
    let file = File::open(path).expect("open");
    let mut reader = quick_xml::Reader::from_reader(BufReader::with_capacity(64 * 1024, file));
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut events = 0u64;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => events += 1,
            Err(e) => panic!("bare loop: {e}"),
        }
    }
    (start.elapsed().as_secs_f64(), events)
}

fn parse(path: &PathBuf) -> (f64, CountingSink) {
    let start = Instant::now();
    let file = File::open(path).expect("open");
    let mut input = BufReader::with_capacity(64 * 1024, file);
    let mut sink = CountingSink::default();
    Nessus
        .parse(&mut input, &mut sink, &Control::default())
        .expect("parse");
    (start.elapsed().as_secs_f64(), sink)
}

fn main() {
    let mut sizes = vec![10u64, 100];
    if std::env::var_os("ASSAY_BENCH_500MB").is_some() {
        sizes.push(500);
    }
    println!(
        "size_mb  gen_items  bare_s  bare_MB/s  parse_s  parse_MB/s  items/s  ratio  VmHWM_MiB"
    );
    for size in sizes {
        let path = std::env::temp_dir().join(format!(
            "assay-scan-bench-{size}mb-{}.nessus",
            std::process::id()
        ));
        let stats = {
            let file = File::create(&path).expect("create temp file");
            let mut w = BufWriter::new(file);
            write_nessus(
                &mut w,
                &GenSpec {
                    seed: 42,
                    items_per_host: 400,
                    target_bytes: size * MB,
                    max_hosts: usize::MAX,
                },
            )
            .expect("generate")
        };
        let mb = stats.bytes as f64 / MB as f64;
        // Warm the page cache so both loops read from memory.
        let _ = bare_loop(&path);
        let (bare_s, _) = bare_loop(&path);
        let (parse_s, sink) = parse(&path);
        assert_eq!(
            sink.items, stats.items,
            "parser must see every generated item"
        );
        let hwm = vm_hwm_kib().map_or(f64::NAN, |k| k as f64 / 1024.0);
        println!(
            "{mb:7.1}  {:9}  {bare_s:6.3}  {:9.1}  {parse_s:7.3}  {:10.1}  {:7.0}  {:5.2}  {hwm:9.1}",
            stats.items,
            mb / bare_s,
            mb / parse_s,
            sink.items as f64 / parse_s,
            parse_s / bare_s,
        );
        let _ = std::fs::remove_file(&path);
    }
}
