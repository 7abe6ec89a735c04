//! The core's one error type.
//!
//! Each variant names the rule that was broken. [`Error::is_user_error`] separates problems with the
//! user's input or file (the CLI exits 1, the UI shows the message) from internal failures (exit 2).

use std::path::PathBuf;

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

    /// The file to open is not there.
    #[error("{} does not exist", path.display())]
    FileNotFound { path: PathBuf },

    /// A value failed validation; `field` names what the user typed into.
    #[error("{field}: {message}")]
    Validation { field: String, message: String },

    /// A record the caller referred to is not in the engagement.
    #[error("{what} not found")]
    NotFound { what: String },

    /// Reading or writing a user file failed.
    #[error("{}: {source}", path.display())]
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

    /// The database refused an operation; this is a bug or a damaged file, not bad input.
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),

    /// Stored data could not be decoded, or is missing where the schema guarantees it: the file
    /// was edited outside Assay or is damaged. Used for nothing else.
    #[error("damaged engagement data: {0}")]
    Corrupt(String),

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

impl Error {
    /// True when the user's input or file is at fault (exit status 1), false for internal errors.
    pub fn is_user_error(&self) -> bool {
        match self {
            Error::Database(_)
            | Error::Corrupt(_)
            | Error::Encode { .. }
            | Error::RandomSource(_) => false,
            Error::Export(e) => matches!(e, assay_export::Error::Validation { .. }),
            _ => true,
        }
    }

    /// A stable, machine-readable code for the UI to branch on (never the message text).
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotAnEngagement { .. } => "NotAnEngagement",
            Error::EngagementTooNew { .. } => "EngagementTooNew",
            Error::AlreadyExists { .. } => "AlreadyExists",
            Error::FileNotFound { .. } => "FileNotFound",
            Error::Validation { .. } => "Validation",
            Error::NotFound { .. } => "NotFound",
            Error::Io { .. } => "Io",
            Error::Import(assay_oscal::OscalError::Cancelled { .. }) | Error::Cancelled => {
                "Cancelled"
            }
            Error::Import(_) | Error::ScanImport { .. } | Error::BadInput { .. } => "ImportFailed",
            Error::ScanDuplicate { .. } => "AlreadyImported",
            Error::Export(assay_export::Error::Validation { .. }) => "Validation",
            Error::Database(_)
            | Error::Export(_)
            | Error::Encode { .. }
            | Error::RandomSource(_) => "Internal",
            Error::Corrupt(_) => "Corrupt",
        }
    }

    pub(crate) fn validation(field: &str, message: impl Into<String>) -> Self {
        Error::Validation {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
