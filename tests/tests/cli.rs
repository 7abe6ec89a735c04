//! The `assay` command line as scripts use it: exit codes, JSON shapes, messages.

use assay_e2e::{assay, stderr, stdout};
use serde_json::Value;

fn json(o: &std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(o)))
}

#[test]
fn new_then_info_reports_the_engagement_and_zero_counts() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cloud.assay");
    let f = file.to_str().unwrap();
    let o = assay(&[
        "new",
        f,
        "--name",
        "Example Cloud",
        "--csp",
        "Example CSP",
        "--impact",
        "high",
        "--type",
        "annual",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = json(&o);
    assert_eq!(e["cso_name"], "Example Cloud");
    assert_eq!(e["impact_level"], "high");
    assert_eq!(e["assessment_type"], "annual");

    let o = assay(&["info", f, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let info = json(&o);
    assert_eq!(info["engagement"]["csp_name"], "Example CSP");
    for key in [
        "controls",
        "objectives",
        "components",
        "inventory_items",
        "users",
        "implemented_requirements",
        "test_results",
        "findings",
        "weaknesses",
        "evidence",
        "poam_items",
    ] {
        assert_eq!(info["counts"][key], 0, "counts.{key} of a new engagement");
    }
    assert_eq!(info["counts"]["audit_records"], 1);

    let o = assay(&["info", f]);
    assert!(stdout(&o).contains("Example Cloud"), "{}", stdout(&o));
}

#[test]
fn new_refuses_to_overwrite_and_bad_values_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cloud.assay");
    let f = file.to_str().unwrap();
    assert!(assay(&["new", f, "--name", "A"]).status.success());
    let o = assay(&["new", f, "--name", "B"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));

    let other = dir.path().join("other.assay");
    let o = assay(&[
        "new",
        other.to_str().unwrap(),
        "--name",
        "B",
        "--impact",
        "severe",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("li-saas, low, moderate, high"),
        "{}",
        stderr(&o)
    );
    assert!(
        !other.exists(),
        "a refused command must not create the file"
    );
}

#[test]
fn files_that_are_not_engagements_exit_1_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    let o = assay(&["info", text.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o).trim(),
        format!("assay: not an Assay engagement file: {}", text.display())
    );

    let missing = dir.path().join("missing.assay");
    let o = assay(&["info", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("does not exist"));
}

#[test]
fn a_file_from_a_newer_assay_exits_1_with_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cloud.assay");
    let f = file.to_str().unwrap();
    assert!(assay(&["new", f, "--name", "A"]).status.success());
    // The schema version this build writes, so the test does not go stale with each migration.
    let info: serde_json::Value =
        serde_json::from_slice(&assay(&["info", f, "--json"]).stdout).unwrap();
    let current = info["schema_version"].as_u64().unwrap();
    rusqlite::Connection::open(&file)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let o = assay(&["info", f]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("schema version 99")
            && err.contains(&format!("up to schema version {current}")),
        "{err}"
    );
}

#[test]
fn log_and_verify_log_detect_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cloud.assay");
    let f = file.to_str().unwrap();
    assert!(assay(&["new", f, "--name", "A"]).status.success());

    let o = assay(&["log", f, "--json"]);
    let log = json(&o);
    assert_eq!(log.as_array().map(Vec::len), Some(1));
    assert_eq!(log[0]["actor"], "e2e-tester");
    assert_eq!(log[0]["action"], "create");

    let o = assay(&["verify-log", f]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("intact (1 records, 0 checkpoints)"),
        "{}",
        stdout(&o)
    );

    let conn = rusqlite::Connection::open(&file).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory' WHERE seq = 1;",
    )
    .unwrap();
    drop(conn);
    let o = assay(&["verify-log", f]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("audit record 1"), "{}", stderr(&o));
}

