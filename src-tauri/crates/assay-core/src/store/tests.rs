use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Duration};
use rusqlite::Connection;

use super::*;
use crate::api::{Context, Session};
use crate::clock::{FixedClock, SequentialIds};
use crate::model::{EngagementField, NewEngagement, NewTeamMember, Side, TeamRole};

fn ctx() -> Context {
    let start = DateTime::parse_from_rfc3339("2026-02-02T10:00:00Z")
        .unwrap()
        .to_utc();
    Context {
        clock: Arc::new(FixedClock::new(start, Duration::seconds(1))),
        ids: Arc::new(SequentialIds::new(1)),
        actor: "tester".into(),
    }
}

/// Builds an engagement file exactly as schema v1 left it: the v1 DDL and one engagement row,
/// written with raw SQL so later changes to the store code cannot alter what a v1 file looks like.
pub(crate) fn build_v1_fixture(path: &Path) {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    conn.execute_batch(MIGRATIONS[0].1).unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    conn.execute(
        "INSERT INTO engagement (id, cso_name, csp_name, assessor_org, agency, package_id, impact_level, \
         authorization_path, assessment_type, test_window_start, test_window_end, created_at, updated_at) \
         VALUES ('6b1e8a0c-0000-4000-8000-000000000001', 'Legacy Cloud', 'Legacy CSP', 'Example 3PAO', \
         'Dept. of Examples', 'FR2400000001', 'high', 'agency', 'annual', '2026-01-05', '2026-01-30', \
         '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        [],
    )
    .unwrap();
}

#[test]
fn a_v1_file_opens_and_migrates_to_the_current_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("legacy.assay");
    build_v1_fixture(&path);
    let session = Session::open(&path, ctx()).unwrap();
    let info = session.info().unwrap();
    assert_eq!(info.schema_version, SCHEMA_VERSION);
    assert_eq!(info.engagement.cso_name, "Legacy Cloud");
    assert_eq!(
        info.engagement.impact_level,
        crate::model::ImpactLevel::High
    );
    assert_eq!(
        info.engagement.test_window_start.unwrap().to_string(),
        "2026-01-05"
    );
}

#[test]
fn migrations_apply_cleanly_to_an_empty_database() {
    let conn = Connection::open_in_memory().unwrap();
    for (name, sql) in MIGRATIONS {
        conn.execute_batch(sql)
            .unwrap_or_else(|e| panic!("migration {name} failed: {e}"));
    }
}

#[test]
fn new_files_use_wal_foreign_keys_and_the_application_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.assay");
    let session = Session::create(&path, &NewEngagement::named("Cloud"), ctx()).unwrap();
    drop(session);
    let store = Store::open(&path).unwrap();
    let conn = store.conn();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    let fk: i64 = conn
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    let app: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!((mode.as_str(), fk, app), ("wal", 1, APPLICATION_ID));
}

#[test]
fn text_files_and_foreign_databases_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.assay");
    std::fs::write(&text, "just some notes, not a database\n".repeat(100)).unwrap();
    let foreign = dir.path().join("other.sqlite");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    for path in [&text, &foreign] {
        let err = Store::open(path).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("not an Assay engagement file: {}", path.display())
        );
        assert!(err.is_user_error());
    }
}

#[test]
fn files_from_a_newer_assay_are_refused_with_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.assay");
    Session::create(&path, &NewEngagement::named("Cloud"), ctx()).unwrap();
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 5)
        .unwrap();
    let msg = Store::open(&path).unwrap_err().to_string();
    assert!(
        msg.contains(&format!("schema version {}", SCHEMA_VERSION + 5)),
        "{msg}"
    );
    assert!(
        msg.contains(&format!("up to schema version {SCHEMA_VERSION}")),
        "{msg}"
    );
}

#[test]
fn create_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.assay");
    Session::create(&path, &NewEngagement::named("Cloud"), ctx()).unwrap();
    let err = Session::create(&path, &NewEngagement::named("Other"), ctx()).unwrap_err();
    assert!(matches!(err, crate::Error::AlreadyExists { .. }));
}

