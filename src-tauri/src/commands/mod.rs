//! Tauri commands, one file per area. Each command is one call into assay-core.

pub mod engagement;