#[test]
fn usage_errors_exit_1_and_help_exits_0() {
    assert_eq!(assay(&["frobnicate"]).status.code(), Some(1));
    assert_eq!(assay(&["--help"]).status.code(), Some(0));
}

/// `assay log F | head -1`: the reader closes stdout early. The command ends quietly (exit 0,
/// no panic, nothing on stderr) whatever it was printing. The demo's log is far larger than a
/// pipe's buffer, so the writes really meet the closed pipe.
#[test]
fn a_closed_stdout_ends_the_command_quietly() {
    use std::io::Read as _;
    use std::process::{Command, Stdio};

    let baselines = assay_testkit::require_fedramp_baselines!();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let o = assay_e2e::assay_with_env(
        &["demo", out.to_str().unwrap()],
        &[("ASSAY_BASELINES", baselines.to_str().unwrap())],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let f = out.join("demo.assay");
    let f = f.to_str().unwrap();
    for args in [vec!["log", f], vec!["log", f, "--json"]] {
        let mut child = Command::new(assay_e2e::assay_bin())
            .args(&args)
            .env("ASSAY_ACTOR", "e2e-tester")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one line's worth, then close our end, as `head -1` would.
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 64];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(status.success(), "{args:?}: {status:?} {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}

/// Runs `assay ARGS`, killing it after 20 s: a read that blocks on a pipe must not hang a script.
fn assay_bounded(args: &[&str]) -> std::process::Output {
    use std::process::{Command, Stdio};
    let mut child = Command::new(assay_e2e::assay_bin())
        .args(args)
        .env("ASSAY_ACTOR", "e2e-tester")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("assay starts");
    let start = std::time::Instant::now();
    while child.try_wait().expect("assay can be waited for").is_none() {
        if start.elapsed() > std::time::Duration::from_secs(20) {
            let _ = child.kill();
            panic!("assay {args:?} hung on its input");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().expect("assay output")
}

/// Only regular files are read: a named pipe (which would block forever), a device that never
/// ends (`/dev/zero`) and a folder are refused at once with exit 1, one line naming the file,
/// and nothing stored.
#[test]
fn pipes_devices_and_folders_are_refused_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("e.assay");
    let f = f.to_str().unwrap();
    assert!(assay(&["new", f, "--name", "Inputs"]).status.success());
    let fifo = dir.path().join("pipe.xml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo");
    let fifo = fifo.to_str().unwrap();
    let folder = dir.path().to_str().unwrap();
    let log_before = stdout(&assay(&["log", f, "--json"]));
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (vec!["import-ssp", f, fifo], fifo, "named pipe"),
        (vec!["import-ssp", f, "/dev/zero"], "/dev/zero", "device"),
        (vec!["import-scan", f, fifo], fifo, "named pipe"),
        (vec!["import-scan", f, "/dev/zero"], "/dev/zero", "device"),
        (vec!["evidence", "add", f, fifo], fifo, "named pipe"),
        (
            vec!["evidence", "add", f, "/dev/zero"],
            "/dev/zero",
            "device",
        ),
        (
            vec!["baseline", f, "--import", "/dev/zero"],
            "/dev/zero",
            "device",
        ),
        (vec!["sar", f, "--kev", fifo], fifo, "named pipe"),
        (vec!["import-ssp", f, folder], folder, "folder"),
    ];
    for (args, named, kind) in cases {
        let o = assay_bounded(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        let line = err
            .lines()
            .find(|l| l.starts_with("assay: "))
            .unwrap_or_else(|| panic!("{args:?}: no error line in {err}"));
        assert!(
            line.contains(named) && line.contains(kind),
            "{args:?}: {line}"
        );
    }
    let sap_set = format!("@{fifo}");
    let o = assay_bounded(&["sap-set", f, "scope", &sap_set]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("named pipe"), "{}", stderr(&o));
    assert_eq!(
        stdout(&assay(&["log", f, "--json"])),
        log_before,
        "a refused input stores nothing"
    );
}
