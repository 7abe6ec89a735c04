//! The shell's managed state: at most one open engagement, an SSP import waiting for
//! confirmation, the cancel flag of the running import, and where preferences live.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use assay_core::api::ssp::StagedSsp;
use assay_core::Session;

use crate::ipc_error::{IpcError, IpcResult};
use crate::paths::PathGrants;

/// Shared by all commands.
pub struct AppState {
    pub session: Mutex<Option<Session>>,
    /// A parsed SSP the assessor has not yet applied or discarded. It belongs to the engagement
    /// that was open when it was staged, so opening another engagement clears it.
    pub staged_ssp: Mutex<Option<StagedSsp>>,
    /// Set by `cancel_import`, checked by the running import or package export. Kept outside
    /// `session` so cancelling never waits for the lock the running command holds.
    pub cancel_import: AtomicBool,
    /// Extra folders to search for the bundled baselines (the app's resource folder).
    pub baseline_dirs: Vec<PathBuf>,
    /// Folder for the recent-files list.
    pub config_dir: PathBuf,
    /// The local key store holding the 3PAO's package signing key.
    pub key_dir: PathBuf,
    /// Where the New dialog suggests saving engagements.
    pub documents_dir: PathBuf,
    /// An engagement named on the command line, opened instead of the most recent one.
    pub initial_file: Option<PathBuf>,
    /// The paths the user chose in this session: the only ones commands read or write without
    /// asking (`paths`).
    pub grants: PathGrants,
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

    /// Replaces the open engagement, dropping any SSP staged for the previous one.
    pub fn set_session(&self, session: Option<Session>) {
        *self.session.lock().unwrap_or_else(|e| e.into_inner()) = session;
        self.set_staged_ssp(None);
    }

    /// Takes the staged SSP out of the state, if any.
    pub fn take_staged_ssp(&self) -> Option<StagedSsp> {
        self.staged_ssp
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    /// Replaces the staged SSP.
    pub fn set_staged_ssp(&self, staged: Option<StagedSsp>) {
        *self.staged_ssp.lock().unwrap_or_else(|e| e.into_inner()) = staged;
    }
}
