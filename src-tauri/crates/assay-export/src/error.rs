//! What can stop an exporter. Each variant says which stage failed, so a bug in a writer is
//! never reported as damaged engagement data.

/// Everything that can go wrong while writing a deliverable.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The data breaks a rule of the target format (an Excel cell's length, a date Excel cannot
    /// hold, an OSCAL POA&M without items); `field` names the place, so the user can fix it.
    #[error("{field}: {message}")]
    Validation { field: String, message: String },

    /// The PDF renderer refused the laid-out document (a bug in Assay, not in the data).
    #[error("cannot render the {document} PDF: {message}")]
    Pdf {
        document: &'static str,
        message: String,
    },

    /// A document could not be encoded as JSON (a bug in Assay, not in the data).
    #[error("cannot encode the {what} as JSON: {source}")]
    Json {
        what: &'static str,
        source: serde_json::Error,
    },

    /// The workbook writer refused a cell or a sheet setting (a bug in Assay, not in the data).
    #[error("cannot write the {document} workbook: {message}")]
    Workbook {
        document: &'static str,
        message: String,
    },
}

impl Error {
    pub(crate) fn validation(field: &str, message: impl Into<String>) -> Self {
        Error::Validation {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// The exporters' result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
