//! A fuzz harness that runs on stable Rust inside `cargo test`: seed inputs are mutated with a
//! deterministic PRNG (bit flips, truncation, splicing, repeated chunks, deep nesting, huge
//! numbers, invalid UTF-8, duplicate keys, XML entity and DTD tricks) and each result is fed to
//! a reader's check, which must return without panicking, within a time limit, with one of the
//! reader's typed errors.
//!
//! Why not cargo-fuzz: it needs a nightly toolchain and coverage instrumentation; this harness
//! needs neither, so CI runs a bounded number of iterations on every build, and a long run is
//! the same tests with a larger `ASSAY_FUZZ_ITERATIONS`.
//!
//! Invariants: iteration `i` of a target depends only on `ASSAY_FUZZ_SEED`, the target's name
//! and `i`, so a failure reproduces; a failing or hanging input is written to a file whose path
//! is printed. Mutated inputs are at most [`MAX_INPUT`] bytes.
//!
//! Settings (environment): `ASSAY_FUZZ_ITERATIONS` (mutated inputs per target, default 150),
//! `ASSAY_FUZZ_SECONDS` (time budget per target, default 3; the run stops early when it is
//! spent), `ASSAY_FUZZ_TIMEOUT` (seconds one input may take before the process is aborted as
//! hung, default 30), `ASSAY_FUZZ_SEED` (default 0x5EED), `ASSAY_FUZZ_OUT` (folder for failing
//! inputs, default the system temporary folder).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The largest mutated input.
pub const MAX_INPUT: usize = 2 << 20;

/// splitmix64: small, fast, and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Byte strings that break readers: structure, escapes, entities, invalid UTF-8, BOMs.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"null",
    b"\\u0000",
    b"\\ud800",
    b"\\uDFFF\\uD800",
    b"\0",
    b"\xFF\xFE",
    b"\xEF\xBB\xBF",
    b"\xC3\x28",
    b"\x80",
    b"\xF4\x90\x80\x80",
    b"<",
    b">",
    b"</",
    b"/>",
    b"&amp;",
    b"&#0;",
    b"&#xD800;",
    b"&#1114112;",
    b"&lol;",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"<?xml version=\"1.0\" encoding=\"UTF-16\"?>",
    b"<!DOCTYPE x [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>",
    b"<!DOCTYPE x SYSTEM \"file:///etc/passwd\">",
    b"<!ENTITY xxe SYSTEM \"file:///etc/shadow\">",
    b"xmlns=\"\"",
    b"\r\n",
    b"-",
    b"1e999999",
    b"-0.0e-99999",
    b"18446744073709551616",
    b"NaN",
    b"\"a\":1,\"a\":2,",
];

