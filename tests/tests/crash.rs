//! Imports killed with SIGKILL at spread-out moments leave the engagement whole: intact, its
//! audit chain verified, the import entirely there or entirely absent, no partial content in
//! the stores (see `assay_e2e::crash`). A few trials here; `cargo bench -p assay-e2e --bench
//! crash` runs a hundred.

#![allow(clippy::unwrap_used)]

use assay_e2e::crash::{Fixture, Kind, Outcome, FINISH};
use assay_e2e::shared_data;

#[test]
fn imports_killed_at_any_moment_leave_all_or_nothing() {
    assay_testkit::require_shared_data!("scans");
    let dir = tempfile::tempdir().unwrap();
    let fixture = Fixture::new(dir.path(), &shared_data());
    // Early, middle and late in each import, and once left to finish.
    let moments = [0.05, 0.5, 0.9, FINISH];
    let mut outcomes = Vec::new();
    for (n, (kind, fraction)) in [Kind::Scan, Kind::Evidence]
        .into_iter()
        .flat_map(|k| moments.map(|m| (k, m)))
        .enumerate()
    {
        outcomes.push((kind, fixture.trial(n, kind, fraction)));
    }
    // The early kill interrupted the import, and the import left alone completed.
    for kind in [Kind::Scan, Kind::Evidence] {
        let of_kind: Vec<Outcome> = outcomes
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, o)| *o)
            .collect();
        assert_eq!(
            of_kind.first(),
            Some(&Outcome::Absent),
            "{kind:?}: {of_kind:?}"
        );
        assert_eq!(
            of_kind.last(),
            Some(&Outcome::Complete),
            "{kind:?}: {of_kind:?}"
        );
    }
}
