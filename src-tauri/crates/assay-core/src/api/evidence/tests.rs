//! The evidence store against careless users and planted files (issue 13, item 9).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Duration};

use super::*;
use crate::api::Context;
use crate::clock::{FixedClock, SequentialIds};
use crate::model::NewEngagement;

fn ctx() -> Context {
    let start = DateTime::parse_from_rfc3339("2026-03-03T10:00:00Z")
        .unwrap()
        .to_utc();
    Context {
        clock: Arc::new(FixedClock::new(start, Duration::seconds(1))),
        ids: Arc::new(SequentialIds::new(1)),
        actor: "tester".into(),
    }
}

fn session(dir: &Path) -> Session {
    let path = dir.join("e.assay");
    Session::create(&path, &NewEngagement::named("Cloud"), ctx()).unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

/// Every file under the evidence folder, relative to it.
fn files_in_store(s: &Session) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let t = e.file_type().unwrap();
            if t.is_dir() {
                walk(root, &e.path(), out);
            } else {
                out.push(e.path().strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    let root = s.evidence_dir();
    walk(&root, &root, &mut out);
    out.sort();
    out
}

#[test]
fn a_batch_with_one_bad_file_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    let good = write(dir.path(), "good.txt", b"good evidence");
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    let link = dir.path().join("link.txt");
    std::os::unix::fs::symlink(&good, &link).unwrap();
    let cases: [(PathBuf, &str); 4] = [
        (dir.path().join("missing"), "missing does not exist"),
        (fifo, "is a named pipe, not a regular file"),
        (folder, "is a folder, not a regular file"),
        (
            link,
            "is a symbolic link; evidence is stored from the file itself",
        ),
    ];
    let log_before = s.audit_log().unwrap().len();
    for (bad, expected) in cases {
        let err = s
            .add_evidence_files(&[good.clone(), bad.clone()], &EvidenceMeta::default())
            .unwrap_err();
        assert!(err.is_user_error(), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains(expected), "{}: {msg}", bad.display());
        assert!(msg.contains(&bad.display().to_string()), "{msg}");
        assert!(s.list_evidence().unwrap().is_empty(), "{}", bad.display());
        assert_eq!(s.audit_log().unwrap().len(), log_before);
        assert!(
            files_in_store(&s).is_empty(),
            "{}: {:?}",
            bad.display(),
            files_in_store(&s)
        );
    }
    // The same batch without the bad file stores both in one go.
    let other = write(dir.path(), "other.txt", b"other evidence");
    let added = s
        .add_evidence_files(&[good, other], &EvidenceMeta::default())
        .unwrap();
    assert_eq!(added.len(), 2);
    assert_eq!(files_in_store(&s).len(), 2);
}

#[test]
fn a_followed_link_stores_its_target_and_records_both() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    let target = write(dir.path(), "target.txt", b"the real bytes");
    let link = dir.path().join("innocent-name.txt");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let added = s
        .add_evidence_files_with(
            std::slice::from_ref(&link),
            &EvidenceMeta::default(),
            AddOptions {
                follow_symlinks: true,
            },
        )
        .unwrap();
    assert_eq!(
        added[0].sha256,
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(b"the real bytes"))
    );
    let custody = s.custody_log(None).unwrap();
    let detail = &custody[0].detail;
    let target = std::fs::canonicalize(&target).unwrap();
    assert!(
        detail.contains(&link.display().to_string())
            && detail.contains(&format!("a symbolic link to {}", target.display())),
        "{detail}"
    );
    let log = s.audit_log().unwrap();
    assert!(
        log.last()
            .unwrap()
            .summary
            .contains(&target.display().to_string()),
        "{}",
        log.last().unwrap().summary
    );
    // A link to something that is not a regular file is refused even when followed.
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let to_fifo = dir.path().join("to-pipe");
    std::os::unix::fs::symlink(&fifo, &to_fifo).unwrap();
    let err = s
        .add_evidence_files_with(
            &[to_fifo],
            &EvidenceMeta::default(),
            AddOptions {
                follow_symlinks: true,
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("named pipe"), "{err}");
}

#[test]
fn left_over_temporary_files_go_on_the_next_add_but_live_ones_stay() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    let root = s.evidence_dir().join("sha256");
    std::fs::create_dir_all(&root).unwrap();
    let left = write(&root, ".incoming-killed", b"half a file");
    let live = write(&root, ".incoming-busy", b"being written");
    let held = std::fs::File::open(&live).unwrap();
    held.lock().unwrap();
    let file = write(dir.path(), "a.txt", b"a");
    s.add_evidence(&file, &EvidenceMeta::default()).unwrap();
    assert!(!left.exists(), "a left-over temporary file is removed");
    assert!(live.exists(), "a temporary file someone holds is kept");
    drop(held);
}

#[test]
fn verify_reports_every_problem_without_following_or_opening_planted_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    let names = [
        "changed.txt",
        "missing.txt",
        "linked.txt",
        "piped.txt",
        "fine.txt",
    ];
    let ids: Vec<String> = names
        .iter()
        .map(|n| {
            let p = write(dir.path(), n, n.as_bytes());
            s.add_evidence(&p, &EvidenceMeta::default()).unwrap().sha256
        })
        .collect();
    let blob = |i: usize| blob_path(s.path(), &ids[i]);
    std::fs::write(blob(0), b"forged").unwrap();
    std::fs::remove_file(blob(1)).unwrap();
    std::fs::remove_file(blob(2)).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", blob(2)).unwrap();
    std::fs::remove_file(blob(3)).unwrap();
    mkfifo(&blob(3));
    // Planted beside the records: a link, a pipe, a stray file, a folder, a temp file.
    let root = s.evidence_dir();
    std::os::unix::fs::symlink("/etc/shadow", root.join("sha256/ab")).unwrap();
    mkfifo(&root.join("sha256/.incoming-pipe"));
    write(&root.join("sha256"), &"0".repeat(64), b"stray");
    std::fs::create_dir(root.join("extra")).unwrap();
    write(&root.join("sha256"), ".incoming-old", b"left over");

    let check = s.check_evidence().unwrap();
    let problems: Vec<(&str, &str)> = check
        .problems
        .iter()
        .map(|p| (p.title.as_str(), p.problem.as_str()))
        .collect();
    assert_eq!(
        problems,
        [
            ("changed.txt", "changed"),
            ("missing.txt", "missing"),
            ("linked.txt", "replaced by a symbolic link (not opened)"),
            ("piped.txt", "replaced by a named pipe (not opened)"),
        ]
    );
    let strays: Vec<(String, &str)> = check
        .strays
        .iter()
        .map(|s| (s.path.display().to_string(), s.problem.as_str()))
        .collect();
    let zeros = format!("sha256/{}", "0".repeat(64));
    let expected = [
        ("extra".to_owned(), "a folder that does not belong in the evidence folder"),
        ("sha256/.incoming-old".to_owned(), "a temporary file (an add in progress, or left by one that was interrupted: the next `evidence add` removes it)"),
        ("sha256/.incoming-pipe".to_owned(), "a named pipe (not followed or opened)"),
        (zeros, "a file no evidence record refers to"),
        ("sha256/ab".to_owned(), "a symbolic link (not followed or opened)"),
    ];
    let expected: Vec<(String, &str)> = expected.into_iter().collect();
    assert_eq!(strays, expected);
    assert!(!check.is_clean());
    // The one-list form the app shows has all nine.
    assert_eq!(s.verify_evidence().unwrap().len(), 9);
}
