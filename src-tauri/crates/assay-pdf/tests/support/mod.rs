//! Shared test support.
pub mod sample;
