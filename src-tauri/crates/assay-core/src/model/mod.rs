//! Domain types: plain data with no storage or IO.
//!
//! Invariant: these types validate their own values (`FromStr`) and carry no database handles, so
//! the store, the CLI and the shell all share one definition of what a valid engagement is.

pub mod audit;
pub mod baseline;
pub mod engagement;
mod enums;
pub mod party;
pub mod sap;
pub mod sar;
pub mod scans;
pub mod ssp;
pub mod testing;

pub use audit::{AuditEntry, AuditRecord, AuditVerification};
pub use engagement::{
    AssessmentType, AuthorizationPath, Engagement, EngagementField, ImpactLevel, NewEngagement,
};
pub use party::{NewTeamMember, Side, TeamMember, TeamRole};
