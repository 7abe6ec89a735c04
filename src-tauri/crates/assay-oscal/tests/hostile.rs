//! Hostile input for the SSP and catalog readers: duplicate keys (top level, nested, skipped
//! fields, escaped spellings), strings, numbers and nesting over their caps, depth bombs, NUL
//! bytes, BOMs and UTF-16. Caps are made small through `ReadOptions::json`.

#![allow(clippy::unwrap_used)]

use assay_oscal::{read_catalog, read_ssp, OscalError, Place, ReadOptions};

const SSP: &str = include_str!("fixtures/mini-ssp.json");

const CATALOG: &str = r#"{
  "catalog": {
    "uuid": "44444444-0000-4000-8000-000000000001",
    "metadata": {
      "title": "C",
      "last-modified": "2024-01-01T00:00:00Z",
      "version": "1",
      "oscal-version": "1.1.2"
    },
    "groups": [
      {
        "id": "ac",
        "title": "Access Control",
        "controls": [
          {
            "id": "ac-1",
            "title": "Policy",
            "parts": [{ "id": "ac-1_smt", "name": "statement", "prose": "Do it." }]
          }
        ]
      }
    ]
  }
}"#;

/// Reads `text` as the model `doc` names.
fn read(doc: &str, text: &str, opts: &ReadOptions<'_>) -> Result<(), OscalError> {
    match doc {
        "ssp" => read_ssp("t.json", text.as_bytes(), opts).map(drop),
        _ => read_catalog("t.json", text.as_bytes(), opts).map(drop),
    }
}

/// Repeats the member `member` (a whole `"key": value` text), on a line of its own; returns
/// the document and the 1-based line of the repeat.
fn repeat(text: &str, member: &str, again: &str) -> (String, usize) {
    let at = text.find(member).unwrap_or_else(|| panic!("{member}")) + member.len();
    let out = format!("{},\n{again}{}", &text[..at], &text[at..]);
    let line = out[..at].matches('\n').count() + 2;
    (out, line)
}

#[test]
fn the_documents_read() {
    read("ssp", SSP, &ReadOptions::default()).unwrap();
    read("catalog", CATALOG, &ReadOptions::default()).unwrap();
}

#[test]
fn duplicate_keys_are_refused_with_key_line_and_path() {
    let cases = [
        // Top level of the model object.
        (
            "ssp",
            SSP,
            r#""uuid": "11111111-0000-4000-8000-000000000001""#,
            r#""uuid": "11111111-0000-4000-8000-000000000002""#,
            r#"duplicate key "uuid" in the object at $.system-security-plan"#,
        ),
        // Nested, a field the reader converts.
        (
            "ssp",
            SSP,
            r#""title": "Mini *SSP* for tests""#,
            r#""title": "Other""#,
            r#"duplicate key "title" in the object at $.system-security-plan.metadata"#,
        ),
        // Nested in a list element, spelled with an escape.
        (
            "catalog",
            CATALOG,
            r#""id": "ac-1""#,
            r#""\u0069d": "ac-2""#,
            r#"duplicate key "id" in the object at $.catalog.groups[0].controls[0]"#,
        ),
        // The document's root key itself.
        (
            "catalog",
            CATALOG,
            r#""catalog": {"#,
            r#""x": 1}, "catalog": {"#,
            "",
        ),
        // A field the reader skips.
        (
            "catalog",
            CATALOG,
            r#""version": "1""#,
            r#""x-extra": 1, "x-extra": 2"#,
            r#"duplicate key "x-extra" in the object at $.catalog.metadata"#,
        ),
    ];
    for (doc, text, member, again, want) in cases {
        let (text, line) = repeat(text, member, again);
        let err = read(doc, &text, &ReadOptions::default()).unwrap_err();
        let OscalError::JsonRefused { place, message, .. } = &err else {
            panic!("{doc}: {err}");
        };
        let Place::LineCol(l, _) = place else {
            panic!("{err}")
        };
        if want.is_empty() {
            assert!(message.contains("duplicate key \"catalog\""), "{err}");
            continue;
        }
        assert_eq!(*l, line, "{err}");
        assert_eq!(message, want);
        assert!(
            err.to_string().starts_with(&format!("t.json:{line}:")),
            "{err}"
        );
    }
}

