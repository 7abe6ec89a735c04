//! Shared by the benches: reading this process's memory figures.

/// A `kB` field of `/proc/self/status` (e.g. `VmHWM:`, the peak resident set), 0 where the file
/// does not exist.
pub fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}
