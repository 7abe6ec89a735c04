//! Scanner results as use cases: importing a file ([`import`], streamed by [`pipeline`] into
//! the [`sink`]), the weakness lists and their review ([`review`]), and the coverage and
//! configuration-check (CM-6) views ([`coverage`]), whose rules live in
//! `assay_model::scans`; several files at once ([`batch`]: one transaction and one receipt per
//! file).
//!
//! Invariants:
//! - an import streams the file once through `assay_scan` into the store inside ONE transaction
//!   with its audit record: a parse error, a store error or a cancel rolls everything back and
//!   leaves the engagement unchanged;
//! - the same bytes (SHA-256) are imported once; a second import is refused naming the first,
//!   unless `replace`, which removes the earlier import's rows in the same transaction;
//! - accepting a weakness writes its finding in the same transaction as the review.

mod batch;
mod coverage;
mod import;
mod pipeline;
mod review;
mod sink;

pub use batch::{ScanBatchOptions, ScanFileOutcome};
pub use import::{scans_dir, ScanImportOptions};

use std::path::Path;

use crate::error::Error;

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}
