//! Assay's domain core: the engagement model, the engagement file, and the use cases that the
//! `assay` command line and the desktop shell call.
//!
//! Invariants (see ARCHITECTURE.md): no GUI or Tauri dependency; SQL only in [`store`]; time and
//! ids only from [`clock`]; every write is one transaction with its audit record.

pub mod api;
pub mod clock;
pub mod error;
pub mod export;
pub mod model;
pub mod store;

pub use api::{Choice, Context, Counts, Info, Overview, Session, Vocabularies};
pub use error::{Error, Result};
