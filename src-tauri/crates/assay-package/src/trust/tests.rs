#![allow(clippy::unwrap_used)]

use std::os::unix::fs::PermissionsExt;

use super::{parse_signer_key, TrustStore, TRUST_FILE_NAME};
use crate::key::{describe_public_key, key_from_seed};
use crate::{load_key, load_or_create_key, Error, KEY_FILE_NAME};

const AT: &str = "2026-12-07T10:00:00Z";

#[test]
fn a_pin_is_kept_listed_and_removed_and_the_file_is_private() {
    let dir = tempfile::tempdir().unwrap();
    let key = describe_public_key(&key_from_seed([3; 32]));
    let mut store = TrustStore::load(dir.path()).unwrap();
    assert!(store.signers().is_empty(), "no file is an empty store");
    let pinned = store.add("Example 3PAO", &key.fingerprint, AT).unwrap();
    assert_eq!(pinned.fingerprint, key.fingerprint);

    let path = dir.path().join(TRUST_FILE_NAME);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the trust file is written 0600");
    let reloaded = TrustStore::load(dir.path()).unwrap();
    assert_eq!(
        reloaded.signers(),
        store.signers(),
        "the pin survives a reload"
    );
    assert!(reloaded.find(&key.fingerprint).is_some());

    store.remove("Example 3PAO").unwrap();
    let reloaded = TrustStore::load(dir.path()).unwrap();
    assert!(
        reloaded.find(&key.fingerprint).is_none(),
        "a removed pin is gone"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "no temporary file is left behind");
}

#[test]
fn a_public_key_or_a_fingerprint_in_any_spelling_pins_the_same_fingerprint() {
    let key = describe_public_key(&key_from_seed([4; 32]));
    let bare = key.fingerprint.replace(':', "");
    for text in [
        key.fingerprint.clone(),
        key.fingerprint.to_uppercase(),
        bare.clone(),
        format!("  {bare}\n"),
        key.public_key_hex.clone(),
    ] {
        assert_eq!(
            parse_signer_key(&text).unwrap(),
            key.fingerprint,
            "{text:?}"
        );
    }
    for bad in ["", "abc", &bare[1..], &format!("{bare}zz")] {
        assert!(
            matches!(parse_signer_key(bad), Err(Error::Trust(_))),
            "{bad:?} must be refused"
        );
    }
}

#[test]
fn names_and_keys_are_pinned_once() {
    let dir = tempfile::tempdir().unwrap();
    let a = describe_public_key(&key_from_seed([5; 32]));
    let b = describe_public_key(&key_from_seed([6; 32]));
    let mut store = TrustStore::load(dir.path()).unwrap();
    store.add("A", &a.fingerprint, AT).unwrap();
    let cases = [
        ("A", b.fingerprint.as_str(), "already pinned"),
        ("B", a.public_key_hex.as_str(), "already pinned as \"A\""),
        ("", b.fingerprint.as_str(), "signer name"),
        ("bad\nname", b.fingerprint.as_str(), "signer name"),
    ];
    for (name, key, expected) in cases {
        let err = store.add(name, key, AT).unwrap_err().to_string();
        assert!(err.contains(expected), "{name:?}: {err}");
    }
    let err = store.remove("nobody").unwrap_err().to_string();
    assert!(err.contains("no signer named \"nobody\""), "{err}");
}

#[test]
fn private_files_open_to_others_or_linked_are_refused_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    load_or_create_key(dir.path(), || [9; 32]).unwrap();
    TrustStore::load(dir.path())
        .unwrap()
        .add(
            "A",
            &describe_public_key(&key_from_seed([1; 32])).fingerprint,
            AT,
        )
        .unwrap();
    for name in [KEY_FILE_NAME, TRUST_FILE_NAME] {
        let path = dir.path().join(name);
        for mode in [0o644, 0o640, 0o604, 0o660] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            let err = if name == KEY_FILE_NAME {
                load_key(dir.path()).map(|_| ()).unwrap_err()
            } else {
                TrustStore::load(dir.path()).map(|_| ()).unwrap_err()
            };
            let text = err.to_string();
            assert!(
                matches!(err, Error::InsecureFile { .. }),
                "{name} {mode:o}: {text}"
            );
            assert!(
                text.contains(&path.display().to_string()) && text.contains("chmod 600"),
                "{name} {mode:o}: the message names the file and the fix: {text}"
            );
        }
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();

        let elsewhere = dir.path().join(format!("{name}.real"));
        std::fs::rename(&path, &elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
        let err = if name == KEY_FILE_NAME {
            load_or_create_key(dir.path(), || [9; 32])
                .map(|_| ())
                .unwrap_err()
        } else {
            TrustStore::load(dir.path()).map(|_| ()).unwrap_err()
        };
        assert!(err.to_string().contains("symbolic link"), "{name}: {err}");
        std::fs::remove_file(&path).unwrap();
        std::fs::rename(&elsewhere, &path).unwrap();
    }
    assert!(
        load_key(dir.path()).unwrap().is_some(),
        "0600 files load again"
    );
}
