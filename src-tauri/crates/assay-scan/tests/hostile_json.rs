//! Hostile JSON for every JSON scanner format: duplicate keys (top level and nested), strings,
//! numbers, records and nesting over their caps, NUL bytes, BOMs and UTF-16. Caps are made
//! small through `Control::limits` so the tests stay fast; the lazy readers show that reading
//! stops at the cap instead of at the end of a 2 GB input.

#![allow(clippy::unwrap_used)]

use std::io::{BufReader, Read};

use assay_scan::{format_by_name, parse_auto, Control, CountingSink, Limits, ScanError};

/// (format, a valid document, the same with a key repeated in a nested record on line 3).
const FORMATS: &[(&str, &str, &str)] = &[
    (
        "sarif",
        r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"r1","message":{"text":"m"}}]}]}"#,
        "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\"}},\n\"results\":[{\"ruleId\":\"r1\",\n\"message\":{\"text\":\"m\",\"text\":\"n\"}}]}]}",
    ),
    (
        "grype",
        r#"{"matches":[{"vulnerability":{"id":"CVE-2024-1","severity":"High"},"artifact":{"name":"p","version":"1"}}],"source":{"type":"image"}}"#,
        "{\"matches\":[{\"vulnerability\":{\"id\":\"CVE-2024-1\",\"severity\":\"High\"},\n\"artifact\":{\"name\":\"p\",\n\"name\":\"q\",\"version\":\"1\"}}],\"source\":{\"type\":\"image\"}}",
    ),
    (
        "trivy",
        r#"{"SchemaVersion":2,"ArtifactName":"a","Results":[{"Target":"t","Vulnerabilities":[{"VulnerabilityID":"CVE-2024-1","Severity":"HIGH"}]}]}"#,
        "{\"SchemaVersion\":2,\"ArtifactName\":\"a\",\"Results\":[{\"Target\":\"t\",\n\"Vulnerabilities\":[{\"VulnerabilityID\":\"CVE-2024-1\",\n\"Severity\":\"HIGH\",\"Severity\":\"LOW\"}]}]}",
    ),
    (
        "zap-json",
        r#"{"@version":"2.14","site":[{"@name":"http://a","alerts":[{"pluginid":"1","alert":"x","riskcode":"2"}]}]}"#,
        "{\"@version\":\"2.14\",\"site\":[{\"@name\":\"http://a\",\n\"alerts\":[{\"pluginid\":\"1\",\"alert\":\"x\",\n\"riskcode\":\"2\",\"riskcode\":\"0\"}]}]}",
    ),
    (
        "nuclei",
        r#"[{"template-id":"t","info":{"name":"n","severity":"high"}}]"#,
        "[\n{\"template-id\":\"t\",\n\"info\":{\"name\":\"n\",\"severity\":\"high\",\"severity\":\"info\"}}]",
    ),
    (
        "nuclei",
        "{\"template-id\":\"t\",\"info\":{\"name\":\"n\",\"severity\":\"high\"}}\n",
        "{\"template-id\":\"t\",\"info\":{\"name\":\"n\"}}\n\n{\"template-id\":\"t\",\"info\":{\"severity\":\"high\",\"severity\":\"info\"}}\n",
    ),
];

fn parse(format: &str, bytes: &[u8], ctl: &Control) -> Result<u64, ScanError> {
    let mut sink = CountingSink::default();
    let mut input = BufReader::new(bytes);
    let summary = format_by_name(format)
        .unwrap()
        .parse(&mut input, &mut sink, ctl)?;
    Ok(summary.items)
}

fn small() -> Control<'static> {
    Control {
        limits: Limits {
            json: assay_json::Limits {
                max_string: 64,
                max_token: 16,
                max_key: 32,
                max_depth: 12,
            },
            max_record: 512,
        },
        ..Control::default()
    }
}

/// Inserts `"dup":1,"dup":2,` as the first members of the first object.
fn top_level_duplicate(doc: &str) -> String {
    let at = doc.find('{').unwrap() + 1;
    format!("{}\"dup\":1,\"dup\":2,{}", &doc[..at], &doc[at..])
}

#[test]
fn the_valid_documents_parse() {
    for (format, doc, _) in FORMATS {
        let items = parse(format, doc.as_bytes(), &small()).unwrap();
        assert_eq!(items, 1, "{format}: {doc}");
        // A BOM changes nothing.
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), doc.as_bytes()].concat();
        assert_eq!(
            parse(format, &with_bom, &small()).unwrap(),
            1,
            "{format} with BOM"
        );
    }
}

#[test]
fn duplicate_keys_are_refused_with_key_and_line() {
    for (format, doc, nested) in FORMATS {
        let top = top_level_duplicate(doc);
        let cases = [(top.as_str(), 1, "dup"), (*nested, 3, "")];
        for (i, (text, line, key)) in cases.into_iter().enumerate() {
            let err = parse(format, text.as_bytes(), &Control::default()).unwrap_err();
            let ScanError::JsonRefused(v) = &err else {
                panic!("{format} case {i}: {err}");
            };
            assert_eq!(v.line, line, "{format} case {i}: {err}");
            let msg = err.to_string();
            assert!(msg.contains("duplicate key"), "{format}: {msg}");
            if !key.is_empty() {
                assert!(msg.contains(&format!("\"{key}\"")), "{format}: {msg}");
            }
        }
    }
}

