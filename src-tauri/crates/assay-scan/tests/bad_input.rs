//! Hostile and malformed inputs give the right one-line error (fixtures: tests/fixtures,
//! see its README), and cancellation/sink errors stop a parse.

// Test helpers outside #[test] functions may unwrap: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use std::io::BufReader;
use std::sync::atomic::{AtomicBool, Ordering};

use assay_scan::gen::{write_nessus, GenSpec};
use assay_scan::{
    detect, format_by_name, parse_auto, Control, CountingSink, Host, Item, ScanError, ScanInfo,
    ScanSink, SinkError, VecSink,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/").to_string() + name;
    std::fs::read(path).unwrap()
}

fn parse_bytes(bytes: &[u8]) -> Result<assay_scan::ParseSummary, ScanError> {
    let mut sink = CountingSink::default();
    let mut input = BufReader::new(bytes);
    parse_auto(&mut input, &mut sink, &Control::default()).map(|(_, s)| s)
}

#[test]
fn bad_inputs_give_the_right_error() {
    type Check = fn(&ScanError) -> bool;
    let cases: [(&str, Check, &str); 8] = [
        (
            "truncated.nessus",
            |e| matches!(e, ScanError::Truncated { .. }),
            "unexpected end of file inside <plugin_output>",
        ),
        (
            "oscal-catalog.json",
            |e| matches!(e, ScanError::NotRecognised(_)),
            "looks like an OSCAL catalog",
        ),
        (
            "plain.txt",
            |e| matches!(e, ScanError::NotRecognised(_)),
            "plain text",
        ),
        (
            "xxe.nessus",
            |e| matches!(e, ScanError::EntityDeclaration { line: 4 }),
            "refused",
        ),
        (
            "billion-laughs.xml",
            |e| matches!(e, ScanError::EntityDeclaration { .. }),
            "<!ENTITY",
        ),
        (
            "invalid-utf8.json",
            |e| matches!(e, ScanError::InvalidUtf8 { .. }),
            "invalid UTF-8 at byte offset",
        ),
        (
            "empty.json",
            |e| matches!(e, ScanError::Empty),
            "empty file",
        ),
        (
            "nessus-v1.xml",
            |e| matches!(e, ScanError::Unsupported(_)),
            "Nessus v1",
        ),
    ];
    for (name, is_right, text) in cases {
        let err = parse_bytes(&fixture(name)).unwrap_err();
        let msg = err.to_string();
        assert!(is_right(&err), "{name}: wrong variant: {err:?}");
        assert!(
            msg.contains(text),
            "{name}: {msg:?} should mention {text:?}"
        );
        assert!(
            !msg.contains('\n'),
            "{name}: error must be one line: {msg:?}"
        );
    }
}

#[test]
fn truncation_names_report_host_and_line() {
    let msg = parse_bytes(&fixture("truncated.nessus"))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("ReportHost"), "{msg}");
    assert!(msg.contains("at line 6"), "{msg}");
}

#[test]
fn invalid_utf8_offset_points_at_the_bad_byte() {
    let bytes = fixture("invalid-utf8.json");
    let bad = bytes.iter().position(|&b| b == 0xFF).unwrap() as u64;
    match parse_bytes(&bytes).unwrap_err() {
        ScanError::InvalidUtf8 { offset, .. } => {
            // serde_json reports once it has read the string containing the byte.
            assert!(
                offset >= bad && offset <= bad + 16,
                "offset {offset}, bad byte at {bad}"
            );
        }
        e => panic!("{e:?}"),
    }
}

