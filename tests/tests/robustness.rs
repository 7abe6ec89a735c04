//! The engagement file and the evidence store under stress (issue 13, items 4, 5, 7 and 9):
//! damaged, newer, older and read-only files, concurrent writers, and hostile evidence input.
//! Every refusal is a row: the input, the command, the exit code and the message fragment; and
//! no error anywhere shows SQL or SQLite's own words for a locked file.

// Test code: a panic with the failed value is the report we want.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use assay_e2e::{assay, assay_bin, assay_with_env, stderr, stdout};
use serde_json::Value;

/// What stderr must never show: SQL, and SQLite's words where Assay's should be.
const NEVER_ON_STDERR: &[&str] = &[
    "SELECT",
    "INSERT",
    "CREATE",
    "UPDATE ",
    "DELETE FROM",
    "database is locked",
    "database error",
    "panicked",
];

/// Exit 1 with one line on stderr containing each of `fragments`, and nothing of
/// [`NEVER_ON_STDERR`].
#[track_caller]
fn assert_refused(o: &Output, what: &str, fragments: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "{what}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{what}: one line: {err}");
    for f in fragments {
        assert!(err.contains(f), "{what}: {f:?} not in {err}");
    }
    assert_clean(&err, what);
}

#[track_caller]
fn assert_clean(err: &str, what: &str) {
    for bad in NEVER_ON_STDERR {
        assert!(!err.contains(bad), "{what}: stderr shows {bad:?}: {err}");
    }
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(o)))
}

/// A small engagement: created, one finding, one evidence file.
fn engagement(dir: &Path) -> PathBuf {
    let file = dir.join("cloud.assay");
    let f = file.to_str().unwrap();
    let ok = |o: Output| assert!(o.status.success(), "{}", stderr(&o));
    ok(assay(&["new", f, "--name", "Example Cloud"]));
    for i in 0..20 {
        ok(assay(&[
            "finding",
            "add",
            f,
            "--title",
            &format!("Finding {i} with a longer title so the table spans pages"),
            "--likelihood",
            "moderate",
            "--impact",
            "high",
            "--description",
            &"A description that takes room. ".repeat(40),
        ]));
    }
    let ev = dir.join("screenshot.txt");
    std::fs::write(&ev, b"evidence bytes").unwrap();
    ok(assay(&["evidence", "add", f, ev.to_str().unwrap()]));
    file
}