fn session_with_history(dir: &Path) -> (std::path::PathBuf, Session) {
    let path = dir.join("e.assay");
    let mut s = Session::create(&path, &NewEngagement::named("Cloud"), ctx()).unwrap();
    s.update_engagement(EngagementField::CspName, "Example CSP")
        .unwrap();
    s.update_engagement(EngagementField::ImpactLevel, "high")
        .unwrap();
    s.add_team_member(&NewTeamMember {
        name: "Ada Assessor".into(),
        title: "Senior assessor".into(),
        email: "ada@example.com".into(),
        phone: String::new(),
        side: Side::Assessor,
        role: TeamRole::AssessmentLead,
    })
    .unwrap();
    (path, s)
}

#[test]
fn every_edit_lands_in_the_audit_log_with_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    let (_path, mut s) = session_with_history(dir.path());
    // An unchanged value writes nothing.
    s.update_engagement(EngagementField::CspName, "Example CSP")
        .unwrap();
    let log = s.audit_log().unwrap();
    let actions: Vec<_> = log
        .iter()
        .map(|r| (r.entity.as_str(), r.action.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("engagement", "create"),
            ("engagement", "update"),
            ("engagement", "update"),
            ("team_member", "create")
        ]
    );
    assert_eq!(log[2].summary, "Impact level: moderate → high");
    assert_eq!(
        (log[2].before.as_str(), log[2].after.as_str()),
        ("moderate", "high")
    );
    assert!(s.verify_audit_log().unwrap().is_intact());
}

#[test]
fn a_rejected_edit_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_path, mut s) = session_with_history(dir.path());
    let before = (s.engagement().unwrap(), s.audit_log().unwrap().len());
    assert!(s
        .update_engagement(EngagementField::PackageId, "not-an-id")
        .is_err());
    assert_eq!(
        (s.engagement().unwrap(), s.audit_log().unwrap().len()),
        before
    );
}

/// Tampering as someone with the sqlite3 shell would: drop the guard triggers, then edit.
fn tamper(path: &Path, sql: &str) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn the_log_refuses_updates_and_deletes_through_sql() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _s) = session_with_history(dir.path());
    let conn = Connection::open(&path).unwrap();
    assert!(conn
        .execute("UPDATE audit_log SET actor = 'mallory'", [])
        .is_err());
    assert!(conn.execute("DELETE FROM audit_log", []).is_err());
}

#[test]
fn edited_deleted_and_truncated_records_are_detected() {
    let cases = [
        (
            "UPDATE audit_log SET summary = 'nothing happened' WHERE seq = 2",
            2,
            "edited",
        ),
        ("DELETE FROM audit_log WHERE seq = 2", 3, "deleted"),
        ("DELETE FROM audit_log WHERE seq = 4", 4, "deleted"),
        (
            "UPDATE audit_log SET prev_hash = hash WHERE seq = 3",
            3,
            "changed or removed",
        ),
    ];
    for (sql, bad_seq, reason) in cases {
        let dir = tempfile::tempdir().unwrap();
        let (path, s) = session_with_history(dir.path());
        drop(s);
        tamper(&path, sql);
        let s = Session::open(&path, ctx()).unwrap();
        let v = s.verify_audit_log().unwrap();
        let bad = v
            .first_bad
            .unwrap_or_else(|| panic!("tampering not detected: {sql}"));
        assert_eq!(bad.seq, bad_seq, "{sql}: {}", bad.reason);
        assert!(bad.reason.contains(reason), "{sql}: {}", bad.reason);
    }
}

#[test]
fn a_rewritten_last_record_with_a_valid_hash_is_caught_by_the_head() {
    let dir = tempfile::tempdir().unwrap();
    let (path, s) = session_with_history(dir.path());
    let mut last = s.audit_log().unwrap().pop().unwrap();
    drop(s);
    last.summary = "added nobody".into();
    last.hash = last.compute_hash();
    tamper(
        &path,
        &format!(
            "UPDATE audit_log SET summary = '{}', hash = '{}' WHERE seq = {}",
            last.summary, last.hash, last.seq
        ),
    );
    let s = Session::open(&path, ctx()).unwrap();
    let bad = s
        .verify_audit_log()
        .unwrap()
        .first_bad
        .expect("replacement detected");
    assert_eq!(bad.seq, last.seq);
    assert!(bad.reason.contains("replaced"), "{}", bad.reason);
}

