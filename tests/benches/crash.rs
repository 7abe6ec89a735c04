//! A hundred crash trials: imports killed with SIGKILL at random moments (seeded, printed), each
//! checked as in the `crash` test. Build the release CLI first:
//! `cargo build --release -p assay-cli && cargo bench -p assay-e2e --bench crash`.
//! `ASSAY_CRASH_TRIALS` changes the number, `ASSAY_CRASH_SEED` the moments.

use assay_e2e::crash::{Fixture, Kind, Outcome, Rng};

fn main() {
    let trials: usize = std::env::var("ASSAY_CRASH_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let seed: u64 = std::env::var("ASSAY_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2026);
    let shared = assay_e2e::shared_data();
    if !shared.join("scans").is_dir() {
        eprintln!("crash bench: {} is missing", shared.display());
        std::process::exit(1);
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let fixture = Fixture::new(dir.path(), &shared);
    let mut rng = Rng::new(seed);
    let (mut absent, mut complete) = (0, 0);
    for n in 0..trials {
        let kind = if rng.next_u64().is_multiple_of(2) {
            Kind::Scan
        } else {
            Kind::Evidence
        };
        // Up to 1.2 times a full import, so some kills land after the commit.
        let fraction = rng.fraction() * 1.2;
        match fixture.trial(n, kind, fraction) {
            Outcome::Absent => absent += 1,
            Outcome::Complete => complete += 1,
        }
    }
    println!(
        "crash: {trials} trials (seed {seed}): {absent} killed before the commit, {complete} after; \
         every engagement intact, its log verified, no partial import"
    );
}
