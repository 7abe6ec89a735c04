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
    // Two runs into the same folder: the package carries the sealed audit log, whose records
    // name the input files by the path they were read from, so the folder is part of the input.
    let first = demo(&dir.path().join("a"), &baselines);
    let kept = dir.path().join("first.zip");
    std::fs::copy(&first, &kept).unwrap();
    std::fs::remove_dir_all(dir.path().join("a")).unwrap();
    let a = demo(&dir.path().join("a"), &baselines);
    assert!(
        std::fs::read(&kept).unwrap() == std::fs::read(&a).unwrap(),
        "two demo runs give byte-identical packages"
    );

    // Nobody pinned the demo key in an empty key store: the package is intact but its signer
    // is not trusted, and the JSON says so.
    let empty = dir.path().join("no-keys");
    let o = assay(&[
        "verify",
        a.to_str().unwrap(),
        "--json",
        "--key-dir",
        empty.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let check: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(check["ok"], false);
    assert_eq!(check["signer_trusted"], false);
    assert_eq!(check["problems"].as_array().unwrap().len(), 1, "{check}");
    assert!(check["problems"][0]
        .as_str()
        .unwrap()
        .starts_with("signer not trusted: key "));
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
    // Each build seals the log and records itself, so the second build starts from a copy of
    // the engagement as it was before the first: same state, clock and key.
    let before = dir.path().join("before.assay");
    std::fs::copy(&engagement, &before).unwrap();
    let mut fingerprints = Vec::new();
    for name in ["one.zip", "two.zip"] {
        std::fs::copy(&before, &engagement).unwrap();
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
        // 8 documents, the evidence index, the 2 raw scans, the sealed audit log and its
        // checkpoint; evidence only on request.
        assert_eq!(receipt["files"].as_array().unwrap().len(), 13);
        // The 3PAO's own key (in the key store it signed with) is trusted without a pin.
        let o = assay(&[
            "verify",
            out.to_str().unwrap(),
            "--key-dir",
            keys.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            stdout(&o).contains("your own signing key"),
            "{}",
            stdout(&o)
        );
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

/// `assay verify PKG [extra args]` with the key store `keys`: (exit code, stdout + stderr).
fn verify_with(pkg: &Path, keys: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let mut args = vec![
        "verify",
        pkg.to_str().unwrap(),
        "--key-dir",
        keys.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = assay(&args);
    (o.status.code(), format!("{}{}", stdout(&o), stderr(&o)))
}

/// Replaces every occurrence of `from` with `to` (same length) in `bytes`.
fn replace_all(bytes: &mut [u8], from: &[u8], to: &[u8]) -> usize {
    assert_eq!(from.len(), to.len());
    let mut count = 0;
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], from) {
        bytes[at + found..at + found + from.len()].copy_from_slice(to);
        at += found + from.len();
        count += 1;
    }
    count
}

/// The forger holds the genuine package, knows the format and has a key of their own. Each row
/// is one forgery (or an honest package) with the trust the recipient has, and what `verify`
/// must say: only the genuine package from a trusted signer passes.
#[test]
fn forged_and_untrusted_packages_fail_verify_and_only_a_trusted_signer_passes() {
    let baselines = assay_testkit::require_fedramp_baselines!();
    let dir = tempfile::tempdir().unwrap();
    let genuine_path = demo(&dir.path().join("demo"), &baselines);
    let genuine = std::fs::read(&genuine_path).unwrap();
    let files = entries(&genuine_path);
    let manifest: Value = serde_json::from_slice(&files[0].1).unwrap();
    let fingerprint = manifest["signer"]["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();

    // The forger's package: the SAR changed, everything re-signed with the forger's key.
    let forger = assay_package::key_from_seed([0x66; 32]);
    let forger_fp = assay_package::describe_public_key(&forger).fingerprint;
    let meta: assay_package::PackageMeta =
        serde_json::from_value(manifest["package"].clone()).unwrap();
    let forged_files: Vec<assay_package::PackageFile<'_>> = files[2..]
        .iter()
        .map(|(name, bytes)| {
            let mut bytes = bytes.clone();
            if name.contains("_SAR-OSCAL_") {
                bytes = String::from_utf8(bytes)
                    .unwrap()
                    .replace("\"high\"", "\"low\"")
                    .into_bytes();
            }
            assay_package::PackageFile::new(name.clone(), bytes)
        })
        .collect();
    let resigned = assay_package::build_package(&forged_files, &meta, &forger).unwrap();

    let (sap, sar) = {
        let name = |part: &str| {
            files
                .iter()
                .map(|(n, _)| n.clone())
                .find(|n| n.contains(part))
                .unwrap()
        };
        (name("_SAP_v1.0"), name("_SAR_v1.0"))
    };
    assert_eq!(
        sap.len(),
        sar.len(),
        "the swap below needs names of one length"
    );
    let swapped = {
        let mut b = genuine.clone();
        let marker = vec![0u8; sap.len()];
        assert_eq!(replace_all(&mut b, sap.as_bytes(), &marker), 2);
        assert_eq!(replace_all(&mut b, sar.as_bytes(), sap.as_bytes()), 2);
        replace_all(&mut b, &marker, sar.as_bytes());
        b
    };
    let duplicated = {
        let mut b = genuine.clone();
        assert_eq!(replace_all(&mut b, sap.as_bytes(), sar.as_bytes()), 2);
        b
    };
    let with_comment = {
        let mut b = genuine.clone();
        let n = b.len();
        b[n - 2..].copy_from_slice(&4u16.to_le_bytes());
        b.extend_from_slice(b"evil");
        b
    };

    let keys = dir.path().join("keys");
    let key_fp = ["--key", fingerprint.as_str()];
    type Case<'a> = (&'a str, Vec<u8>, &'a [&'a str], Option<&'a str>);
    let cases: Vec<Case<'_>> = vec![
        (
            "genuine, nothing pinned",
            genuine.clone(),
            &[],
            Some("signer not trusted: key"),
        ),
        ("genuine, --key", genuine.clone(), &key_fp, None),
        (
            "re-signed by another key, nothing pinned",
            resigned.clone(),
            &[],
            Some("signer not trusted"),
        ),
        (
            "re-signed by another key, --key the genuine one",
            resigned.clone(),
            &key_fp,
            Some("expected key"),
        ),
        (
            "bytes prepended",
            [b"MZ stub".to_vec(), genuine.clone()].concat(),
            &key_fp,
            Some("before the first entry"),
        ),
        (
            "bytes appended",
            [genuine.clone(), b"trailer".to_vec()].concat(),
            &key_fp,
            Some("after the archive's end record"),
        ),
        ("an archive comment", with_comment, &key_fp, Some("altered")),
        (
            "two entries swapped",
            swapped,
            &key_fp,
            Some("signature does not match"),
        ),
        (
            "a duplicate entry name",
            duplicated,
            &key_fp,
            Some("same file name more than once"),
        ),
    ];
    for (what, bytes, extra, expected) in &cases {
        let pkg = dir.path().join("case.zip");
        std::fs::write(&pkg, bytes).unwrap();
        let (code, out) = verify_with(&pkg, &keys, extra);
        match expected {
            None => assert_eq!(code, Some(0), "{what}: {out}"),
            Some(needle) => {
                assert_eq!(code, Some(1), "{what} must fail: {out}");
                assert!(out.contains(needle), "{what}: {needle:?} not in {out}");
            }
        }
    }

    // Pinning: the genuine signer pinned passes; the forger's re-signed package still fails
    // (naming the forger's key); once the pin is removed the genuine package fails again.
    let pin = assay(&[
        "trust",
        "add",
        "Clearwater",
        &fingerprint,
        "--key-dir",
        keys.to_str().unwrap(),
    ]);
    assert!(pin.status.success(), "{}", stderr(&pin));
    let list = json_of(&assay(&[
        "trust",
        "list",
        "--json",
        "--key-dir",
        keys.to_str().unwrap(),
    ]));
    assert_eq!(list[0]["name"], "Clearwater");
    assert_eq!(list[0]["fingerprint"], fingerprint.as_str());
    let (code, out) = verify_with(&genuine_path, &keys, &[]);
    assert_eq!(code, Some(0), "pinned: {out}");
    assert!(out.contains("pinned as \"Clearwater\""), "{out}");
    let resigned_path = dir.path().join("resigned.zip");
    std::fs::write(&resigned_path, &resigned).unwrap();
    let (code, out) = verify_with(&resigned_path, &keys, &[]);
    assert_eq!(code, Some(1), "re-signed, genuine key pinned: {out}");
    assert!(
        out.contains(&format!("signer not trusted: key {forger_fp}")),
        "{out}"
    );
    let rm = assay(&[
        "trust",
        "remove",
        "Clearwater",
        "--key-dir",
        keys.to_str().unwrap(),
    ]);
    assert!(rm.status.success(), "{}", stderr(&rm));
    let (code, out) = verify_with(&genuine_path, &keys, &[]);
    assert_eq!(code, Some(1), "pin removed: {out}");

    // Every byte counts: flip one bit at 64 positions spread over the whole archive.
    let step = genuine.len() / 64;
    for i in 0..64 {
        let at = i * step + (i % 7);
        let mut bytes = genuine.clone();
        bytes[at] ^= 0x04;
        let pkg = dir.path().join("flipped.zip");
        std::fs::write(&pkg, &bytes).unwrap();
        let (code, out) = verify_with(&pkg, &keys, &key_fp);
        assert_eq!(
            code,
            Some(1),
            "a flipped bit at byte {at} went unnoticed: {out}"
        );
    }
}

/// The key store refuses a signing key open to others, or a symbolic link, naming the file
/// and the fix; nothing is signed.
#[cfg(unix)]
#[test]
fn a_signing_key_open_to_others_or_linked_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let f = dir.path().join("e.assay");
    let o = assay(&["new", f.to_str().unwrap(), "--name", "Keys"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("p.zip");
    let package = || {
        assay(&[
            "package",
            f.to_str().unwrap(),
            out.to_str().unwrap(),
            "--key-dir",
            keys.to_str().unwrap(),
        ])
    };
    // The first run creates the key (and may refuse the empty engagement; either is fine).
    let _ = package();
    let key = keys.join(assay_package::KEY_FILE_NAME);
    assert!(key.exists(), "the key is created on first use");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = package();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(key.to_str().unwrap()) && err.contains("chmod 600"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");

    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let real = dir.path().join("real.key");
    std::fs::rename(&key, &real).unwrap();
    std::os::unix::fs::symlink(&real, &key).unwrap();
    let o = package();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
    assert!(!out.exists(), "nothing is written");
}
