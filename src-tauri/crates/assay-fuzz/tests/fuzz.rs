//! One fuzz target per reader: the OSCAL SSP and catalog readers (JSON and XML), every scanner
//! format and the format detection, the KEV catalog, the strict-JSON guard, the package
//! manifest (inside a re-zipped package) and the package verifier on mutated zip bytes.
//! Seeds are the small documents below plus, when `../shared/data` is present, its samples
//! under 64 KiB. Bounded by `ASSAY_FUZZ_ITERATIONS` and `ASSAY_FUZZ_SECONDS` (see the crate
//! documentation); README.md (Testing) gives the long run.

#![allow(clippy::unwrap_used)]

use std::io::{BufReader, Cursor, Write};
use std::path::Path;

use assay_fuzz::fuzz;
use assay_scan::{format_by_name, formats, parse_auto, Control, CountingSink, ScanError};

const MINI_SSP_JSON: &[u8] = include_bytes!("../../assay-oscal/tests/fixtures/mini-ssp.json");
const MINI_SSP_XML: &[u8] = include_bytes!("../../assay-oscal/tests/fixtures/mini-ssp.xml");

const CATALOG_JSON: &str = r#"{"catalog": {"uuid": "44444444-0000-4000-8000-000000000001",
  "metadata": {"title": "C", "last-modified": "2024-01-01T00:00:00Z", "version": "1", "oscal-version": "1.1.2"},
  "groups": [{"id": "ac", "title": "Access Control", "controls": [{"id": "ac-1", "title": "Policy",
    "params": [{"id": "ac-1_prm_1", "label": "frequency"}],
    "parts": [{"id": "ac-1_smt", "name": "statement", "prose": "Review {{ insert: param, ac-1_prm_1 }}."}],
    "controls": [{"id": "ac-1.1", "title": "Enhancement"}]}]}]}}"#;

const CATALOG_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="44444444-0000-4000-8000-000000000001">
  <metadata><title>C</title><last-modified>2024-01-01T00:00:00Z</last-modified><version>1</version><oscal-version>1.1.2</oscal-version></metadata>
  <group id="ac"><title>Access Control</title>
    <control id="ac-1"><title>Policy</title>
      <param id="ac-1_prm_1"><label>frequency</label></param>
      <part id="ac-1_smt" name="statement"><p>Review <insert type="param" id-ref="ac-1_prm_1"/> &amp; <em>act</em>.</p></part>
    </control>
  </group>
</catalog>"#;

