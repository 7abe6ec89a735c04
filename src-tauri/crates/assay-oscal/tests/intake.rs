//! Hand-written mini SSP (tests/fixtures): format equality, lifted content, intake checks, diff, and
//! refusal of bad input with one-line errors naming file and place.

// Test helpers outside #[test] fns unwrap too: a panic is the failure report here.
#![allow(clippy::unwrap_used)]

use std::sync::atomic::AtomicBool;

use assay_oscal::{
    check_ssp, diff_ssp, read_catalog, read_ssp, ChangeKind, ImpactLevel, Ns, OscalError,
    ReadOptions, Severity, SubjectKind, SystemSecurityPlan,
};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
/// In the shared sample data.
const LOW_XML: &str =
    "baselines/fedramp-rev5/xml/FedRAMP_rev5_LOW-baseline-resolved-profile_catalog.xml";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
}

fn mini(name: &str) -> SystemSecurityPlan {
    read_ssp(name, &fixture(name), &ReadOptions::default())
        .unwrap()
        .value
}

#[test]
fn mini_ssp_twins_are_equal_and_complete() {
    let j = mini("mini-ssp.json");
    let mut x = mini("mini-ssp.xml");
    x.source = j.source.clone();
    assert_eq!(x, j);

    assert_eq!(j.metadata.title, "Mini SSP for tests");
    assert_eq!(j.metadata.props[0].ns, Ns::FedRamp);
    assert_eq!(j.metadata.parties[0].addresses[0].lines, ["1 Main St"]);
    assert_eq!(j.system.description, "A tiny system.\n- first\n- second");
    assert_eq!(j.system.fedramp_package_id.as_deref(), Some("FR00000001"));
    assert_eq!(j.system.cloud_service_model.as_deref(), Some("saas"));
    assert_eq!(
        j.system.information_types[0]
            .integrity
            .as_ref()
            .unwrap()
            .selected
            .as_deref(),
        Some("fips-199-moderate")
    );
    let web = &j.implementation.inventory_items[0];
    assert_eq!(web.ipv4_addresses, ["10.0.0.1", "10.0.0.2"]);
    assert_eq!(web.scan_type.as_deref(), Some("infrastructure"));
    assert_eq!(web.allows_authenticated_scan, Some(true));
    assert_eq!(web.is_virtual, Some(false));
    assert!(web
        .props
        .iter()
        .any(|p| p.ns == Ns::Other("urn:example".into()) && p.value == "kept"));
    assert_eq!(
        j.implementation.components[0].protocols[0].port_ranges[0].start,
        Some(443)
    );
    let ac1 = &j.implemented_requirements[0];
    assert_eq!(ac1.implementation_status.as_deref(), Some("implemented"));
    assert_eq!(ac1.control_origination, ["sp-system"]);
    assert_eq!(ac1.set_parameters[0].values, ["all staff"]);
    let by = &ac1.statements[0].by_components[0];
    assert_eq!(by.description, "We do it.");
    assert_eq!(
        by.sharing().responsibilities[0].provided_uuid.as_deref(),
        Some("99999999-0000-4000-8000-0000000000a1")
    );
    assert_eq!(
        j.implemented_requirements[1]
            .planned_completion_date
            .as_deref(),
        Some("2025-06-30Z")
    );
    let res = &j.resources[0];
    assert_eq!(res.rlinks[0].hashes[0].algorithm, "SHA-256");
    assert_eq!(res.rlinks[0].hashes[0].value, "abcdef0123");
    assert_eq!(res.base64_len, 12);
    // Provenance for the import record.
    let x_again = mini("mini-ssp.xml");
    assert_ne!(x_again.source.sha256, j.source.sha256);
    assert_eq!(j.source.oscal_version, "1.1.2");
}

#[test]
fn intake_checks_find_the_planted_problems() {
    let ssp = mini("mini-ssp.json");
    let checks = check_ssp(&ssp, None, Some(ImpactLevel::Low));
    let got: Vec<(&str, SubjectKind, &str)> = checks
        .iter()
        .map(|c| (c.code.as_str(), c.subject.kind, c.subject.id.as_str()))
        .collect();
    let want = [
        ("SSP-004", SubjectKind::Control, "ac-2"),
        ("SSP-003", SubjectKind::Control, "zz-99"),
        (
            "SSP-010",
            SubjectKind::InventoryItem,
            "66666666-0000-4000-8000-000000000002",
        ),
        (
            "SSP-011",
            SubjectKind::InventoryItem,
            "66666666-0000-4000-8000-000000000002",
        ),
        (
            "SSP-012",
            SubjectKind::InventoryItem,
            "66666666-0000-4000-8000-000000000002",
        ),
        (
            "SSP-020",
            SubjectKind::Component,
            "55555555-0000-4000-8000-000000000002",
        ),
        (
            "SSP-030",
            SubjectKind::User,
            "44444444-0000-4000-8000-000000000002",
        ),
        ("SSP-040", SubjectKind::Role, "ghost-role"),
        ("SSP-040", SubjectKind::Role, "reader"),
        (
            "SSP-041",
            SubjectKind::Party,
            "22222222-0000-4000-8000-00000000dead",
        ),
        (
            "SSP-050",
            SubjectKind::System,
            "11111111-0000-4000-8000-000000000001",
        ),
    ];
    assert_eq!(got, want, "{checks:#?}");
    assert!(checks[0].message.contains("2025-06-30Z"));
    assert!(checks.last().unwrap().message.contains("Moderate"));
    // The SSP's high-water mark is Moderate (integrity), so a Moderate engagement raises no SSP-050.
    assert!(check_ssp(&ssp, None, Some(ImpactLevel::Moderate))
        .iter()
        .all(|c| c.code != "SSP-050"));
}

