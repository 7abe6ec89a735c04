//! Unit tests for the FedRAMP risk rules (domain reference §6.2–6.6, §7.2).

use super::*;
use Level::{High, Low, Moderate};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn risk_exposure_matrix_all_nine_cells() {
    // SAR Table 3-6 Risk Exposure Ratings: rows likelihood, columns impact L/M/H.
    let cases = [
        (High, Low, Low),
        (High, Moderate, Moderate),
        (High, High, High),
        (Moderate, Low, Low),
        (Moderate, Moderate, Moderate),
        (Moderate, High, Moderate),
        (Low, Low, Low),
        (Low, Moderate, Low),
        (Low, High, Low),
    ];
    for (likelihood, impact, exposure) in cases {
        assert_eq!(
            risk_exposure(likelihood, impact),
            exposure,
            "likelihood {likelihood:?} x impact {impact:?}"
        );
    }
}

#[test]
fn level_serialises_lowercase_and_orders_low_to_high() {
    assert_eq!(serde_json::to_string(&Moderate).unwrap(), "\"moderate\"");
    assert_eq!(serde_json::from_str::<Level>("\"high\"").unwrap(), High);
    assert!(Low < Moderate && Moderate < High);
}

#[test]
fn scanner_severity_maps_to_fedramp_rating() {
    let cases = [
        (ScannerSeverity::Critical, Some(High)),
        (ScannerSeverity::High, Some(High)),
        (ScannerSeverity::Medium, Some(Moderate)),
        (ScannerSeverity::Low, Some(Low)),
        (ScannerSeverity::Info, None),
    ];
    for (severity, rating) in cases {
        assert_eq!(fedramp_risk(severity), rating, "{severity:?}");
    }
}

#[test]
fn scanner_severity_from_cvss_bands() {
    let cases = [
        (10.0, ScannerSeverity::Critical),
        (9.0, ScannerSeverity::Critical),
        (8.9, ScannerSeverity::High),
        (7.0, ScannerSeverity::High),
        (6.9, ScannerSeverity::Medium),
        (4.0, ScannerSeverity::Medium),
        (3.9, ScannerSeverity::Low),
        (0.1, ScannerSeverity::Low),
        (0.0, ScannerSeverity::Info),
    ];
    for (score, severity) in cases {
        assert_eq!(ScannerSeverity::from_cvss(score), severity, "{score}");
    }
}

// --- risk adjustment -------------------------------------------------------------------------

#[test]
fn risk_adjustment_one_level_keeps_original_beside_adjusted() {
    let ra =
        check_risk_adjustment(High, High, Moderate, High, Some("WAF blocks the vector")).unwrap();
    assert_eq!(ra.original, RiskRating::new(High, High));
    assert_eq!(ra.original.exposure, High, "original is never overwritten");
    assert_eq!(ra.adjusted.exposure, Moderate);
    assert_eq!(ra.reason.as_deref(), Some("WAF blocks the vector"));
    assert!(ra.flags.is_empty(), "{:?}", ra.flags);
}

#[test]
fn risk_adjustment_without_reason_is_allowed_for_one_level_but_flagged() {
    let ra = check_risk_adjustment(Moderate, Moderate, Low, Moderate, Some("   ")).unwrap();
    assert_eq!(ra.adjusted.exposure, Low);
    assert_eq!(ra.reason, None, "blank text is no rationale");
    assert_eq!(ra.flags, vec![DeviationFlag::NoRationale]);
}

#[test]
fn risk_adjustment_high_to_low_needs_reason_and_is_flagged() {
    // Exposure High -> Low by lowering impact one level and likelihood one level.
    assert_eq!(
        check_risk_adjustment(High, High, Moderate, Low, None),
        Err(DeviationError::HighToLowWithoutReason)
    );
    let ra = check_risk_adjustment(High, High, Moderate, Low, Some("isolated enclave")).unwrap();
    assert_eq!(ra.adjusted.exposure, Low);
    assert_eq!(ra.flags, vec![DeviationFlag::HighToLow]);
    // The exposure rule is reported before the factor-jump rule it implies.
    assert_eq!(
        check_risk_adjustment(High, High, Low, High, Some("")),
        Err(DeviationError::HighToLowWithoutReason)
    );
    let ra = check_risk_adjustment(High, High, Low, Low, Some("air-gapped")).unwrap();
    assert_eq!(ra.original.exposure, High);
    assert_eq!(ra.adjusted, RiskRating::new(Low, Low));
    assert_eq!(ra.flags, vec![DeviationFlag::HighToLow]);
}

#[test]
fn risk_adjustment_factor_jump_needs_reason() {
    // Likelihood High -> Low in one step; the exposure drops one level (Moderate -> Low).
    let err = check_risk_adjustment(High, Moderate, Low, Moderate, None).unwrap_err();
    assert_eq!(
        err,
        DeviationError::FactorJumpWithoutReason {
            factor: "likelihood"
        }
    );
    assert_eq!(
        err.to_string(),
        "risk adjustment refused: lowering the likelihood from High to Low needs a rationale"
    );
    // Impact High -> Low on a Moderate likelihood: exposure Moderate -> Low, one level, but
    // the impact jumps two.
    assert_eq!(
        check_risk_adjustment(Moderate, High, Moderate, Low, None),
        Err(DeviationError::FactorJumpWithoutReason { factor: "impact" })
    );
    let ra = check_risk_adjustment(Moderate, High, Moderate, Low, Some("data is public")).unwrap();
    assert_eq!(ra.adjusted.exposure, Low);
    assert!(ra.flags.is_empty());
}

