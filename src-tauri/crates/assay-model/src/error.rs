//! The model's own failures: a value that breaks a domain rule, and a missing random source.
//!
//! The core wraps both in its umbrella error (`assay_core::Error::Validation` and
//! `assay_core::Error::RandomSource`), so callers above the model see one error type.

/// A value failed validation; `field` names what the user typed into.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    pub field: String,
    pub message: String,
}

impl ValidationError {
    /// A validation failure of `field`.
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        ValidationError {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// The operating system would not give random bytes for a new signing key.
#[derive(Debug, thiserror::Error)]
#[error("the operating system's random source failed while making a new signing key: {0}")]
pub struct RandomSourceError(pub String);

/// The model's result type: validation is the only way its functions fail.
pub type Result<T, E = ValidationError> = std::result::Result<T, E>;
