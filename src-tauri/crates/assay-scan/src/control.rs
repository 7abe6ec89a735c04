//! Progress reporting and cancellation, and the counting reader that drives both.
//!
//! Invariant: [`Counting`] counts exactly the bytes its consumer has consumed, plus the
//! newlines among them, so error places (line, byte offset) match what was parsed.

use std::io::{self, BufRead, Read};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::ScanError;

/// Caller-supplied hooks for a parse.
#[derive(Clone, Copy, Default)]
pub struct Control<'a> {
    /// Called with the number of bytes read so far (about every 256 KiB and at the end).
    pub progress: Option<&'a dyn Fn(u64)>,
    /// When set to true the parse stops with [`ScanError::Cancelled`] at the next record.
    pub cancel: Option<&'a AtomicBool>,
}

impl std::fmt::Debug for Control<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control")
            .field("progress", &self.progress.is_some())
            .field("cancel", &self.cancel.map(|c| c.load(Ordering::Relaxed)))
            .finish()
    }
}

impl Control<'_> {
    /// Returns `Err(Cancelled)` when the cancel flag is raised.
    pub fn check(&self) -> Result<(), ScanError> {
        match self.cancel {
            Some(flag) if flag.load(Ordering::Relaxed) => Err(ScanError::Cancelled),
            _ => Ok(()),
        }
    }
}

const PROGRESS_EVERY: u64 = 256 * 1024;

/// A `BufRead` wrapper counting consumed bytes and newlines, reporting progress.
pub(crate) struct Counting<'a, R> {
    inner: R,
    consumed: u64,
    newlines: u64,
    /// Offset just after the last newline consumed (for columns).
    line_start: u64,
    next_report: u64,
    progress: Option<&'a dyn Fn(u64)>,
}

impl<'a, R: BufRead> Counting<'a, R> {
    pub(crate) fn new(inner: R, ctl: &Control<'a>) -> Self {
        Counting {
            inner,
            consumed: 0,
            newlines: 0,
            line_start: 0,
            next_report: PROGRESS_EVERY,
            progress: ctl.progress,
        }
    }

    /// Bytes consumed so far.
    pub(crate) fn offset(&self) -> u64 {
        self.consumed
    }

    /// 1-based line of the current position.
    pub(crate) fn line(&self) -> u64 {
        self.newlines + 1
    }

    /// 1-based column (in bytes) of the current position.
    pub(crate) fn column(&self) -> u64 {
        self.consumed - self.line_start + 1
    }

    /// Reports final progress.
    pub(crate) fn finish(&self) {
        if let Some(p) = self.progress {
            p(self.consumed);
        }
    }
}

impl<R: BufRead> Read for Counting<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let avail = self.inner.fill_buf()?;
            let n = avail.len().min(out.len());
            out[..n].copy_from_slice(&avail[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<'_, R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if amt > 0 {
            // The bytes about to be consumed are still at the front of the inner buffer, so
            // re-reading it here performs no I/O.
            if let Ok(buf) = self.inner.fill_buf() {
                let chunk = &buf[..amt.min(buf.len())];
                let nl = count_newlines(chunk);
                if nl > 0 {
                    self.newlines += nl;
                    if let Some(pos) = chunk.iter().rposition(|&b| b == b'\n') {
                        self.line_start = self.consumed + pos as u64 + 1;
                    }
                }
            }
            self.consumed += amt as u64;
            if self.consumed >= self.next_report {
                self.next_report = self.consumed + PROGRESS_EVERY;
                if let Some(p) = self.progress {
                    p(self.consumed);
                }
            }
        }
        self.inner.consume(amt);
    }
}

/// Newlines in `bytes`; u8 lane accumulators over 255-byte blocks let the compiler
/// vectorise the loop (this runs over every byte of every input).
fn count_newlines(bytes: &[u8]) -> u64 {
    bytes
        .chunks(255)
        .map(|c| u64::from(c.iter().fold(0u8, |acc, &b| acc + u8::from(b == b'\n'))))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newline_count_matches_naive() {
        let data: Vec<u8> = (0..2000u32)
            .map(|i| if i % 7 == 0 { b'\n' } else { b'x' })
            .collect();
        let naive = data.iter().filter(|&&b| b == b'\n').count() as u64;
        assert_eq!(count_newlines(&data), naive);
    }

    #[test]
    fn counts_lines_and_columns() {
        let data = b"ab\ncd\nef";
        let ctl = Control::default();
        let mut c = Counting::new(&data[..], &ctl);
        let mut s = String::new();
        c.read_line(&mut s).unwrap();
        assert_eq!((c.offset(), c.line(), c.column()), (3, 2, 1));
        let mut rest = Vec::new();
        c.read_to_end(&mut rest).unwrap();
        assert_eq!((c.offset(), c.line(), c.column()), (8, 3, 3));
    }
}
