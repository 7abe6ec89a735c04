//! Test support for every crate of the workspace: where the shared sample data is, whether the
//! FedRAMP baselines and the external tools a test runs are installed, and what a test does when
//! they are not.
//!
//! A test that reads the sample data (`../shared/data` beside the repository, or
//! `$ASSAY_SHARED_DATA`), the FedRAMP catalogs `.ci/fetch-baselines` installs in
//! `assets/baselines`, or runs an external tool (qpdf, pdftotext, a Python package) starts with
//! one of the `require_*!` macros ([`require_shared_data!`], [`require_fedramp_baselines!`],
//! [`require_bundled_baselines!`], [`require_tool!`], [`require_python_module!`]); a check that
//! covers only part of a test uses [`check_tool_for`] or [`check_python_module_for`]. When what
//! it needs is missing the macro returns from the test after writing ONE line on stderr, for
//! example
//!
//! ```text
//! skipped: every_sample_matches_the_manifest needs ../shared/data (not found at /home/me/shared/data); see README "Sample data"
//! ```
//!
//! so a clone without the sample data still gets a green run of everything else. Under CI (`CI`
//! set to anything but empty, `0` or `false`) the same call panics instead, naming what is
//! missing: CI never passes by skipping.
//!
//! The line goes to the process's stderr directly rather than through `eprintln!`, so libtest's
//! output capture does not swallow it when the test passes.
//!
//! ```ignore
//! #[test]
//! fn every_sample_parses() {
//!     let scans = assay_testkit::require_shared_data!("scans");
//!     assay_testkit::require_tool!("qpdf");
//!     // ...
//! }
//! ```

use std::io::Write;
use std::panic::Location;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Environment variable that overrides where the sample data is looked for.
pub const SHARED_DATA_ENV: &str = "ASSAY_SHARED_DATA";

/// The four FedRAMP Rev5 resolved-profile catalogs `.ci/fetch-baselines` installs.
pub const BUNDLED_BASELINES: [&str; 4] = [
    "FedRAMP_rev5_LI-SaaS-baseline-resolved-profile_catalog.xml",
    "FedRAMP_rev5_LOW-baseline-resolved-profile_catalog.xml",
    "FedRAMP_rev5_MODERATE-baseline-resolved-profile_catalog.xml",
    "FedRAMP_rev5_HIGH-baseline-resolved-profile_catalog.xml",
];