#[test]
fn intake_checks_against_the_fedramp_low_baseline() {
    let bytes = std::fs::read(assay_testkit::require_shared_data!(LOW_XML)).unwrap();
    let low = read_catalog("low.xml", &bytes, &ReadOptions::default())
        .unwrap()
        .value;
    let ssp = mini("mini-ssp.xml");
    let checks = check_ssp(&ssp, Some(&low), None);
    let missing = checks.iter().filter(|c| c.code == "SSP-001").count();
    assert_eq!(missing, 156 - 2, "ac-1 and ac-2 are implemented");
    assert!(checks
        .iter()
        .filter(|c| c.code == "SSP-001")
        .all(|c| c.severity == Severity::Error));
    let extra: Vec<&str> = checks
        .iter()
        .filter(|c| c.code == "SSP-002")
        .map(|c| c.subject.id.as_str())
        .collect();
    assert_eq!(extra, ["zz-99"]);
}

#[test]
fn diff_lists_added_removed_and_changed() {
    let old = mini("mini-ssp.json");
    let mut new = old.clone();
    assert!(diff_ssp(&old, &new).is_empty());
    new.implementation.components[0].title = "Renamed".into();
    new.implementation.inventory_items.remove(1);
    new.implementation.inventory_items[0].props[1].value = "10.0.0.9".into();
    new.implementation.inventory_items[0].ipv4_addresses[0] = "10.0.0.9".into();
    let mut added = new.implemented_requirements[0].clone();
    added.uuid = "77777777-0000-4000-8000-0000000000ff".into();
    added.control_id = "ac-3".into();
    new.implemented_requirements.push(added);
    new.implemented_requirements[1].implementation_status = Some("implemented".into());

    let diff = diff_ssp(&old, &new);
    let summary = |list: &[assay_oscal::Change]| -> Vec<(ChangeKind, String, String)> {
        list.iter()
            .map(|c| (c.kind, c.name.clone(), c.summary.clone()))
            .collect()
    };
    assert_eq!(
        summary(&diff.components),
        [(
            ChangeKind::Changed,
            "Renamed".into(),
            "title: \"This System\" -> \"Renamed\"".into()
        )]
    );
    assert_eq!(
        summary(&diff.inventory_items),
        [
            (
                ChangeKind::Changed,
                "web-1".into(),
                "ipv4_addresses changed; props changed (ipv4-address)".into()
            ),
            (ChangeKind::Removed, "box-2".into(), "removed".into()),
        ]
    );
    assert_eq!(
        summary(&diff.implemented_requirements),
        [
            (
                ChangeKind::Changed,
                "ac-2".into(),
                "implementation_status: \"planned\" -> \"implemented\"".into()
            ),
            (ChangeKind::Added, "ac-3".into(), "added".into()),
        ]
    );
}

fn ssp_err(name: &str, bytes: &[u8]) -> String {
    match read_ssp(name, bytes, &ReadOptions::default()) {
        Ok(_) => panic!("{name}: expected an error"),
        Err(e) => {
            let text = e.to_string();
            assert!(!text.contains('\n'), "one line: {text:?}");
            assert!(text.starts_with(name), "names the file: {text:?}");
            text
        }
    }
}

fn replace(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1).into_bytes()
}