/// One random change to `input`; `others` are spliced from.
fn mutate_once(rng: &mut Rng, input: &mut Vec<u8>, others: &[Vec<u8>]) {
    let len = input.len();
    let at = rng.below(len + 1);
    match rng.below(12) {
        // Flip a few bits.
        0 if len > 0 => {
            for _ in 0..=rng.below(8) {
                let i = rng.below(len);
                input[i] ^= 1 << rng.below(8);
            }
        }
        // Truncate.
        1 => input.truncate(at),
        // Delete a chunk.
        2 if len > 0 => {
            let end = (at + 1 + rng.below(256)).min(len);
            input.drain(at.min(end)..end);
        }
        // Insert a hostile token.
        3 | 4 => {
            let token = *rng.pick(TOKENS);
            input.splice(at..at, token.iter().copied());
        }
        // Splice a chunk of another seed.
        5 if !others.is_empty() => {
            let other = rng.pick(others);
            let from = rng.below(other.len());
            let end = (from + 1 + rng.below(4096)).min(other.len());
            input.splice(at..at, other[from..end].iter().copied());
        }
        // Repeat a chunk.
        6 if len > 0 => {
            let from = rng.below(len);
            let end = (from + 1 + rng.below(64)).min(len);
            let chunk = input[from..end].to_vec();
            let times = 1 + rng.below(2000);
            let repeated: Vec<u8> = chunk
                .iter()
                .copied()
                .cycle()
                .take(chunk.len() * times)
                .collect();
            input.splice(at..at, repeated);
        }
        // Deep nesting.
        7 => {
            let depth = 1 + rng.below(20_000);
            let (open, close): (&[u8], &[u8]) = *rng.pick(&[
                (b"[".as_slice(), b"]".as_slice()),
                (b"{\"a\":", b"}"),
                (b"<part>", b"</part>"),
                (b"<a>", b""),
            ]);
            let mut nest = open.repeat(depth);
            if rng.below(2) == 0 {
                nest.extend(close.repeat(depth));
            }
            input.splice(at..at, nest);
        }
        // A huge number or string.
        8 => {
            let digit = *rng.pick(b"19a \"");
            let run = vec![digit; 1 + rng.below(200_000)];
            input.splice(at..at, run);
        }
        // Duplicate a JSON key: repeat the member that starts at a quote.
        9 => {
            if let Some(q) = input[at.min(len)..].iter().position(|&b| b == b'"') {
                let start = at + q;
                let end = input[start..]
                    .iter()
                    .position(|&b| b == b',')
                    .map_or(len, |p| start + p + 1);
                let member = input[start..end].to_vec();
                input.splice(start..start, member);
            }
        }
        // Overwrite a byte with a structural or zero byte.
        _ if len > 0 => {
            let i = rng.below(len);
            input[i] = *rng.pick(b"\0\xFF\"{}[]<>&;\\\n");
        }
        _ => {
            let token = *rng.pick(TOKENS);
            input.extend_from_slice(token);
        }
    }
}

/// `input` changed one to four times.
pub fn mutate(rng: &mut Rng, input: &[u8], others: &[Vec<u8>]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        mutate_once(rng, &mut out, others);
        out.truncate(MAX_INPUT);
    }
    out
}

/// The run's settings, from the environment.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mutated inputs per target.
    pub iterations: u64,
    /// Time budget per target.
    pub budget: Duration,
    /// Longest time one input may take.
    pub timeout: Duration,
    /// Base seed.
    pub seed: u64,
    /// Where failing inputs are written.
    pub out: PathBuf,
}

impl Config {
    /// Reads the `ASSAY_FUZZ_*` variables (see the module documentation).
    pub fn from_env() -> Config {
        let number = |name: &str, default: u64| {
            std::env::var(name)
                .ok()
                .and_then(|v| {
                    let v = v.trim();
                    match v.strip_prefix("0x") {
                        Some(hex) => u64::from_str_radix(hex, 16).ok(),
                        None => v.parse().ok(),
                    }
                })
                .unwrap_or(default)
        };
        Config {
            iterations: number("ASSAY_FUZZ_ITERATIONS", 150),
            budget: Duration::from_secs(number("ASSAY_FUZZ_SECONDS", 3)),
            timeout: Duration::from_secs(number("ASSAY_FUZZ_TIMEOUT", 30)),
            seed: number("ASSAY_FUZZ_SEED", 0x5EED),
            out: std::env::var_os("ASSAY_FUZZ_OUT").map_or_else(std::env::temp_dir, PathBuf::from),
        }
    }
}

/// What one target's run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Inputs checked (seeds included).
    pub inputs: u64,
    /// Inputs the reader accepted.
    pub accepted: u64,
}

