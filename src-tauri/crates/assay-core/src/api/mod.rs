//! Use cases: what the CLI and the desktop shell call.
//!
//! Invariant: every use case that writes owns exactly one transaction, and every write appends its
//! audit record inside that same transaction, so a change is never stored without its record (or
//! the reverse). Time, ids and the actor's name come from the [`Context`], never from globals.

pub mod baseline;
pub mod custody;
pub mod demo;
mod engagement;
pub mod evidence;
pub mod exports;
pub mod files;
pub mod findings;
pub mod package;
pub mod recent;
pub mod sap;
pub mod sar;
pub mod scans;
pub mod ssp;
pub mod testing;
pub mod trust;

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::clock::{Clock, IdSource, RandomIds, SystemClock};
use crate::error::Result;
use crate::model::AuditEntry;
use crate::store::{self, Store};

pub use crate::store::upgrade::{backup_path, upgrade, Upgraded};
pub use assay_model::vocab::{Choice, Vocabularies};
pub use engagement::{Counts, Overview};
pub use files::{display_name, open_regular, read_regular, write_file};

/// Who is acting, and where time and ids come from.
#[derive(Clone)]
pub struct Context {
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdSource>,
    /// The person recorded in the audit log.
    pub actor: String,
}

impl Context {
    /// The real clock and random ids, acting as `actor`.
    pub fn system(actor: &str) -> Self {
        Context {
            clock: Arc::new(SystemClock),
            ids: Arc::new(RandomIds),
            actor: actor.to_owned(),
        }
    }

    /// The real clock and random ids, acting as `actor` when one is given (a command-line flag),
    /// else as [`Context::default_actor`]. One rule for the CLI and the app.
    pub fn from_env(actor: Option<&str>) -> Self {
        Context::system(&actor_or_default(actor.map(str::to_owned), |name| {
            std::env::var(name).ok()
        }))
    }

    /// The person recorded in the audit log when nobody names one: `$ASSAY_ACTOR`, else `$USER`;
    /// "assessor" when neither is set or the one that is set is blank.
    pub fn default_actor() -> String {
        actor_or_default(None, |name| std::env::var(name).ok())
    }

    /// The current time as stored: ISO-8601 UTC with seconds.
    pub fn timestamp(&self) -> String {
        self.clock
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }

    /// A fresh id as stored.
    pub fn new_id(&self) -> String {
        self.ids.next_id().to_string()
    }
}

/// The actor rule: the first of `given`, `$ASSAY_ACTOR`, `$USER` that is set; "assessor" when
/// none is, or when that one is blank.
fn actor_or_default(given: Option<String>, var: impl Fn(&str) -> Option<String>) -> String {
    given
        .or_else(|| var("ASSAY_ACTOR"))
        .or_else(|| var("USER"))
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| "assessor".to_owned())
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("actor", &self.actor)
            .finish_non_exhaustive()
    }
}

/// How a long read reports and stops: the options every OSCAL import takes.
#[derive(Default, Clone, Copy)]
pub struct ImportOptions<'a> {
    /// Called with (bytes done, total bytes) as parsing advances, first with 0 and last with the
    /// total.
    pub progress: Option<&'a dyn Fn(u64, u64)>,
    /// When set to true the read stops and nothing is stored.
    pub cancel: Option<&'a std::sync::atomic::AtomicBool>,
}

impl ImportOptions<'_> {
    /// The OSCAL reader's options: these, with the reader's own size limit.
    pub(crate) fn oscal(&self) -> assay_oscal::ReadOptions<'_> {
        assay_oscal::ReadOptions {
            progress: self.progress,
            cancel: self.cancel,
            ..assay_oscal::ReadOptions::default()
        }
    }
}

impl std::fmt::Debug for ImportOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportOptions")
            .field("progress", &self.progress.is_some())
            .field("cancel", &self.cancel.is_some())
            .finish()
    }
}

/// An open engagement and the context acting on it.
#[derive(Debug)]
pub struct Session {
    store: Store,
    ctx: Context,
}

/// A summary of the file for `info` and the overview page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Info {
    pub path: String,
    pub schema_version: u32,
    pub engagement: crate::model::Engagement,
    pub counts: Counts,
}

impl Session {
    /// Opens an existing engagement file for reading and writing (migrating it if it is
    /// older). Commands that only read use [`Session::open_read_only`].
    pub fn open(path: &Path, ctx: Context) -> Result<Session> {
        Ok(Session {
            store: Store::open(path)?,
            ctx,
        })
    }

    /// Opens an engagement file for reading only: it is never migrated, its journal mode is
    /// left alone, and it works on read-only media. An older file is refused with the command
    /// that upgrades it ([`crate::Error::NeedsUpgrade`]); any write on this session is an
    /// internal error.
    pub fn open_read_only(path: &Path, ctx: Context) -> Result<Session> {
        Ok(Session {
            store: Store::open_read_only(path)?,
            ctx,
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// The acting context.
    pub fn context(&self) -> &Context {
        &self.ctx
    }

    /// The open file, for the store's tests.
    #[cfg(test)]
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// Runs `f` in one write transaction (taken first: `BEGIN IMMEDIATE`), appending the audit
    /// entries it returns before committing. SQLite's errors come back naming the file.
    fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>, &Context) -> Result<(T, Vec<AuditEntry>)>,
    ) -> Result<T> {
        let path = self.store.path().to_owned();
        let ctx = self.ctx.clone();
        let run = || -> Result<T> {
            let tx = self.store.transaction()?;
            let (value, entries) = f(&tx, &ctx)?;
            for entry in entries {
                store::audit::append(&tx, &ctx.timestamp(), &ctx.actor, entry)?;
            }
            tx.commit()?;
            Ok(value)
        };
        run().map_err(|e| e.in_file(&path))
    }

    /// [`Session::write`] for commits that store imported data or evidence: `synchronous =
    /// FULL` for this transaction, so the commit is on disk (not only in the OS cache) when
    /// it returns.
    fn write_durable<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>, &Context) -> Result<(T, Vec<AuditEntry>)>,
    ) -> Result<T> {
        self.store.set_durable(true)?;
        let result = self.write(f);
        let reset = self.store.set_durable(false);
        let value = result?;
        reset?;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::actor_or_default;

    fn env<'a>(vars: &'a [(&str, &str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn the_actor_is_the_flag_then_assay_actor_then_user() {
        let all = [("ASSAY_ACTOR", "ann"), ("USER", "bob")];
        assert_eq!(actor_or_default(Some("cy".into()), env(&all)), "cy");
        assert_eq!(actor_or_default(None, env(&all)), "ann");
        assert_eq!(actor_or_default(None, env(&[("USER", "bob")])), "bob");
        assert_eq!(actor_or_default(None, env(&[])), "assessor");
        // The first one set decides; blank means the default, not the next one.
        assert_eq!(actor_or_default(Some(" ".into()), env(&all)), "assessor");
        assert_eq!(
            actor_or_default(None, env(&[("ASSAY_ACTOR", ""), ("USER", "bob")])),
            "assessor"
        );
    }
}