/// The head moves only to the next record and is never deleted; a head that is gone or moved
/// makes the next write fail with `AuditDamaged` (exit 1), storing nothing.
#[test]
fn the_head_is_guarded_and_a_damaged_head_refuses_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (path, s) = session_with_history(dir.path());
    drop(s);
    let conn = Connection::open(&path).unwrap();
    for sql in [
        "DELETE FROM audit_head",
        "UPDATE audit_head SET count = count - 1",
        "UPDATE audit_head SET count = count + 1",
        "UPDATE audit_head SET hash = 'x'",
        "INSERT INTO audit_head (id, count, hash) VALUES (2, 1, 'x')",
    ] {
        assert!(conn.execute(sql, []).is_err(), "{sql} must be refused");
    }
    drop(conn);
    let cases = [
        (
            "DROP TRIGGER audit_head_no_delete; DELETE FROM audit_head;",
            "missing",
        ),
        (
            "DROP TRIGGER audit_head_next_only; UPDATE audit_head SET count = count - 1;",
            "does not match",
        ),
    ];
    for (sql, expected) in cases {
        let copy = dir.path().join("copy.assay");
        std::fs::copy(&path, &copy).unwrap();
        Connection::open(&copy).unwrap().execute_batch(sql).unwrap();
        let mut s = Session::open(&copy, ctx()).unwrap();
        let before = s.audit_log().unwrap().len();
        let err = s
            .update_engagement(EngagementField::CspName, "Other CSP")
            .unwrap_err();
        assert!(err.is_user_error(), "{sql}: {err}");
        assert_eq!(err.code(), crate::ErrorCode::Corrupt);
        let text = err.to_string();
        assert!(
            text.contains(expected) && text.contains(&copy.display().to_string()),
            "{sql}: {text}"
        );
        assert_eq!(s.audit_log().unwrap().len(), before, "nothing was stored");
        assert_eq!(s.engagement().unwrap().csp_name, "Example CSP");
        drop(s);
        std::fs::remove_file(&copy).unwrap();
    }
}

/// Row hashes: a covered row hashes its canonical content, changes with any hashed column,
/// becomes the deletion marker when the row is gone, and uncovered entities have none.
#[test]
fn row_hashes_follow_the_covered_columns() {
    let dir = tempfile::tempdir().unwrap();
    let (path, s) = session_with_history(dir.path());
    drop(s);
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "INSERT INTO coverage_note (inventory_uuid, note, at, actor) VALUES ('inv-1', 'offline', 't', 'a');",
    )
    .unwrap();
    let hash = |c: &Connection| audit::row_hash(c, "coverage_note", "inv-1").unwrap();
    let first = hash(&conn).unwrap();
    assert_eq!(first.len(), 64);
    assert_eq!(hash(&conn).unwrap(), first, "the same row hashes the same");
    conn.execute("UPDATE coverage_note SET at = 'later'", [])
        .unwrap();
    assert_eq!(
        hash(&conn).unwrap(),
        first,
        "columns outside the list do not count"
    );
    conn.execute("UPDATE coverage_note SET note = 'offline!'", [])
        .unwrap();
    assert_ne!(
        hash(&conn).unwrap(),
        first,
        "a hashed column changes the hash"
    );
    conn.execute("DELETE FROM coverage_note", []).unwrap();
    assert_eq!(hash(&conn).unwrap(), crate::model::audit::ROW_DELETED);
    assert_eq!(audit::row_hash(&conn, "team_member", "x").unwrap(), None);
}

