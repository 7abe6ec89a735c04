//! Building and verifying packages end to end: round trips, determinism, and every kind of
//! tampering and hostile archive the verifier must name rather than crash on or trust.

#![allow(clippy::unwrap_used)]

mod support;

use assay_package::{
    build_package, describe_public_key, key_from_seed, verify_package, verify_package_file,
    verify_package_with, verify_package_with_key, Error, Limits, PackageFile, Problem,
    VerifyOptions, MANIFEST_NAME, SIGNATURE_NAME,
};
use sha2::{Digest, Sha256};
use support::{
    as_package_files, deflated_zeros, entries_of, meta, raw_zip, rebuild, sample_files, RawEntry,
};

const SEED: [u8; 32] = [11; 32];
const OTHER_SEED: [u8; 32] = [22; 32];

fn sample_package() -> Vec<u8> {
    let files = sample_files();
    build_package(&as_package_files(&files), &meta(), &key_from_seed(SEED)).unwrap()
}

/// A tampered archive always fails the signature first (it covers every byte of the archive);
/// the problems after it must still name what changed.
fn after_signature(problems: &[Problem]) -> &[Problem] {
    assert!(
        matches!(problems.first(), Some(Problem::SignatureInvalid { .. })),
        "the signature must fail first: {problems:?}"
    );
    &problems[1..]
}

/// The problems' paths, for compact assertions.
fn problem_paths(problems: &[Problem]) -> Vec<Option<&str>> {
    problems.iter().map(Problem::path).collect()
}

#[test]
fn a_fresh_package_verifies_and_reports_its_signer_and_metadata() {
    let package = sample_package();
    let verification = verify_package(&package).unwrap();
    assert!(verification.ok(), "{:?}", verification.problems);
    assert_eq!(verification.file_count, sample_files().len());
    assert_eq!(verification.meta.as_ref(), Some(&meta()));
    assert_eq!(
        verification.signer,
        Some(describe_public_key(&key_from_seed(SEED)))
    );
}

#[test]
fn entries_are_manifest_then_signature_then_files_by_path_with_fixed_attributes() {
    let package = sample_package();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&package[..])).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect();
    let mut file_names: Vec<String> = sample_files().into_iter().map(|(p, _)| p).collect();
    file_names.sort();
    let mut expected = vec![MANIFEST_NAME.to_owned(), SIGNATURE_NAME.to_owned()];
    expected.extend(file_names);
    assert_eq!(names, expected);

    for i in 0..archive.len() {
        let entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let modified = entry.last_modified().unwrap();
        assert_eq!(
            (
                modified.year(),
                modified.month(),
                modified.day(),
                modified.hour()
            ),
            (2026, 11, 24, 9),
            "{name}: timestamp comes from created_at"
        );
        assert_eq!(entry.unix_mode(), Some(0o100644), "{name}: fixed mode");
        assert!(entry.extra_data().is_none(), "{name}: no extra fields");
        let expect_stored =
            name.ends_with(".pdf") || name.ends_with(".xlsx") || name == SIGNATURE_NAME;
        let stored = entry.compression() == zip::CompressionMethod::Stored;
        assert_eq!(stored, expect_stored, "{name}: compression method");
    }
}

#[test]
fn the_manifest_lists_every_file_with_its_size_and_sha256() {
    let package = sample_package();
    let entries = entries_of(&package);
    let manifest: serde_json::Value = serde_json::from_slice(&entries[0].1).unwrap();
    assert_eq!(manifest["format"], "assay-package");
    assert_eq!(manifest["format_version"], 2);
    assert_eq!(manifest["package"]["csp"], "Northwind Cloud, Inc.");
    assert_eq!(manifest["package"]["fedramp_id"], "FR2401234567");
    let key_info = describe_public_key(&key_from_seed(SEED));
    assert_eq!(
        manifest["signer"]["public_key"],
        key_info.public_key_hex.as_str()
    );
    assert_eq!(
        manifest["signer"]["fingerprint"],
        key_info.fingerprint.as_str()
    );

    let mut expected = sample_files();
    expected.sort();
    let listed = manifest["files"].as_array().unwrap();
    assert_eq!(listed.len(), expected.len());
    for (item, (path, bytes)) in listed.iter().zip(&expected) {
        assert_eq!(item["path"], path.as_str());
        assert_eq!(item["size"], bytes.len() as u64);
        assert_eq!(item["sha256"], hex::encode(Sha256::digest(bytes)).as_str());
    }
    let signature = String::from_utf8(entries[1].1.clone()).unwrap();
    assert_eq!(
        signature.trim_end().len(),
        128,
        "one line of hex: {signature:?}"
    );
}

