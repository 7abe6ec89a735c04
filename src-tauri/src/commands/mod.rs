//! Tauri commands, one file per area. Each command is one call into assay-core.

pub mod engagement;
pub mod files;
pub mod import;
pub mod package;
pub mod sap;
pub mod sar;
pub mod scans;
pub mod system;
pub mod testing;
