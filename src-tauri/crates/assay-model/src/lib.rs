//! Assay's domain model: plain data with no storage or IO.
//!
//! Invariants (ARCHITECTURE.md): no SQL, no file or network IO, no Tauri. These types validate
//! their own values (`FromStr`) and carry no database handles, so the store, the exporters, the
//! CLI and the shell share one definition of what a valid engagement is. Every SAR and POA&M
//! figure is derived in one place, [`report::compute`], from data passed in. Time and ids come
//! from [`clock`] only.

pub mod audit;
pub mod baseline;
pub mod clock;
pub mod cvss;
pub mod engagement;
mod enums;
pub mod error;
pub mod ids;
pub mod oscal;
pub mod party;
pub mod report;
pub mod sap;
pub mod sar;
pub mod scans;
pub mod ssp;
pub mod testing;
pub mod vocab;

pub use audit::{AuditEntry, AuditRecord, AuditVerification};
pub use engagement::{
    AssessmentType, AuthorizationPath, Engagement, EngagementField, ImpactLevel, NewEngagement,
};
pub use party::{NewTeamMember, Side, TeamMember, TeamRole};