/// Records written before migration 0007 carry no row hash and keep their hashes: a v1 file
/// migrates, its old record still verifies, and new records carry row hashes.
#[test]
fn old_records_keep_verifying_after_the_custody_migration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("legacy.assay");
    build_v1_fixture(&path);
    {
        let conn = Connection::open(&path).unwrap();
        let mut r = crate::model::AuditRecord {
            seq: 1,
            at: "2026-01-01T00:00:00Z".into(),
            actor: "old".into(),
            entity: "engagement".into(),
            entity_id: "6b1e8a0c-0000-4000-8000-000000000001".into(),
            action: "create".into(),
            summary: "created".into(),
            before: String::new(),
            after: String::new(),
            prev_hash: crate::model::audit::GENESIS_HASH.into(),
            hash: String::new(),
            row_hash: None,
        };
        r.hash = r.compute_hash();
        conn.execute(
            "INSERT INTO audit_log VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, '', '', ?7, ?8)",
            rusqlite::params![
                r.at,
                r.actor,
                r.entity,
                r.entity_id,
                r.action,
                r.summary,
                r.prev_hash,
                r.hash
            ],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO audit_head (id, count, hash) VALUES (1, 1, ?1)",
            [&r.hash],
        )
        .unwrap();
    }
    let mut s = Session::open(&path, ctx()).unwrap();
    s.update_engagement(EngagementField::CspName, "New CSP")
        .unwrap();
    let check = s.check_custody(true, Some(dir.path())).unwrap();
    assert!(check.ok, "{:?}", check.problems);
    assert_eq!(check.records, 2);
    let log = s.audit_log().unwrap();
    assert_eq!(log[0].row_hash, None, "the old record has no row hash");
}

// ----- reads are read-only; damaged files; concurrency (issue 13, items 4, 5, 7) -----

/// The file's bytes and which of its SQLite side files exist.
fn snapshot(path: &Path) -> (Vec<u8>, bool, bool) {
    let side = |s: &str| file::side_file(path, s).exists();
    (std::fs::read(path).unwrap(), side("-wal"), side("-shm"))
}

/// A closed engagement file (no `-wal` or `-shm` beside it) whose schema version is `version`.
fn file_with_version(dir: &Path, version: u32) -> std::path::PathBuf {
    let path = dir.join(format!("v{version}.assay"));
    drop(Session::create(&path, &NewEngagement::named("Cloud"), ctx()).unwrap());
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", version)
        .unwrap();
    assert!(!file::side_file(&path, "-wal").exists());
    path
}

#[test]
fn a_newer_file_is_refused_untouched_by_reads_and_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_with_version(dir.path(), SCHEMA_VERSION + 1);
    let before = snapshot(&path);
    assert_eq!((before.1, before.2), (false, false));
    for (what, err) in [
        ("read", Store::open_read_only(&path).unwrap_err()),
        ("write", Store::open(&path).unwrap_err()),
        ("upgrade", upgrade::upgrade(&path).unwrap_err()),
    ] {
        assert!(
            matches!(err, Error::EngagementTooNew { found, .. } if found == SCHEMA_VERSION + 1),
            "{what}: {err:?}"
        );
        assert_eq!(
            snapshot(&path),
            before,
            "{what} changed the file or left side files"
        );
    }
}

