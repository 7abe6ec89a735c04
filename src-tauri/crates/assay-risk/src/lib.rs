//! Risk arithmetic for Assay: CVSS scoring and the FedRAMP risk rules.
//!
//! This crate owns two things and nothing else:
//!
//! * [`cvss`]: parsing CVSS v3.0, v3.1 and v4.0 vector strings and computing their scores and
//!   qualitative severity exactly as the FIRST specifications define them.
//! * [`fedramp`]: the FedRAMP rules that turn likelihood and impact into a risk rating, check
//!   deviations (risk adjustment, false positive, operational requirement, vendor dependency),
//!   derive the POA&M scheduled completion date and classify risks into the SAR Table 2-2 rows.
//!
//! Invariant: everything here is a pure function of its arguments. No IO, no clock, no ids, no
//! global state; dates such as "today" are parameters, so every result is reproducible.

pub mod cvss;
pub mod fedramp;

pub use cvss::{
    metric_definitions, parse_cvss, Cvss, CvssError, CvssScore, CvssVersion, MetricDef,
    MetricGroup, MetricValueDef, Nomenclature, Severity,
};
pub use fedramp::{
    check_false_positive, check_operational_requirement, check_risk_adjustment,
    check_vendor_dependency, classify_table_2_2, fedramp_risk, risk_exposure, scheduled_completion,
    DeviationError, DeviationFlag, DeviationStatus, FalsePositive, Level, OperationalRequirement,
    RiskAdjustment, RiskRating, ScannerSeverity, Table22Row, VendorDependency,
};
