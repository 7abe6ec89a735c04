//! The only error type that crosses IPC: a stable code for the UI to branch on and a message for
//! people. `From<assay_core::Error>` is the one place core errors map to codes.

use serde::Serialize;

/// An error as the UI receives it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct IpcError {
    /// Stable machine-readable code, e.g. `Validation`, `NotAnEngagement`, `NoEngagement`.
    pub code: String,
    /// One readable sentence.
    pub message: String,
}

impl IpcError {
    /// A command needs an open engagement and none is open.
    pub fn no_engagement() -> Self {
        IpcError {
            code: "NoEngagement".into(),
            message: "no engagement is open".into(),
        }
    }
}

impl From<assay_core::Error> for IpcError {
    fn from(e: assay_core::Error) -> Self {
        IpcError {
            code: e.code().to_owned(),
            message: e.to_string(),
        }
    }
}

/// The result type of every command.
pub type IpcResult<T> = Result<T, IpcError>;