#[test]
fn identical_inputs_give_byte_identical_packages_whatever_the_input_order() {
    let files = sample_files();
    let key = key_from_seed(SEED);
    let first = build_package(&as_package_files(&files), &meta(), &key).unwrap();
    let second = build_package(&as_package_files(&files), &meta(), &key).unwrap();
    assert_eq!(first, second, "same inputs twice");
    let mut reversed = files.clone();
    reversed.reverse();
    let third = build_package(&as_package_files(&reversed), &meta(), &key).unwrap();
    assert_eq!(first, third, "input order must not matter");
}

#[test]
fn created_at_and_the_key_change_the_bytes() {
    let files = sample_files();
    let base = sample_package();
    let mut later = meta();
    later.created_at = "2026-11-25T09:00:00Z".to_owned();
    let other_time =
        build_package(&as_package_files(&files), &later, &key_from_seed(SEED)).unwrap();
    assert_ne!(
        base, other_time,
        "created_at is in the manifest and the timestamps"
    );
    let other_key = build_package(
        &as_package_files(&files),
        &meta(),
        &key_from_seed(OTHER_SEED),
    )
    .unwrap();
    assert_ne!(base, other_key);
}

#[test]
fn owned_and_borrowed_files_give_the_same_package() {
    let files = sample_files();
    let owned: Vec<PackageFile<'static>> = files
        .iter()
        .map(|(p, b)| PackageFile::new(p.as_str(), b.clone()))
        .collect();
    let key = key_from_seed(SEED);
    assert_eq!(
        build_package(&owned, &meta(), &key).unwrap(),
        build_package(&as_package_files(&files), &meta(), &key).unwrap()
    );
}

#[test]
fn real_shared_files_round_trip() {
    let root = assay_testkit::require_shared_data!();
    let paths = [
        ("OSCAL/ssp.xml", "oscal/fedramp-examples/fedramp-ssp-example.oscal.xml"),
        ("Scans/sample.nessus", "scans/nessus/heimdall2__sample.nessus"),
        (
            "Baselines/moderate.xml",
            "baselines/fedramp-rev5/xml/FedRAMP_rev5_MODERATE-baseline-resolved-profile_catalog.xml",
        ),
    ];
    let files: Vec<(String, Vec<u8>)> = paths
        .iter()
        .map(|(inside, rel)| ((*inside).to_owned(), std::fs::read(root.join(rel)).unwrap()))
        .collect();
    let package = build_package(&as_package_files(&files), &meta(), &key_from_seed(SEED)).unwrap();
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    assert!(
        package.len() < total / 3,
        "XML deflates: {} of {total} bytes",
        package.len()
    );
    let verification = verify_package(&package).unwrap();
    assert!(verification.ok(), "{:?}", verification.problems);
    for (path, bytes) in entries_of(&package).into_iter().skip(2) {
        let original = &files.iter().find(|(p, _)| *p == path).unwrap().1;
        assert_eq!(&bytes, original, "{path} reads back unchanged");
    }
}