#[test]
fn a_nested_duplicate_names_the_object_path() {
    let err = parse("trivy", FORMATS[2].2.as_bytes(), &Control::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "JSON refused at line 3, column 19: duplicate key \"Severity\" in the object at $.Results[0].Vulnerabilities[0]"
    );
}

#[test]
fn over_long_strings_numbers_and_nesting_are_refused() {
    let long = "x".repeat(65);
    let number = "1".repeat(17);
    for (format, doc, _) in FORMATS {
        // Lengthen the first string value after the first colon that starts one.
        let at = doc.find(":\"").unwrap() + 2;
        let cases = [
            (format!("{}{long}{}", &doc[..at], &doc[at..]), "string at"),
            (
                top_level_duplicate(doc)
                    .replace("\"dup\":1,\"dup\":2,", &format!("\"n\":{number},")),
                "n is longer than the 16-byte limit",
            ),
            (
                top_level_duplicate(doc).replace(
                    "\"dup\":1,\"dup\":2,",
                    &format!("\"deep\":{}1{},", "[".repeat(20), "]".repeat(20)),
                ),
                "nesting deeper than 12 levels",
            ),
        ];
        for (text, want) in cases {
            let err = parse(format, text.as_bytes(), &small()).unwrap_err();
            assert!(
                matches!(err, ScanError::JsonRefused(_)) && err.to_string().contains(want),
                "{format}: {err} (wanted {want:?})"
            );
        }
    }
}

#[test]
fn an_over_long_record_is_refused_with_its_place() {
    let pad = format!("\"pad\":[{}0],", "0,".repeat(300));
    let cases = [
        // JSON Lines: the second line is too long.
        (
            "nuclei",
            format!("{}{{{pad}\"template-id\":\"t\",\"info\":{{}}}}\n", FORMATS[5].1),
            "the record at line 2 (starting on line 2) is larger than the 512-byte limit",
        ),
        // An element of a streamed list.
        (
            "trivy",
            FORMATS[2].1.replace("{\"VulnerabilityID\"", &format!("{{{pad}\"VulnerabilityID\"")),
            "the record at $.Results[0].Vulnerabilities[0] (starting on line 1) is larger than the 512-byte limit",
        ),
    ];
    for (format, text, want) in cases {
        let err = parse(format, text.as_bytes(), &small()).unwrap_err();
        assert_eq!(err.to_string(), want, "{format}");
    }
    // The enclosing record (a Trivy result) is not charged for its streamed vulnerabilities.
    let many = (0..20)
        .map(|i| format!("{{\"VulnerabilityID\":\"CVE-2024-{i}\",\"Severity\":\"HIGH\"}}"))
        .collect::<Vec<_>>()
        .join(",");
    let doc = format!("{{\"SchemaVersion\":2,\"ArtifactName\":\"a\",\"Results\":[{{\"Target\":\"t\",\"Vulnerabilities\":[{many}],\"Class\":\"os-pkgs\"}}]}}");
    assert!(doc.len() > 512);
    assert_eq!(parse("trivy", doc.as_bytes(), &small()).unwrap(), 20);
}

/// `head`, then `fill` repeated up to `total` bytes, produced lazily; counts what was read.
struct Endless {
    head: Vec<u8>,
    fill: u8,
    total: u64,
    produced: std::rc::Rc<std::cell::Cell<u64>>,
}

impl Read for Endless {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let done = self.produced.get();
        if done >= self.total {
            return Ok(0);
        }
        let n = (out.len() as u64).min(self.total - done) as usize;
        for (i, b) in out[..n].iter_mut().enumerate() {
            let at = done as usize + i;
            *b = self.head.get(at).copied().unwrap_or(self.fill);
        }
        self.produced.set(done + n as u64);
        Ok(n)
    }
}

