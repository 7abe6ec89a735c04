//! The only error type that crosses IPC: a stable code for the UI to branch on and a message for
//! people. `From<assay_core::Error>` is the one place core errors map to codes, and the codes
//! are the core's closed set ([`ErrorCode`]), so the generated TypeScript type is a union.

use assay_core::{Error, ErrorCode};
use serde::Serialize;

/// An error as the UI receives it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct IpcError {
    /// Stable machine-readable code, e.g. `Validation`, `NotAnEngagement`, `NoEngagement`.
    pub code: ErrorCode,
    /// One readable sentence.
    pub message: String,
}

impl IpcError {
    /// A command needs an open engagement and none is open.
    pub fn no_engagement() -> Self {
        IpcError::from(Error::NoEngagement)
    }
}

impl From<Error> for IpcError {
    fn from(e: Error) -> Self {
        IpcError {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// The result type of every command.
pub type IpcResult<T> = Result<T, IpcError>;