/// The repository's root folder (absolute when it can be resolved): the nearest folder holding
/// `Cargo.lock` above `$CARGO_MANIFEST_DIR`, which cargo sets to the running test's package.
/// Compiled artifacts in a target folder shared by several clones (`.ci/env`) may come from
/// another clone with the same layout, so this crate's compile-time path is only the fallback
/// (a test binary run by hand).
pub fn repo_root() -> PathBuf {
    let root = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .and_then(|dir| {
            dir.ancestors()
                .find(|d| d.join("Cargo.lock").is_file())
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.."));
    root.canonicalize().unwrap_or(root)
}

/// Where the sample data is expected, present or not: `$ASSAY_SHARED_DATA` when set, otherwise
/// `shared/data` beside the repository (`<repo>/../shared/data`).
pub fn shared_data_dir() -> PathBuf {
    match std::env::var_os(SHARED_DATA_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => {
            let root = repo_root();
            match root.parent() {
                Some(parent) => parent.join("shared/data"),
                None => root.join("../shared/data"),
            }
        }
    }
}

/// The sample data folder when it exists. Prints nothing; see [`check_shared_data`].
pub fn shared_data() -> Option<PathBuf> {
    let dir = shared_data_dir();
    dir.is_dir().then_some(dir)
}

/// `rel` inside the sample data folder, present or not (for building paths in helpers; the test
/// itself checks with [`require_shared_data!`]).
pub fn shared(rel: &str) -> PathBuf {
    shared_data_dir().join(rel)
}

/// The repository's `assets/baselines` folder, present or not.
pub fn bundled_baselines_dir() -> PathBuf {
    repo_root().join("assets/baselines")
}

/// True when running under CI: `CI` is set to anything but empty, `0` or `false`.
pub fn under_ci() -> bool {
    match std::env::var("CI") {
        Ok(v) => {
            let v = v.trim();
            !(v.is_empty() || v == "0" || v.eq_ignore_ascii_case("false"))
        }
        Err(_) => false,
    }
}

/// The sample data path `rel` (the folder itself for `""`), or `None` after reporting that the
/// calling test is skipped (a panic under CI). When the sample data folder exists but `rel` does
/// not, this panics everywhere: the data is incomplete or the test names the wrong path.
#[track_caller]
pub fn check_shared_data(rel: &str) -> Option<PathBuf> {
    let root = shared_data_dir();
    if !root.is_dir() {
        let detail = match std::env::var_os(SHARED_DATA_ENV) {
            Some(v) if !v.is_empty() => {
                format!("not found at {}, set by {SHARED_DATA_ENV}", root.display())
            }
            _ => format!("not found at {}", root.display()),
        };
        missing(
            None,
            "../shared/data",
            &detail,
            "see README \"Sample data\"",
            Location::caller(),
        );
        return None;
    }
    if rel.is_empty() {
        return Some(root);
    }
    let path = root.join(rel);
    assert!(
        path.exists(),
        "{} needs {rel} in the sample data, which is not at {} (an incomplete or older copy of \
         shared/data?); see README \"Sample data\"",
        test_name(Location::caller()),
        path.display()
    );
    Some(path)
}

/// For benches and examples (no test to return from): the sample data path `rel`, or the process
/// exits with status 0 after the `skipped:` line (a panic under CI).
#[track_caller]
pub fn shared_data_or_exit(rel: &str) -> PathBuf {
    match check_shared_data(rel) {
        Some(path) => path,
        None => std::process::exit(0),
    }
}

fn has_the_baselines(dir: &Path) -> bool {
    BUNDLED_BASELINES.iter().all(|f| dir.join(f).is_file())
}

/// The repository's `assets/baselines` when it holds the four FedRAMP catalogs, or `None` after
/// reporting that the calling test is skipped (a panic under CI).
#[track_caller]
pub fn check_bundled_baselines() -> Option<PathBuf> {
    let dir = bundled_baselines_dir();
    if has_the_baselines(&dir) {
        return Some(dir);
    }
    missing(
        None,
        "the FedRAMP baselines in assets/baselines",
        &format!("not found at {}", dir.display()),
        "install them with `bash .ci/fetch-baselines`",
        Location::caller(),
    );
    None
}

/// A folder holding the four FedRAMP Rev5 catalogs: `assets/baselines` (what `assay demo` uses)
/// when `.ci/fetch-baselines` has installed them, else the sample data's
/// `baselines/fedramp-rev5/xml`; `None` after reporting that the calling test is skipped (a panic
/// under CI) when neither has them.
#[track_caller]
pub fn check_fedramp_baselines() -> Option<PathBuf> {
    let bundled = bundled_baselines_dir();
    if has_the_baselines(&bundled) {
        return Some(bundled);
    }
    let copy = shared("baselines/fedramp-rev5/xml");
    if has_the_baselines(&copy) {
        return Some(copy);
    }
    missing(
        None,
        "the FedRAMP baselines",
        &format!(
            "found neither at {} nor at {}",
            bundled.display(),
            copy.display()
        ),
        "install them with `bash .ci/fetch-baselines`",
        Location::caller(),
    );
    None
}

/// True when `name` is an executable file on `PATH`. Prints nothing; see [`check_tool`].
pub fn tool_on_path(name: &str) -> bool {
    let Some(path) = std::env::var_os("PATH") else {
        return false;
    };
    std::env::split_paths(&path).any(|dir| is_executable(&dir.join(name)))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file() || path.with_extension("exe").is_file()
}

/// True when the external tool `name` is installed; otherwise reports that the calling test is
/// skipped (a panic under CI) and returns false.
#[track_caller]
pub fn check_tool(name: &str) -> bool {
    tool(None, name, Location::caller())
}

/// Like [`check_tool`] for a part of a test that goes on without it: the line names `part`.
#[track_caller]
pub fn check_tool_for(part: &str, name: &str) -> bool {
    tool(Some(part), name, Location::caller())
}

fn tool(part: Option<&str>, name: &str, at: &Location<'_>) -> bool {
    if tool_on_path(name) {
        return true;
    }
    missing(
        part,
        name,
        "not found on PATH",
        "`bash .ci/setup` installs it",
        at,
    );
    false
}

/// True when `python3 -c "import MODULE"` succeeds; otherwise reports that the calling test is
/// skipped (a panic under CI) and returns false. `package` is what pip installs it as.
#[track_caller]
pub fn check_python_module(module: &str, package: &str) -> bool {
    python_module(None, module, package, Location::caller())
}

/// Like [`check_python_module`] for a part of a test that goes on without it.
#[track_caller]
pub fn check_python_module_for(part: &str, module: &str, package: &str) -> bool {
    python_module(Some(part), module, package, Location::caller())
}

fn python_module(part: Option<&str>, module: &str, package: &str, at: &Location<'_>) -> bool {
    let status = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let detail = match status {
        Ok(s) if s.success() => return true,
        Ok(_) => format!("python3 cannot import {module}"),
        Err(_) => "python3 is not on PATH".to_owned(),
    };
    missing(
        part,
        &format!("the Python package {package}"),
        &detail,
        &format!("install it with `python3 -m pip install {package}` or `bash .ci/setup`"),
        at,
    );
    false
}

/// The running test's name (libtest names the thread after it), else the caller's place.
fn test_name(at: &Location<'_>) -> String {
    match std::thread::current().name() {
        Some(name) if name != "main" => name.to_owned(),
        _ => format!("{}:{}", at.file(), at.line()),
    }
}

/// Reports a missing prerequisite: one `skipped:` line on stderr, or a panic under CI.
fn missing(part: Option<&str>, need: &str, detail: &str, hint: &str, at: &Location<'_>) {
    let test = test_name(at);
    if under_ci() {
        panic!(
            "{test} needs {need} ({detail}); {hint}. CI is set, so a missing prerequisite fails \
             the run instead of skipping the test"
        );
    }
    let who = match part {
        Some(part) => format!("{part} in {test}"),
        None => test,
    };
    // Straight to the process's stderr (eprintln! is captured by libtest for passing tests), in
    // one write so the line does not interleave with libtest's progress output.
    let line = format!("skipped: {who} needs {need} ({detail}); {hint}\n");
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// `require_shared_data!("scans/nessus")` evaluates to that path inside the sample data; when the
/// sample data is missing it returns from the calling function (the test) after one `skipped:`
/// line on stderr, or panics under CI. `require_shared_data!()` gives the folder itself.
#[macro_export]
macro_rules! require_shared_data {
    () => {
        $crate::require_shared_data!("")
    };
    ($rel:expr) => {
        match $crate::check_shared_data($rel) {
            ::std::option::Option::Some(path) => path,
            ::std::option::Option::None => return,
        }
    };
}

/// `require_bundled_baselines!()` evaluates to the repository's `assets/baselines` (the FedRAMP
/// catalogs `.ci/fetch-baselines` installs); when they are missing it returns from the calling
/// test after one `skipped:` line, or panics under CI.
#[macro_export]
macro_rules! require_bundled_baselines {
    () => {
        match $crate::check_bundled_baselines() {
            ::std::option::Option::Some(path) => path,
            ::std::option::Option::None => return,
        }
    };
}

/// `require_fedramp_baselines!()` evaluates to a folder holding the four FedRAMP catalogs
/// (`assets/baselines`, else the sample data's copy); when neither has them it returns from the
/// calling test after one `skipped:` line, or panics under CI.
#[macro_export]
macro_rules! require_fedramp_baselines {
    () => {
        match $crate::check_fedramp_baselines() {
            ::std::option::Option::Some(path) => path,
            ::std::option::Option::None => return,
        }
    };
}

/// `require_tool!("qpdf")` returns from the calling test after one `skipped:` line when the tool
/// is not on PATH, or panics under CI.
#[macro_export]
macro_rules! require_tool {
    ($name:expr) => {
        if !$crate::check_tool($name) {
            return;
        }
    };
}

/// `require_python_module!("trestle", "compliance-trestle")` returns from the calling test after
/// one `skipped:` line when python3 cannot import the module, or panics under CI.
#[macro_export]
macro_rules! require_python_module {
    ($module:expr, $package:expr) => {
        if !$crate::check_python_module($module, $package) {
            return;
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_data_is_looked_for_beside_the_repository() {
        if std::env::var_os(SHARED_DATA_ENV).is_some() {
            return;
        }
        let root = repo_root();
        assert!(root.join("Cargo.toml").is_file(), "{}", root.display());
        assert!(root.join("src-tauri/crates/assay-testkit").is_dir());
        assert_eq!(
            shared_data_dir(),
            root.parent().unwrap().join("shared/data")
        );
        assert_eq!(shared("scans"), shared_data_dir().join("scans"));
        assert_eq!(bundled_baselines_dir(), root.join("assets/baselines"));
    }

    #[test]
    fn a_tool_is_found_only_when_it_is_an_executable_on_path() {
        assert!(!tool_on_path("assay-testkit-no-such-tool"));
        if cfg!(unix) {
            assert!(tool_on_path("sh"));
        }
    }
}