/// FNV-1a, to turn a target name into seed bits.
fn name_bits(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn save(config: &Config, name: &str, label: &str, input: &[u8]) -> String {
    let path = config.out.join(format!("assay-fuzz-{name}-{label}.bin"));
    match std::fs::write(&path, input) {
        Ok(()) => path.display().to_string(),
        Err(e) => format!("(could not write {}: {e})", path.display()),
    }
}

/// Feeds the seeds, then mutated seeds, to `check`: `Ok(true)` the reader accepted the input,
/// `Ok(false)` it refused it with a typed error, `Err` the check found a broken invariant (an
/// untyped or multi-line error, say). Panics (failing the test) on the first panic or broken
/// invariant, naming the saved input; aborts the process when one input runs past the timeout.
pub fn fuzz<F>(name: &str, seeds: &[Vec<u8>], check: F) -> Report
where
    F: Fn(&[u8]) -> Result<bool, String>,
{
    let config = Config::from_env();
    assert!(!seeds.is_empty(), "{name}: no seeds");
    let current: Mutex<(Instant, String, Vec<u8>)> =
        Mutex::new((Instant::now(), String::new(), Vec::new()));
    let done = AtomicBool::new(false);
    let started = Instant::now();
    let mut report = Report::default();
    std::thread::scope(|scope| {
        scope.spawn(|| watchdog(&config, name, &current, &done));
        let mut run = |label: String, input: Vec<u8>| {
            if let Ok(mut slot) = current.lock() {
                *slot = (Instant::now(), label.clone(), input.clone());
            }
            let outcome = catch_unwind(AssertUnwindSafe(|| check(&input)));
            report.inputs += 1;
            let problem = match outcome {
                Ok(Ok(accepted)) => {
                    report.accepted += u64::from(accepted);
                    return;
                }
                Ok(Err(problem)) => problem,
                Err(panic) => {
                    let message = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_string()))
                        .unwrap_or_default();
                    format!("panicked: {message}")
                }
            };
            done.store(true, Ordering::Relaxed);
            let problem: String = problem.chars().take(600).collect();
            let path = save(&config, name, &label, &input);
            panic!(
                "fuzz {name}, input {label} (seed {:#x}): {problem}; input saved to {path}",
                config.seed
            );
        };
        for (i, seed) in seeds.iter().enumerate() {
            run(format!("seed{i}"), seed.clone());
        }
        let base = config.seed ^ name_bits(name);
        for i in 0..config.iterations {
            if started.elapsed() > config.budget {
                break;
            }
            let mut rng = Rng::new(base ^ i.wrapping_mul(0xA076_1D64_78BD_642F));
            let seed = rng.pick(seeds);
            let input = mutate(&mut rng, seed, seeds);
            run(format!("i{i}"), input);
        }
        done.store(true, Ordering::Relaxed);
    });
    eprintln!(
        "fuzz {name}: {} inputs, {} accepted, {:.1} s",
        report.inputs,
        report.accepted,
        started.elapsed().as_secs_f64()
    );
    report
}

/// Aborts the process when the current input has run longer than the timeout: a hang must
/// fail the run, and a thread stuck in a parser cannot be stopped any other way.
fn watchdog(
    config: &Config,
    name: &str,
    current: &Mutex<(Instant, String, Vec<u8>)>,
    done: &AtomicBool,
) {
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(50));
        let Ok(slot) = current.lock() else { return };
        if slot.0.elapsed() > config.timeout {
            let path = save(config, name, &slot.1, &slot.2);
            eprintln!(
                "fuzz {name}, input {} (seed {:#x}): no result after {:?} (hang); input saved to {path}",
                slot.1, config.seed, config.timeout
            );
            std::process::abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_are_deterministic_and_bounded() {
        let seed = br#"{"a": [1, 2, {"b": "c"}]}"#.to_vec();
        let others = vec![b"<x><y/></x>".to_vec()];
        for i in 0..500 {
            let a = mutate(&mut Rng::new(i), &seed, &others);
            let b = mutate(&mut Rng::new(i), &seed, &others);
            assert_eq!(a, b);
            assert!(a.len() <= MAX_INPUT);
        }
    }

    #[test]
    fn a_panicking_reader_fails_the_run_and_saves_the_input() {
        let seeds = vec![b"{}".to_vec()];
        let out = catch_unwind(|| fuzz("self-test", &seeds, |_| panic!("boom")));
        let message = out
            .err()
            .and_then(|p| p.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        assert!(message.contains("panicked: boom"), "{message}");
        assert!(message.contains("input saved to"), "{message}");
    }

    #[test]
    fn an_untyped_error_fails_the_run() {
        let seeds = vec![b"{}".to_vec()];
        let out = catch_unwind(|| {
            fuzz("self-test-2", &seeds, |input| {
                if input.len() > 2 {
                    Err("two lines\nof error".to_string())
                } else {
                    Ok(true)
                }
            })
        });
        assert!(out.is_err());
    }
}
