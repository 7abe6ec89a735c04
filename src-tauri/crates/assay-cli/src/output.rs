//! Printing for people and for scripts.
//!
//! Invariant: everything for stdout goes through [`outln!`], which returns the write's
//! error instead of panicking, so a closed stdout (`assay log F | head -1`) ends the command
//! quietly (see `main`), and everything for stderr through [`errln!`]. Both pass the text
//! through [`terminal_safe`]: names, titles and messages can come from scan files and other
//! inputs, and an escape sequence in them must not reach the user's terminal.

use std::borrow::Cow;

/// `println!` that returns `std::io::Result<()>` instead of panicking when stdout is closed,
/// with control characters and escape sequences removed.
macro_rules! outln {
    () => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock())
    }};
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let line = format!($($arg)*);
        writeln!(std::io::stdout().lock(), "{}", $crate::output::terminal_safe(&line))
    }};
}

/// `eprintln!` with control characters and escape sequences removed; a closed stderr is ignored.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let line = format!($($arg)*);
        let _ = writeln!(std::io::stderr().lock(), "{}", $crate::output::terminal_safe(&line));
    }};
}

/// `text` without what a terminal would act on: ANSI escape sequences (CSI `ESC [ … final`,
/// OSC `ESC ] … BEL` or `ESC ] … ESC \\`, and two-byte `ESC x`), their one-character C1 forms,
/// and every other control character except line feed and tab. Ordinary text is returned as is.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']' | 'P' | 'X' | '^' | '_') => skip_string(&mut chars),
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if unsafe_char(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Skips a control sequence's parameters up to and including its final byte (`@` to `~`).
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) {
            break;
        }
    }
}

/// Skips an operating-system command or other string up to its terminator: BEL, `ESC \\` or
/// the C1 string terminator.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
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
    errln!("assay: {err}");
}

#[cfg(test)]
mod tests {
    use super::terminal_safe;

    #[test]
    fn escape_sequences_and_control_characters_never_reach_the_terminal() {
        let cases = [
            (
                "plain text, tabs\tand\nlines",
                "plain text, tabs\tand\nlines",
            ),
            ("\u{1b}[31mred\u{1b}[0m", "red"),
            ("\u{1b}[2J\u{1b}[1;1Hcleared", "cleared"),
            ("\u{1b}]0;owned title\u{7}after", "after"),
            (
                "\u{1b}]8;;http://attacker.test\u{1b}\\link\u{1b}]8;;\u{1b}\\",
                "link",
            ),
            ("\u{9b}31mC1 CSI", "C1 CSI"),
            ("\u{9d}0;title\u{9c}rest", "rest"),
            (
                "bell\u{7} back\u{8}space\rreturn\u{7f}",
                "bell backspacereturn",
            ),
            ("\u{1b}Pdevice control\u{1b}\\ok", "ok"),
            ("\u{1b}7saved", "saved"),
            ("trailing escape\u{1b}", "trailing escape"),
            ("unterminated \u{1b}]0;title", "unterminated "),
            ("Ünïcödé — ok", "Ünïcödé — ok"),
        ];
        for (input, want) in cases {
            assert_eq!(terminal_safe(input), want, "{input:?}");
        }
    }
}
