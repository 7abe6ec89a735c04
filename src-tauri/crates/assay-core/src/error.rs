//! The core's one error type.
//!
//! Each variant names the rule that was broken. [`Error::is_user_error`] separates problems with the
//! user's input or file (the CLI exits 1, the UI shows the message) from internal failures (exit 2).

use std::path::{Path, PathBuf};

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Engagement files carry Assay's SQLite `application_id`; anything else is refused unopened.
    #[error("not an Assay engagement file: {}", path.display())]
    NotAnEngagement { path: PathBuf },

    /// A file written by a newer Assay may hold data this version would silently drop.
    #[error(
        "{} was written by a newer Assay (schema version {found}); this Assay understands up to schema version {supported}",
        path.display()
    )]
    EngagementTooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    /// `new` never overwrites: an existing file may be someone's assessment.
    #[error("{} already exists; choose another file name", path.display())]
    AlreadyExists { path: PathBuf },

    /// The audit log's head or chain is missing or inconsistent (edited outside Assay): nothing
    /// more is written until it is looked at, so the damage is not buried under new records.
    #[error(
        "{}: the audit log is damaged: {message}; nothing was stored (run `assay verify-log`)",
        path.display()
    )]
    AuditDamaged { path: PathBuf, message: String },

    /// The file to open is not there.
    #[error("{} does not exist", path.display())]
    FileNotFound { path: PathBuf },

    /// A value failed validation; `field` names what the user typed into.
    #[error("{field}: {message}")]
    Validation { field: String, message: String },

    /// A record the caller referred to is not in the engagement.
    #[error("{what} not found")]
    NotFound { what: String },

    /// The engagement lacks what the request needs (no test window set, no inventory item by
    /// that name); the message says what to give or set.
    #[error("{}: {message}", path.display())]
    Precondition { path: PathBuf, message: String },

    /// The SAP cannot be signed or exported while items block it; `blocking` lists them all
    /// (the message shows the first three).
    #[error("{}", sap_refusal(verb, blocking))]
    SapBlocked {
        /// What was refused: "sign" or "export".
        verb: String,
        blocking: Vec<assay_model::sap::SapIssue>,
    },

    /// Reading or writing a user file (or the engagement file) failed.
    #[error("{}: {source}", shown(path))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    /// An OSCAL file could not be read; the message names the file, the place and the problem.
    #[error("{0}")]
    Import(#[from] assay_oscal::OscalError),

    /// A scanner file could not be imported; the message names the place and the problem.
    #[error("{}: {message}", path.display())]
    ScanImport { path: PathBuf, message: String },

    /// The same scanner file (by SHA-256) was imported before; replacing it must be asked for.
    #[error("{}: already imported as \"{earlier}\" on {at} by {actor}; use --replace to replace that import", path.display())]
    ScanDuplicate {
        path: PathBuf,
        earlier: String,
        at: String,
        actor: String,
    },

    /// A file the user gave (KEV catalog, package) is malformed; the message names the file, the
    /// place and the problem.
    #[error("{message}")]
    BadInput { path: PathBuf, message: String },

    /// The user cancelled a long operation; nothing was stored.
    #[error("cancelled; nothing was stored")]
    Cancelled,

    /// A front end was asked to act on the open engagement and none is open. The core's use
    /// cases never return it (they act on a [`crate::Session`]); the CLI and the app share it
    /// so its code belongs to the one closed set of [`ErrorCode`]s.
    #[error("no engagement is open")]
    NoEngagement,

    /// The database refused an operation for a reason that is not the file's state (a
    /// constraint, a query the schema cannot answer): a bug in Assay. The message never shows
    /// SQL; errors SQLite raises about the file itself become the variants below.
    #[error("database error: {}", sqlite_message(.0))]
    Database(rusqlite::Error),

    /// SQLite found the file's pages malformed (truncated, overwritten), or its header says it
    /// is shorter than it is: the file was damaged outside Assay.
    #[error("{} is damaged: {detail}", shown(path))]
    Damaged { path: PathBuf, detail: String },

    /// Another process held the file's write lock for longer than the bounded wait
    /// (`store::lock_wait`); nothing was written.
    #[error(
        "{} is in use by another Assay process; nothing was changed, try again when it has finished",
        shown(path)
    )]
    InUse { path: PathBuf },

    /// A write needs the file and its folder to be writable (SQLite keeps its `-wal` file
    /// beside the engagement file).
    #[error(
        "{} cannot be changed: the file or its folder is read-only (reading commands still work)",
        shown(path)
    )]
    ReadOnlyFile { path: PathBuf },

    /// A command that only reads does not migrate: the file keeps its older schema until a
    /// write or `assay upgrade` (which keeps a backup) brings it up to date.
    #[error("{path} uses schema {found}; run `assay upgrade {path}`", path = path.display())]
    NeedsUpgrade { path: PathBuf, found: u32 },

    /// An invariant of Assay's own code broke (a write on a store opened read-only): a bug.
    #[error("internal error: {0}")]
    Internal(String),

    /// Stored data could not be decoded, or is missing where the schema guarantees it: the file
    /// was edited outside Assay or is damaged. Used for nothing else.
    #[error("damaged engagement data: {0}")]
    Corrupt(String),

    /// A file in the engagement's content-addressed store (evidence, raw scans) no longer has
    /// the bytes its name (their SHA-256) and its record promise: it was changed or damaged
    /// outside Assay, and nothing may be signed from it.
    #[error(
        "{}: the stored {what} no longer matches its record ({problem}); it was changed or damaged outside Assay, so it cannot go into a signed package (assay verify-evidence lists every such file)",
        path.display()
    )]
    StoredFileChanged {
        path: PathBuf,
        what: &'static str,
        problem: String,
    },

    /// An exporter failed. A format rule the data breaks (an Excel cell limit, a POA&M without
    /// items) is the user's to fix; a renderer, encoder or writer failure is a bug in Assay.
    #[error("{0}")]
    Export(#[from] assay_export::Error),

    /// A value could not be encoded (as JSON or compressed) for storage or the audit log: a bug
    /// in Assay, never bad input.
    #[error("cannot encode {what}: {message}")]
    Encode { what: String, message: String },

    /// The operating system gave no random bytes for a new signing key.
    #[error("{0}")]
    RandomSource(#[from] assay_model::error::RandomSourceError),
}

impl From<assay_model::error::ValidationError> for Error {
    fn from(e: assay_model::error::ValidationError) -> Self {
        Error::Validation {
            field: e.field,
            message: e.message,
        }
    }
}

/// How SQLite errors become [`Error`]s: what is about the file (damaged, locked, read-only,
/// unreadable, disk full) becomes a user error naming it (the path is filled in by
/// [`Error::in_file`]); anything else is [`Error::Database`].
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        let path = PathBuf::new();
        let io = |what: &str| Error::Io {
            path: PathBuf::new(),
            source: std::io::Error::other(what.to_owned()),
        };
        match e.sqlite_error_code() {
            Some(C::DatabaseCorrupt) => Error::Damaged {
                path,
                detail: "its database pages are malformed (it was cut short or overwritten)"
                    .into(),
            },
            Some(C::NotADatabase) => Error::Damaged {
                path,
                detail: "its database header is unreadable".into(),
            },
            Some(C::DatabaseBusy | C::DatabaseLocked) => Error::InUse { path },
            Some(C::ReadOnly) => Error::ReadOnlyFile { path },
            Some(C::DiskFull) => io("the disk is full; nothing was stored"),
            Some(C::CannotOpen | C::PermissionDenied | C::AuthorizationForStatementDenied) => {
                io("cannot open the file or its -wal file (check the permissions of the file and its folder)")
            }
            Some(C::SystemIoFailure) => io("the operating system failed to read or write it"),
            _ => Error::Database(e),
        }
    }
}

