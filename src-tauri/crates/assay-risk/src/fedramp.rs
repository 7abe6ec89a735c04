//! FedRAMP risk rules: the likelihood × impact exposure matrix, scanner severity mapping,
//! deviation checks (risk adjustment, false positive, operational requirement, vendor
//! dependency), POA&M scheduled completion dates and SAR Table 2-2 rows.
//!
//! Sources: FedRAMP SAR template v5.0 (Table 3-6 Risk Exposure Ratings, Table 2-2), the FedRAMP
//! POA&M playbook (remediation timelines, vendor dependencies) and the RIC, as summarised in
//! `shared/docs/fedramp-domain.md` §6.2–6.6 and §7.2.
//!
//! Invariant: checks never overwrite the original rating. An adjustment produces a new
//! [`RiskRating`] kept beside the original one, and every refusal is a [`DeviationError`]
//! variant whose documentation states the rule it enforces.

#[cfg(test)]
mod tests;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::cvss::Severity;

/// A FedRAMP rating: likelihood, impact and risk exposure all use this scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Low.
    Low,
    /// Moderate.
    Moderate,
    /// High.
    High,
}

impl Level {
    /// The name as the FedRAMP templates write it, e.g. `"Moderate"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Low => "Low",
            Level::Moderate => "Moderate",
            Level::High => "High",
        }
    }

    /// 0 for Low, 1 for Moderate, 2 for High: used to count steps between levels.
    fn rank(self) -> u8 {
        match self {
            Level::Low => 0,
            Level::Moderate => 1,
            Level::High => 2,
        }
    }
}

/// Risk exposure from likelihood and impact, by the FedRAMP SAR Table 3-6 matrix:
///
/// | Likelihood \ Impact | Low | Moderate | High     |
/// |---------------------|-----|----------|----------|
/// | High                | Low | Moderate | High     |
/// | Moderate            | Low | Moderate | Moderate |
/// | Low                 | Low | Low      | Low      |
pub fn risk_exposure(likelihood: Level, impact: Level) -> Level {
    match (likelihood, impact) {
        (Level::Low, _) | (_, Level::Low) => Level::Low,
        (Level::High, Level::High) => Level::High,
        _ => Level::Moderate,
    }
}

/// The severity a scanner reports, before it becomes a FedRAMP rating.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScannerSeverity {
    /// Informational: kept as a finding, outside the risk exposure table.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl ScannerSeverity {
    /// The severity band of a CVSS score (CVSS v3.x/v4.0 qualitative scale; a score of 0.0
    /// is informational).
    pub fn from_cvss(score: f64) -> ScannerSeverity {
        ScannerSeverity::from(Severity::from_score(score))
    }
}

impl From<Severity> for ScannerSeverity {
    fn from(severity: Severity) -> Self {
        match severity {
            Severity::None => ScannerSeverity::Info,
            Severity::Low => ScannerSeverity::Low,
            Severity::Medium => ScannerSeverity::Medium,
            Severity::High => ScannerSeverity::High,
            Severity::Critical => ScannerSeverity::Critical,
        }
    }
}

/// The FedRAMP Original Risk Rating for a scanner severity. The POA&M offers only
/// Low/Moderate/High, so Critical and High both become High (both have the 30-day timeline;
/// pass `critical` to [`scheduled_completion`] to keep the distinction). Informational
/// findings have no rating: they are kept, outside the risk exposure table.
pub fn fedramp_risk(severity: ScannerSeverity) -> Option<Level> {
    match severity {
        ScannerSeverity::Critical | ScannerSeverity::High => Some(Level::High),
        ScannerSeverity::Medium => Some(Level::Moderate),
        ScannerSeverity::Low => Some(Level::Low),
        ScannerSeverity::Info => None,
    }
}

/// The Yes / No / Pending value of the RA, FP and OR columns of the RET and POA&M. "Pending"
/// means not yet validated by the assessor; the AO must approve it before authorization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeviationStatus {
    /// Validated.
    Yes,
    /// Not claimed.
    No,
    /// Claimed, not validated.
    Pending,
}

