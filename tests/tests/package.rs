//! The deliverable package as the agency and the PMO receive it: the demo builds it twice with
//! identical bytes; every PDF passes `qpdf --check` and its text carries the section titles and
//! the computed counts; `assay verify` accepts it, names a file whose byte changed, and refuses a
//! package signed by another key than the one confirmed out of band; `assay package` refuses
//! while the SAR has consistency errors.

#![allow(clippy::unwrap_used)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use assay_e2e::{assay, assay_with_env, stderr, stdout};
use serde_json::Value;

/// `assay demo OUT` with the FedRAMP catalogs in `baselines` (`require_fedramp_baselines!`).
fn demo(out: &Path, baselines: &Path) -> PathBuf {
    let o = assay_with_env(
        &["demo", out.to_str().unwrap()],
        &[("ASSAY_BASELINES", baselines.to_str().unwrap())],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "zip"))
        .expect("the demo writes its package")
}

fn entries(zip: &Path) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

fn pdf_text(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name.replace('/', "_"));
    std::fs::write(&path, bytes).unwrap();
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "qpdf --check {name}: {}",
        String::from_utf8_lossy(&check.stdout)
    );
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&text.stdout).into_owned()
}

#[test]
fn the_demo_package_is_reproducible_verifiable_and_its_documents_carry_the_data() {
    let baselines = assay_testkit::require_fedramp_baselines!();
    let dir = tempfile::tempdir().unwrap();
    let a = demo(&dir.path().join("a"), &baselines);
    let b = demo(&dir.path().join("b"), &baselines);
    assert_eq!(
        std::fs::read(&a).unwrap(),
        std::fs::read(&b).unwrap(),
        "two demo runs give byte-identical packages"
    );

    let o = assay(&["verify", a.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let check: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(check["ok"], true);
    let fingerprint = check["signer"]["fingerprint"].as_str().unwrap().to_owned();
    let public_key = check["signer"]["public_key_hex"]
        .as_str()
        .unwrap()
        .to_owned();

    let files = entries(&a);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[..2], ["manifest.json", "manifest.sig"]);
    for wanted in [
        "SAP/",
        "_SAR_v1.0_05082026.pdf",
        "_SAR-Appendix-A-RET_",
        "_SAR-OSCAL_",
        "_POAM_v1.0_05082026.pdf",
        "_POAM_v1.0_05082026.xlsx",
        "_POAM-OSCAL_",
        "_SAR-Evidence-Index_",
        "Scans/os/",
        "Scans/web/",
        "Evidence/",
    ] {
        assert!(
            names.iter().any(|n| n.contains(wanted)),
            "{wanted} in {names:?}"
        );
    }
    let manifest: Value = serde_json::from_slice(&files[0].1).unwrap();
    assert_eq!(
        manifest["files"].as_array().unwrap().len(),
        files.len() - 2,
        "the manifest lists every file"
    );

    // The documents: qpdf-clean, with the computed figures in their text.
    let sar = json_of(&assay(&[
        "sar",
        a.parent().unwrap().join("demo.assay").to_str().unwrap(),
        "--json",
    ]));
    if assay_testkit::check_tool_for("the PDF checks", "qpdf")
        && assay_testkit::check_tool_for("the PDF checks", "pdftotext")
    {
        let text_dir = tempfile::tempdir().unwrap();
        for (name, bytes) in files.iter().filter(|(n, _)| n.ends_with(".pdf")) {
            let text = pdf_text(text_dir.path(), name, bytes);
            assert!(
                text.contains("CONTROLLED UNCLASSIFIED INFORMATION"),
                "{name}"
            );
            if name.contains("_SAR_") {
                for title in [
                    "Executive Summary",
                    "Table 2-2",
                    "Deviations from the SAP",
                    "Risk Exposure Table",
                    "Risks Corrected During Testing",
                    "Configuration Findings",
                    "PL-2 Findings",
                    "Vulnerability Scan Results",
                    "Auxiliary Documents",
                ] {
                    assert!(text.contains(title), "SAR lacks {title}");
                }
                let sentence = sar["summary_sentence"].as_str().unwrap();
                let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(flat.contains(sentence), "SAR lacks: {sentence}");
                assert!(flat.contains("recommends this system for authorization"));
                let line = text
                    .lines()
                    .find(|l| l.trim_start().starts_with("Total Risks"))
                    .expect("Table 2-2 has its Total Risks row");
                let cells: Vec<&str> = line.split_whitespace().skip(2).collect();
                let want = sar["table_2_2"]["total"]["total"].to_string();
                assert_eq!(cells.first().copied(), Some(want.as_str()), "{line}");
            }
            if name.contains("_POAM_") {
                let items = json_of(&assay(&[
                    "poam",
                    a.parent().unwrap().join("demo.assay").to_str().unwrap(),
                    "--json",
                ]));
                for item in items.as_array().unwrap() {
                    let id = item["poam_id"].as_str().unwrap();
                    assert!(text.contains(id), "POA&M PDF lacks {id}");
                }
            }
        }
    }

    // One changed byte inside a stored PDF: verify names that file.
    let tampered = dir.path().join("tampered.zip");
    let mut bytes = std::fs::read(&a).unwrap();
    let (sar_name, sar_pdf) = files.iter().find(|(n, _)| n.contains("_SAR_v")).unwrap();
    let at = find(&bytes, &sar_pdf[1000..1064]).expect("the PDF is stored uncompressed");
    bytes[at + 10] ^= 0x20;
    std::fs::write(&tampered, &bytes).unwrap();
    let o = assay(&["verify", tampered.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains(sar_name.as_str()), "{}", stderr(&o));

    // The right key passes; another key is named as not the confirmed signer.
    let o = assay(&["verify", a.to_str().unwrap(), "--key", &public_key]);
    assert!(o.status.success(), "{}", stderr(&o));
    let other = "11".repeat(32);
    let o = assay(&["verify", a.to_str().unwrap(), "--key", &other]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!stderr(&o).is_empty());
    assert!(fingerprint.contains(':'));
}

fn json_of(o: &std::process::Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn package_uses_the_local_key_store_and_refuses_an_inconsistent_engagement() {
    let baselines = assay_testkit::require_fedramp_baselines!();
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let f = dir.path().join("e.assay");
    let f = f.to_str().unwrap();
    let o = assay(&["new", f, "--name", "Half Done"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = assay(&[
        "finding",
        "add",
        f,
        "--title",
        "Open High",
        "--likelihood",
        "high",
        "--impact",
        "high",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("p.zip");
    let o = assay(&[
        "package",
        f,
        out.to_str().unwrap(),
        "--key-dir",
        keys.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("consistency error"), "{err}");
    assert!(err.contains("SAR-004") && err.contains("SAR-007"), "{err}");
    assert!(!out.exists(), "no package is written");

    // The demo engagement packages with a key created once in the store and reused.
    let demo_dir = dir.path().join("demo");
    demo(&demo_dir, &baselines);
    let engagement = demo_dir.join("demo.assay");
    let mut fingerprints = Vec::new();
    for name in ["one.zip", "two.zip"] {
        let out = dir.path().join(name);
        let o = assay(&[
            "package",
            engagement.to_str().unwrap(),
            out.to_str().unwrap(),
            "--key-dir",
            keys.to_str().unwrap(),
            "--generated-at",
            "2026-05-09T12:00:00Z",
            "--json",
        ]);
        let receipt = json_of(&o);
        fingerprints.push(
            receipt["signer"]["fingerprint"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
        // 8 documents, the evidence index and the 2 raw scans; evidence only on request.
        assert_eq!(receipt["files"].as_array().unwrap().len(), 11);
        let o = assay(&["verify", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_eq!(fingerprints[0], fingerprints[1], "the key is created once");
    let one = std::fs::read(dir.path().join("one.zip")).unwrap();
    let two = std::fs::read(dir.path().join("two.zip")).unwrap();
    assert_eq!(one, two, "same engagement, clock and key: same bytes");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let key = std::fs::read_dir(&keys).unwrap().next().unwrap().unwrap();
        let mode = key.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the key file is private");
    }
}

/// Every file of a content-addressed folder (fan-out subfolders included).
fn stored_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A forger who can write to the evidence store or the raw scans (and knows their format) swaps
/// a file's bytes before the package is built: the package is refused, naming the file, and
/// nothing is written. The same size with other bytes, and other bytes of another size, are
/// both caught.
#[test]
fn a_stored_file_changed_outside_assay_is_never_signed() {
    let baselines = assay_testkit::require_fedramp_baselines!();
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let demo_dir = dir.path().join("demo");
    demo(&demo_dir, &baselines);
    let engagement = demo_dir.join("demo.assay");
    let package = |name: &str| {
        let out = dir.path().join(name);
        let o = assay(&[
            "package",
            engagement.to_str().unwrap(),
            out.to_str().unwrap(),
            "--with-evidence",
            "--key-dir",
            keys.to_str().unwrap(),
        ]);
        (o, out)
    };
    let (o, out) = package("before.zip");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.exists());

    let evidence = stored_files(&demo_dir.join("demo.assay.evidence"));
    let scans = stored_files(&demo_dir.join("demo.assay.scans"));
    assert!(!evidence.is_empty() && !scans.is_empty());
    for (victim, same_size) in [(&evidence[0], true), (&scans[0], false)] {
        let original = std::fs::read(victim).unwrap();
        let mut forged = original.clone();
        if same_size {
            forged[0] ^= 0x20;
        } else {
            forged.extend_from_slice(b"\nappended by a forger\n");
        }
        std::fs::write(victim, &forged).unwrap();
        let (o, out) = package("forged.zip");
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(victim.to_str().unwrap()) && err.contains("changed or damaged"),
            "{err}"
        );
        let named: Vec<&str> = err.lines().filter(|l| l.starts_with("assay: ")).collect();
        assert_eq!(named.len(), 1, "one line names the problem: {err}");
        assert!(!out.exists(), "no package from forged content");
        std::fs::write(victim, &original).unwrap();
    }
    let (o, _) = package("after.zip");
    assert!(o.status.success(), "{}", stderr(&o));
}