/// SQLite's own words for an error, without the SQL text rusqlite attaches to some.
pub(crate) fn sqlite_message(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(code, message) => {
            message.clone().unwrap_or_else(|| code.to_string())
        }
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    }
}

/// A path for a message; "the engagement file" until [`Error::in_file`] names it.
fn shown(path: &Path) -> String {
    if path.as_os_str().is_empty() {
        "the engagement file".to_owned()
    } else {
        path.display().to_string()
    }
}

impl Error {
    /// Names `file` in an error raised below the [`crate::Session`] (SQLite's errors carry no
    /// path): the front ends call this with the engagement file they opened. Errors that
    /// already name a file are returned unchanged.
    pub fn in_file(self, file: &Path) -> Error {
        let fill = |path: PathBuf| {
            if path.as_os_str().is_empty() {
                file.to_owned()
            } else {
                path
            }
        };
        match self {
            Error::Damaged { path, detail } => Error::Damaged {
                path: fill(path),
                detail,
            },
            Error::InUse { path } => Error::InUse { path: fill(path) },
            Error::AuditDamaged { path, message } => Error::AuditDamaged {
                path: fill(path),
                message,
            },
            Error::ReadOnlyFile { path } => Error::ReadOnlyFile { path: fill(path) },
            Error::Io { path, source } => Error::Io {
                path: fill(path),
                source,
            },
            other => other,
        }
    }

    /// True when the user's input or file is at fault (exit status 1), false for internal errors.
    pub fn is_user_error(&self) -> bool {
        match self {
            Error::Database(_)
            | Error::Corrupt(_)
            | Error::Encode { .. }
            | Error::Internal(_)
            | Error::RandomSource(_) => false,
            Error::Export(e) => matches!(e, assay_export::Error::Validation { .. }),
            _ => true,
        }
    }

