//! Support for the end-to-end tests: finding the built binaries, running the CLI, and a minimal
//! W3C WebDriver client for driving the desktop app through tauri-driver.
//!
//! The WebDriver client speaks plain HTTP/1.1 over a loopback socket: the handful of endpoints the
//! tests use do not justify an HTTP client dependency.

pub mod crash;
pub mod webdriver;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The cargo target profile directory the test binary runs from (e.g. `target/debug`).
pub fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary knows its own path");
    // target/debug/deps/<test-binary>
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .expect("test binary sits in target/<profile>/deps")
}

/// The `assay` binary built alongside the tests.
pub fn assay_bin() -> PathBuf {
    let bin = target_dir().join("assay");
    assert!(
        bin.is_file(),
        "{} is missing; build it with `cargo build -p assay-cli`",
        bin.display()
    );
    bin
}

/// Runs `assay ARGS` with a fixed actor and returns its output.
pub fn assay(args: &[&str]) -> Output {
    Command::new(assay_bin())
        .args(args)
        .env("ASSAY_ACTOR", "e2e-tester")
        .output()
        .expect("assay runs")
}

/// Runs `assay ARGS` with a fixed actor and extra environment variables.
pub fn assay_with_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(assay_bin());
    cmd.args(args).env("ASSAY_ACTOR", "e2e-tester");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("assay runs")
}

/// Where the shared sample data is expected (../shared/data beside the repository, or
/// `$ASSAY_SHARED_DATA`), present or not: a test that reads it starts with
/// `assay_testkit::require_shared_data!`, which skips it (fails it under CI) when it is missing.
pub fn shared_data() -> PathBuf {
    assay_testkit::shared_data_dir()
}

/// Stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
