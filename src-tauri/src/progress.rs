//! Progress messages to the window, for every long command (imports, exports, the package): one
//! throttle, so a large file never floods the IPC channel and every command reports alike.

use std::cell::Cell;
use std::time::{Duration, Instant};

use serde::Serialize;
use tauri::ipc::Channel;

/// The least time between two throttled messages; the bar cannot show finer steps anyway.
const INTERVAL: Duration = Duration::from_millis(50);

/// Sends progress messages of type `T` to the window.
///
/// [`Progress::report`] sends at most every 1% or [`INTERVAL`], whichever comes first, and
/// always the first message and the last (`done >= total`); [`Progress::send`] sends every
/// message (for a few coarse steps). A closed window side only means nobody is watching: the
/// work goes on and send errors are ignored.
pub struct Progress<'a, T> {
    channel: &'a Channel<T>,
    /// The part (a file of a batch) reported last, and when and at what count it was sent.
    last: Cell<Option<(usize, Instant, u64)>>,
}

impl<'a, T: Serialize> Progress<'a, T> {
    /// Progress sent through `channel`.
    pub fn new(channel: &'a Channel<T>) -> Self {
        Progress {
            channel,
            last: Cell::new(None),
        }
    }

    /// Reports `done` of `total`, sending `message()` when due.
    pub fn report(&self, done: u64, total: u64, message: impl FnOnce() -> T) {
        self.report_part(0, done, total, message);
    }

    /// Reports `done` of `total` for part `part` of a batch (e.g. the file index); the first
    /// report of a new part is always sent.
    pub fn report_part(&self, part: usize, done: u64, total: u64, message: impl FnOnce() -> T) {
        let now = Instant::now();
        let due = match self.last.get() {
            Some((p, at, sent)) if p == part => {
                done >= total
                    || done.saturating_sub(sent) >= total / 100
                    || now.duration_since(at) >= INTERVAL
            }
            _ => true,
        };
        if due {
            self.last.set(Some((part, now, done)));
            self.send(message());
        }
    }

    /// Sends `message` now, unthrottled.
    pub fn send(&self, message: T) {
        let _ = self.channel.send(message);
    }
}

/// A count as the bindings carry it: `u32` (they cannot carry 64-bit integers); larger values
/// are clamped.
pub fn clamp_u32(n: impl TryInto<u32>) -> u32 {
    n.try_into().unwrap_or(u32::MAX)
}
