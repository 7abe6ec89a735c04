//! Progress on stderr: a bar when stderr is a terminal, a plain line per 10% otherwise.

use std::cell::Cell;
use std::io::{IsTerminal, Write};

/// Reports progress of one long step.
pub struct Progress {
    label: String,
    tty: bool,
    last: Cell<u64>,
}

impl Progress {
    /// A reporter for the step named `label`.
    pub fn new(label: &str) -> Self {
        Progress {
            label: label.to_owned(),
            tty: std::io::stderr().is_terminal(),
            last: Cell::new(u64::MAX),
        }
    }

    /// Records that `done` of `total` bytes are processed.
    pub fn update(&self, done: u64, total: u64) {
        let percent = done.saturating_mul(100).checked_div(total).unwrap_or(100);
        let mut err = std::io::stderr().lock();
        if self.tty {
            if percent != self.last.get() {
                let filled = (percent / 4) as usize;
                let _ = write!(
                    err,
                    "\r{} [{}{}] {percent:>3}%",
                    self.label,
                    "#".repeat(filled),
                    " ".repeat(25 - filled.min(25))
                );
                if percent >= 100 {
                    let _ = writeln!(err);
                }
            }
        } else if percent / 10 != self.last.get() / 10 || self.last.get() == u64::MAX {
            let _ = writeln!(err, "{}: {percent}%", self.label);
        }
        self.last.set(percent);
    }
}