#[test]
fn risk_adjustment_must_lower_the_rating() {
    let err = check_risk_adjustment(Moderate, Moderate, Moderate, Moderate, Some("x")).unwrap_err();
    assert_eq!(err, DeviationError::RatingUnchanged { rating: "Moderate" });
    assert_eq!(
        err.to_string(),
        "risk adjustment refused: the rating stays Moderate"
    );
    // Lower likelihood but the exposure stays Low: nothing to adjust.
    assert_eq!(
        check_risk_adjustment(Moderate, Low, Low, Low, Some("x")),
        Err(DeviationError::RatingUnchanged { rating: "Low" })
    );
    // High x Moderate (Moderate) -> Moderate x Moderate (Moderate): unchanged.
    assert_eq!(
        check_risk_adjustment(High, Moderate, Moderate, Moderate, Some("x")),
        Err(DeviationError::RatingUnchanged { rating: "Moderate" })
    );
}

#[test]
fn risk_adjustment_never_raises_a_factor_or_the_rating() {
    let err = check_risk_adjustment(Low, Moderate, Moderate, Moderate, Some("x")).unwrap_err();
    assert_eq!(
        err,
        DeviationError::FactorRaised {
            factor: "likelihood",
            original: "Low",
            adjusted: "Moderate"
        }
    );
    assert_eq!(
        err.to_string(),
        "risk adjustment refused: it raises the likelihood from Low to Moderate"
    );
    // Trading impact up for likelihood down is still a raise of impact.
    assert_eq!(
        check_risk_adjustment(High, Moderate, Low, High, Some("x")),
        Err(DeviationError::FactorRaised {
            factor: "impact",
            original: "Moderate",
            adjusted: "High"
        })
    );
    let raised = DeviationError::RatingRaised {
        original: "Low",
        adjusted: "High",
    };
    assert_eq!(
        raised.to_string(),
        "risk adjustment refused: it raises the rating from Low to High"
    );
}

// --- false positive --------------------------------------------------------------------------

#[test]
fn false_positive_needs_rationale_and_validated_closes_the_risk() {
    assert_eq!(
        check_false_positive(DeviationStatus::Yes, None),
        Err(DeviationError::FalsePositiveWithoutRationale)
    );
    assert_eq!(
        check_false_positive(DeviationStatus::Pending, Some(" ")),
        Err(DeviationError::FalsePositiveWithoutRationale)
    );
    let fp =
        check_false_positive(DeviationStatus::Yes, Some("backported fix, vendor VEX")).unwrap();
    assert!(fp.closes_risk);
    assert!(fp.evidence_required);
    let pending = check_false_positive(DeviationStatus::Pending, Some("awaiting vendor")).unwrap();
    assert!(
        !pending.closes_risk,
        "a pending FP stays open until validated"
    );
    assert!(pending.evidence_required);
    let none = check_false_positive(DeviationStatus::No, None).unwrap();
    assert!(!none.closes_risk && !none.evidence_required);
}

// --- operational requirement -----------------------------------------------------------------

#[test]
fn operational_requirement_refused_on_high() {
    let err =
        check_operational_requirement(DeviationStatus::Pending, High, None, Some("x")).unwrap_err();
    assert_eq!(err, DeviationError::OperationalRequirementOnHigh);
    assert_eq!(
        err.to_string(),
        "FedRAMP does not accept an operational requirement for a High risk; risk-adjust it first"
    );
    // The adjusted rating decides: an adjustment back to High (refused elsewhere) is High.
    assert_eq!(
        check_operational_requirement(DeviationStatus::Yes, Moderate, Some(High), Some("x")),
        Err(DeviationError::OperationalRequirementOnHigh)
    );
}

#[test]
fn operational_requirement_allowed_after_risk_adjustment_and_needs_rationale() {
    let or = check_operational_requirement(
        DeviationStatus::Yes,
        High,
        Some(Moderate),
        Some("legacy client requires TLS 1.1"),
    )
    .unwrap();
    assert_eq!(or.rating, Moderate);
    assert_eq!(
        check_operational_requirement(DeviationStatus::Yes, Low, None, None),
        Err(DeviationError::OperationalRequirementWithoutRationale)
    );
    let no = check_operational_requirement(DeviationStatus::No, High, None, None).unwrap();
    assert_eq!(no.rating, High, "status No is no claim: nothing to refuse");
}

// --- vendor dependency -----------------------------------------------------------------------