#[test]
fn the_builder_refuses_unsafe_reserved_and_duplicate_paths_naming_them() {
    let key = key_from_seed(SEED);
    let cases: &[(&[&str], &str)] = &[
        (&["../escape.txt"], "../escape.txt"),
        (&["/abs.txt"], "/abs.txt"),
        (&["SAR\\x.pdf"], "SAR\\\\x.pdf"),
        (&["manifest.json"], "manifest.json"),
        (&["Manifest.SIG"], "Manifest.SIG"),
        (&["SAR/a.pdf", "sar/A.pdf"], "sar/A.pdf"),
        (&["x.txt", "x.txt"], "x.txt"),
    ];
    for (paths, named) in cases {
        let files: Vec<PackageFile<'_>> = paths
            .iter()
            .map(|p| PackageFile::new(*p, &b"x"[..]))
            .collect();
        let err = build_package(&files, &meta(), &key).unwrap_err();
        assert!(
            matches!(
                err,
                Error::UnsafePath { .. } | Error::ReservedPath { .. } | Error::DuplicatePath { .. }
            ),
            "{paths:?}: {err:?}"
        );
        assert!(err.to_string().contains(named), "{err} should name {named}");
    }
    let mut bad_time = meta();
    bad_time.created_at = "24/11/2026".to_owned();
    let err = build_package(&[], &bad_time, &key).unwrap_err();
    assert!(matches!(err, Error::InvalidCreatedAt { .. }), "{err:?}");
}

#[test]
fn an_empty_package_is_valid() {
    let package = build_package(&[], &meta(), &key_from_seed(SEED)).unwrap();
    let verification = verify_package(&package).unwrap();
    assert!(verification.ok(), "{:?}", verification.problems);
    assert_eq!(verification.file_count, 0);
}

/// Finds where an entry's bytes sit in the archive.
fn data_range(package: &[u8], name: &str) -> (std::ops::Range<usize>, zip::CompressionMethod) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package)).unwrap();
    let entry = archive.by_name(name).unwrap();
    let start = usize::try_from(entry.data_start().unwrap()).unwrap();
    let len = usize::try_from(entry.compressed_size()).unwrap();
    (start..start + len, entry.compression())
}

#[test]
fn one_changed_byte_in_a_stored_file_is_named_with_both_hashes() {
    let package = sample_package();
    let (range, method) = data_range(&package, "SAR/Northwind-SAR.pdf");
    assert_eq!(method, zip::CompressionMethod::Stored);
    let mut tampered = package.clone();
    tampered[range.start + range.len() / 2] ^= 0x01;

    let verification = verify_package(&tampered).unwrap();
    let problems = after_signature(&verification.problems);
    assert_eq!(problems.len(), 1, "{problems:?}");
    match &problems[0] {
        Problem::FileModified {
            path,
            expected_size,
            actual_size,
            expected_sha256,
            actual_sha256,
        } => {
            assert_eq!(path, "SAR/Northwind-SAR.pdf");
            assert_eq!(expected_size, actual_size);
            assert_ne!(expected_sha256, actual_sha256);
        }
        other => panic!("expected FileModified, got {other:?}"),
    }
    assert!(problems[0]
        .to_string()
        .starts_with("SAR/Northwind-SAR.pdf: contents changed"));
}

#[test]
fn changed_bytes_in_a_deflated_file_are_named_never_a_crash() {
    let package = sample_package();
    let name = "OSCAL/assessment-results.json";
    let (range, method) = data_range(&package, name);
    assert_eq!(method, zip::CompressionMethod::Deflated);
    // Flip bytes across the stream: some give a corrupt deflate stream, some other text.
    for offset in (0..range.len()).step_by(range.len() / 16 + 1) {
        let mut tampered = package.clone();
        tampered[range.start + offset] ^= 0x10;
        let verification = verify_package(&tampered).unwrap();
        let problems = after_signature(&verification.problems);
        assert_eq!(
            problem_paths(problems),
            vec![Some(name)],
            "offset {offset}: {problems:?}"
        );
        assert!(matches!(
            problems[0],
            Problem::FileModified { .. } | Problem::FileUnreadable { .. }
        ));
    }
}

#[test]
fn a_crc_that_disagrees_with_intact_data_is_named() {
    let package = sample_package();
    let mut raw: Vec<RawEntry> = entries_of(&package)
        .iter()
        .map(|(name, bytes)| RawEntry::stored(name, bytes))
        .collect();
    let readme = raw.iter_mut().find(|e| e.name == b"README.txt").unwrap();
    readme.crc32 ^= 1;
    let verification = verify_package(&raw_zip(&raw)).unwrap();
    let problems = after_signature(&verification.problems);
    assert_eq!(problem_paths(problems), vec![Some("README.txt")]);
    assert!(
        problems[0].to_string().contains("CRC-32"),
        "{}",
        problems[0]
    );
}

