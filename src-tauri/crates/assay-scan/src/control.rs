//! Progress reporting and cancellation, and the counting reader that drives both.
//!
//! Invariant: [`Counting`] counts exactly the bytes its consumer has consumed, plus the
//! newlines among them, so error places (line, byte offset) match what was parsed. For JSON
//! formats it also passes every byte through an [`assay_json::Guard`] (duplicate keys, string
//! and depth caps) and holds the record cap ([`Limits::max_record`]); once the parser has
//! consumed the place where a rule is broken, every further read fails, so nothing past the
//! cap is buffered. The guard reads a whole buffer at a time as it is filled, ahead of the
//! parser (serde_json reads one byte per call; a call per byte would double the parse time),
//! and its verdict waits until the parser reaches the offending place, so an earlier syntax
//! error is still the one reported.

use std::cell::Cell;
use std::io::{self, BufRead, Read};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::ScanError;

/// Caps on JSON input, held while reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Strings, numbers, keys and nesting ([`assay_json::Limits::DEFAULT`]: 64 MiB strings).
    pub json: assay_json::Limits,
    /// Largest record: one line of JSON Lines, one element of a streamed array of records
    /// (not counting the nested lists that are themselves streamed). Default 128 MiB.
    pub max_record: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            json: assay_json::Limits::DEFAULT,
            max_record: 128 << 20,
        }
    }
}

/// Caller-supplied hooks for a parse.
#[derive(Clone, Copy, Default)]
pub struct Control<'a> {
    /// Called with the number of bytes read so far (about every 256 KiB and at the end).
    pub progress: Option<&'a dyn Fn(u64)>,
    /// When set to true the parse stops with [`ScanError::Cancelled`] at the next record.
    pub cancel: Option<&'a AtomicBool>,
    /// Caps on the input: JSON formats use them all; XML formats hold the string cap for any
    /// one text node, CDATA section, tag or comment.
    pub limits: Limits,
}

impl std::fmt::Debug for Control<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control")
            .field("progress", &self.progress.is_some())
            .field("cancel", &self.cancel.map(|c| c.load(Ordering::Relaxed)))
            .field("limits", &self.limits)
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

/// Where the record being read started: set by the JSON seeds (which know where records are),
/// resolved and checked by [`Counting`] (which knows the offset).
#[derive(Default)]
pub(crate) struct RecordMark(Cell<Mark>);

#[derive(Clone, Copy, Default)]
enum Mark {
    #[default]
    Outside,
    /// A record starts with the next byte consumed.
    Pending,
    /// A record started here (offset, line).
    At(u64, u64),
}

impl RecordMark {
    /// A record starts now.
    pub(crate) fn start(&self) {
        self.0.set(Mark::Pending);
    }

    /// The record ended.
    pub(crate) fn end(&self) {
        self.0.set(Mark::Outside);
    }

    /// Stops counting the record around a nested list whose elements are records of their
    /// own; returns whether a record was being counted (pass it to [`RecordMark::resume`]).
    pub(crate) fn suspend(&self) -> bool {
        let was = !matches!(self.0.get(), Mark::Outside);
        self.end();
        was
    }

    /// Counts the rest of the suspended record afresh from here.
    pub(crate) fn resume(&self, was: bool) {
        self.0.set(if was { Mark::Pending } else { Mark::Outside });
    }
}

/// Why a JSON read was stopped by [`Counting`].
#[derive(Debug, Clone)]
pub(crate) enum Refusal {
    /// A rule of [`assay_json`] was broken.
    Json(assay_json::Violation),
    /// A record grew past [`Limits::max_record`]; it started on `line`.
    Record { line: u64, cap: u64 },
}

