//! The local key store: a key is created once from the caller's seed, reloaded unchanged
//! afterwards, kept private on disk, and never replaced when the file is damaged.

#![allow(clippy::unwrap_used)]

use assay_package::{describe_public_key, key_from_seed, load_or_create_key, Error, KEY_FILE_NAME};

const SEED: [u8; 32] = [5; 32];

#[test]
fn creates_a_key_from_the_seed_then_reloads_it_without_asking_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("keys/assay");
    let (key, info) = load_or_create_key(&store, || SEED).unwrap();
    assert!(info.created);
    assert_eq!(info.path, store.join(KEY_FILE_NAME));
    assert_eq!(key.to_bytes(), key_from_seed(SEED).to_bytes());
    let public = describe_public_key(&key);
    assert_eq!(
        (info.public_key_hex.as_str(), info.fingerprint.as_str()),
        (public.public_key_hex.as_str(), public.fingerprint.as_str())
    );

    let (again, info_again) = load_or_create_key(&store, || {
        panic!("an existing key must not draw a new seed")
    })
    .unwrap();
    assert!(!info_again.created);
    assert_eq!(again.to_bytes(), key.to_bytes());
    assert_eq!(info_again.fingerprint, info.fingerprint);
    let leftovers: Vec<_> = std::fs::read_dir(&store)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers,
        vec![std::ffi::OsString::from(KEY_FILE_NAME)],
        "no temporary file left"
    );
}

#[cfg(unix)]
#[test]
fn the_key_file_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("new-store");
    let (_, info) = load_or_create_key(&store, || SEED).unwrap();
    let file_mode = std::fs::metadata(&info.path).unwrap().permissions().mode() & 0o777;
    let dir_mode = std::fs::metadata(&store).unwrap().permissions().mode() & 0o777;
    assert_eq!(file_mode, 0o600, "key file mode {file_mode:o}");
    assert_eq!(dir_mode, 0o700, "key directory mode {dir_mode:o}");
}

#[test]
fn a_corrupt_key_file_is_an_error_naming_it_and_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(KEY_FILE_NAME);
    for damaged in [&b"garbage"[..], b"", &[0xff, 0xfe, 0x00][..]] {
        std::fs::write(&path, damaged).unwrap();
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .unwrap();
        let err = load_or_create_key(dir.path(), || panic!("must not create over a damaged key"))
            .unwrap_err();
        assert!(matches!(err, Error::CorruptKey { .. }), "{err:?}");
        assert!(
            err.to_string().contains(&path.display().to_string()),
            "{err}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            damaged,
            "the damaged file is kept for the user"
        );
    }
}

#[test]
fn an_altered_secret_is_caught_by_the_public_key_line() {
    let dir = tempfile::tempdir().unwrap();
    let (_, info) = load_or_create_key(dir.path(), || SEED).unwrap();
    let text = std::fs::read_to_string(&info.path).unwrap();
    let altered = text.replacen("secret: 05", "secret: 06", 1);
    assert_ne!(text, altered, "the fixture must change the secret");
    std::fs::write(&info.path, altered).unwrap();
    let err = load_or_create_key(dir.path(), || SEED)
        .unwrap_err()
        .to_string();
    assert!(err.contains("does not belong"), "{err}");
}

#[test]
fn a_directory_where_the_key_file_should_be_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(KEY_FILE_NAME)).unwrap();
    let err = load_or_create_key(dir.path(), || SEED).unwrap_err();
    assert!(
        matches!(err, Error::InsecureFile { .. }) && err.to_string().contains("not a regular file"),
        "{err:?}"
    );
}

#[test]
fn a_stale_temporary_file_from_a_crash_does_not_block_creation() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(format!(".{KEY_FILE_NAME}.tmp")),
        b"half-written",
    )
    .unwrap();
    let (key, info) = load_or_create_key(dir.path(), || SEED).unwrap();
    assert!(info.created);
    assert_eq!(key.to_bytes(), SEED);
    assert!(!dir.path().join(format!(".{KEY_FILE_NAME}.tmp")).exists());
}

#[test]
fn a_key_store_path_that_is_a_file_is_an_io_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_dir = dir.path().join("store");
    std::fs::write(&not_a_dir, b"").unwrap();
    let err = load_or_create_key(&not_a_dir, || SEED).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("store"), "{err}");
}
