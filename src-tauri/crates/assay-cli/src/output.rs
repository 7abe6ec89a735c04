//! Printing for people and for scripts.
//!
//! Invariant: everything for stdout goes through [`outln!`], which returns the write's
//! error instead of panicking, so a closed stdout (`assay log F | head -1`) ends the command
//! quietly (see `main`).

/// `println!` that returns `std::io::Result<()>` instead of panicking when stdout is closed.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// True when `err` is stdout (or stderr) having been closed by the reader: not a failure of
/// the command, so `main` exits quietly.
pub fn is_closed_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

use serde::Serialize;

/// Prints `value` as the single JSON document on stdout.
pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    outln!("{}", serde_json::to_string_pretty(value)?)?;
    Ok(())
}

/// Prints aligned `label: value` lines.
pub fn print_fields(rows: &[(&str, String)]) -> std::io::Result<()> {
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (k, v) in rows {
        let shown = if v.is_empty() { "—" } else { v.as_str() };
        outln!("{k:<width$}  {shown}")?;
    }
    Ok(())
}

/// Prints an error as the one line on stderr the contract asks for: `assay: MESSAGE`.
pub fn print_error(err: &dyn std::fmt::Display) {
    eprintln!("assay: {err}");
}