fn side(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The file's bytes and whether `-wal` and `-shm` exist beside it.
fn snapshot(path: &Path) -> (Vec<u8>, bool, bool) {
    (
        std::fs::read(path).unwrap(),
        side(path, "-wal").exists(),
        side(path, "-shm").exists(),
    )
}

fn damage(path: &Path, how: &str) {
    let mut bytes = std::fs::read(path).unwrap();
    match how {
        "zero-length" => bytes.clear(),
        "a text file" => bytes = b"meeting notes, not an engagement\n".repeat(40),
        "cut inside the header" => bytes.truncate(60),
        "cut in half" => bytes.truncate(bytes.len() / 2),
        "garbage in the middle" => {
            let (from, to) = (bytes.len() / 4, 3 * bytes.len() / 4);
            bytes[from..to].fill(0x5A);
        }
        other => panic!("unknown damage {other}"),
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn damaged_engagement_files_exit_1_naming_them() {
    let cases = [
        ("zero-length", "not an Assay engagement file"),
        ("a text file", "not an Assay engagement file"),
        ("cut inside the header", "is damaged"),
        ("cut in half", "is damaged"),
        ("garbage in the middle", "is damaged"),
    ];
    let commands: &[&[&str]] = &[
        &["info"],
        &["log"],
        &["verify-log"],
        &["findings"],
        &["verify-evidence"],
        &["sar"],
        &[
            "finding",
            "add",
            "FILE",
            "--title",
            "x",
            "--likelihood",
            "low",
            "--impact",
            "low",
        ],
        &[
            "team",
            "add",
            "FILE",
            "--name",
            "Ann",
            "--role",
            "assessment-lead",
        ],
    ];
    let dir = tempfile::tempdir().unwrap();
    let original = engagement(dir.path());
    for (how, expected) in cases {
        let file = dir.path().join(format!("{}.assay", how.replace(' ', "-")));
        std::fs::copy(&original, &file).unwrap();
        damage(&file, how);
        let f = file.to_str().unwrap();
        for cmd in commands {
            let args: Vec<&str> = if cmd.len() == 1 {
                vec![cmd[0], f]
            } else {
                cmd.iter()
                    .map(|a| if *a == "FILE" { f } else { a })
                    .collect()
            };
            let o = assay(&args);
            let what = format!("{how}: {}", cmd.join(" "));
            // Overwritten pages are found when read: the whole-file commands must find
            // them, a command that reads other pages may succeed, none may exit 2.
            let must_fail = how != "garbage in the middle"
                || matches!(cmd[0], "info" | "log" | "verify-log" | "findings");
            if must_fail || !o.status.success() {
                assert_refused(&o, &what, &[f, expected]);
            }
        }
    }
}

/// A file a newer Assay wrote is refused by every command, and left exactly as it was: no
/// journal-mode switch, no `-wal` or `-shm` beside it.
#[test]
fn a_newer_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let file = engagement(dir.path());
    let f = file.to_str().unwrap();
    rusqlite::Connection::open(&file)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    let before = snapshot(&file);
    assert!(!before.1 && !before.2, "the setup left side files");
    let commands: &[&[&str]] = &[
        &["info", f],
        &["log", f],
        &["verify-log", f],
        &["findings", f],
        &["verify-evidence", f],
        &["upgrade", f],
        &[
            "finding",
            "add",
            f,
            "--title",
            "x",
            "--likelihood",
            "low",
            "--impact",
            "low",
        ],
    ];
    for cmd in commands {
        let o = assay(cmd);
        assert_refused(&o, &cmd.join(" "), &[f, "schema version 999"]);
        assert_eq!(
            snapshot(&file),
            before,
            "{} changed the file",
            cmd.join(" ")
        );
    }
}

/// Schema v1 as the first Assay wrote it, with raw SQL (later code cannot change what it is).
fn build_v1(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "application_id", 0x4153_5359)
        .unwrap();
    conn.execute_batch(include_str!(
        "../../src-tauri/crates/assay-core/src/store/migrations/0001_engagement.sql"
    ))
    .unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    conn.execute(
        "INSERT INTO engagement (id, cso_name, impact_level, authorization_path, assessment_type, \
         created_at, updated_at) VALUES ('6b1e8a0c-0000-4000-8000-000000000001', 'Legacy Cloud', \
         'moderate', 'agency', 'initial', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        [],
    )
    .unwrap();
}

#[test]
fn an_older_file_is_read_only_until_a_write_or_upgrade_migrates_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("legacy.assay");
    build_v1(&file);
    let f = file.to_str().unwrap();
    let before = std::fs::read(&file).unwrap();
    let hint = format!("{f} uses schema 1; run `assay upgrade {f}`");
    for cmd in ["info", "log", "findings", "verify-log"] {
        let o = assay(&[cmd, f]);
        assert_refused(&o, cmd, &[&hint]);
        assert_eq!(
            std::fs::read(&file).unwrap(),
            before,
            "{cmd} changed the file"
        );
    }
    let o = assay(&["upgrade", f]);
    assert!(o.status.success(), "{}", stderr(&o));
    let backup = dir.path().join("legacy.assay.v1.bak");
    assert!(
        stdout(&o).contains("from schema 1") && stdout(&o).contains(backup.to_str().unwrap()),
        "{}",
        stdout(&o)
    );
    let kept = rusqlite::Connection::open(&backup).unwrap();
    let version: i64 = kept
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1, "the backup is the file as it was");
    let o = assay(&["info", f, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o)["engagement"]["cso_name"], "Legacy Cloud");
    let o = assay(&["upgrade", f]);
    assert!(stdout(&o).contains("nothing to do"), "{}", stdout(&o));

    // A write migrates on its own.
    let other = dir.path().join("other.assay");
    build_v1(&other);
    let o2 = other.to_str().unwrap();
    let o = assay(&[
        "finding",
        "add",
        o2,
        "--title",
        "x",
        "--likelihood",
        "low",
        "--impact",
        "low",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(assay(&["info", o2]).status.success());
}

/// True when this process runs as root (file permissions do not bind root).
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|euid| euid == "0"))
        })
        .unwrap_or(false)
}