#[test]
fn bad_input_is_refused_with_file_and_place() {
    let json = fixture("mini-ssp.json");
    let xml = fixture("mini-ssp.xml");
    let cut_json = json[..json.len() / 2].to_vec();
    let cut_xml = xml[..xml.len() / 2].to_vec();
    let last_line = |b: &[u8]| b.trim_ascii_end().iter().filter(|&&c| c == b'\n').count() + 1;
    let cut_json_want = format!(
        "cut.json: unexpected end of file at line {}",
        last_line(&cut_json)
    );
    let cut_xml_want = format!(
        "cut.xml: unexpected end of file at line {}",
        last_line(&cut_xml)
    );
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("bad.json", replace(&json, "\"version\": \"1.0\",", "\"version\": \"1.0\",,"), "bad.json:7:24: malformed JSON: key must be a string"),
        (
            "bad.xml",
            replace(&xml, "    </component>\n    <component uuid=\"55555555-0000-4000-8000-000000000002\"", "    </system-implementation>\n    <component uuid=\"55555555-0000-4000-8000-000000000002\""),
            "bad.xml:80:5: malformed XML: expected </component>, found </system-implementation>",
        ),
        ("v2.json", replace(&json, "\"oscal-version\": \"1.1.2\"", "\"oscal-version\": \"2.0.0\""), "v2.json at $.system-security-plan.metadata.oscal-version: unsupported OSCAL version \"2.0.0\""),
        ("v09.xml", replace(&xml, "<oscal-version>1.1.2", "<oscal-version>0.9"), "v09.xml at /system-security-plan/metadata/oscal-version: unsupported OSCAL version \"0.9\""),
        ("cut.json", cut_json, &cut_json_want),
        ("cut.xml", cut_xml, &cut_xml_want),
        ("notitle.json", replace(&json, "\"title\": \"Mini *SSP* for tests\",", ""), "notitle.json at $.system-security-plan.metadata.title: missing required field"),
        ("type.xml", replace(&xml, "<system-name>Mini", "<system-name lang=\"en\">Mini"), "type.xml:31:5: in system-security-plan/system-characteristics/system-name: invalid type: map, expected a string"),
        ("empty.json", b" \n ".to_vec(), "empty.json: the file is empty"),
        ("latin1.json", b"{\"system-security-plan\": {\"x\": \"caf\xe9\"}}".to_vec(), "latin1.json:1:36: invalid UTF-8 (byte offset 35)"),
        ("foreign.xml", b"<system-security-plan xmlns=\"urn:other\"/>".to_vec(), "foreign.xml: not an OSCAL document"),
        (
            "lol.xml",
            br#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<system-security-plan xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="x"><metadata><title>&lol2;</title></metadata></system-security-plan>"#
                .to_vec(),
            "lol.xml:2:1: DOCTYPE with ENTITY declarations refused",
        ),
        (
            "xxe.xml",
            br#"<?xml version="1.0"?>
<!DOCTYPE ssp [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<system-security-plan xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="x"><metadata><title>&xxe;</title></metadata></system-security-plan>"#
                .to_vec(),
            "xxe.xml:2:1: DOCTYPE with ENTITY declarations refused",
        ),
    ];
    for (name, bytes, want) in cases {
        let got = ssp_err(name, &bytes);
        assert!(got.starts_with(want), "{name}:\n got  {got}\n want {want}");
    }
}

#[test]
fn wrong_model_is_named() {
    let bytes = std::fs::read(assay_testkit::require_shared_data!(LOW_XML)).unwrap();
    assert_eq!(
        ssp_err("low.xml", &bytes),
        "low.xml: this is an OSCAL catalog, not a system security plan"
    );
    match read_catalog(
        "mini.json",
        &fixture("mini-ssp.json"),
        &ReadOptions::default(),
    ) {
        Err(e @ OscalError::WrongModel { .. }) => {
            assert_eq!(
                e.to_string(),
                "mini.json: this is an OSCAL system security plan, not a catalog"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn size_limit_cancel_and_progress() {
    let json = fixture("mini-ssp.json");
    let small = ReadOptions {
        max_bytes: 100,
        ..ReadOptions::default()
    };
    match read_ssp("big.json", &json, &small) {
        Err(OscalError::TooLarge { size, max: 100, .. }) => assert_eq!(size, json.len() as u64),
        other => panic!("{other:?}"),
    }
    let cancel = AtomicBool::new(true);
    let cancelled = ReadOptions {
        cancel: Some(&cancel),
        ..ReadOptions::default()
    };
    for name in ["mini-ssp.json", "mini-ssp.xml"] {
        match read_ssp(name, &fixture(name), &cancelled) {
            Err(OscalError::Cancelled { file }) => assert_eq!(file, name),
            other => panic!("{other:?}"),
        }
    }
    let seen = std::cell::RefCell::new(Vec::new());
    let report = |done: u64, total: u64| seen.borrow_mut().push((done, total));
    let opts = ReadOptions {
        progress: Some(&report),
        ..ReadOptions::default()
    };
    let xml = fixture("mini-ssp.xml");
    read_ssp("mini-ssp.xml", &xml, &opts).unwrap();
    let total = xml.len() as u64;
    assert_eq!(seen.borrow().last(), Some(&(total, total)));
    assert!(seen.borrow().iter().all(|&(d, t)| d <= t && t == total));
}