#[test]
fn a_rebuilt_archive_with_changed_content_is_named() {
    let package = sample_package();
    let tampered = rebuild(&package, |entries| {
        let readme = entries.iter_mut().find(|(n, _)| n == "README.txt").unwrap();
        readme.1 = b"Deliverables for Southwind.\n".to_vec();
    });
    let verification = verify_package(&tampered).unwrap();
    assert_eq!(
        problem_paths(after_signature(&verification.problems)),
        vec![Some("README.txt")]
    );
}

#[test]
fn repackaging_the_same_contents_fails_the_signature() {
    // The signature covers the archive, not just the contents: a faithful re-zip with other
    // compression is a different archive, and only the signature notices.
    let package = sample_package();
    let verification = verify_package(&rebuild(&package, |_| {})).unwrap();
    assert!(
        after_signature(&verification.problems).is_empty(),
        "{:?}",
        verification.problems
    );
}

#[test]
fn added_and_removed_files_are_named() {
    let package = sample_package();
    let tampered = rebuild(&package, |entries| {
        entries.retain(|(n, _)| n != "README.txt");
        entries.push(("Evidence/extra.txt".to_owned(), b"slipped in".to_vec()));
        entries.push(("Evidence/".to_owned(), Vec::new()));
    });
    let verification = verify_package(&tampered).unwrap();
    assert_eq!(
        after_signature(&verification.problems),
        vec![
            Problem::FileMissing {
                path: "README.txt".to_owned()
            },
            Problem::FileUnlisted {
                path: "Evidence/".to_owned()
            },
            Problem::FileUnlisted {
                path: "Evidence/extra.txt".to_owned()
            },
        ]
    );
}

#[test]
fn an_edited_manifest_fails_the_signature() {
    let package = sample_package();
    let tampered = rebuild(&package, |entries| {
        let manifest = &mut entries[0].1;
        let text = String::from_utf8(manifest.clone()).unwrap();
        *manifest = text
            .replace("Example 3PAO LLC", "Another 3PAO LLC")
            .into_bytes();
    });
    let verification = verify_package(&tampered).unwrap();
    assert_eq!(
        verification.problems.len(),
        1,
        "{:?}",
        verification.problems
    );
    assert!(matches!(
        verification.problems[0],
        Problem::SignatureInvalid { .. }
    ));
    assert_eq!(verification.problems[0].path(), Some(SIGNATURE_NAME));
}

#[test]
fn a_signature_from_another_key_does_not_match_the_manifest_key() {
    use ed25519_dalek::Signer;
    let package = sample_package();
    let tampered = rebuild(&package, |entries| {
        let signature = key_from_seed(OTHER_SEED).sign(&entries[0].1);
        entries[1].1 = format!("{}\n", hex::encode(signature.to_bytes())).into_bytes();
    });
    let verification = verify_package(&tampered).unwrap();
    let expected_fingerprint = describe_public_key(&key_from_seed(SEED)).fingerprint;
    assert_eq!(
        verification.problems,
        vec![Problem::SignatureInvalid {
            fingerprint: expected_fingerprint
        }]
    );
    assert!(verification.problems[0]
        .to_string()
        .contains("signed with another key"));
}