    /// A stable, machine-readable code for the UI to branch on (never the message text).
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::NotAnEngagement { .. } => ErrorCode::NotAnEngagement,
            Error::EngagementTooNew { .. } => ErrorCode::EngagementTooNew,
            Error::AlreadyExists { .. } => ErrorCode::AlreadyExists,
            Error::FileNotFound { .. } => ErrorCode::FileNotFound,
            Error::Validation { .. } | Error::Precondition { .. } | Error::SapBlocked { .. } => {
                ErrorCode::Validation
            }
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Io { .. } | Error::InUse { .. } | Error::ReadOnlyFile { .. } => ErrorCode::Io,
            Error::NeedsUpgrade { .. } => ErrorCode::Validation,
            Error::Damaged { .. } => ErrorCode::Corrupt,
            Error::Import(assay_oscal::OscalError::Cancelled { .. }) | Error::Cancelled => {
                ErrorCode::Cancelled
            }
            Error::Import(_) | Error::ScanImport { .. } | Error::BadInput { .. } => {
                ErrorCode::ImportFailed
            }
            Error::ScanDuplicate { .. } => ErrorCode::AlreadyImported,
            Error::NoEngagement => ErrorCode::NoEngagement,
            Error::Export(assay_export::Error::Validation { .. }) => ErrorCode::Validation,
            Error::Database(_)
            | Error::Export(_)
            | Error::Encode { .. }
            | Error::Internal(_)
            | Error::RandomSource(_) => ErrorCode::Internal,
            Error::Corrupt(_) | Error::StoredFileChanged { .. } | Error::AuditDamaged { .. } => {
                ErrorCode::Corrupt
            }
        }
    }

    pub(crate) fn validation(field: &str, message: impl Into<String>) -> Self {
        Error::Validation {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// "cannot export the SAP while 3 items block it: Team: ...; Schedule: ...; ..."
fn sap_refusal(verb: &str, blocking: &[assay_model::sap::SapIssue]) -> String {
    let shown: Vec<String> = blocking.iter().take(3).map(ToString::to_string).collect();
    let more = if blocking.len() > 3 {
        format!(
            "; and {} more (see `assay sap FILE --check`)",
            blocking.len() - 3
        )
    } else {
        String::new()
    };
    format!(
        "SAP: cannot {verb} the SAP while {} {} it: {}{more}",
        blocking.len(),
        if blocking.len() == 1 {
            "item blocks"
        } else {
            "items block"
        },
        shown.join("; ")
    )
}

/// The closed set of codes [`Error::code`] gives: the UI branches on these, never on the message.
/// Serialised as the variant name (`"Validation"`); with the `specta` feature the generated
/// TypeScript type is the union of these names, so a misspelt code fails the UI's type check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum ErrorCode {
    /// The file is not an Assay engagement file.
    NotAnEngagement,
    /// The engagement file was written by a newer Assay.
    EngagementTooNew,
    /// The file to create is already there.
    AlreadyExists,
    /// The file to open is not there.
    FileNotFound,
    /// A value or a request breaks a rule; the message names the field and the rule.
    Validation,
    /// A record referred to is not in the engagement.
    NotFound,
    /// Reading or writing a file failed; the message names the file.
    Io,
    /// The user cancelled; nothing was stored.
    Cancelled,
    /// An input file (OSCAL, scanner output, KEV catalog, package) could not be read.
    ImportFailed,
    /// The same scanner file was imported before.
    AlreadyImported,
    /// The engagement file is damaged or was edited outside Assay.
    Corrupt,
    /// A bug in Assay (database, encoding, renderer, random source).
    Internal,
    /// No engagement is open (the app's commands need one).
    NoEngagement,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::NotAnEngagement,
        ErrorCode::EngagementTooNew,
        ErrorCode::AlreadyExists,
        ErrorCode::FileNotFound,
        ErrorCode::Validation,
        ErrorCode::NotFound,
        ErrorCode::Io,
        ErrorCode::Cancelled,
        ErrorCode::ImportFailed,
        ErrorCode::AlreadyImported,
        ErrorCode::Corrupt,
        ErrorCode::Internal,
        ErrorCode::NoEngagement,
    ];

    /// The code as serialised, e.g. `"Validation"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotAnEngagement => "NotAnEngagement",
            ErrorCode::EngagementTooNew => "EngagementTooNew",
            ErrorCode::AlreadyExists => "AlreadyExists",
            ErrorCode::FileNotFound => "FileNotFound",
            ErrorCode::Validation => "Validation",
            ErrorCode::NotFound => "NotFound",
            ErrorCode::Io => "Io",
            ErrorCode::Cancelled => "Cancelled",
            ErrorCode::ImportFailed => "ImportFailed",
            ErrorCode::AlreadyImported => "AlreadyImported",
            ErrorCode::Corrupt => "Corrupt",
            ErrorCode::Internal => "Internal",
            ErrorCode::NoEngagement => "NoEngagement",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_their_names() {
        for code in ErrorCode::ALL {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::from(code.as_str())
            );
            assert_eq!(code.to_string(), code.as_str());
        }
        assert_eq!(Error::NoEngagement.code(), ErrorCode::NoEngagement);
        assert_eq!(
            Error::Validation {
                field: "f".into(),
                message: "m".into()
            }
            .code(),
            ErrorCode::Validation
        );
    }
}