/// Something a reviewer should look at in an otherwise accepted deviation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeviationFlag {
    /// A High risk adjusted to Low: "heavily scrutinized and in most cases not acceptable".
    HighToLow,
    /// A risk adjustment without a rationale: the deviation request still needs one before
    /// it can be validated.
    NoRationale,
    /// A High vendor dependency still High more than 30 days after detection (High VDs must
    /// be mitigated to Moderate within 30 days).
    HighVendorDependencyOverdue,
    /// The last vendor check-in is more than 31 days old (check-ins are monthly).
    VendorCheckInOverdue,
}

/// Why a deviation was refused. Each variant documents the rule it enforces.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeviationError {
    /// A risk adjustment must lower the risk rating; a higher adjusted rating is a re-rating,
    /// not an adjustment.
    #[error("risk adjustment refused: it raises the rating from {original} to {adjusted}")]
    RatingRaised {
        /// Original exposure.
        original: &'static str,
        /// Adjusted exposure.
        adjusted: &'static str,
    },
    /// A risk adjustment must lower the risk rating; one that leaves it unchanged adjusts
    /// nothing.
    #[error("risk adjustment refused: the rating stays {rating}")]
    RatingUnchanged {
        /// The unchanged exposure.
        rating: &'static str,
    },
    /// A risk adjustment lowers likelihood and/or impact on mitigating factors; it never
    /// raises either of them.
    #[error("risk adjustment refused: it raises the {factor} from {original} to {adjusted}")]
    FactorRaised {
        /// "likelihood" or "impact".
        factor: &'static str,
        /// Original level of the factor.
        original: &'static str,
        /// Adjusted level of the factor.
        adjusted: &'static str,
    },
    /// Lowering likelihood or impact by more than one level at a time (High to Low) needs a
    /// rationale.
    #[error("risk adjustment refused: lowering the {factor} from High to Low needs a rationale")]
    FactorJumpWithoutReason {
        /// "likelihood" or "impact".
        factor: &'static str,
    },
    /// Lowering the risk rating by more than one level (High to Low) needs a rationale; even
    /// with one it is flagged for scrutiny.
    #[error("risk adjustment refused: adjusting a High risk to Low needs a rationale")]
    HighToLowWithoutReason,
    /// A false positive claim (Yes or Pending) needs a rationale explaining why the
    /// vulnerability does not exist; evidence is attached separately.
    #[error("false positive refused: a rationale is required")]
    FalsePositiveWithoutRationale,
    /// FedRAMP does not accept an operational requirement for a High risk: it must first be
    /// risk-adjusted to Moderate or Low.
    #[error(
        "FedRAMP does not accept an operational requirement for a High risk; risk-adjust it first"
    )]
    OperationalRequirementOnHigh,
    /// An operational requirement claim (Yes or Pending) needs a rationale explaining why the
    /// risk cannot be remediated.
    #[error("operational requirement refused: a rationale is required")]
    OperationalRequirementWithoutRationale,
    /// A vendor dependency must name the vendor-dependent product.
    #[error("vendor dependency refused: the vendor dependent product name is required")]
    VendorDependencyWithoutProduct,
    /// A vendor dependency must record the last vendor check-in date (check-ins are monthly).
    #[error("vendor dependency refused: the last vendor check-in date is required")]
    VendorDependencyWithoutCheckIn,
    /// The last vendor check-in cannot lie after the day of the check.
    #[error("vendor dependency refused: the last vendor check-in {check_in} is after {today}")]
    VendorCheckInInFuture {
        /// The recorded check-in date.
        check_in: NaiveDate,
        /// The day of the check.
        today: NaiveDate,
    },
}

/// Likelihood, impact and the exposure they give.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RiskRating {
    /// Likelihood.
    pub likelihood: Level,
    /// Impact.
    pub impact: Level,
    /// [`risk_exposure`] of the two.
    pub exposure: Level,
}

