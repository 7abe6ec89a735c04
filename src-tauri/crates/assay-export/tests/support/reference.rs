//! Compare-or-update against the reference files in the repository's
//! `tests/fixtures/reference/`: the one place that reads, writes and diffs them.
//!
//! A reference is compared byte for byte. With `ASSAY_UPDATE_REFERENCES=1` the file is rewritten
//! instead (only when it changed), so an intended change shows up in `git diff` for review.

use std::path::PathBuf;

/// The environment variable that rewrites the reference files instead of comparing.
pub const UPDATE_VAR: &str = "ASSAY_UPDATE_REFERENCES";

/// The folder the reference files live in, relative to the repository root.
pub const REFERENCE_DIR: &str = "tests/fixtures/reference";

/// Lines of context shown before the first difference, and changed lines shown per side.
const CONTEXT: usize = 3;
const SHOWN: usize = 12;

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../..")
        .join(REFERENCE_DIR)
        .join(name)
}

fn updating() -> bool {
    std::env::var(UPDATE_VAR).is_ok_and(|v| v == "1")
}

/// Checks `actual` against the reference file `name`, or rewrites the file when
/// `ASSAY_UPDATE_REFERENCES=1`. Panics with a short diff and the way to update otherwise.
pub fn check(name: &str, actual: &str) {
    let file = path(name);
    if updating() {
        let current = std::fs::read_to_string(&file).ok();
        if current.as_deref() != Some(actual) {
            // Write beside the file and rename, so a reader never sees half a file.
            let tmp = file.with_extension("tmp");
            std::fs::write(&tmp, actual).unwrap_or_else(|e| panic!("{}: {e}", tmp.display()));
            std::fs::rename(&tmp, &file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            eprintln!("updated {REFERENCE_DIR}/{name}");
        }
        return;
    }
    let expected = match std::fs::read_to_string(&file) {
        Ok(s) => s,
        Err(e) => panic!(
            "{REFERENCE_DIR}/{name}: cannot read the reference ({e}).\n{}",
            hint()
        ),
    };
    if let Some(diff) = diff(&expected, actual) {
        panic!(
            "the output differs from {REFERENCE_DIR}/{name}:\n{diff}\n{}",
            hint()
        );
    }
}

fn hint() -> String {
    format!(
        "If the change is intended, re-run with {UPDATE_VAR}=1 \
         (`{UPDATE_VAR}=1 cargo test -p assay-export --test reference`) \
         and review `git diff {REFERENCE_DIR}`."
    )
}

/// A short unified-style diff of the first differing region of two texts (`-` expected, `+`
/// actual), or `None` when they are equal. The region runs from the first differing line to the
/// last one (after the common prefix and suffix), so one changed line shows as one `-` and one `+`.
pub fn diff(expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    let old: Vec<&str> = expected.split('\n').collect();
    let new: Vec<&str> = actual.split('\n').collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let removed = &old[prefix..old.len() - suffix];
    let added = &new[prefix..new.len() - suffix];
    let from = prefix.saturating_sub(CONTEXT);
    let mut out = format!(
        "@@ -{},{} +{},{} @@\n",
        prefix + 1,
        removed.len(),
        prefix + 1,
        added.len()
    );
    for line in &old[from..prefix] {
        out.push_str(&format!(" {line}\n"));
    }
    for (sign, lines) in [('-', removed), ('+', added)] {
        for line in lines.iter().take(SHOWN) {
            out.push_str(&format!("{sign}{line}\n"));
        }
        if lines.len() > SHOWN {
            out.push_str(&format!("{sign}… {} more line(s)\n", lines.len() - SHOWN));
        }
    }
    Some(out)
}