#[test]
fn a_package_re_signed_by_a_forger_is_caught_only_by_the_expected_key() {
    // A forger can rebuild the whole package with their own key: it is self-consistent, so
    // the check that matters is against the 3PAO's key known out of band.
    let files = sample_files();
    let forged = build_package(
        &as_package_files(&files),
        &meta(),
        &key_from_seed(OTHER_SEED),
    )
    .unwrap();
    assert!(verify_package(&forged).unwrap().ok());

    let genuine = describe_public_key(&key_from_seed(SEED));
    let verification = verify_package_with_key(&forged, &genuine.public_key_hex).unwrap();
    assert_eq!(
        verification.problems,
        vec![Problem::UnexpectedSigner {
            expected_fingerprint: genuine.fingerprint.clone(),
            found_fingerprint: describe_public_key(&key_from_seed(OTHER_SEED)).fingerprint,
        }]
    );

    // The expected key may be pasted in upper case or with colons between pairs.
    let pasted: Vec<String> = genuine
        .public_key_hex
        .to_uppercase()
        .as_bytes()
        .chunks(2)
        .map(|p| String::from_utf8(p.to_vec()).unwrap())
        .collect();
    let verification = verify_package_with_key(&sample_package(), &pasted.join(":")).unwrap();
    assert!(verification.ok(), "{:?}", verification.problems);

    let err = verify_package_with_key(&forged, "not-a-key").unwrap_err();
    assert!(matches!(err, Error::InvalidExpectedKey { .. }), "{err:?}");
}

#[test]
fn missing_or_malformed_signature_and_manifest_are_reported() {
    let package = sample_package();
    let no_signature = rebuild(&package, |e| e.retain(|(n, _)| n != SIGNATURE_NAME));
    assert_eq!(
        verify_package(&no_signature).unwrap().problems,
        vec![Problem::SignatureMissing]
    );

    let bad_signature = rebuild(&package, |e| e[1].1 = b"not hex\n".to_vec());
    let problems = verify_package(&bad_signature).unwrap().problems;
    assert!(
        matches!(problems[..], [Problem::SignatureMalformed { .. }]),
        "{problems:?}"
    );

    let no_manifest = rebuild(&package, |e| e.retain(|(n, _)| n != MANIFEST_NAME));
    let verification = verify_package(&no_manifest).unwrap();
    assert_eq!(verification.problems, vec![Problem::ManifestMissing]);
    assert!(verification.signer.is_none() && verification.meta.is_none());

    let manifest_text = String::from_utf8(entries_of(&package)[0].1.clone()).unwrap();
    let malformed: &[(&str, String, &str)] = &[
        ("not JSON", "{\"format\": ".to_owned(), "not valid JSON"),
        (
            "a newer version",
            manifest_text.replace("\"format_version\": 2", "\"format_version\": 3"),
            "format_version\" is 3",
        ),
        (
            "an unknown field",
            manifest_text.replace("\"files\":", "\"extra\": 1,\n  \"files\":"),
            "unknown field `extra`",
        ),
        (
            "a repeated sha256 (two JSON readers could disagree)",
            manifest_text.replacen("\"sha256\": \"", "\"sha256\": \"00\", \"sha256\": \"", 1),
            "duplicate key \"sha256\" in the object at $.files[0]",
        ),
        (
            "an unsafe listed path",
            manifest_text.replace("\"README.txt\"", "\"../README.txt\""),
            "'..'",
        ),
        (
            "a fingerprint for another key",
            manifest_text.replacen("\"fingerprint\": \"", "\"fingerprint\": \"00", 1),
            "fingerprint does not match",
        ),
    ];
    for (what, text, needle) in malformed {
        let bytes = text.clone().into_bytes();
        let tampered = rebuild(&package, |e| e[0].1 = bytes);
        let problems = verify_package(&tampered).unwrap().problems;
        match &problems[..] {
            [Problem::ManifestMalformed { detail }] => {
                assert!(
                    detail.contains(needle),
                    "{what}: {detail:?} should mention {needle:?}"
                );
            }
            other => panic!("{what}: expected one ManifestMalformed, got {other:?}"),
        }
    }
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let package = sample_package();
    let tampered = rebuild(&package, |entries| {
        entries.retain(|(n, _)| n != SIGNATURE_NAME && n != "Evidence/empty.txt");
        entries
            .iter_mut()
            .find(|(n, _)| n == "README.txt")
            .unwrap()
            .1
            .push(b'!');
        entries.push(("zzz.txt".to_owned(), Vec::new()));
    });
    let problems = verify_package(&tampered).unwrap().problems;
    assert_eq!(
        problem_paths(&problems),
        vec![
            Some(SIGNATURE_NAME),
            Some("Evidence/empty.txt"),
            Some("README.txt"),
            Some("zzz.txt")
        ],
        "{problems:?}"
    );
}