impl RiskRating {
    /// A rating with its exposure computed from the matrix.
    pub fn new(likelihood: Level, impact: Level) -> RiskRating {
        RiskRating {
            likelihood,
            impact,
            exposure: risk_exposure(likelihood, impact),
        }
    }
}

/// An accepted risk adjustment: the original rating kept beside the adjusted one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskAdjustment {
    /// The rating before adjustment (the RET/POA&M Original Risk Rating).
    pub original: RiskRating,
    /// The rating after adjustment (the Adjusted Risk Rating).
    pub adjusted: RiskRating,
    /// The rationale, trimmed; `None` when none was given.
    pub reason: Option<String>,
    /// Points for the reviewer.
    pub flags: Vec<DeviationFlag>,
}

/// A rationale counts only if it has non-whitespace text.
fn non_blank(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// Checks a risk adjustment (RA) and computes the adjusted rating.
///
/// Rules, in the order they are checked:
/// * neither likelihood nor impact may go up ([`DeviationError::FactorRaised`]);
/// * the exposure must go down ([`DeviationError::RatingRaised`],
///   [`DeviationError::RatingUnchanged`]);
/// * lowering the exposure from High to Low needs a reason
///   ([`DeviationError::HighToLowWithoutReason`]) and is flagged [`DeviationFlag::HighToLow`];
/// * lowering likelihood or impact from High to Low in one step needs a reason
///   ([`DeviationError::FactorJumpWithoutReason`]). Exposure High needs both factors High, so
///   this rule matters for Moderate exposures (e.g. Moderate × High adjusted to Moderate × Low).
///
/// A one-level adjustment without a reason is accepted but flagged
/// [`DeviationFlag::NoRationale`]: the deviation rationale column must be filled before the
/// assessor can mark the RA "Yes".
pub fn check_risk_adjustment(
    original_likelihood: Level,
    original_impact: Level,
    adjusted_likelihood: Level,
    adjusted_impact: Level,
    reason: Option<&str>,
) -> Result<RiskAdjustment, DeviationError> {
    let original = RiskRating::new(original_likelihood, original_impact);
    let adjusted = RiskRating::new(adjusted_likelihood, adjusted_impact);
    let reason = non_blank(reason);

    for (factor, from, to) in [
        ("likelihood", original_likelihood, adjusted_likelihood),
        ("impact", original_impact, adjusted_impact),
    ] {
        if to > from {
            return Err(DeviationError::FactorRaised {
                factor,
                original: from.as_str(),
                adjusted: to.as_str(),
            });
        }
    }
    if adjusted.exposure > original.exposure {
        return Err(DeviationError::RatingRaised {
            original: original.exposure.as_str(),
            adjusted: adjusted.exposure.as_str(),
        });
    }
    if adjusted.exposure == original.exposure {
        return Err(DeviationError::RatingUnchanged {
            rating: original.exposure.as_str(),
        });
    }
    let mut flags = Vec::new();
    if original.exposure.rank() - adjusted.exposure.rank() > 1 {
        if reason.is_none() {
            return Err(DeviationError::HighToLowWithoutReason);
        }
        flags.push(DeviationFlag::HighToLow);
    }
    if reason.is_none() {
        for (factor, from, to) in [
            ("likelihood", original_likelihood, adjusted_likelihood),
            ("impact", original_impact, adjusted_impact),
        ] {
            if from.rank() - to.rank() > 1 {
                return Err(DeviationError::FactorJumpWithoutReason { factor });
            }
        }
    }
    if reason.is_none() {
        flags.push(DeviationFlag::NoRationale);
    }
    Ok(RiskAdjustment {
        original,
        adjusted,
        reason: reason.map(str::to_owned),
        flags,
    })
}

/// An accepted false positive (FP) claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FalsePositive {
    /// The FP column value.
    pub status: DeviationStatus,
    /// Why the vulnerability does not exist; `None` only when the status is No.
    pub rationale: Option<String>,
    /// Always true for a claim: the caller must attach evidence (vendor statement, CISA VEX,
    /// scan output) for the assessor to validate it.
    pub evidence_required: bool,
    /// True when the FP is validated (Yes): the risk is closed and moves to "Risks Corrected
    /// During Testing" / the POA&M Closed tab. A pending FP stays open.
    pub closes_risk: bool,
}

