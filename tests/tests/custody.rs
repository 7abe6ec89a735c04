//! The anchored audit log, attacked by a forger who holds the engagement file, knows the schema
//! and the hash format, and edits it with SQLite directly (dropping Assay's triggers first, as a
//! forger would). Every rewrite in the table must make `assay verify-log --deep` exit 1 naming
//! what it found; the honest file must pass. Also: the head's triggers, writes refused with
//! exit 1 when the head is gone, and the package's copy of the sealed log.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use assay_e2e::{assay, stderr, stdout};
use assay_model::audit::AuditRecord;
use rusqlite::{params, Connection};

const TRIGGERS: &[&str] = &[
    "audit_log_no_update",
    "audit_log_no_delete",
    "audit_head_no_delete",
    "audit_head_next_only",
    "audit_head_first_only",
    "audit_checkpoint_no_update",
    "audit_checkpoint_no_delete",
];

fn ok(args: &[&str]) -> String {
    let o = assay(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

/// An engagement with findings and evidence, sealed with the key in `keys` after the third
/// finding, then two more changes after the seal.
fn honest_engagement(dir: &Path, keys: &Path) -> PathBuf {
    let f = dir.join("honest.assay");
    let fs = f.to_str().unwrap();
    let keys = keys.to_str().unwrap();
    ok(&["new", fs, "--name", "Custody"]);
    for (title, level) in [
        ("Weak TLS", "high"),
        ("Stale accounts", "moderate"),
        ("No MFA", "high"),
    ] {
        ok(&[
            "finding",
            "add",
            fs,
            "--title",
            title,
            "--likelihood",
            level,
            "--impact",
            level,
        ]);
    }
    let evidence = dir.join("screenshot.txt");
    std::fs::write(&evidence, "MFA settings page, 2026-04-07").unwrap();
    ok(&[
        "evidence",
        "add",
        fs,
        evidence.to_str().unwrap(),
        "--title",
        "MFA page",
    ]);
    ok(&["seal", fs, "--key-dir", keys]);
    ok(&[
        "finding",
        "add",
        fs,
        "--title",
        "Verbose errors",
        "--likelihood",
        "low",
        "--impact",
        "low",
    ]);
    f
}

fn forger(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    for t in TRIGGERS {
        conn.execute_batch(&format!("DROP TRIGGER IF EXISTS {t};"))
            .unwrap();
    }
    conn
}

fn records(conn: &Connection) -> Vec<AuditRecord> {
    let mut stmt = conn
        .prepare(
            "SELECT seq, at, actor, entity, entity_id, action, summary, before, after, prev_hash, \
             hash, row_hash FROM audit_log ORDER BY seq",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok(AuditRecord {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            entity: r.get(3)?,
            entity_id: r.get(4)?,
            action: r.get(5)?,
            summary: r.get(6)?,
            before: r.get(7)?,
            after: r.get(8)?,
            prev_hash: r.get(9)?,
            hash: r.get(10)?,
            row_hash: r.get(11)?,
        })
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// The forger's fix-up: renumbers the records 1.., recomputes every link and hash, and moves
/// the head to the new end, so the chain and the head are consistent again.
fn rechain(conn: &Connection) {
    let all = records(conn);
    conn.execute("DELETE FROM audit_log", []).unwrap();
    let mut prev = assay_model::audit::GENESIS_HASH.to_owned();
    for (seq, mut r) in (1u32..).zip(all) {
        r.seq = seq;
        r.prev_hash = prev.clone();
        r.hash = r.compute_hash();
        conn.execute(
            "INSERT INTO audit_log (seq, at, actor, entity, entity_id, action, summary, before, \
             after, prev_hash, hash, row_hash) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
            params![
                r.seq,
                r.at,
                r.actor,
                r.entity,
                r.entity_id,
                r.action,
                r.summary,
                r.before,
                r.after,
                r.prev_hash,
                r.hash,
                r.row_hash
            ],
        )
        .unwrap();
        prev = r.hash;
    }
    let count: u32 = conn
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    conn.execute("DELETE FROM audit_head", []).unwrap();
    if count > 0 {
        conn.execute(
            "INSERT INTO audit_head (id, count, hash) VALUES (1, ?1, ?2)",
            params![count, prev],
        )
        .unwrap();
    }
}

fn sealed_count(conn: &Connection) -> u32 {
    conn.query_row("SELECT max(count) FROM audit_checkpoint", [], |r| r.get(0))
        .unwrap()
}

fn first_finding(conn: &Connection) -> String {
    conn.query_row("SELECT id FROM finding ORDER BY number LIMIT 1", [], |r| {
        r.get(0)
    })
    .unwrap()
}

type Forgery = fn(&Connection);

/// A package's files as (path, bytes).
type Files = Vec<(String, Vec<u8>)>;

/// A forger's edit of a package's files.
type Edit<'a> = dyn Fn(&mut Files) + 'a;

/// The rewrites, each with what `verify-log --deep` must name.
fn forgeries() -> Vec<(&'static str, Forgery, &'static str)> {
    vec![
        (
            "edit a record's summary",
            |c| {
                c.execute(
                    "UPDATE audit_log SET summary = 'nothing happened' WHERE seq = 2",
                    [],
                )
                .unwrap();
            },
            "record 2: its contents do not match its hash",
        ),
        (
            "edit a sealed record and recompute the chain",
            |c| {
                c.execute(
                    "UPDATE audit_log SET summary = 'nothing happened' WHERE seq = 2",
                    [],
                )
                .unwrap();
                rechain(c);
            },
            "rewritten: record",
        ),
        (
            "backdate a sealed record and recompute the chain",
            |c| {
                c.execute(
                    "UPDATE audit_log SET at = '2020-01-01T00:00:00Z' WHERE seq = 3",
                    [],
                )
                .unwrap();
                rechain(c);
            },
            "rewritten: record",
        ),
        (
            "change a sealed record's actor and recompute the chain",
            |c| {
                c.execute(
                    "UPDATE audit_log SET actor = 'someone else' WHERE seq = 1",
                    [],
                )
                .unwrap();
                rechain(c);
            },
            "rewritten: record",
        ),
        (
            "insert a forged record into the sealed part, renumber and recompute",
            |c| {
                c.execute("UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 3", [])
                    .unwrap();
                c.execute(
                    "INSERT INTO audit_log SELECT 3, at, actor, entity, entity_id, action, \
                     'risk adjusted High to Low', before, after, prev_hash, hash, row_hash \
                     FROM audit_log WHERE seq = 2",
                    [],
                )
                .unwrap();
                rechain(c);
            },
            "rewritten: record",
        ),
        (
            "delete a sealed record in the middle, renumber and recompute",
            |c| {
                c.execute("DELETE FROM audit_log WHERE seq = 2", [])
                    .unwrap();
                rechain(c);
            },
            "checkpoint 1",
        ),
        (
            "swap two records",
            |c| {
                c.execute("UPDATE audit_log SET seq = -1 WHERE seq = 2", [])
                    .unwrap();
                c.execute("UPDATE audit_log SET seq = 2 WHERE seq = 3", [])
                    .unwrap();
                c.execute("UPDATE audit_log SET seq = 3 WHERE seq = -1", [])
                    .unwrap();
            },
            "record 2:",
        ),
        (
            "delete the tail into the sealed part and fix audit_head",
            |c| {
                let keep = sealed_count(c) - 2;
                c.execute("DELETE FROM audit_log WHERE seq > ?1", [keep])
                    .unwrap();
                rechain(c);
            },
            "truncated",
        ),
        (
            "delete the newest record without fixing audit_head",
            |c| {
                c.execute(
                    "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)",
                    [],
                )
                .unwrap();
            },
            "records at the end were deleted",
        ),
        (
            "wipe the whole log and its head",
            |c| {
                c.execute("DELETE FROM audit_log", []).unwrap();
                c.execute("DELETE FROM audit_head", []).unwrap();
            },
            "the log was wiped",
        ),
        (
            "wipe the log, its head and the checkpoints",
            |c| {
                c.execute("DELETE FROM audit_log", []).unwrap();
                c.execute("DELETE FROM audit_head", []).unwrap();
                c.execute("DELETE FROM audit_checkpoint", []).unwrap();
            },
            "the log was wiped",
        ),
        (
            "delete audit_head",
            |c| {
                c.execute("DELETE FROM audit_head", []).unwrap();
            },
            "audit_head) is missing",
        ),
        (
            "move audit_head back one record",
            |c| {
                c.execute(
                    "UPDATE audit_head SET count = count - 1, \
                 hash = (SELECT hash FROM audit_log WHERE seq = audit_head.count - 1)",
                    [],
                )
                .unwrap();
            },
            "should hold",
        ),
        (
            "append a forged \"risk adjusted High to Low\" with a correct chain",
            |c| {
                let id = first_finding(c);
                let last = records(c).pop().unwrap();
                let mut r = AuditRecord {
                    seq: last.seq + 1,
                    at: last.at.clone(),
                    actor: "e2e-tester".into(),
                    entity: "finding".into(),
                    entity_id: id,
                    action: "risk-adjust".into(),
                    summary: "risk adjusted High to Low".into(),
                    before: String::new(),
                    after: String::new(),
                    prev_hash: last.hash.clone(),
                    hash: String::new(),
                    row_hash: Some("ab".repeat(32)),
                };
                r.hash = r.compute_hash();
                c.execute(
                    "INSERT INTO audit_log VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
                    params![
                        r.seq,
                        r.at,
                        r.actor,
                        r.entity,
                        r.entity_id,
                        r.action,
                        r.summary,
                        r.before,
                        r.after,
                        r.prev_hash,
                        r.hash,
                        r.row_hash
                    ],
                )
                .unwrap();
                c.execute(
                    "UPDATE audit_head SET count = ?1, hash = ?2",
                    params![r.seq, r.hash],
                )
                .unwrap();
            },
            "was changed outside Assay",
        ),
        (
            "append a forged record without a row hash, chain correct",
            |c| {
                let id = first_finding(c);
                let last = records(c).pop().unwrap();
                let mut r = last.clone();
                r.seq += 1;
                r.entity = "finding".into();
                r.entity_id = id;
                r.summary = "risk adjusted High to Low".into();
                r.prev_hash = last.hash;
                r.row_hash = None;
                r.hash = r.compute_hash();
                c.execute(
                    "INSERT INTO audit_log VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
                    params![
                        r.seq,
                        r.at,
                        r.actor,
                        r.entity,
                        r.entity_id,
                        r.action,
                        r.summary,
                        r.before,
                        r.after,
                        r.prev_hash,
                        r.hash,
                        r.row_hash
                    ],
                )
                .unwrap();
                c.execute(
                    "UPDATE audit_head SET count = ?1, hash = ?2",
                    params![r.seq, r.hash],
                )
                .unwrap();
            },
            "without a row hash",
        ),
        (
            "change a finding's risk directly in the data",
            |c| {
                c.execute("UPDATE finding SET risk = 'low' WHERE number = 1", [])
                    .unwrap();
            },
            "was changed outside Assay",
        ),
        (
            "change a finding's stored JSON (its adjustment) directly",
            |c| {
                c.execute(
                "UPDATE finding SET data = replace(data, '\"high\"', '\"low\"') WHERE number = 1",
                [],
            )
            .unwrap();
            },
            "was changed outside Assay",
        ),
        (
            "delete a finding row",
            |c| {
                c.execute("DELETE FROM finding_objective", []).unwrap();
                c.execute("DELETE FROM finding WHERE number = 2", [])
                    .unwrap();
            },
            "was deleted outside Assay",
        ),
        (
            "change evidence metadata directly",
            |c| {
                c.execute("UPDATE evidence SET collected_by = 'nobody'", [])
                    .unwrap();
            },
            "evidence ",
        ),
        (
            "delete the checkpoint",
            |c| {
                c.execute("DELETE FROM audit_checkpoint", []).unwrap();
            },
            "was deleted from the engagement",
        ),
        (
            "edit the checkpoint's count without re-signing",
            |c| {
                c.execute("UPDATE audit_checkpoint SET count = count - 1", [])
                    .unwrap();
            },
            "signature does not verify",
        ),
        (
            "re-sign the checkpoint with another key",
            |c| {
                let key = assay_package::key_from_seed([0x66; 32]);
                let info = assay_package::describe_public_key(&key);
                let (engagement, count, hash, at): (String, u32, String, String) = c
                    .query_row(
                        "SELECT engagement_id, count, hash, at FROM audit_checkpoint",
                        [],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                    )
                    .unwrap();
                let bytes = assay_model::audit::Checkpoint {
                    engagement_id: engagement,
                    count,
                    hash,
                    at,
                }
                .signed_bytes();
                let signature = assay_package::sign_message(&key, &bytes);
                c.execute(
                    "UPDATE audit_checkpoint SET public_key = ?1, fingerprint = ?2, signature = ?3",
                    params![info.public_key_hex, info.fingerprint, signature],
                )
                .unwrap();
            },
            "neither your signing key nor a pinned signer",
        ),
        (
            "rewrite a sealed record and re-sign the checkpoint with another key",
            |c| {
                c.execute(
                    "UPDATE audit_log SET summary = 'rewritten' WHERE seq = 2",
                    [],
                )
                .unwrap();
                rechain(c);
                let key = assay_package::key_from_seed([0x67; 32]);
                let info = assay_package::describe_public_key(&key);
                let (engagement, count, at): (String, u32, String) = c
                    .query_row(
                        "SELECT engagement_id, count, at FROM audit_checkpoint",
                        [],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .unwrap();
                let hash: String = c
                    .query_row("SELECT hash FROM audit_log WHERE seq = ?1", [count], |r| {
                        r.get(0)
                    })
                    .unwrap();
                let bytes = assay_model::audit::Checkpoint {
                    engagement_id: engagement,
                    count,
                    hash: hash.clone(),
                    at,
                }
                .signed_bytes();
                let signature = assay_package::sign_message(&key, &bytes);
                c.execute(
                    "UPDATE audit_checkpoint SET hash = ?1, public_key = ?2, fingerprint = ?3, \
                 signature = ?4",
                    params![hash, info.public_key_hex, info.fingerprint, signature],
                )
                .unwrap();
            },
            "neither your signing key nor a pinned signer",
        ),
    ]
}

#[test]
fn every_rewrite_of_the_log_or_the_data_is_reported_and_the_honest_file_passes() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let honest = honest_engagement(dir.path(), &keys);
    let verify = |f: &Path| {
        assay(&[
            "verify-log",
            f.to_str().unwrap(),
            "--deep",
            "--key-dir",
            keys.to_str().unwrap(),
        ])
    };
    let o = verify(&honest);
    assert!(o.status.success(), "the honest file passes: {}", stderr(&o));
    assert!(stdout(&o).contains("1 checkpoints"), "{}", stdout(&o));

    let cases = forgeries();
    assert_eq!(cases.len(), 23, "the table covers the 23 rewrites");
    for (i, (what, forge, needle)) in cases.into_iter().enumerate() {
        let copy = dir.path().join(format!("forged-{i}.assay"));
        std::fs::copy(&honest, &copy).unwrap();
        {
            let conn = forger(&copy);
            forge(&conn);
        }
        let o = verify(&copy);
        let err = stderr(&o);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{what}: must be reported, got: {}{err}",
            stdout(&o)
        );
        assert!(err.contains(needle), "{what}: {needle:?} not in:\n{err}");
        assert!(
            err.lines().all(|l| l.starts_with(copy.to_str().unwrap())),
            "{what}: every line names the file:\n{err}"
        );
    }
}

/// Assay's own triggers refuse what the forger above had to drop them for; a head that is gone
/// refuses the next write with exit 1 naming the file, instead of an internal error.
#[test]
fn the_head_is_protected_and_a_missing_head_refuses_writes_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let f = honest_engagement(dir.path(), &keys);
    {
        let conn = Connection::open(&f).unwrap();
        for sql in [
            "DELETE FROM audit_head",
            "UPDATE audit_head SET count = count - 1",
            "UPDATE audit_head SET hash = 'x'",
            "DELETE FROM audit_checkpoint",
            "UPDATE audit_checkpoint SET count = 0",
            "UPDATE audit_log SET summary = 'x' WHERE seq = 1",
        ] {
            let e = conn.execute(sql, []).unwrap_err().to_string();
            assert!(e.contains("audit"), "{sql}: refused by a trigger: {e}");
        }
        conn.execute_batch("DROP TRIGGER audit_head_no_delete; DELETE FROM audit_head;")
            .unwrap();
    }
    let o = assay(&[
        "finding",
        "add",
        f.to_str().unwrap(),
        "--title",
        "After",
        "--likelihood",
        "low",
        "--impact",
        "low",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(f.to_str().unwrap()) && err.contains("audit log is damaged"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    let count: u32 = Connection::open(&f)
        .unwrap()
        .query_row("SELECT count(*) FROM finding", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 4, "nothing was stored");
}

/// The package carries the log as sealed and the signed checkpoint. A forger who holds the
/// package and even the signing key (here: the demo's published key) cannot change the
/// packaged log without the checkpoint noticing, nor swap in a checkpoint from another key;
/// and the package copy still verifies after the engagement's own log is wiped.
#[test]
fn the_package_carries_the_sealed_log_and_verify_checks_it_against_the_checkpoint() {
    use sha2::Digest;
    let baselines = assay_testkit::require_fedramp_baselines!();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let o = assay_e2e::assay_with_env(
        &["demo", out.to_str().unwrap()],
        &[("ASSAY_BASELINES", baselines.to_str().unwrap())],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let package = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "zip"))
        .unwrap();
    let key = assay_package::key_from_seed(
        sha2::Sha256::digest(b"Assay demo 3PAO signing key (not secret)").into(),
    );
    let fp = assay_package::describe_public_key(&key).fingerprint;
    let verify = |p: &Path| assay(&["verify", p.to_str().unwrap(), "--key", &fp]);
    let o = verify(&package);
    assert!(o.status.success(), "{}", stderr(&o));

    // The packaged files, to rebuild the package as the forger.
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&package).unwrap()).unwrap();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        files.push((entry.name().unwrap().into_owned(), bytes));
    }
    let manifest: serde_json::Value = serde_json::from_slice(&files[0].1).unwrap();
    let meta: assay_package::PackageMeta =
        serde_json::from_value(manifest["package"].clone()).unwrap();
    let log_index = files
        .iter()
        .position(|(n, _)| n == "Custody/audit-log.jsonl")
        .unwrap();
    let checkpoint_index = files
        .iter()
        .position(|(n, _)| n == "Custody/audit-checkpoint.json")
        .unwrap();
    let log = String::from_utf8(files[log_index].1.clone()).unwrap();
    let checkpoint: serde_json::Value = serde_json::from_slice(&files[checkpoint_index].1).unwrap();
    assert_eq!(
        log.lines().count() as u64,
        checkpoint["count"].as_u64().unwrap(),
        "the package holds exactly the sealed records"
    );

    let rebuild = |edit: &dyn Fn(&mut Files)| {
        let mut f = files[2..].to_vec();
        edit(&mut f);
        let entries: Vec<assay_package::PackageFile<'_>> = f
            .iter()
            .map(|(n, b)| assay_package::PackageFile::new(n.clone(), &b[..]))
            .collect();
        let bytes = assay_package::build_package(&entries, &meta, &key).unwrap();
        let path = dir.path().join("forged.zip");
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let other = assay_package::key_from_seed([0x66; 32]);
    let other_info = assay_package::describe_public_key(&other);
    let cases: Vec<(&str, Box<Edit<'_>>, &str)> = vec![
        (
            "a record of the packaged log edited",
            Box::new(|f| {
                let log = String::from_utf8(f[log_index - 2].1.clone()).unwrap();
                f[log_index - 2].1 = log
                    .replacen("\"summary\":\"", "\"summary\":\"not ", 1)
                    .into_bytes();
            }),
            "Custody/audit-log.jsonl: record 1",
        ),
        (
            "the newest sealed records dropped",
            Box::new(|f| {
                let log = String::from_utf8(f[log_index - 2].1.clone()).unwrap();
                let kept: Vec<&str> = log.lines().take(log.lines().count() - 3).collect();
                f[log_index - 2].1 = format!("{}\n", kept.join("\n")).into_bytes();
            }),
            "records at the end were deleted",
        ),
        (
            "the checkpoint re-signed with another key",
            Box::new(|f| {
                let mut cp: serde_json::Value =
                    serde_json::from_slice(&f[checkpoint_index - 2].1).unwrap();
                let c: assay_model::audit::Checkpoint = serde_json::from_value(cp.clone()).unwrap();
                cp["signature"] = assay_package::sign_message(&other, &c.signed_bytes()).into();
                cp["public_key"] = other_info.public_key_hex.clone().into();
                cp["fingerprint"] = other_info.fingerprint.clone().into();
                f[checkpoint_index - 2].1 = serde_json::to_vec_pretty(&cp).unwrap();
            }),
            "not signed by the package's signer",
        ),
        (
            "the log and checkpoint removed",
            Box::new(|f| f.retain(|(n, _)| !n.starts_with("Custody/"))),
            "carries no sealed audit log",
        ),
    ];
    for (what, edit, needle) in &cases {
        let forged = rebuild(edit.as_ref());
        let o = verify(&forged);
        assert_eq!(o.status.code(), Some(1), "{what}: {}", stdout(&o));
        assert!(
            stderr(&o).contains(needle),
            "{what}: {needle:?} not in {}",
            stderr(&o)
        );
    }

    // Wiping the engagement's log is reported by verify-log; the package copy still verifies
    // and still holds the sealed log.
    let engagement = out.join("demo.assay");
    {
        let conn = forger(&engagement);
        conn.execute_batch(
            "DELETE FROM audit_log; DELETE FROM audit_head; DELETE FROM audit_checkpoint;",
        )
        .unwrap();
    }
    let o = assay(&["verify-log", engagement.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("wiped"), "{}", stderr(&o));
    assert!(verify(&package).status.success());
}

/// A row changed outside Assay (a finding's risk lowered with sqlite3) is never sealed and
/// signed: `assay package` refuses, names the row, and writes no package.
#[test]
fn a_package_is_refused_while_data_rows_disagree_with_the_log() {
    let baselines = assay_testkit::require_fedramp_baselines!();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let o = assay_e2e::assay_with_env(
        &["demo", out.to_str().unwrap()],
        &[("ASSAY_BASELINES", baselines.to_str().unwrap())],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let file = out.join("demo.assay");
    let conn = rusqlite::Connection::open(&file).unwrap();
    let changed = conn
        .execute(
            "UPDATE finding SET risk = 'low', data = replace(data, '\"moderate\"', '\"low\"') \
             WHERE number = 1",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(conn);
    let keys = dir.path().join("keys");
    let zip = dir.path().join("forged.zip");
    let o = assay(&[
        "package",
        file.to_str().unwrap(),
        zip.to_str().unwrap(),
        "--key-dir",
        keys.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let said = stderr(&o);
    assert!(
        said.contains("was changed outside Assay") && said.contains("demo.assay"),
        "{said}"
    );
    assert!(!zip.exists(), "no package was written");
}
