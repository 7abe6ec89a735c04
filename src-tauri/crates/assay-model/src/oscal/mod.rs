//! The OSCAL documents an engagement is built on, as Assay keeps them: the system security plan
//! under assessment (`ssp`) and the catalog it is assessed against (`catalog`), with the records
//! both share (`common`).
//!
//! These are plain data. The reader (assay-oscal) turns OSCAL JSON or XML into them and the store
//! persists them; neither the store nor anything else below the use cases needs the reader for that.
//! Their serde shape is the shape stored in engagement files.

pub mod catalog;
pub mod common;
pub mod ssp;

pub use catalog::{
    AssessmentMethod, Catalog, Control, FedrampNote, Group, Objective, Param, ParamSelect,
    StatementPart,
};
pub use common::{
    Address, Format, Hash, Model, Ns, Party, Prop, Resource, Rlink, Role, RoleAssignment,
    SourceInfo,
};
pub use ssp::{
    AuthorizedPrivilege, ByComponent, Categorization, Cia, Component, Described, Diagram,
    ImplementedRequirement, InfoImpact, InformationType, Inherited, InventoryItem,
    LeveragedAuthorization, Metadata, PortRange, Protocol, Provided, Responsibility, Satisfied,
    SetParameter, Sharing, Statement, SystemCharacteristics, SystemId, SystemImplementation,
    SystemSecurityPlan, User,
};