/// Checks a false positive claim: Yes and Pending need a rationale; a validated (Yes) FP
/// closes the risk; No is "no claim" and changes nothing.
pub fn check_false_positive(
    status: DeviationStatus,
    rationale: Option<&str>,
) -> Result<FalsePositive, DeviationError> {
    let rationale = non_blank(rationale);
    if status == DeviationStatus::No {
        return Ok(FalsePositive {
            status,
            rationale: rationale.map(str::to_owned),
            evidence_required: false,
            closes_risk: false,
        });
    }
    let Some(rationale) = rationale else {
        return Err(DeviationError::FalsePositiveWithoutRationale);
    };
    Ok(FalsePositive {
        status,
        rationale: Some(rationale.to_owned()),
        evidence_required: true,
        closes_risk: status == DeviationStatus::Yes,
    })
}

/// An accepted operational requirement (OR) claim. An OR never closes a risk: it stays on the
/// RET and the POA&M Open tab.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationalRequirement {
    /// The OR column value.
    pub status: DeviationStatus,
    /// The rating the OR applies to (adjusted if any, else original).
    pub rating: Level,
    /// Why the risk cannot be remediated; `None` only when the status is No.
    pub rationale: Option<String>,
}

/// Checks an operational requirement claim against the rating it would apply to (the adjusted
/// rating when there is one, else the original): refused for a High risk
/// ([`DeviationError::OperationalRequirementOnHigh`]); Yes and Pending need a rationale.
pub fn check_operational_requirement(
    status: DeviationStatus,
    original: Level,
    adjusted: Option<Level>,
    rationale: Option<&str>,
) -> Result<OperationalRequirement, DeviationError> {
    let rating = adjusted.unwrap_or(original);
    let rationale = non_blank(rationale);
    if status != DeviationStatus::No {
        if rating == Level::High {
            return Err(DeviationError::OperationalRequirementOnHigh);
        }
        if rationale.is_none() {
            return Err(DeviationError::OperationalRequirementWithoutRationale);
        }
    }
    Ok(OperationalRequirement {
        status,
        rating,
        rationale: rationale.map(str::to_owned),
    })
}

/// An accepted vendor dependency (VD). A VD is not a deviation request and needs no approval;
/// it stays an open risk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorDependency {
    /// The vendor dependent product name, trimmed.
    pub product_name: String,
    /// The last vendor check-in date.
    pub last_check_in: NaiveDate,
    /// The rating the VD is tracked at (adjusted if any, else original).
    pub rating: Level,
    /// Overdue mitigation or check-in.
    pub flags: Vec<DeviationFlag>,
}

/// Days after detection by which a High VD must be mitigated to Moderate.
const HIGH_VD_MITIGATION_DAYS: i64 = 30;
/// Longest accepted gap since the last (monthly) vendor check-in.
const VENDOR_CHECK_IN_DAYS: i64 = 31;