#[test]
fn zip_slip_and_symlink_entries_are_refused_unread() {
    let package = sample_package();
    let mut raw: Vec<RawEntry> = entries_of(&package)
        .iter()
        .map(|(name, bytes)| RawEntry::stored(name, bytes))
        .collect();
    raw.push(RawEntry::stored(
        "../../etc/cron.d/evil",
        b"* * * * * root sh",
    ));
    raw.push(RawEntry::stored("/etc/passwd", b"root::0:0"));
    raw.push(RawEntry::stored("Evidence\\..\\..\\evil.bat", b"del"));
    let mut link = RawEntry::stored("Evidence/link", b"/etc/shadow");
    link.external_attributes = 0o120777 << 16;
    raw.push(link);
    let mut non_utf8 = RawEntry::stored("x", b"");
    non_utf8.name = vec![b'a', 0xff, b'b'];
    raw.push(non_utf8);

    let verification = verify_package(&raw_zip(&raw)).unwrap();
    let (signature, rest): (Vec<&Problem>, Vec<&Problem>) = verification
        .problems
        .iter()
        .partition(|p| matches!(p, Problem::SignatureInvalid { .. }));
    assert_eq!(signature.len(), 1, "{:?}", verification.problems);
    let unsafe_names: Vec<&str> = rest
        .into_iter()
        .map(|p| match p {
            Problem::UnsafeEntry { name, .. } => name.as_str(),
            other => panic!("only unsafe entries expected, got {other:?}"),
        })
        .collect();
    assert_eq!(
        unsafe_names,
        vec![
            "../../etc/cron.d/evil",
            "/etc/passwd",
            "Evidence\\..\\..\\evil.bat",
            "Evidence/link",
            "a\u{fffd}b"
        ]
    );
}

#[test]
fn duplicate_entry_names_are_reported() {
    let package = sample_package();
    let mut raw: Vec<RawEntry> = entries_of(&package)
        .iter()
        .map(|(name, bytes)| RawEntry::stored(name, bytes))
        .collect();
    raw.push(RawEntry::stored("README.txt", b"a second README"));
    let problems = verify_package(&raw_zip(&raw)).unwrap().problems;
    assert!(
        problems.contains(&Problem::DuplicateEntries),
        "{problems:?}"
    );
}

/// A package listing one file, `Evidence/zeros.bin.gz` (stored by the builder, so the fixture is quick to make), of `mib` MiB of zeros, stored as a
/// deflate bomb whose header declares `declared_size` bytes.
fn package_with_bomb(mib: usize, declared_size: u32) -> Vec<u8> {
    let key = key_from_seed(SEED);
    let (stream, crc32) = deflated_zeros(mib);
    assert!(
        stream.len() < mib * 2048,
        "the bomb is small compressed: {}",
        stream.len()
    );
    let content = vec![0u8; mib * 1024 * 1024];
    let honest = build_package(
        &[PackageFile::new("Evidence/zeros.bin.gz", &content[..])],
        &meta(),
        &key,
    )
    .unwrap();
    let entries = entries_of(&honest);
    raw_zip(&[
        RawEntry::stored(MANIFEST_NAME, &entries[0].1),
        RawEntry::stored(SIGNATURE_NAME, &entries[1].1),
        RawEntry {
            name: b"Evidence/zeros.bin.gz".to_vec(),
            method: 8,
            data: stream,
            crc32,
            declared_size,
            external_attributes: 0o100644 << 16,
        },
    ])
}

#[test]
fn the_bomb_fixture_is_a_valid_package_within_limits() {
    // Guards the two bomb tests below: with honest sizes and no limit hit, only the signature
    // (which covers the honest archive's bytes, not the re-zipped bomb) fails.
    let verification = verify_package(&package_with_bomb(4, 4 * 1024 * 1024)).unwrap();
    assert!(
        after_signature(&verification.problems).is_empty(),
        "{:?}",
        verification.problems
    );
}

