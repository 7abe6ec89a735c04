//! Where time and identifiers come from.
//!
//! Invariant: nothing else in Assay reads the wall clock or draws random ids. Everything that stamps a
//! record or names a document takes a [`Clock`] and an [`IdSource`], so tests and the demo can pass
//! fixed ones and get byte-identical output. `clippy.toml` disallows the raw calls elsewhere.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// A source of the current time.
pub trait Clock: Send + Sync {
    /// The current instant, in UTC.
    fn now(&self) -> DateTime<Utc>;
}

/// A source of fresh identifiers.
pub trait IdSource: Send + Sync {
    /// A new identifier, never returned before by this source.
    fn next_id(&self) -> Uuid;
}

/// 32 bytes from the operating system's random source: the seed of a new signing key.
pub fn fresh_key_seed() -> Result<[u8; 32], crate::error::RandomSourceError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| crate::error::RandomSourceError(e.to_string()))?;
    Ok(seed)
}

/// The operating system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one sanctioned wall-clock read
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Random version-4 UUIDs.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomIds;

impl IdSource for RandomIds {
    #[allow(clippy::disallowed_methods)] // the one sanctioned source of randomness
    fn next_id(&self) -> Uuid {
        Uuid::new_v4()
    }
}

/// A clock that starts at a fixed instant and advances by a fixed step on every read, so records
/// made in one run keep a stable, strictly increasing order.
#[derive(Debug)]
pub struct FixedClock {
    next: Mutex<DateTime<Utc>>,
    step: Duration,
}

impl FixedClock {
    /// A clock whose first reading is `start` and that advances by `step` per reading.
    pub fn new(start: DateTime<Utc>, step: Duration) -> Self {
        Self {
            next: Mutex::new(start),
            step,
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        // A poisoned lock only means another thread panicked mid-read; the value is still valid.
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let now = *next;
        *next = now + self.step;
        now
    }
}

/// Deterministic ids: version-4-shaped UUIDs derived from a seed and a counter.
#[derive(Debug)]
pub struct SequentialIds {
    seed: u64,
    counter: AtomicU64,
}

impl SequentialIds {
    /// A source whose ids depend only on `seed` and how many ids were drawn before.
    pub fn new(seed: u64) -> Self {
        Self {
            seed,
            counter: AtomicU64::new(0),
        }
    }
}

impl IdSource for SequentialIds {
    fn next_id(&self) -> Uuid {
        let n = self.counter.fetch_add(1, Ordering::Relaxed) + 1;
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.seed.to_be_bytes());
        bytes[8..].copy_from_slice(&n.to_be_bytes());
        // Mark the bytes as an RFC 4122 version-4 UUID so OSCAL validators accept them.
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_advances_by_its_step() {
        let start = DateTime::parse_from_rfc3339("2026-01-05T09:00:00Z")
            .unwrap()
            .to_utc();
        let clock = FixedClock::new(start, Duration::seconds(1));
        assert_eq!(clock.now(), start);
        assert_eq!(clock.now(), start + Duration::seconds(1));
    }

    #[test]
    fn sequential_ids_are_deterministic_and_distinct() {
        let a = SequentialIds::new(7);
        let b = SequentialIds::new(7);
        let first = a.next_id();
        assert_eq!(
            first,
            b.next_id(),
            "same seed and position must give the same id"
        );
        assert_ne!(first, a.next_id(), "consecutive ids must differ");
        assert_eq!(first.get_version_num(), 4);
    }
}
