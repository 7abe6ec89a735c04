//! The same SSP in JSON and in XML stores the same content.

// Test code: a panic with the failed value is the report we want.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::sync::Arc;

use assay_core::api::ImportOptions;
use assay_core::clock::{FixedClock, SequentialIds};
use assay_core::model::NewEngagement;
use assay_core::{Context, Session};

fn context() -> Context {
    let start = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
        .unwrap()
        .to_utc();
    Context {
        clock: Arc::new(FixedClock::new(start, chrono::Duration::seconds(1))),
        ids: Arc::new(SequentialIds::new(3)),
        actor: "test".into(),
    }
}

fn import(dir: &Path, name: &str, path: &Path) -> Session {
    let mut s = Session::create(
        &dir.join(format!("{name}.assay")),
        &NewEngagement::named("X"),
        context(),
    )
    .unwrap();
    let bytes = std::fs::read(path).unwrap();
    let staged = s
        .stage_ssp(name, &bytes, &ImportOptions::default())
        .unwrap();
    s.apply_ssp(staged).unwrap();
    s
}

#[test]
fn json_and_xml_forms_of_one_ssp_store_the_same_content() {
    let oscal = assay_testkit::require_shared_data!("oscal");
    let dir = tempfile::tempdir().unwrap();
    for (json, xml) in [
        (
            "nist-examples/ssp/json/ssp-example.json",
            "nist-examples/ssp/xml/ssp-example.xml",
        ),
        (
            "nist-examples/ssp/json/ifa_ssp-example.json",
            "nist-examples/ssp/xml/ifa_ssp-example.xml",
        ),
        (
            "nist-examples/ssp/json/oscal_leveraged-example_ssp.json",
            "nist-examples/ssp/xml/oscal_leveraged-example_ssp.xml",
        ),
    ] {
        let a = import(dir.path(), "a", &oscal.join(json));
        let b = import(dir.path(), "b", &oscal.join(xml));
        let mut from_json = a.stored_ssp().unwrap().expect("stored");
        let from_xml = b.stored_ssp().unwrap().expect("stored");
        // Only the provenance differs: file name, hash and format.
        from_json.source = from_xml.source.clone();
        assert_eq!(from_json, from_xml, "{json} vs {xml}");
        assert_eq!(a.inventory().unwrap(), b.inventory().unwrap());
        assert_eq!(a.components().unwrap(), b.components().unwrap());
        assert_eq!(a.users().unwrap(), b.users().unwrap());
        assert_eq!(
            a.system_overview().unwrap().map(|o| o.system_name),
            b.system_overview().unwrap().map(|o| o.system_name)
        );
        drop((a, b));
        std::fs::remove_file(dir.path().join("a.assay")).unwrap();
        std::fs::remove_file(dir.path().join("b.assay")).unwrap();
    }
}

#[test]
fn the_stored_ssp_is_exactly_the_imported_model() {
    let dir = tempfile::tempdir().unwrap();
    let path =
        assay_testkit::require_shared_data!("oscal/fedramp-examples/fedramp-ssp-example.oscal.xml");
    let s = import(dir.path(), "e", &path);
    let bytes = std::fs::read(&path).unwrap();
    let direct = assay_oscal::read_ssp("e", &bytes, &assay_oscal::ReadOptions::default())
        .unwrap()
        .value;
    assert_eq!(s.stored_ssp().unwrap().unwrap(), direct);
}