/// Small documents for each scanner format (by `ScanFormat::name`).
const SCAN_SEEDS: &[(&str, &str)] = &[
    ("sarif", r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x","rules":[{"id":"r1","shortDescription":{"text":"s"}}]}},"results":[{"ruleId":"r1","level":"error","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.c"},"region":{"startLine":3}}}]}]}]}"#),
    ("grype", r#"{"matches":[{"vulnerability":{"id":"CVE-2024-1","severity":"High","cvss":[{"version":"3.1","vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H","metrics":{"baseScore":9.8}}]},"artifact":{"name":"p","version":"1","type":"deb"}}],"source":{"type":"image","target":{"userInput":"img:1"}}}"#),
    ("trivy", r#"{"SchemaVersion":2,"ArtifactName":"a","ArtifactType":"container_image","Metadata":{"OS":{"Family":"debian","Name":"12"}},"Results":[{"Target":"t","Class":"os-pkgs","Vulnerabilities":[{"VulnerabilityID":"CVE-2024-1","PkgName":"p","Severity":"HIGH","CVSS":{"nvd":{"V3Score":7.5}}}],"Misconfigurations":[{"ID":"M1","Title":"t","Severity":"LOW","Status":"FAIL"}],"Secrets":[{"RuleID":"s","Severity":"HIGH","StartLine":3}]}]}"#),
    ("zap-json", r#"{"@version":"2.14","@generated":"now","site":[{"@name":"http://a","@host":"a","@port":"80","alerts":[{"pluginid":"1","alert":"x","riskcode":"2","confidence":"2","cweid":"79","instances":[{"uri":"http://a/x","method":"GET"}]}]}]}"#),
    ("nuclei", "{\"template-id\":\"t\",\"info\":{\"name\":\"n\",\"severity\":\"high\",\"classification\":{\"cve-id\":[\"CVE-2024-1\"],\"cvss-score\":7.5}},\"host\":\"a.b\",\"matched-at\":\"http://a.b/x\",\"response\":\"r\"}\n{\"template-id\":\"u\",\"info\":{\"severity\":\"info\"}}\n"),
    ("nuclei", r#"[{"template-id":"t","info":{"name":"n","severity":"high"}}]"#),
    ("nessus", r#"<?xml version="1.0" ?><NessusClientData_v2><Report name="r"><ReportHost name="10.0.0.1"><HostProperties><tag name="host-ip">10.0.0.1</tag><tag name="HOST_START">Mon Jan 1 00:00:00 2024</tag></HostProperties><ReportItem port="443" svc_name="www" protocol="tcp" severity="3" pluginID="1" pluginName="p" pluginFamily="f"><cve>CVE-2024-1</cve><cvss3_base_score>7.5</cvss3_base_score><plugin_output>out &amp; more</plugin_output></ReportItem></ReportHost></Report></NessusClientData_v2>"#),
    ("nmap", r#"<?xml version="1.0"?><nmaprun scanner="nmap" start="1700000000"><host><status state="up"/><address addr="10.0.0.1" addrtype="ipv4"/><hostnames><hostname name="a.b"/></hostnames><ports><port protocol="tcp" portid="22"><state state="open"/><service name="ssh" product="OpenSSH"/></port></ports></host></nmaprun>"#),
    ("zap-xml", r#"<?xml version="1.0"?><OWASPZAPReport version="2.14" generated="now"><site name="http://a" host="a" port="80" ssl="false"><alerts><alertitem><pluginid>1</pluginid><alert>x</alert><riskcode>2</riskcode><confidence>2</confidence><desc>&lt;p&gt;d&lt;/p&gt;</desc><instances><instance><uri>http://a/x</uri></instance></instances><cweid>79</cweid></alertitem></alerts></site></OWASPZAPReport>"#),
    ("burp", r#"<?xml version="1.0"?><issues burpVersion="2023.1"><issue><serialNumber>1</serialNumber><type>1</type><name>XSS</name><host ip="10.0.0.1">http://a</host><path>/x</path><severity>High</severity><confidence>Certain</confidence><issueDetail><![CDATA[d]]></issueDetail></issue></issues>"#),
    ("openvas", r#"<?xml version="1.0"?><get_reports_response status="200"><report id="r"><report id="r"><results><result id="1"><name>n</name><host>10.0.0.1</host><port>443/tcp</port><nvt oid="1.3.6"><name>n</name><cvss_base>7.5</cvss_base><refs><ref type="cve" id="CVE-2024-1"/></refs></nvt><threat>High</threat><severity>7.5</severity><description>d</description></result></results></report></report></get_reports_response>"#),
    ("qualys", r#"<?xml version="1.0"?><ASSET_DATA_REPORT><HOST_LIST><HOST><IP>10.0.0.1</IP><VULN_INFO_LIST><VULN_INFO><QID id="qid_1">1</QID><TYPE>Vuln</TYPE></VULN_INFO></VULN_INFO_LIST></HOST></HOST_LIST><GLOSSARY><VULN_DETAILS_LIST><VULN_DETAILS id="qid_1"><QID id="qid_1">1</QID><TITLE>t</TITLE><SEVERITY>4</SEVERITY></VULN_DETAILS></VULN_DETAILS_LIST></GLOSSARY></ASSET_DATA_REPORT>"#),
    ("qualys-scan", r#"<?xml version="1.0"?><SCAN value="s"><IP value="10.0.0.1" name="a.b"><VULNS><CAT value="c" port="443" protocol="tcp"><VULN number="1" severity="4"><TITLE>t</TITLE><RESULT>r</RESULT></VULN></CAT></VULNS></IP></SCAN>"#),
];

const KEV: &str = r#"{"title":"CISA KEV","catalogVersion":"2026.03.01","dateReleased":"2026-03-01T12:00:00Z","count":2,
  "vulnerabilities":[{"cveID":"CVE-2021-44228","vendorProject":"Apache","product":"Log4j2","vulnerabilityName":"Log4Shell","dateAdded":"2021-12-10","shortDescription":"x","requiredAction":"y","dueDate":"2021-12-24","knownRansomwareCampaignUse":"Known","notes":"","cwes":["CWE-20"]},
  {"cveID":"CVE-2023-1","dateAdded":"2023-01-01","dueDate":"2023-01-22"}]}"#;

/// Shared samples under 64 KiB in `rel` (none when the shared data is absent).
fn shared_samples(rel: &str) -> Vec<Vec<u8>> {
    let Some(root) = assay_testkit::shared_data() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    collect(&root.join(rel), &mut out);
    out
}

fn collect(dir: &Path, out: &mut Vec<Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, out);
        } else if path.metadata().is_ok_and(|m| m.len() < 64 * 1024)
            && path.extension().is_some_and(|e| e != "md")
        {
            out.push(std::fs::read(&path).unwrap());
        }
    }
}

/// A reader error must be one non-empty line (the CLI prints it as its one line).
fn one_line(message: &str) -> Result<bool, String> {
    if message.trim().is_empty() || message.contains('\n') {
        return Err(format!("error is not one line: {message:?}"));
    }
    Ok(false)
}

fn oscal_seeds() -> Vec<Vec<u8>> {
    let mut seeds = vec![
        MINI_SSP_JSON.to_vec(),
        MINI_SSP_XML.to_vec(),
        CATALOG_JSON.as_bytes().to_vec(),
        CATALOG_XML.as_bytes().to_vec(),
    ];
    seeds.extend(shared_samples("oscal/nist-examples/ssp"));
    seeds.extend(shared_samples("oscal/nist-examples/catalog"));
    seeds
}

fn check_oscal<T>(result: Result<T, assay_oscal::OscalError>) -> Result<bool, String> {
    match result {
        Ok(_) => Ok(true),
        Err(assay_oscal::OscalError::Cancelled { .. }) => {
            Err("cancelled without a cancel flag".into())
        }
        Err(e) => {
            let message = e.to_string();
            if !message.starts_with("f.oscal") {
                return Err(format!("error does not name the file: {message}"));
            }
            one_line(&message)
        }
    }
}

#[test]
fn fuzz_oscal_ssp() {
    let opts = assay_oscal::ReadOptions::default();
    fuzz("oscal-ssp", &oscal_seeds(), |input| {
        check_oscal(assay_oscal::read_ssp("f.oscal", input, &opts))
    });
}

#[test]
fn fuzz_oscal_catalog() {
    let opts = assay_oscal::ReadOptions::default();
    fuzz("oscal-catalog", &oscal_seeds(), |input| {
        check_oscal(assay_oscal::read_catalog("f.oscal", input, &opts))
    });
}

fn check_scan<T>(result: Result<T, ScanError>) -> Result<bool, String> {
    match result {
        Ok(_) => Ok(true),
        // The input is in memory: a read error can only be a refusal that lost its type.
        Err(ScanError::Io(e)) => Err(format!("untyped read error: {e}")),
        Err(ScanError::Cancelled) => Err("cancelled without a cancel flag".into()),
        Err(e) => one_line(&e.to_string()),
    }
}

fn scan_seeds(name: &str) -> Vec<Vec<u8>> {
    let folder = match name {
        "zap-json" => "zap_json",
        "zap-xml" => "zap_xml",
        "burp" => "burp_xml",
        "qualys" | "qualys-scan" => "qualys_vm",
        other => other,
    };
    let mut seeds: Vec<Vec<u8>> = SCAN_SEEDS
        .iter()
        .filter(|(n, _)| *n == name)
        .map(|(_, s)| s.as_bytes().to_vec())
        .collect();
    seeds.extend(shared_samples(&format!("scans/{folder}")));
    seeds
}

#[test]
fn fuzz_every_scanner_format() {
    for format in formats() {
        let seeds = scan_seeds(format.name());
        fuzz(&format!("scan-{}", format.name()), &seeds, |input| {
            let mut sink = CountingSink::default();
            let result = format.parse(&mut BufReader::new(input), &mut sink, &Control::default());
            check_scan(result)
        });
    }
}

#[test]
fn fuzz_scan_detection() {
    let seeds: Vec<Vec<u8>> = SCAN_SEEDS
        .iter()
        .map(|(_, s)| s.as_bytes().to_vec())
        .collect();
    fuzz("scan-auto", &seeds, |input| {
        let mut sink = CountingSink::default();
        check_scan(parse_auto(
            &mut BufReader::new(input),
            &mut sink,
            &Control::default(),
        ))
    });
    assert!(format_by_name("nuclei").is_some());
}

#[test]
fn fuzz_kev_catalog() {
    fuzz(
        "kev",
        &[KEV.as_bytes().to_vec()],
        |input| match assay_model::sar::parse_kev_catalog(input, "kev.json") {
            Ok(_) => Ok(true),
            Err(message) if !message.starts_with("kev.json") => {
                Err(format!("error does not name the file: {message}"))
            }
            Err(message) => one_line(&message),
        },
    );
}

#[test]
fn fuzz_json_guard() {
    let mut seeds = vec![KEV.as_bytes().to_vec(), CATALOG_JSON.as_bytes().to_vec()];
    seeds.extend(
        SCAN_SEEDS
            .iter()
            .take(6)
            .map(|(_, s)| s.as_bytes().to_vec()),
    );
    fuzz("json-guard", &seeds, |input| {
        let whole = assay_json::check(input, assay_json::Limits::DEFAULT);
        // Fed in pieces, the guard reaches the same verdict.
        let mut guard = assay_json::Guard::new(assay_json::Limits::DEFAULT);
        let pieces = input.chunks(7).try_for_each(|c| guard.feed(c));
        if whole != pieces {
            return Err(format!("chunked {pieces:?} differs from whole {whole:?}"));
        }
        Ok(whole.is_ok())
    });
}

/// A small signed package and its entries.
fn sample_package() -> Vec<u8> {
    let files = [
        ("README.txt", b"Deliverables.\n".to_vec()),
        ("OSCAL/ar.json", CATALOG_JSON.as_bytes().to_vec()),
        ("Evidence/empty.txt", Vec::new()),
    ];
    let files: Vec<_> = files
        .iter()
        .map(|(p, b)| assay_package::PackageFile::new(*p, b.as_slice()))
        .collect();
    let meta = assay_package::PackageMeta {
        package_name: "Fuzz".to_owned(),
        csp: "CSP".to_owned(),
        system_name: "System".to_owned(),
        fedramp_id: None,
        created_at: "2026-01-01T00:00:00Z".to_owned(),
        assessor_org: "3PAO".to_owned(),
        generator: "Assay fuzz".to_owned(),
    };
    assay_package::build_package(&files, &meta, &assay_package::key_from_seed([7; 32])).unwrap()
}

fn entries(zip_bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip_bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut file, &mut bytes).unwrap();
            (file.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        writer.start_file(name.as_str(), options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn check_verify(
    result: Result<assay_package::Verification, assay_package::Error>,
    changed: bool,
) -> Result<bool, String> {
    match result {
        Ok(v) if v.ok() && changed => Err("a changed package verifies".to_string()),
        Ok(v) => Ok(v.ok()),
        Err(e) => one_line(&e.to_string()),
    }
}

#[test]
fn fuzz_package_manifest() {
    let package = sample_package();
    let original = entries(&package);
    assert_eq!(original[0].0, assay_package::MANIFEST_NAME);
    let manifest = original[0].1.clone();
    fuzz(
        "package-manifest",
        std::slice::from_ref(&manifest),
        |input| {
            let mut changed = original.clone();
            changed[0].1 = input.to_vec();
            let bytes = zip_of(&changed);
            check_verify(
                assay_package::verify_package(&bytes),
                input != manifest.as_slice(),
            )
        },
    );
}

#[test]
fn fuzz_package_verifier() {
    let package = sample_package();
    fuzz("package-zip", std::slice::from_ref(&package), |input| {
        check_verify(
            assay_package::verify_package(input),
            input != package.as_slice(),
        )
    });
}

/// Found by `fuzz_package_verifier` (seed 0xBEEF, input 290): one changed byte in a central
/// directory header (the high byte of "version needed to extract" of the second entry) used to
/// verify, when the signature covered the manifest only; package format 2 signs the archive.
#[test]
fn a_changed_central_directory_byte_fails_verification() {
    let mut package = sample_package();
    assert!(assay_package::verify_package(&package).unwrap().ok());
    let headers: Vec<usize> = package
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == b"PK\x01\x02")
        .map(|(i, _)| i)
        .collect();
    package[headers[1] + 7] ^= 0x5c;
    let verification = assay_package::verify_package(&package);
    assert!(
        !verification.as_ref().is_ok_and(|v| v.ok()),
        "{verification:?}"
    );
}
