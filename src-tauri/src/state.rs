//! The shell's managed state: at most one open engagement, and where preferences live.

use std::path::PathBuf;
use std::sync::Mutex;

use assay_core::Session;

use crate::ipc_error::{IpcError, IpcResult};

/// Shared by all commands.
pub struct AppState {
    pub session: Mutex<Option<Session>>,
    /// Folder for the recent-files list.
    pub config_dir: PathBuf,
    /// Where the New dialog suggests saving engagements.
    pub documents_dir: PathBuf,
    /// An engagement named on the command line, opened instead of the most recent one.
    pub initial_file: Option<PathBuf>,
}

impl AppState {
    /// Runs `f` on the open engagement.
    pub fn with_session<T>(
        &self,
        f: impl FnOnce(&mut Session) -> assay_core::Result<T>,
    ) -> IpcResult<T> {
        // A poisoned lock means a command panicked; the session inside is still consistent
        // because every write is a transaction.
        let mut guard = self.session.lock().unwrap_or_else(|e| e.into_inner());
        let session = guard.as_mut().ok_or_else(IpcError::no_engagement)?;
        Ok(f(session)?)
    }

    /// Replaces the open engagement.
    pub fn set_session(&self, session: Option<Session>) {
        *self.session.lock().unwrap_or_else(|e| e.into_inner()) = session;
    }
}