#[test]
fn a_zip_bomb_with_an_honest_header_is_refused_before_reading() {
    let package = package_with_bomb(8, 8 * 1024 * 1024);
    let options = VerifyOptions {
        limits: Limits {
            max_entry_bytes: 1024 * 1024,
            ..Limits::default()
        },
        ..VerifyOptions::default()
    };
    let verification = verify_package_with(std::io::Cursor::new(&package), &options).unwrap();
    assert_eq!(
        after_signature(&verification.problems),
        vec![Problem::FileTooLarge {
            path: "Evidence/zeros.bin.gz".to_owned(),
            limit: 1024 * 1024
        }]
    );
}

#[test]
fn a_zip_bomb_with_a_lying_header_stops_at_the_declared_size() {
    // Declares 1 KiB, inflates to 16 MiB: the verifier must stop at 1 KiB + 1, neither
    // trusting nor buffering the rest.
    let package = package_with_bomb(16, 1024);
    let verification = verify_package(&package).unwrap();
    let problems = after_signature(&verification.problems);
    assert_eq!(problem_paths(problems), vec![Some("Evidence/zeros.bin.gz")]);
    assert!(
        matches!(&problems[0], Problem::FileUnreadable { detail, .. } if detail.contains("larger than its declared")),
        "{:?}",
        verification.problems
    );
}

#[test]
fn the_total_inflated_size_is_capped() {
    let files: Vec<(String, Vec<u8>)> = (0..4)
        .map(|i| (format!("Evidence/{i}.log"), vec![b'a'; 400 * 1024]))
        .collect();
    let package = build_package(&as_package_files(&files), &meta(), &key_from_seed(SEED)).unwrap();
    let options = VerifyOptions {
        limits: Limits {
            max_total_bytes: 1024 * 1024,
            ..Limits::default()
        },
        ..VerifyOptions::default()
    };
    let verification = verify_package_with(std::io::Cursor::new(&package), &options).unwrap();
    assert_eq!(
        verification.problems,
        vec![Problem::TotalTooLarge {
            limit: 1024 * 1024,
            unchecked: vec!["Evidence/3.log".to_owned()],
        }]
    );
}

#[test]
fn too_many_entries_are_refused() {
    let package = sample_package();
    let options = VerifyOptions {
        limits: Limits {
            max_entries: 3,
            ..Limits::default()
        },
        ..VerifyOptions::default()
    };
    let verification = verify_package_with(std::io::Cursor::new(&package), &options).unwrap();
    assert_eq!(
        verification.problems,
        vec![Problem::TooManyEntries { count: 7, limit: 3 }]
    );
}

#[test]
fn bytes_that_are_not_a_zip_are_an_error() {
    for bytes in [&b""[..], b"%PDF-1.7 not a zip", b"PK\x05\x06"] {
        let err = verify_package(bytes).unwrap_err();
        assert!(matches!(err, Error::NotAZip { .. }), "{err:?}");
    }
}

#[test]
fn a_truncated_package_never_panics() {
    let package = sample_package();
    for len in (0..package.len()).step_by(997) {
        // Either the zip cannot be opened or problems are reported; both are fine, a panic is not.
        if let Ok(verification) = verify_package(&package[..len]) {
            assert!(
                !verification.ok(),
                "a package cut at {len} bytes cannot be intact"
            );
        }
    }
}

#[test]
fn a_package_file_verifies_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Northwind-package.zip");
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .unwrap();
    let files = sample_files();
    assay_package::write_package(
        &as_package_files(&files),
        &meta(),
        &key_from_seed(SEED),
        &mut file,
    )
    .unwrap();
    drop(file);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        sample_package(),
        "write_package == build_package"
    );
    let verification = verify_package_file(&path, &VerifyOptions::default()).unwrap();
    assert!(verification.ok(), "{:?}", verification.problems);

    let missing = dir.path().join("absent.zip");
    let err = verify_package_file(&missing, &VerifyOptions::default()).unwrap_err();
    assert!(err.to_string().contains("absent.zip"), "{err}");
}

