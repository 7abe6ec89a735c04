//! CVSS v3.1 base, temporal and environmental equations (specification section 7 and the
//! Roundup function of Appendix A). CVSS v3.0 vectors are scored with the same equations.
//!
//! Invariant: every weight comes from the specification's table 7.4 and every rounding goes
//! through [`roundup`], the floating-point-safe definition, never through `f64::ceil` on a
//! scaled value (which turns 4.000000000000001 into 4.1).

use super::Cvss;

/// The three v3.x scores; `None` when the vector defines no metric of that group.
pub(super) struct V3Scores {
    pub base: f64,
    pub temporal: Option<f64>,
    pub environmental: Option<f64>,
}

/// Roundup as defined in CVSS v3.1 Appendix A: the smallest number with one decimal that is
/// equal to or higher than the input, computed on an integer of 1/100000 units so that
/// floating-point noise below that precision cannot push a score up by 0.1.
pub(super) fn roundup(input: f64) -> f64 {
    // Scores are within 0..=10.8, so the cast cannot overflow.
    let int_input = (input * 100_000.0).round() as i64;
    if int_input % 10_000 == 0 {
        int_input as f64 / 100_000.0
    } else {
        ((int_input / 10_000) + 1) as f64 / 10.0
    }
}

fn attack_vector(code: &str) -> f64 {
    match code {
        "N" => 0.85,
        "A" => 0.62,
        "L" => 0.55,
        _ => 0.2, // "P"
    }
}

fn attack_complexity(code: &str) -> f64 {
    match code {
        "L" => 0.77,
        _ => 0.44, // "H"
    }
}

/// Privileges Required weighs more when the scope changes (0.68/0.50 instead of 0.62/0.27).
fn privileges_required(code: &str, scope_changed: bool) -> f64 {
    match (code, scope_changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        (_, false) => 0.27, // "H"
        (_, true) => 0.5,
    }
}

fn user_interaction(code: &str) -> f64 {
    match code {
        "N" => 0.85,
        _ => 0.62, // "R"
    }
}

fn cia(code: &str) -> f64 {
    match code {
        "H" => 0.56,
        "L" => 0.22,
        _ => 0.0, // "N"
    }
}

fn exploit_maturity(code: &str) -> f64 {
    match code {
        "F" => 0.97,
        "P" => 0.94,
        "U" => 0.91,
        _ => 1.0, // "X", "H"
    }
}

fn remediation_level(code: &str) -> f64 {
    match code {
        "W" => 0.97,
        "T" => 0.96,
        "O" => 0.95,
        _ => 1.0, // "X", "U"
    }
}

fn report_confidence(code: &str) -> f64 {
    match code {
        "R" => 0.96,
        "U" => 0.92,
        _ => 1.0, // "X", "C"
    }
}

fn requirement(code: &str) -> f64 {
    match code {
        "H" => 1.5,
        "L" => 0.5,
        _ => 1.0, // "X", "M"
    }
}

/// Computes the v3.1 scores of `cvss` (which must be a v3.x vector).
pub(super) fn score(cvss: &Cvss) -> V3Scores {
    let m = |key: &str| cvss.code(key);
    // A modified metric left undefined takes the base metric's value.
    let modified = |key: &str, base: &str| match cvss.code(key) {
        "X" => cvss.code(base),
        code => code,
    };

    let scope_changed = m("S") == "C";
    let iss = 1.0 - (1.0 - cia(m("C"))) * (1.0 - cia(m("I"))) * (1.0 - cia(m("A")));
    let impact = if scope_changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15)
    } else {
        6.42 * iss
    };
    let exploitability = 8.22
        * attack_vector(m("AV"))
        * attack_complexity(m("AC"))
        * privileges_required(m("PR"), scope_changed)
        * user_interaction(m("UI"));
    let base = if impact <= 0.0 {
        0.0
    } else if scope_changed {
        roundup((1.08 * (impact + exploitability)).min(10.0))
    } else {
        roundup((impact + exploitability).min(10.0))
    };

    let temporal_factor =
        exploit_maturity(m("E")) * remediation_level(m("RL")) * report_confidence(m("RC"));
    let has_temporal = ["E", "RL", "RC"].iter().any(|k| cvss.get(k).is_some());
    let temporal = has_temporal.then(|| roundup(base * temporal_factor));

    let has_environmental = [
        "CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA",
    ]
    .iter()
    .any(|k| cvss.get(k).is_some());
    let environmental = has_environmental.then(|| {
        let modified_scope_changed = modified("MS", "S") == "C";
        let miss = (1.0
            - (1.0 - requirement(m("CR")) * cia(modified("MC", "C")))
                * (1.0 - requirement(m("IR")) * cia(modified("MI", "I")))
                * (1.0 - requirement(m("AR")) * cia(modified("MA", "A"))))
        .min(0.915);
        let modified_impact = if modified_scope_changed {
            7.52 * (miss - 0.029) - 3.25 * (miss * 0.9731 - 0.02).powi(13)
        } else {
            6.42 * miss
        };
        let modified_exploitability = 8.22
            * attack_vector(modified("MAV", "AV"))
            * attack_complexity(modified("MAC", "AC"))
            * privileges_required(modified("MPR", "PR"), modified_scope_changed)
            * user_interaction(modified("MUI", "UI"));
        if modified_impact <= 0.0 {
            0.0
        } else if modified_scope_changed {
            roundup(
                roundup((1.08 * (modified_impact + modified_exploitability)).min(10.0))
                    * temporal_factor,
            )
        } else {
            roundup(
                roundup((modified_impact + modified_exploitability).min(10.0)) * temporal_factor,
            )
        }
    });

    V3Scores {
        base,
        temporal,
        environmental,
    }
}