/// Checks a vendor dependency on day `today`: the product name and the last check-in date are
/// required; flags a High VD (adjusted if any, else original) more than 30 days after
/// `detected` and a last check-in more than 31 days before `today`.
pub fn check_vendor_dependency(
    product_name: Option<&str>,
    detected: NaiveDate,
    last_check_in: Option<NaiveDate>,
    original: Level,
    adjusted: Option<Level>,
    today: NaiveDate,
) -> Result<VendorDependency, DeviationError> {
    let Some(product_name) = non_blank(product_name) else {
        return Err(DeviationError::VendorDependencyWithoutProduct);
    };
    let Some(last_check_in) = last_check_in else {
        return Err(DeviationError::VendorDependencyWithoutCheckIn);
    };
    if last_check_in > today {
        return Err(DeviationError::VendorCheckInInFuture {
            check_in: last_check_in,
            today,
        });
    }
    let rating = adjusted.unwrap_or(original);
    let mut flags = Vec::new();
    if rating == Level::High && (today - detected).num_days() > HIGH_VD_MITIGATION_DAYS {
        flags.push(DeviationFlag::HighVendorDependencyOverdue);
    }
    if (today - last_check_in).num_days() > VENDOR_CHECK_IN_DAYS {
        flags.push(DeviationFlag::VendorCheckInOverdue);
    }
    Ok(VendorDependency {
        product_name: product_name.to_owned(),
        last_check_in,
        rating,
        flags,
    })
}

/// The POA&M Scheduled Completion Date: `detected` plus 30 days for High (and for any
/// Critical finding, whatever its rating), 90 for Moderate, 180 for Low.
///
/// Known exploited vulnerabilities (CISA KEV, BOD 22-01): the KEV due date wins when it is
/// earlier than the FedRAMP deadline. A later KEV date does not extend the FedRAMP deadline,
/// because both obligations apply and the earlier one is the binding one.
pub fn scheduled_completion(
    detected: NaiveDate,
    original: Level,
    critical: bool,
    kev_due: Option<NaiveDate>,
) -> NaiveDate {
    let days = match (critical, original) {
        (true, _) | (_, Level::High) => 30,
        (_, Level::Moderate) => 90,
        (_, Level::Low) => 180,
    };
    // Only a date at the end of chrono's range can overflow; saturate instead of panicking.
    let fedramp_due = detected
        .checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX);
    match kev_due {
        Some(kev) if kev < fedramp_due => kev,
        _ => fedramp_due,
    }
}

/// A row of SAR Table 2-2 "Summary of Risks that Remained Open", in template order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Table22Row {
    /// High (H).
    High,
    /// H RA to Moderate (M).
    HighToModerate,
    /// M.
    Moderate,
    /// H RA to Low (L).
    HighToLow,
    /// M RA to L.
    ModerateToLow,
    /// L.
    Low,
}

impl Table22Row {
    /// All rows in the order the template lists them (the Total row is a sum, not a class).
    pub const ALL: [Table22Row; 6] = [
        Table22Row::High,
        Table22Row::HighToModerate,
        Table22Row::Moderate,
        Table22Row::HighToLow,
        Table22Row::ModerateToLow,
        Table22Row::Low,
    ];

    /// The row label as the SAR v5.0 template writes it.
    pub fn label(self) -> &'static str {
        match self {
            Table22Row::High => "High (H)",
            Table22Row::HighToModerate => "H RA to Moderate (M)",
            Table22Row::Moderate => "M",
            Table22Row::HighToLow => "H RA to Low (L)",
            Table22Row::ModerateToLow => "M RA to L",
            Table22Row::Low => "L",
        }
    }
}

/// The Table 2-2 row of an open risk from its original and adjusted ratings. Only an adjusted
/// rating lower than the original is a risk adjustment; any other adjusted value (equal or,
/// refused by [`check_risk_adjustment`], higher) leaves the risk in its original row.
pub fn classify_table_2_2(original: Level, adjusted: Option<Level>) -> Table22Row {
    match (original, adjusted) {
        (Level::High, Some(Level::Moderate)) => Table22Row::HighToModerate,
        (Level::High, Some(Level::Low)) => Table22Row::HighToLow,
        (Level::Moderate, Some(Level::Low)) => Table22Row::ModerateToLow,
        (Level::High, _) => Table22Row::High,
        (Level::Moderate, _) => Table22Row::Moderate,
        (Level::Low, _) => Table22Row::Low,
    }
}