#[test]
fn reads_of_an_older_file_ask_for_an_upgrade_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("legacy.assay");
    build_v1_fixture(&path);
    let before = std::fs::read(&path).unwrap();
    let err = Session::open_read_only(&path, ctx()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{} uses schema 1; run `assay upgrade {}`",
            path.display(),
            path.display()
        )
    );
    assert!(err.is_user_error());
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn upgrade_keeps_a_copy_of_the_old_file_then_migrates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("legacy.assay");
    build_v1_fixture(&path);
    let done = upgrade::upgrade(&path).unwrap();
    let backup = dir.path().join("legacy.assay.v1.bak");
    assert_eq!(
        (done.from, done.to, done.backup.as_deref()),
        (1, SCHEMA_VERSION, Some(backup.as_path()))
    );
    // The copy is the old file: Assay's id, schema 1, the engagement row.
    let copy = Connection::open(&backup).unwrap();
    let (app, version): (i32, i64) = (
        copy.pragma_query_value(None, "application_id", |r| r.get(0))
            .unwrap(),
        copy.pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap(),
    );
    let name: String = copy
        .query_row("SELECT cso_name FROM engagement", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        (app, version, name.as_str()),
        (APPLICATION_ID, 1, "Legacy Cloud")
    );
    let info = Session::open_read_only(&path, ctx())
        .unwrap()
        .info()
        .unwrap();
    assert_eq!(info.schema_version, SCHEMA_VERSION);
    // A current file: nothing to do, no copy.
    let again = upgrade::upgrade(&path).unwrap();
    assert_eq!((again.from, again.backup), (SCHEMA_VERSION, None));
    // An existing copy is never overwritten.
    let other = dir.path().join("other.assay");
    build_v1_fixture(&other);
    std::fs::write(dir.path().join("other.assay.v1.bak"), b"keep me").unwrap();
    assert!(matches!(
        upgrade::upgrade(&other).unwrap_err(),
        Error::AlreadyExists { .. }
    ));
    assert_eq!(
        std::fs::read(dir.path().join("other.assay.v1.bak")).unwrap(),
        b"keep me"
    );
}

#[test]
fn a_write_migrates_an_older_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("legacy.assay");
    build_v1_fixture(&path);
    let mut s = Session::open(&path, ctx()).unwrap();
    s.update_engagement(EngagementField::CspName, "Now CSP")
        .unwrap();
    drop(s);
    let info = Session::open_read_only(&path, ctx())
        .unwrap()
        .info()
        .unwrap();
    assert_eq!(info.schema_version, SCHEMA_VERSION);
}

#[test]
fn reads_neither_migrate_nor_switch_the_journal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.assay");
    drop(Session::create(&path, &NewEngagement::named("Cloud"), ctx()).unwrap());
    // A file in rollback-journal mode (as a copy through another tool may leave it).
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "journal_mode", "DELETE")
        .unwrap();
    let before = snapshot(&path);
    let s = Session::open_read_only(&path, ctx()).unwrap();
    assert_eq!(s.info().unwrap().engagement.cso_name, "Cloud");
    let mode: String = s
        .store()
        .conn()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
    drop(s);
    assert_eq!(snapshot(&path), before);
}

#[test]
fn a_write_on_a_read_only_session_is_an_internal_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.assay");
    drop(Session::create(&path, &NewEngagement::named("Cloud"), ctx()).unwrap());
    let mut s = Session::open_read_only(&path, ctx()).unwrap();
    let err = s
        .update_engagement(EngagementField::CspName, "x")
        .unwrap_err();
    assert!(matches!(err, Error::Internal(_)), "{err:?}");
    assert!(!err.is_user_error());
}

