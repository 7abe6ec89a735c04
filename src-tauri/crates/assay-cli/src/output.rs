//! Printing for people and for scripts.

use serde::Serialize;

/// Prints `value` as the single JSON document on stdout.
pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Prints aligned `label: value` lines.
pub fn print_fields(rows: &[(&str, String)]) {
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (k, v) in rows {
        let shown = if v.is_empty() { "—" } else { v.as_str() };
        println!("{k:<width$}  {shown}");
    }
}

/// Prints an error as the one line on stderr the contract asks for: `assay: MESSAGE`.
pub fn print_error(err: &dyn std::fmt::Display) {
    eprintln!("assay: {err}");
}