#[test]
fn a_2_gb_line_string_or_number_is_refused_after_reading_about_the_cap() {
    const TWO_GB: u64 = 2 << 30;
    let cases: [(&str, &[u8], u8, &str); 7] = [
        (
            "nuclei",
            b"{\"template-id\":\"t\",\"info\":{},\"pad\":[",
            b' ',
            "the record at line 1",
        ),
        (
            "nuclei",
            b"{\"template-id\":\"",
            b'a',
            "the string at $.template-id",
        ),
        (
            "trivy",
            b"{\"SchemaVersion\":2,\"ArtifactName\":\"",
            b'a',
            "the string at $.ArtifactName",
        ),
        (
            "sarif",
            b"{\"version\":\"2.1.0\",\"runs\":[1",
            b'1',
            "the value at $.runs[0]",
        ),
        // XML: one text node, attribute value or comment is held to the string cap (64 here).
        (
            "nessus",
            b"<NessusClientData_v2><Report name=\"r\"><ReportHost name=\"h\"><ReportItem pluginID=\"1\"><plugin_output>",
            b'a',
            "the text in NessusClientData_v2/Report/ReportHost/ReportItem/plugin_output",
        ),
        (
            "nessus",
            b"<NessusClientData_v2><Report name=\"",
            b'a',
            "the text in NessusClientData_v2 ",
        ),
        (
            "nessus",
            b"<NessusClientData_v2><!--",
            b'-',
            "the text in NessusClientData_v2 ",
        ),
    ];
    for (format, head, fill, want) in cases {
        let produced = std::rc::Rc::new(std::cell::Cell::new(0));
        let reader = Endless {
            head: head.to_vec(),
            fill,
            total: TWO_GB,
            produced: produced.clone(),
        };
        let mut sink = CountingSink::default();
        let err = format_by_name(format)
            .unwrap()
            .parse(&mut BufReader::new(reader), &mut sink, &small())
            .unwrap_err();
        assert!(err.to_string().contains(want), "{format}: {err}");
        // The cap (64 or 512 bytes here) plus one buffer of the reader, not 2 GB.
        assert!(
            produced.get() <= 16 * 1024,
            "{format}: read {} bytes",
            produced.get()
        );
    }
}

#[test]
fn nul_bytes_and_utf16_are_errors_not_panics() {
    for (format, doc, _) in FORMATS {
        let with_nul = doc.replacen(':', ":\0", 1);
        let err = parse(format, with_nul.as_bytes(), &Control::default()).unwrap_err();
        assert!(!err.to_string().is_empty(), "{format}");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(doc.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let mut sink = CountingSink::default();
        let auto = parse_auto(
            &mut BufReader::new(&utf16[..]),
            &mut sink,
            &Control::default(),
        );
        assert!(auto.is_err(), "{format}: UTF-16 detected as a format");
        assert!(
            parse(format, &utf16, &Control::default()).is_err(),
            "{format}"
        );
    }
}

/// Regression (found by assay-fuzz): a parser's message quoting the input (a mismatched end
/// tag with a line break, a terminal escape, a 40 KB name) stays one short line.
#[test]
fn errors_quoting_the_input_stay_on_one_line() {
    let long = "9".repeat(40_000);
    let cases = [
        ("nessus", "<?xml version=\"1.0\"?><NessusClientData_v2><Report><a></a\r\nb></Report></NessusClientData_v2>".to_string()),
        ("nessus", format!("<?xml version=\"1.0\"?><NessusClientData_v2><Report><a></a{long}></Report></NessusClientData_v2>")),
        ("nmap", "<?xml version=\"1.0\"?><nmaprun><host></ho\u{1b}[31mst></nmaprun>".to_string()),
        ("trivy", "{\"SchemaVersion\":2,\"ArtifactName\":\"a\",\"Results\":[{\"Target\":{\"x\":\"\\n\\u001b[2J\"}}]}".to_string()),
    ];
    for (format, text) in cases {
        let err = parse(format, text.as_bytes(), &Control::default()).unwrap_err();
        let msg = err.to_string();
        assert!(
            !msg.contains('\n') && !msg.contains('\r') && !msg.contains('\u{1b}'),
            "{format}: {msg:?}"
        );
        assert!(
            msg.chars().count() < 400,
            "{format}: {} characters",
            msg.chars().count()
        );
    }
}

/// Regression (found by assay-fuzz): a CVE id with a multi-byte character across byte 4
/// panicked (`id[..4]`); it is now just not a CVE.
#[test]
fn a_cve_id_with_a_multibyte_character_does_not_panic() {
    let mut item = assay_scan::Item::new("Nessus", "1");
    for id in [
        "CVE\u{FFFD}2024-1",
        "CV\u{e9}-2024-1",
        "\u{1F600}\u{1F600}",
        "cve-2024-2",
    ] {
        item.push_cve(id);
    }
    assert_eq!(item.cves, ["CVE-2024-2"]);
    let nessus = "<?xml version=\"1.0\" ?><NessusClientData_v2><Report name=\"r\"><ReportHost name=\"10.0.0.1\"><ReportItem port=\"443\" severity=\"3\" pluginID=\"1\" pluginName=\"p\"><cve>CVE\u{FFFD}2024-1</cve></ReportItem></ReportHost></Report></NessusClientData_v2>";
    assert_eq!(
        parse("nessus", nessus.as_bytes(), &Control::default()).unwrap(),
        1
    );
}

/// Regression (found by assay-fuzz): the description of unrecognised content quoted its keys
/// with their line breaks.
#[test]
fn an_unrecognised_format_is_described_on_one_line() {
    let text = "{\"@version\":\"2\",\"@generated\":\"x\",\"si\r\nte\":[]}";
    let mut sink = CountingSink::default();
    let Err(err) = parse_auto(
        &mut BufReader::new(text.as_bytes()),
        &mut sink,
        &Control::default(),
    ) else {
        panic!("detected a format");
    };
    let msg = err.to_string();
    assert!(matches!(err, ScanError::NotRecognised(_)), "{msg}");
    assert!(!msg.contains('\n') && !msg.contains('\r'), "{msg:?}");
}