#[test]
fn caps_are_held() {
    let opts = ReadOptions {
        limits: assay_json::Limits {
            max_string: 256,
            max_token: 32,
            max_key: 64,
            max_depth: 16,
        },
        ..ReadOptions::default()
    };
    let long = "x".repeat(257);
    let cases = [
        (
            CATALOG.replace("Do it.", &long),
            "the string at $.catalog.groups[0].controls[0].parts[0].prose is longer than the 256-byte limit",
        ),
        (
            CATALOG.replace("\"version\": \"1\"", &format!("\"n\": {}", "9".repeat(40))),
            "the value at $.catalog.metadata.n is longer than the 32-byte limit",
        ),
        (
            CATALOG.replace("\"version\": \"1\"", &format!("\"x\": {}{}", "[".repeat(30), "]".repeat(30))),
            "nesting deeper than 16 levels",
        ),
    ];
    for (text, want) in cases {
        let err = read("catalog", &text, &opts).unwrap_err();
        assert!(
            matches!(err, OscalError::JsonRefused { .. }) && err.to_string().contains(want),
            "{err}"
        );
    }
}

#[test]
fn depth_bombs_nul_bytes_and_utf16_are_errors_not_panics() {
    let deep_json = format!(
        "{{\"catalog\": {{\"x\": {}{}}}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let err = read("catalog", &deep_json, &ReadOptions::default()).unwrap_err();
    assert!(
        err.to_string().contains("nesting deeper than 100 levels"),
        "{err}"
    );

    let ns = assay_oscal::OSCAL_NS;
    let deep_xml = format!(
        "<catalog xmlns=\"{ns}\">{}{}</catalog>",
        "<part>".repeat(100_000),
        "</part>".repeat(100_000)
    );
    let err = read("catalog", &deep_xml, &ReadOptions::default()).unwrap_err();
    assert!(err.to_string().starts_with("t.json"), "{err}");

    let with_nul = CATALOG.replacen("\"C\"", "\"C\0\"", 1);
    assert!(read("catalog", &with_nul, &ReadOptions::default()).is_err());
    let nul_outside = CATALOG.replacen(',', ",\0", 1);
    assert!(read("catalog", &nul_outside, &ReadOptions::default()).is_err());

    let with_bom = format!("\u{feff}{CATALOG}");
    read("catalog", &with_bom, &ReadOptions::default()).unwrap();

    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(CATALOG.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let err = read_catalog("t.json", &utf16, &ReadOptions::default()).unwrap_err();
    assert!(err.to_string().starts_with("t.json"), "{err}");
}

/// Regression (found by assay-fuzz): a mismatched end tag holding a line break, or a huge one,
/// made the XML error span lines; it is now one short line.
#[test]
fn xml_errors_quoting_the_input_stay_on_one_line() {
    let ns = assay_oscal::OSCAL_NS;
    let long = "9".repeat(40_000);
    for bad in [
        "</tit\r\nle>".to_string(),
        format!("</title{long}>"),
        "</ti\u{1b}[2Jtle>".to_string(),
    ] {
        let text = format!("<catalog xmlns=\"{ns}\"><metadata><title>C{bad}</metadata></catalog>");
        let err = read("catalog", &text, &ReadOptions::default()).unwrap_err();
        let msg = err.to_string();
        assert!(
            !msg.contains('\n') && !msg.contains('\r') && !msg.contains('\u{1b}'),
            "{msg:?}"
        );
        assert!(
            msg.chars().count() < 400,
            "{} characters",
            msg.chars().count()
        );
    }
}

/// XML text, CDATA and attribute values are held to the same string cap as JSON strings.
#[test]
fn xml_strings_over_the_cap_are_refused() {
    let opts = ReadOptions {
        limits: assay_json::Limits {
            max_string: 256,
            ..assay_json::Limits::DEFAULT
        },
        ..ReadOptions::default()
    };
    let ns = assay_oscal::OSCAL_NS;
    let long = "x".repeat(257);
    for (doc, what) in [
        (format!("<catalog xmlns=\"{ns}\"><metadata><title>{long}</title></metadata></catalog>"), "a text node"),
        (format!("<catalog xmlns=\"{ns}\"><metadata><title><![CDATA[{long}]]></title></metadata></catalog>"), "a CDATA section"),
        (format!("<catalog xmlns=\"{ns}\" uuid=\"{long}\"><metadata/></catalog>"), "an attribute value"),
    ] {
        let err = read("catalog", &doc, &opts).unwrap_err();
        assert!(
            err.to_string().contains(&format!("{what} longer than the 256-byte limit")),
            "{err}"
        );
    }
    // At the cap it reads on (and fails later for what the document lacks, not for length).
    let at_cap = format!(
        "<catalog xmlns=\"{ns}\"><metadata><title>{}</title></metadata></catalog>",
        "x".repeat(256)
    );
    let err = read("catalog", &at_cap, &opts).unwrap_err();
    assert!(!err.to_string().contains("limit"), "{err}");
}