/// Runs the assay binary so that file permissions bind it: as root, without the capabilities
/// that override them.
fn assay_bound_by_permissions(args: &[&str]) -> Output {
    let mut cmd = if running_as_root() {
        let mut c = Command::new("setpriv");
        c.args(["--bounding-set=-dac_override,-dac_read_search", "--"])
            .arg(assay_bin());
        c
    } else {
        Command::new(assay_bin())
    };
    cmd.args(args)
        .env("ASSAY_ACTOR", "e2e-tester")
        .output()
        .expect("assay runs")
}

/// Makes a tree read-only, and writable again when dropped (so the temporary folder goes).
struct ReadOnlyTree(PathBuf);

impl ReadOnlyTree {
    fn new(root: &Path) -> Self {
        let s = Command::new("chmod")
            .arg("-R")
            .arg("a-w")
            .arg(root)
            .status();
        assert!(s.unwrap().success(), "chmod a-w");
        ReadOnlyTree(root.to_owned())
    }
}

impl Drop for ReadOnlyTree {
    fn drop(&mut self) {
        let _ = Command::new("chmod")
            .arg("-R")
            .arg("u+w")
            .arg(&self.0)
            .status();
    }
}

#[test]
fn every_read_command_works_on_read_only_media() {
    if running_as_root() && !assay_testkit::check_tool("setpriv") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let media = work.path().join("media");
    let o = assay(&["demo", media.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let file = media.join("demo.assay");
    let f = file.to_str().unwrap();
    let out = work.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // The demo seals its log with the published demo key: pin it in a key store of the test's
    // own, as a recipient would after confirming the fingerprint.
    let said = stdout(&o);
    let fingerprint = said
        .split("signed with the demo key ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("the demo names its key: {said}"));
    let keys = work.path().join("keys");
    let keys = keys.to_str().unwrap();
    let pin = assay(&["trust", "add", "demo", fingerprint, "--key-dir", keys]);
    assert!(pin.status.success(), "{}", stderr(&pin));
    let pdf = out.join("sar.pdf");
    let xlsx = out.join("poam.xlsx");
    let reads: Vec<Vec<&str>> = vec![
        vec!["info", f],
        vec!["log", f],
        vec!["verify-log", f, "--key-dir", keys],
        vec!["checks", f],
        vec!["findings", f],
        vec!["weaknesses", f],
        vec!["coverage", f],
        vec!["config-findings", f],
        vec!["sar", f],
        vec!["poam", f],
        vec!["sap", f],
        vec!["sap", f, "--show"],
        vec!["team", "list", f],
        vec!["verify-evidence", f],
        vec!["sar", f, "--pdf", pdf.to_str().unwrap()],
        vec!["poam", f, "--xlsx", xlsx.to_str().unwrap()],
    ];
    // Twice: as the demo left it (no -wal), and with a writer's commit still in the -wal.
    for pending in [false, true] {
        let writer = pending.then(|| {
            let conn = rusqlite::Connection::open(&file).unwrap();
            conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
            conn.execute("UPDATE engagement SET agency = 'Pending Agency'", [])
                .unwrap();
            assert!(side(&file, "-wal").exists());
            conn
        });
        let guard = ReadOnlyTree::new(&media);
        let before = std::fs::read(&file).unwrap();
        for args in &reads {
            let o = assay_bound_by_permissions(args);
            assert!(
                o.status.success(),
                "{} (pending write: {pending}): {}",
                args.join(" "),
                stderr(&o)
            );
            assert_clean(&stderr(&o), &args.join(" "));
        }
        let o = assay_bound_by_permissions(&["info", f, "--json"]);
        let agency = json(&o)["engagement"]["agency"].clone();
        assert_eq!(agency == "Pending Agency", pending, "{agency}");
        assert_eq!(
            std::fs::read(&file).unwrap(),
            before,
            "a read changed the file"
        );
        let o = assay_bound_by_permissions(&[
            "finding",
            "add",
            f,
            "--title",
            "x",
            "--likelihood",
            "low",
            "--impact",
            "low",
        ]);
        assert_refused(
            &o,
            "a write on read-only media",
            &[f, "cannot be changed", "read-only"],
        );
        drop(guard);
        drop(writer);
    }
}

/// 20 `finding add` processes at once: all succeed, with 20 distinct consecutive numbers.
#[test]
fn concurrent_finding_adds_all_succeed_with_distinct_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cloud.assay");
    let f = file.to_str().unwrap();
    assert!(assay(&["new", f, "--name", "A"]).status.success());
    let children: Vec<_> = (0..20)
        .map(|i| {
            Command::new(assay_bin())
                .args([
                    "finding",
                    "add",
                    f,
                    "--likelihood",
                    "low",
                    "--impact",
                    "low",
                    "--json",
                ])
                .args(["--title", &format!("finding {i}")])
                .env("ASSAY_ACTOR", "e2e-tester")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut refs: Vec<String> = children
        .into_iter()
        .map(|c| {
            let o = c.wait_with_output().unwrap();
            assert!(o.status.success(), "{}", stderr(&o));
            json(&o)["reference"].as_str().unwrap().to_owned()
        })
        .collect();
    refs.sort();
    let expected: Vec<String> = (1..=20).map(|n| format!("F-{n:03}")).collect();
    assert_eq!(refs, expected);
}

/// A writer that cannot get the file within the wait is told so in Assay's words, exit 1, and
/// stores nothing.
#[test]
fn a_writer_that_waits_too_long_is_told_the_file_is_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cloud.assay");
    let f = file.to_str().unwrap();
    assert!(assay(&["new", f, "--name", "A"]).status.success());
    let holder = rusqlite::Connection::open(&file).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let args = [
        "finding",
        "add",
        f,
        "--title",
        "x",
        "--likelihood",
        "low",
        "--impact",
        "low",
    ];
    let o = assay_with_env(&args, &[("ASSAY_LOCK_WAIT", "1")]);
    assert_refused(
        &o,
        "second writer",
        &[f, "is in use by another Assay process"],
    );
    // Readers are not blocked by a writer.
    let o = assay(&["findings", f, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(
        json(&assay(&["findings", f, "--json"])),
        serde_json::json!([])
    );
}

#[test]
fn evidence_add_is_all_or_nothing_and_refuses_links_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cloud.assay");
    let f = file.to_str().unwrap();
    assert!(assay(&["new", f, "--name", "A"]).status.success());
    let a = dir.path().join("a.txt");
    std::fs::write(&a, b"a").unwrap();
    let a = a.to_str().unwrap();
    let missing = dir.path().join("missing");
    let link = dir.path().join("shadow-link");
    std::os::unix::fs::symlink("/etc/hostname", &link).unwrap();
    let fifo = dir.path().join("pipe");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    let rows: [(&Path, &str); 4] = [
        (&missing, "does not exist"),
        (&link, "is a symbolic link"),
        (&fifo, "is a named pipe"),
        (&folder, "is a folder"),
    ];
    for (bad, expected) in rows {
        let b = bad.to_str().unwrap();
        let o = assay(&["evidence", "add", f, a, b]);
        assert_refused(&o, b, &[b, expected]);
        let info = json(&assay(&["info", f, "--json"]));
        assert_eq!(info["counts"]["evidence"], 0, "{b}: something was stored");
    }
    let o = assay(&[
        "evidence",
        "add",
        f,
        link.to_str().unwrap(),
        "--follow-symlinks",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let log = stdout(&assay(&["log", f]));
    assert!(
        log.contains("shadow-link") && log.contains("a symbolic link to /etc/hostname"),
        "{log}"
    );
}

/// Runs assay, failing (and killing it) if it has not finished within a minute: a command
/// that blocks on a planted pipe fails the test instead of hanging it.
fn assay_bounded(args: &[&str]) -> Output {
    let mut child = Command::new(assay_bin())
        .args(args)
        .env("ASSAY_ACTOR", "e2e-tester")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("assay {} hung", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn verify_evidence_lists_every_problem_and_never_blocks_on_planted_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cloud.assay");
    let f = file.to_str().unwrap();
    assert!(assay(&["new", f, "--name", "A"]).status.success());
    let mut ids = Vec::new();
    for name in ["one.txt", "two.txt"] {
        let p = dir.path().join(name);
        std::fs::write(&p, name).unwrap();
        let o = assay(&["evidence", "add", f, p.to_str().unwrap(), "--json"]);
        ids.push(json(&o)[0]["sha256"].as_str().unwrap().to_owned());
    }
    let store = dir.path().join("cloud.assay.evidence/sha256");
    let blob = |id: &str| store.join(&id[..2]).join(id);
    std::fs::write(blob(&ids[0]), b"forged").unwrap();
    std::fs::remove_file(blob(&ids[1])).unwrap();
    assert!(Command::new("mkfifo")
        .arg(blob(&ids[1]))
        .status()
        .unwrap()
        .success());
    assert!(Command::new("mkfifo")
        .arg(store.join("planted-pipe"))
        .status()
        .unwrap()
        .success());
    std::os::unix::fs::symlink("/etc/passwd", store.join("planted-link")).unwrap();
    std::fs::write(store.join("stray"), b"x").unwrap();

    let o = assay_bounded(&["verify-evidence", f]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert_clean(&err, "verify-evidence");
    for expected in [
        format!("evidence {} \"one.txt\" is changed", ids[0]),
        format!(
            "evidence {} \"two.txt\" is replaced by a named pipe (not opened)",
            ids[1]
        ),
        "sha256/planted-pipe: a named pipe (not followed or opened)".to_owned(),
        "sha256/planted-link: a symbolic link (not followed or opened)".to_owned(),
        "sha256/stray: a file no evidence record refers to".to_owned(),
    ] {
        assert!(err.contains(&expected), "{expected:?} not in\n{err}");
    }
    assert_eq!(err.lines().count(), 5, "{err}");
}

#[test]
fn a_duplicate_control_in_a_catalog_exits_1_naming_it_and_its_places() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cloud.assay");
    let f = file.to_str().unwrap();
    assert!(assay(&["new", f, "--name", "A"]).status.success());
    let catalog = dir.path().join("catalog.json");
    let control = |id: &str, title: &str| {
        serde_json::json!({"id": id, "title": title,
            "parts": [{"id": format!("{id}_smt"), "name": "statement", "prose": "text"}]})
    };
    let doc = serde_json::json!({"catalog": {
    "uuid": "6b1e8a0c-0000-4000-8000-0000000000aa",
    "metadata": {"title": "Hand-made", "last-modified": "2026-01-01T00:00:00Z",
                 "version": "1", "oscal-version": "1.1.2"},
    "groups": [
        {"id": "ac", "title": "Access Control",
         "controls": [control("ac-1", "Policy"), control("ac-2", "Account Management")]},
        {"id": "au", "title": "Audit", "controls": [control("ac-2", "Account Management again")]}
    ]}});
    std::fs::write(&catalog, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    let c = catalog.to_str().unwrap();
    let o = assay(&["baseline", f, "--import", c]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let last = err.trim_end().lines().last().unwrap_or_default();
    for fragment in [
        "catalog.json: control ac-2 appears twice",
        "control #2",
        "(group ac)",
        "control #3",
        "(group au)",
    ] {
        assert!(last.contains(fragment), "{fragment:?} not in {last}");
    }
    assert_clean(&err, "duplicate control");
    assert_eq!(
        json(&assay(&["info", f, "--json"]))["counts"]["controls"],
        0
    );
}
