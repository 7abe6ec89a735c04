//! Reads every SSP under shared/data/oscal; JSON/XML twins must give equal models.

// Test helpers outside #[test] fns unwrap too: a panic is the failure report here.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use assay_oscal::{read_ssp, Format, Ns, ReadOptions, SystemSecurityPlan};

/// Every file under `oscal` (the sample data's oscal folder) with "ssp" in its name.
fn ssp_files(oscal: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_lowercase()
                .contains("ssp")
            {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(oscal, &mut out);
    out.sort();
    out
}

fn load(path: &Path) -> SystemSecurityPlan {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy();
    match read_ssp(&name, &bytes, &ReadOptions::default()) {
        Ok(imported) => imported.value,
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

#[test]
fn every_shared_ssp_reads() {
    let oscal = assay_testkit::require_shared_data!("oscal");
    let files = ssp_files(&oscal);
    assert_eq!(files.len(), 14, "{files:?}");
    for path in &files {
        let ssp = load(path);
        assert!(!ssp.uuid.is_empty(), "{}", path.display());
        assert!(
            !ssp.implemented_requirements.is_empty(),
            "{}",
            path.display()
        );
        println!(
            "{}: {} components, {} inventory items, {} users, {} implemented requirements",
            path.strip_prefix(&oscal).unwrap().display(),
            ssp.implementation.components.len(),
            ssp.implementation.inventory_items.len(),
            ssp.implementation.users.len(),
            ssp.implemented_requirements.len()
        );
    }
}

#[test]
fn json_and_xml_twins_are_equal() {
    let oscal = assay_testkit::require_shared_data!("oscal");
    let files = ssp_files(&oscal);
    let mut pairs = 0;
    for json in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let rel = json
            .strip_prefix(&oscal)
            .unwrap()
            .to_string_lossy()
            .replace("/json/", "/xml/");
        let xml = oscal.join(rel.replace(".json", ".xml"));
        if !xml.exists() {
            continue;
        }
        let j = load(json);
        let mut x = load(&xml);
        assert_eq!(j.source.format, Format::Json);
        assert_eq!(x.source.format, Format::Xml);
        x.source = j.source.clone();
        let differences = differing_paths(
            &serde_json::to_value(&x).unwrap(),
            &serde_json::to_value(&j).unwrap(),
        );
        if json.ends_with("FedRAMP-SSP-OSCAL-Template.json") {
            // The only differences in FedRAMP's template pair are links to the format's own sibling files
            // (…/xml/…catalog.xml vs …/json/…catalog.json, SAMPLE_POAM.xml vs .json): genuine source content.
            let paths: Vec<&str> = differences
                .iter()
                .map(|d| d.split(':').next().unwrap())
                .collect();
            assert_eq!(
                paths,
                ["$.import_profile", "$.resources[47].rlinks[0].href"],
                "{differences:#?}"
            );
            assert!(x.import_profile.ends_with(".xml") && j.import_profile.ends_with(".json"));
            x.import_profile = j.import_profile.clone();
            x.resources[47].rlinks[0].href = j.resources[47].rlinks[0].href.clone();
        } else {
            assert!(
                differences.is_empty(),
                "{}: XML vs JSON differ at {differences:#?}",
                json.display()
            );
        }
        assert_eq!(x.metadata, j.metadata, "{}", json.display());
        assert_eq!(x.system, j.system, "{}", json.display());
        for (a, b) in x
            .implementation
            .components
            .iter()
            .zip(&j.implementation.components)
        {
            assert_eq!(a, b, "{}", json.display());
        }
        assert_eq!(x.implementation, j.implementation, "{}", json.display());
        for (a, b) in x
            .implemented_requirements
            .iter()
            .zip(&j.implemented_requirements)
        {
            assert_eq!(a, b, "{}", json.display());
        }
        assert_eq!(x, j, "{}", json.display());
        pairs += 1;
    }
    assert_eq!(pairs, 5, "template + 4 NIST examples");
}

/// Paths where two JSON values differ, with both values (first 30).
fn differing_paths(a: &serde_json::Value, b: &serde_json::Value) -> Vec<String> {
    use serde_json::Value;
    fn walk(a: &Value, b: &Value, path: String, out: &mut Vec<String>) {
        if out.len() >= 30 || a == b {
            return;
        }
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                for (k, v) in x {
                    walk(
                        v,
                        y.get(k).unwrap_or(&Value::Null),
                        format!("{path}.{k}"),
                        out,
                    );
                }
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
                for (i, (v, w)) in x.iter().zip(y).enumerate() {
                    walk(v, w, format!("{path}[{i}]"), out);
                }
            }
            _ => out.push(format!("{path}: xml={a} json={b}")),
        }
    }
    let mut out = Vec::new();
    walk(a, b, "$".into(), &mut out);
    out
}

#[test]
fn fedramp_template_content_is_lifted() {
    let oscal = assay_testkit::require_shared_data!("oscal");
    let ssp = load(&oscal.join("fedramp-templates-rev5/xml/FedRAMP-SSP-OSCAL-Template.xml"));
    assert_eq!(ssp.metadata.oscal_version, "1.0.4");
    assert_eq!(ssp.source.oscal_version, "1.0.4");
    assert_eq!(ssp.source.sha256.len(), 64);
    let sys = &ssp.system;
    assert!(sys.fedramp_package_id.is_some(), "{:?}", sys.system_ids);
    assert!(sys.security_impact_level.is_some());
    assert!(sys.cloud_service_model.is_some());
    assert!(!sys.information_types.is_empty());
    assert!(sys.information_types[0].confidentiality.is_some());
    let imp = &ssp.implementation;
    assert!(imp
        .users
        .iter()
        .any(|u| u.user_type.is_some() && !u.authorized_privileges.is_empty()));
    assert!(imp
        .components
        .iter()
        .any(|c| !c.protocols.is_empty()
            && c.protocols[0].port_ranges.iter().any(|r| r.start.is_some())));
    let item = imp
        .inventory_items
        .iter()
        .find(|i| !i.ipv4_addresses.is_empty())
        .unwrap();
    assert!(item.asset_id.is_some());
    assert!(imp
        .inventory_items
        .iter()
        .any(|i| i.allows_authenticated_scan.is_some()));
    assert!(imp.inventory_items.iter().any(|i| i.scan_type.is_some()));
    assert!(imp
        .inventory_items
        .iter()
        .flat_map(|i| &i.props)
        .any(|p| p.ns == Ns::FedRamp));
    let req = &ssp.implemented_requirements[0];
    assert!(req.implementation_status.is_some());
    assert!(!req.control_origination.is_empty());
    assert!(ssp
        .implemented_requirements
        .iter()
        .flat_map(|r| &r.statements)
        .any(|s| !s.by_components.is_empty()));
    assert!(ssp.resources.iter().any(|r| !r.rlinks.is_empty()));
}

#[test]
fn develop_branch_namespace_is_fedramp_too() {
    let oscal = assay_testkit::require_shared_data!("oscal");
    let ssp = load(&oscal.join("fedramp-examples/fedramp-ssp-example.oscal.xml"));
    assert!(ssp
        .metadata
        .props
        .iter()
        .chain(&ssp.system.props)
        .any(|p| p.ns == Ns::FedRamp));
    assert!(
        ssp.system.fedramp_package_id.is_some(),
        "{:?}",
        ssp.system.system_ids
    );
}