#[test]
fn latin1_in_xml_text_is_replaced_with_a_warning() {
    let mut sink = VecSink::default();
    let bytes = fixture("latin1-output.nessus");
    let (_, s) = parse_auto(
        &mut BufReader::new(&bytes[..]),
        &mut sink,
        &Control::default(),
    )
    .unwrap();
    assert_eq!(sink.items.len(), 1);
    assert!(sink.items[0]
        .output
        .as_deref()
        .unwrap()
        .contains("Caf\u{FFFD}"));
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("invalid UTF-8 near byte offset")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn explicit_format_on_wrong_content_fails_cleanly() {
    // Every format, fed another format's content, returns an error or zero items, never panics.
    let samples: [&[u8]; 4] = [
        b"{\"matches\": []}",
        b"<nmaprun></nmaprun>",
        b"[1, 2, 3]",
        b"\xff\xfe\x00garbage",
    ];
    for f in assay_scan::formats() {
        for s in samples {
            let mut sink = CountingSink::default();
            let r = f.parse(&mut BufReader::new(s), &mut sink, &Control::default());
            if let Ok(summary) = r {
                assert_eq!(summary.items, 0, "{} on {s:?}", f.name());
            }
        }
    }
    assert!(detect(b"\xff\xfe\x00garbage").is_err());
}

fn synthetic(hosts: usize, items: usize) -> Vec<u8> {
    let mut v = Vec::new();
    write_nessus(
        &mut v,
        &GenSpec {
            seed: 1,
            items_per_host: items,
            target_bytes: u64::MAX,
            max_hosts: hosts,
        },
    )
    .unwrap();
    v
}

/// Raises the cancel flag after the first item.
struct CancelAfterFirst<'a>(&'a AtomicBool, u64);

impl ScanSink for CancelAfterFirst<'_> {
    fn scan_info(&mut self, _: ScanInfo) -> Result<(), SinkError> {
        Ok(())
    }
    fn host(&mut self, _: Host) -> Result<(), SinkError> {
        Ok(())
    }
    fn item(&mut self, _: Item) -> Result<(), SinkError> {
        self.1 += 1;
        self.0.store(true, Ordering::Relaxed);
        Ok(())
    }
}

#[test]
fn cancel_flag_stops_the_parse() {
    let data = synthetic(3, 50);
    let flag = AtomicBool::new(false);
    let mut sink = CancelAfterFirst(&flag, 0);
    let ctl = Control {
        progress: None,
        cancel: Some(&flag),
        ..Control::default()
    };
    let err = parse_auto(&mut BufReader::new(&data[..]), &mut sink, &ctl)
        .map(|(_, s)| s)
        .unwrap_err();
    assert!(matches!(err, ScanError::Cancelled), "{err:?}");
    assert_eq!(sink.1, 1, "no item after the flag was raised");
}

#[test]
fn cancel_works_for_json_formats_too() {
    let json = b"[{\"template-id\":\"a\",\"info\":{}},{\"template-id\":\"b\",\"info\":{}},{\"template-id\":\"c\",\"info\":{}}]";
    let flag = AtomicBool::new(false);
    let mut sink = CancelAfterFirst(&flag, 0);
    let ctl = Control {
        progress: None,
        cancel: Some(&flag),
        ..Control::default()
    };
    let nuclei = format_by_name("nuclei").unwrap();
    let err = nuclei
        .parse(&mut BufReader::new(&json[..]), &mut sink, &ctl)
        .unwrap_err();
    assert!(matches!(err, ScanError::Cancelled), "{err:?}");
    assert_eq!(sink.1, 1);
}

struct Refuse;

impl ScanSink for Refuse {
    fn scan_info(&mut self, _: ScanInfo) -> Result<(), SinkError> {
        Ok(())
    }
    fn host(&mut self, _: Host) -> Result<(), SinkError> {
        Ok(())
    }
    fn item(&mut self, _: Item) -> Result<(), SinkError> {
        Err(SinkError::new("disk full"))
    }
}

#[test]
fn sink_error_aborts_with_its_message() {
    let data = synthetic(1, 5);
    let err = parse_auto(
        &mut BufReader::new(&data[..]),
        &mut Refuse,
        &Control::default(),
    )
    .map(|(_, s)| s)
    .unwrap_err();
    assert!(matches!(err, ScanError::Sink(_)));
    assert!(err.to_string().contains("disk full"));
}

#[test]
fn progress_reports_reach_the_end() {
    let data = synthetic(4, 200);
    let last = std::cell::Cell::new(0u64);
    let report = |n: u64| last.set(n);
    let ctl = Control {
        progress: Some(&report),
        cancel: None,
        ..Control::default()
    };
    let mut sink = CountingSink::default();
    let (_, s) = parse_auto(&mut BufReader::new(&data[..]), &mut sink, &ctl).unwrap();
    assert_eq!(last.get(), data.len() as u64);
    assert_eq!(s.bytes_read, data.len() as u64);
    assert_eq!(sink.items, 800);
}
