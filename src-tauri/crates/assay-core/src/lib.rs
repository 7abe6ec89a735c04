//! Assay's domain core: the engagement model, the engagement file, and the use cases that the
//! `assay` command line and the desktop shell call.
//!
//! Invariants (see ARCHITECTURE.md): no GUI or Tauri dependency; SQL only in [`store`]; time and
//! ids only from [`clock`]; every write is one transaction with its audit record.

pub mod api;
pub mod error;
pub mod store;

pub use assay_export as export;
pub use assay_model as model;
pub use assay_model::clock;
pub use assay_model::vocab::{Choice, Vocabularies};

pub use api::{Context, Counts, Info, Overview, Session};
pub use error::{Error, ErrorCode, Result};