#[test]
fn vendor_dependency_requires_product_and_check_in() {
    let today = date(2025, 3, 1);
    assert_eq!(
        check_vendor_dependency(None, date(2025, 2, 20), Some(today), Moderate, None, today),
        Err(DeviationError::VendorDependencyWithoutProduct)
    );
    assert_eq!(
        check_vendor_dependency(
            Some("  "),
            date(2025, 2, 20),
            Some(today),
            Moderate,
            None,
            today
        ),
        Err(DeviationError::VendorDependencyWithoutProduct)
    );
    assert_eq!(
        check_vendor_dependency(
            Some("OpenSSL"),
            date(2025, 2, 20),
            None,
            Moderate,
            None,
            today
        ),
        Err(DeviationError::VendorDependencyWithoutCheckIn)
    );
    assert_eq!(
        check_vendor_dependency(
            Some("OpenSSL"),
            date(2025, 2, 20),
            Some(date(2025, 3, 2)),
            Moderate,
            None,
            today
        ),
        Err(DeviationError::VendorCheckInInFuture {
            check_in: date(2025, 3, 2),
            today
        })
    );
}

#[test]
fn vendor_dependency_flags_old_high_and_stale_check_in() {
    let detected = date(2025, 1, 1);
    // Day 30 after detection: still within the 30 days; check-in 31 days ago: still monthly.
    let vd = check_vendor_dependency(
        Some(" OpenSSL 3.0 "),
        detected,
        Some(date(2025, 1, 1)),
        High,
        None,
        date(2025, 1, 31),
    )
    .unwrap();
    assert_eq!(vd.product_name, "OpenSSL 3.0");
    assert!(vd.flags.is_empty(), "{:?}", vd.flags);

    // Day 31: the High VD is overdue for mitigation; check-in 32 days old is overdue too.
    let vd = check_vendor_dependency(
        Some("OpenSSL"),
        detected,
        Some(date(2024, 12, 31)),
        High,
        None,
        date(2025, 2, 1),
    )
    .unwrap();
    assert_eq!(
        vd.flags,
        vec![
            DeviationFlag::HighVendorDependencyOverdue,
            DeviationFlag::VendorCheckInOverdue
        ]
    );

    // Risk-adjusted to Moderate: the 30-day High rule no longer applies.
    let vd = check_vendor_dependency(
        Some("OpenSSL"),
        detected,
        Some(date(2025, 6, 1)),
        High,
        Some(Moderate),
        date(2025, 6, 15),
    )
    .unwrap();
    assert_eq!(vd.rating, Moderate);
    assert!(vd.flags.is_empty(), "{:?}", vd.flags);
}

// --- scheduled completion --------------------------------------------------------------------

#[test]
fn scheduled_completion_by_rating() {
    let detected = date(2025, 1, 15);
    let cases = [
        (High, false, date(2025, 2, 14)),
        (Moderate, false, date(2025, 4, 15)),
        (Low, false, date(2025, 7, 14)),
        // Critical is 30 days whatever rating it was recorded under.
        (Moderate, true, date(2025, 2, 14)),
        (High, true, date(2025, 2, 14)),
    ];
    for (rating, critical, due) in cases {
        assert_eq!(
            scheduled_completion(detected, rating, critical, None),
            due,
            "{rating:?} critical={critical}"
        );
    }
}

#[test]
fn scheduled_completion_kev_due_date_wins_when_earlier() {
    let detected = date(2025, 1, 15);
    let kev = date(2025, 2, 5);
    assert_eq!(
        scheduled_completion(detected, Moderate, false, Some(kev)),
        kev
    );
    // A KEV date later than the FedRAMP deadline does not extend it.
    assert_eq!(
        scheduled_completion(detected, High, false, Some(date(2025, 3, 1))),
        date(2025, 2, 14)
    );
    // Saturates instead of panicking at the end of the calendar.
    assert_eq!(
        scheduled_completion(NaiveDate::MAX, Low, false, None),
        NaiveDate::MAX
    );
}

// --- Table 2-2 -------------------------------------------------------------------------------

#[test]
fn table_2_2_rows() {
    let cases = [
        (High, None, Table22Row::High, "High (H)"),
        (High, Some(High), Table22Row::High, "High (H)"),
        (
            High,
            Some(Moderate),
            Table22Row::HighToModerate,
            "H RA to Moderate (M)",
        ),
        (Moderate, None, Table22Row::Moderate, "M"),
        (High, Some(Low), Table22Row::HighToLow, "H RA to Low (L)"),
        (Moderate, Some(Low), Table22Row::ModerateToLow, "M RA to L"),
        (Low, None, Table22Row::Low, "L"),
        // Not a lowering: stays in the original row.
        (Moderate, Some(High), Table22Row::Moderate, "M"),
        (Low, Some(Moderate), Table22Row::Low, "L"),
    ];
    for (original, adjusted, row, label) in cases {
        let got = classify_table_2_2(original, adjusted);
        assert_eq!(got, row, "{original:?} -> {adjusted:?}");
        assert_eq!(got.label(), label);
    }
    let order: Vec<&str> = Table22Row::ALL.iter().map(|r| r.label()).collect();
    assert_eq!(
        order,
        [
            "High (H)",
            "H RA to Moderate (M)",
            "M",
            "H RA to Low (L)",
            "M RA to L",
            "L"
        ]
    );
}