/// A `BufRead` wrapper counting consumed bytes and newlines, reporting progress.
pub(crate) struct Counting<'a, R> {
    inner: R,
    consumed: u64,
    newlines: u64,
    /// Offset just after the last newline consumed (for columns).
    line_start: u64,
    next_report: u64,
    progress: Option<&'a dyn Fn(u64)>,
    /// JSON formats only: the strict-JSON guard, how far it has read, what it found (in effect
    /// once consumption passes its offset), and the record cap.
    guard: Option<assay_json::Guard>,
    fed: u64,
    found: Option<assay_json::Violation>,
    record: Option<Rc<RecordMark>>,
    max_record: u64,
    refusal: Option<Refusal>,
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
            guard: None,
            fed: 0,
            found: None,
            record: None,
            max_record: ctl.limits.max_record,
            refusal: None,
        }
    }

    /// A counting reader for an XML format: each event `mark` delimits (a text node, a CDATA
    /// section, a tag with its attributes, a comment) is capped at the string cap, so one huge
    /// text node is refused after the cap is read instead of being buffered whole.
    pub(crate) fn xml(inner: R, ctl: &Control<'a>, mark: Rc<RecordMark>) -> Self {
        let mut counting = Counting::new(inner, ctl);
        counting.max_record = ctl.limits.json.max_string;
        counting.record = Some(mark);
        counting
    }

    /// A counting reader for a JSON format: every byte passes the strict-JSON guard.
    pub(crate) fn json(inner: R, ctl: &Control<'a>) -> Self {
        let mut counting = Counting::new(inner, ctl);
        counting.guard = Some(assay_json::Guard::new(ctl.limits.json));
        counting
    }

    /// Holds the record cap for the records `mark` delimits.
    pub(crate) fn watch_records(&mut self, mark: Rc<RecordMark>) {
        self.record = Some(mark);
    }

    /// The record cap.
    pub(crate) fn max_record(&self) -> u64 {
        self.max_record
    }

    /// Why reading was stopped, if it was.
    pub(crate) fn refusal(&self) -> Option<Refusal> {
        if let Some(refusal) = &self.refusal {
            return Some(refusal.clone());
        }
        self.found
            .as_ref()
            .filter(|v| self.consumed > v.offset)
            .map(|v| Refusal::Json(v.clone()))
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

    /// Fails once a rule was broken, so the parser stops at the cap.
    fn check_refusal(&self) -> io::Result<()> {
        let found = self
            .found
            .as_ref()
            .is_some_and(|v| self.consumed > v.offset);
        if found || self.refusal.is_some() {
            return Err(io::Error::other("input refused by a JSON limit"));
        }
        Ok(())
    }
}

/// The fields of [`Counting`] that watch consumed bytes (borrowed apart from the inner reader,
/// whose buffer holds the bytes).
struct Watch<'w> {
    record: Option<&'w RecordMark>,
    refusal: &'w mut Option<Refusal>,
    max_record: u64,
}

impl Watch<'_> {
    /// Checks the record cap for `chunk`, consumed at `offset` (the bytes before it ending on
    /// `line`).
    fn see(self, chunk: &[u8], offset: u64, line: u64) {
        if self.refusal.is_some() {
            return;
        }
        let Some(mark) = self.record else { return };
        match mark.0.get() {
            Mark::Outside => {}
            Mark::Pending => mark.0.set(Mark::At(offset, line)),
            Mark::At(start, line) => {
                if offset + chunk.len() as u64 - start > self.max_record {
                    *self.refusal = Some(Refusal::Record {
                        line,
                        cap: self.max_record,
                    });
                }
            }
        }
    }
}

impl<R: BufRead> Read for Counting<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let avail = self.fill_buf()?;
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
        self.check_refusal()?;
        let buf = self.inner.fill_buf()?;
        let end = self.consumed + buf.len() as u64;
        if let Some(guard) = &mut self.guard {
            // `fed` >= `consumed`: a byte is consumed only after a fill returned it.
            if end > self.fed && self.found.is_none() {
                let from = usize::try_from(self.fed - self.consumed).unwrap_or(buf.len());
                if let Err(v) = guard.feed(&buf[from.min(buf.len())..]) {
                    self.found = Some(v);
                }
                self.fed = end;
            }
        }
        Ok(buf)
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
                let line = self.newlines + 1;
                Watch {
                    record: self.record.as_deref(),
                    refusal: &mut self.refusal,
                    max_record: self.max_record,
                }
                .see(chunk, self.consumed, line);
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