/// A damaged file: the name, how it was damaged, and whether SQLite only notices when the
/// damaged pages are read (the header check catches the rest before SQLite opens the file).
fn damage(path: &Path, how: &str) {
    let mut bytes = std::fs::read(path).unwrap();
    match how {
        "zero-length" => bytes.clear(),
        "text" => bytes = b"meeting notes, not a database\n".repeat(50),
        "cut inside the header" => bytes.truncate(50),
        "cut in half" => bytes.truncate(bytes.len() / 2),
        "garbage in the middle" => {
            // The middle third overwritten; the header and the schema page stay readable.
            let (from, to) = (bytes.len() / 3, 2 * bytes.len() / 3);
            for b in &mut bytes[from..to] {
                *b = 0xA5;
            }
        }
        other => panic!("unknown damage {other}"),
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn damaged_files_are_user_errors_naming_the_file_without_sql() {
    let cases = [
        ("zero-length", "not an Assay engagement file"),
        ("text", "not an Assay engagement file"),
        (
            "cut inside the header",
            "is damaged: it ends after 50 bytes",
        ),
        ("cut in half", "is damaged: it is"),
        ("garbage in the middle", "is damaged"),
    ];
    for (how, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let (path, s) = session_with_history(dir.path());
        drop(s);
        damage(&path, how);
        // Reading everything `info` and the log read, then a write.
        let read = Session::open_read_only(&path, ctx())
            .and_then(|s| s.info().and_then(|_| s.verify_audit_log()))
            .map(|_| ())
            .map_err(|e| e.in_file(&path));
        let write = Session::open(&path, ctx())
            .and_then(|mut s| s.update_engagement(EngagementField::CspName, "x"))
            .map(|_| ())
            .map_err(|e| e.in_file(&path));
        for (what, result) in [("read", read), ("write", write)] {
            let err = result.expect_err(&format!("{how}: the {what} succeeded"));
            let msg = err.to_string();
            assert!(err.is_user_error(), "{how} ({what}): exit 2 for {err:?}");
            assert!(msg.contains(expected), "{how} ({what}): {msg}");
            assert!(
                msg.contains(&path.display().to_string()),
                "{how} ({what}): {msg}"
            );
            for sql in ["SELECT", "INSERT", "CREATE", "UPDATE"] {
                assert!(!msg.contains(sql), "{how} ({what}) shows SQL: {msg}");
            }
        }
    }
}

#[test]
fn sqlite_errors_map_to_named_user_errors_and_never_show_sql() {
    use rusqlite::ffi;
    let failure = |code| rusqlite::Error::SqliteFailure(ffi::Error::new(code), None);
    let file = Path::new("/cases/e.assay");
    let cases = [
        (
            ffi::SQLITE_BUSY,
            "/cases/e.assay is in use by another Assay process",
        ),
        (
            ffi::SQLITE_LOCKED,
            "/cases/e.assay is in use by another Assay process",
        ),
        (ffi::SQLITE_CORRUPT, "/cases/e.assay is damaged"),
        (ffi::SQLITE_NOTADB, "/cases/e.assay is damaged"),
        (ffi::SQLITE_READONLY, "/cases/e.assay cannot be changed"),
        (ffi::SQLITE_FULL, "/cases/e.assay: the disk is full"),
        (ffi::SQLITE_CANTOPEN, "/cases/e.assay: cannot open"),
    ];
    for (code, expected) in cases {
        let err = Error::from(failure(code)).in_file(file);
        assert!(err.is_user_error(), "{code}: {err:?}");
        assert!(err.to_string().starts_with(expected), "{code}: {err}");
    }
    // rusqlite puts the statement into its message for a bad statement; Assay's does not.
    let bad = rusqlite::Error::SqlInputError {
        error: ffi::Error::new(ffi::SQLITE_ERROR),
        msg: "near \"SELEC\": syntax error".into(),
        sql: "SELEC * FROM finding".into(),
        offset: 0,
    };
    let err = Error::from(bad);
    assert!(!err.is_user_error());
    assert_eq!(
        err.to_string(),
        "database error: near \"SELEC\": syntax error"
    );
}

/// 60 writers, each with its own connection, add a finding at once: every one succeeds and the
/// numbers are 1..=60 without gaps or repeats (they are read under the write lock).
#[test]
fn concurrent_writers_get_distinct_consecutive_finding_numbers() {
    use crate::model::testing::{NewFinding, RiskLevel};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.assay");
    drop(Session::create(&path, &NewEngagement::named("Cloud"), ctx()).unwrap());
    let barrier = std::sync::Barrier::new(60);
    let refs: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..60)
            .map(|i| {
                let (path, barrier) = (&path, &barrier);
                scope.spawn(move || {
                    let mut s = Session::open(path, Context::system("writer")).unwrap();
                    barrier.wait();
                    let new =
                        NewFinding::new(&format!("finding {i}"), RiskLevel::Low, RiskLevel::Low);
                    s.add_finding(&new).map(|f| f.reference)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap().unwrap())
            .collect()
    });
    let mut refs = refs;
    refs.sort();
    let expected: Vec<String> = (1..=60).map(|n| format!("F-{n:03}")).collect();
    assert_eq!(refs, expected);
}