#[test]
fn problems_serialise_with_a_kind_tag_for_the_ui() {
    let problem = Problem::FileMissing {
        path: "SAR/x.pdf".to_owned(),
    };
    let json = serde_json::to_value(&problem).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"kind": "file_missing", "path": "SAR/x.pdf"})
    );
}

#[test]
fn an_entry_in_an_unsupported_compression_method_is_named() {
    let package = sample_package();
    let mut raw: Vec<RawEntry> = entries_of(&package)
        .iter()
        .map(|(name, bytes)| RawEntry::stored(name, bytes))
        .collect();
    let readme = raw.iter_mut().find(|e| e.name == b"README.txt").unwrap();
    readme.method = 12; // bzip2: legal zip, but never written by Assay and not built in
    let verification = verify_package(&raw_zip(&raw)).unwrap();
    let problems = after_signature(&verification.problems);
    assert_eq!(problem_paths(problems), vec![Some("README.txt")]);
    assert!(
        matches!(&problems[0], Problem::FileUnreadable { .. }),
        "{:?}",
        verification.problems
    );
}

/// A forger adds bytes the manifest does not cover: before the first entry (a "self-extracting"
/// stub), after the end record, or as an archive comment. Each is named; the untouched package
/// still verifies.
#[test]
fn bytes_outside_the_entries_are_named() {
    let package = sample_package();
    assert!(verify_package(&package).unwrap().ok());

    let mut prepended = b"#!/bin/sh\necho hello\n".to_vec();
    prepended.extend_from_slice(&package);
    let mut appended = package.clone();
    appended.extend_from_slice(b"trailing bytes from a forger");
    // A comment: the end record's last two bytes are the comment length.
    let mut commented = package.clone();
    let n = commented.len();
    let note = b"signed by the agency";
    commented[n - 2..].copy_from_slice(&(note.len() as u16).to_le_bytes());
    commented.extend_from_slice(note);

    for (what, bytes) in [
        ("prepended", prepended),
        ("appended", appended),
        ("comment", commented),
    ] {
        match verify_package(&bytes) {
            Ok(v) => {
                assert!(!v.ok(), "{what}: accepted");
                assert!(
                    v.problems
                        .iter()
                        .any(|p| matches!(p, Problem::ArchiveFraming { .. })),
                    "{what}: {:?}",
                    v.problems
                );
                let text: Vec<String> = v.problems.iter().map(ToString::to_string).collect();
                assert!(
                    text.iter()
                        .any(|t| t.contains("altered after it was built")),
                    "{what}: {text:?}"
                );
            }
            // A zip reader may also refuse the archive outright: never a pass.
            Err(e) => assert!(matches!(e, Error::NotAZip { .. }), "{what}: {e}"),
        }
    }
}

/// The signature covers the archive as a whole: flipping any single byte of a small package,
/// wherever it is (local headers, file data, the signature text and its CRC fields, the central
/// directory, the end record), makes it fail, whether as a problem or as an unreadable zip.
#[test]
fn every_single_byte_flip_anywhere_in_the_archive_fails() {
    let files = vec![
        ("README.txt".to_owned(), b"Deliverables.\n".to_vec()),
        (
            "SAR/a.json".to_owned(),
            b"{\"risk\": \"High\"}\n".repeat(20),
        ),
        ("SAR/b.pdf".to_owned(), b"%PDF-1.7 tiny".to_vec()),
    ];
    let key = key_from_seed(SEED);
    let package = build_package(&as_package_files(&files), &meta(), &key).unwrap();
    let expected = describe_public_key(&key).public_key_hex;
    assert!(verify_package_with_key(&package, &expected).unwrap().ok());
    for position in 0..package.len() {
        for mask in [0x01u8, 0x20] {
            let mut tampered = package.clone();
            tampered[position] ^= mask;
            let passed = verify_package_with_key(&tampered, &expected).is_ok_and(|v| v.ok());
            assert!(
                !passed,
                "flipping byte {position} with {mask:#04x} went unnoticed"
            );
        }
    }
}
