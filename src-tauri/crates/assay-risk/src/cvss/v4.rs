//! CVSS v4.0 scoring: MacroVector equivalence classes EQ1..EQ6, the expert-scored MacroVector
//! table and the severity-distance interpolation (specification sections 8.2 and 8.3, as
//! implemented by the FIRST reference calculator).
//!
//! Invariant: the arithmetic mirrors the reference calculator step for step, including its
//! floating-point severity levels (0.1 steps) and the order of additions, so that scores that
//! land on a rounding boundary round the same way as FIRST's published calculator.

use super::v4_lookup::macro_vector_score;
use super::Cvss;

/// Metrics that take part in the severity distance, in the reference calculator's order.
const DISTANCE_METRICS: [&str; 15] = [
    "AV", "PR", "UI", "AC", "AT", "VC", "VI", "VA", "SC", "SI", "SA", "CR", "IR", "AR", "E",
];

/// The severity level of a metric value: 0.0 for the most severe value, then +0.1 per step.
/// SC/SI/SA start at 0.1 because only the modified SI/SA can reach Safety (0.0).
fn level(metric: &str, code: &str) -> f64 {
    match (metric, code) {
        ("AV", "N") | ("PR", "N") | ("UI", "N") | ("AC", "L") | ("AT", "N") => 0.0,
        ("AV", "A") | ("PR", "L") | ("UI", "P") | ("AC", "H") | ("AT", "P") => 0.1,
        ("AV", "L") | ("PR", "H") | ("UI", "A") => 0.2,
        ("AV", "P") => 0.3,
        ("VC" | "VI" | "VA", "H") => 0.0,
        ("VC" | "VI" | "VA", "L") => 0.1,
        ("VC" | "VI" | "VA", "N") => 0.2,
        ("SI" | "SA", "S") => 0.0,
        ("SC" | "SI" | "SA", "H") => 0.1,
        ("SC" | "SI" | "SA", "L") => 0.2,
        ("SC" | "SI" | "SA", "N") => 0.3,
        ("CR" | "IR" | "AR", "H") => 0.0,
        ("CR" | "IR" | "AR", "M") => 0.1,
        ("CR" | "IR" | "AR", "L") => 0.2,
        ("E", "A") => 0.0,
        ("E", "P") => 0.1,
        ("E", "U") => 0.2,
        // Unreachable for a validated vector; the most severe level keeps distances >= 0.
        _ => 0.0,
    }
}

/// Highest-severity vectors of each EQ level (the specification's "max composed" table).
/// EQ1: (AV, PR, UI).
const EQ1_MAX: [&[[&str; 3]]; 3] = [
    &[["N", "N", "N"]],
    &[["A", "N", "N"], ["N", "L", "N"], ["N", "N", "P"]],
    &[["P", "N", "N"], ["A", "L", "P"]],
];
/// EQ2: (AC, AT).
const EQ2_MAX: [&[[&str; 2]]; 2] = [&[["L", "N"]], &[["H", "N"], ["L", "P"]]];
/// EQ3 and EQ6 jointly: (VC, VI, VA, CR, IR, AR), indexed by (EQ3, EQ6).
fn eq3_eq6_max(eq3: u8, eq6: u8) -> &'static [[&'static str; 6]] {
    match (eq3, eq6) {
        (0, 0) => &[["H", "H", "H", "H", "H", "H"]],
        (0, _) => &[
            ["H", "H", "L", "M", "M", "H"],
            ["H", "H", "H", "M", "M", "M"],
        ],
        (1, 0) => &[
            ["L", "H", "H", "H", "H", "H"],
            ["H", "L", "H", "H", "H", "H"],
        ],
        (1, _) => &[
            ["L", "H", "L", "H", "M", "H"],
            ["L", "H", "H", "H", "M", "M"],
            ["H", "L", "H", "M", "H", "M"],
            ["H", "L", "L", "M", "H", "H"],
            ["L", "L", "H", "H", "H", "M"],
        ],
        _ => &[["L", "L", "L", "H", "H", "H"]],
    }
}
/// EQ4: (SC, SI, SA).
const EQ4_MAX: [&[[&str; 3]]; 3] = [&[["H", "S", "S"]], &[["H", "H", "H"]], &[["L", "L", "L"]]];
/// EQ5: (E).
const EQ5_MAX: [&str; 3] = ["A", "P", "U"];

/// Depth of each MacroVector in severity steps (the specification's "max severity" + 1).
fn depth_eq1(eq1: u8) -> f64 {
    match eq1 {
        0 => 1.0,
        1 => 4.0,
        _ => 5.0,
    }
}
fn depth_eq2(eq2: u8) -> f64 {
    if eq2 == 0 {
        1.0
    } else {
        2.0
    }
}
fn depth_eq3_eq6(eq3: u8, eq6: u8) -> f64 {
    match (eq3, eq6) {
        (0, 0) => 7.0,
        (0, _) => 6.0,
        (1, _) => 8.0,
        _ => 10.0,
    }
}
fn depth_eq4(eq4: u8) -> f64 {
    match eq4 {
        0 => 6.0,
        1 => 5.0,
        _ => 4.0,
    }
}

/// The metric values a score is computed from, after applying the chosen metric groups.
struct Effective<'a> {
    cvss: &'a Cvss,
    threat: bool,
    environmental: bool,
}

impl Effective<'_> {
    fn get(&self, metric: &str) -> &'static str {
        match metric {
            // Undefined threat and requirement metrics take their worst case (spec 8.3).
            "E" => match self.cvss.code("E") {
                code if self.threat && code != "X" => code,
                _ => "A",
            },
            "CR" | "IR" | "AR" => match self.cvss.code(metric) {
                code if self.environmental && code != "X" => code,
                _ => "H",
            },
            _ => {
                if self.environmental {
                    let modified = match metric {
                        "AV" => "MAV",
                        "AC" => "MAC",
                        "AT" => "MAT",
                        "PR" => "MPR",
                        "UI" => "MUI",
                        "VC" => "MVC",
                        "VI" => "MVI",
                        "VA" => "MVA",
                        "SC" => "MSC",
                        "SI" => "MSI",
                        "SA" => "MSA",
                        _ => "",
                    };
                    if let Some(code) = self.cvss.get(modified) {
                        return code;
                    }
                }
                self.cvss.code(metric)
            }
        }
    }

    fn is(&self, metric: &str, code: &str) -> bool {
        self.get(metric) == code
    }

    /// The six EQ levels of the specification's tables 24–29.
    fn macro_vector(&self) -> [u8; 6] {
        let (av_n, pr_n, ui_n) = (self.is("AV", "N"), self.is("PR", "N"), self.is("UI", "N"));
        let eq1 = if av_n && pr_n && ui_n {
            0
        } else if (av_n || pr_n || ui_n) && !self.is("AV", "P") {
            1
        } else {
            2
        };
        let eq2 = if self.is("AC", "L") && self.is("AT", "N") {
            0
        } else {
            1
        };
        let (vc_h, vi_h, va_h) = (self.is("VC", "H"), self.is("VI", "H"), self.is("VA", "H"));
        let eq3 = if vc_h && vi_h {
            0
        } else if vc_h || vi_h || va_h {
            1
        } else {
            2
        };
        let eq4 = if self.is("SI", "S") || self.is("SA", "S") {
            0
        } else if self.is("SC", "H") || self.is("SI", "H") || self.is("SA", "H") {
            1
        } else {
            2
        };
        let eq5 = match self.get("E") {
            "A" => 0,
            "P" => 1,
            _ => 2,
        };
        let eq6 = if (self.is("CR", "H") && vc_h)
            || (self.is("IR", "H") && vi_h)
            || (self.is("AR", "H") && va_h)
        {
            0
        } else {
            1
        };
        [eq1, eq2, eq3, eq4, eq5, eq6]
    }
}

fn key(eq: [u8; 6]) -> String {
    eq.iter().map(|d| char::from(b'0' + d)).collect()
}

fn score_of(eq: [u8; 6]) -> Option<f64> {
    macro_vector_score(&key(eq))
}

/// Scores `cvss` (a v4.0 vector) using the base metrics plus, when asked, the threat and the
/// environmental metrics: (false, false) is CVSS-B, (true, false) CVSS-BT, (false, true)
/// CVSS-BE and (true, true) CVSS-BTE.
pub(super) fn score(cvss: &Cvss, threat: bool, environmental: bool) -> f64 {
    let eff = Effective {
        cvss,
        threat,
        environmental,
    };

    // No impact on either system scores 0 whatever the exploitability.
    if ["VC", "VI", "VA", "SC", "SI", "SA"]
        .iter()
        .all(|m| eff.is(m, "N"))
    {
        return 0.0;
    }

    let mv = eff.macro_vector();
    let [eq1, eq2, eq3, eq4, eq5, eq6] = mv;
    let Some(value) = score_of(mv) else {
        // Every reachable MacroVector is in the table; keep the no-panic promise anyway.
        return 0.0;
    };

    // Score of the next lower MacroVector along each EQ (None where there is none).
    let lower = |i: usize| {
        let mut next = mv;
        next[i] += 1;
        score_of(next)
    };
    let lower_eq1 = lower(0);
    let lower_eq2 = lower(1);
    let lower_eq3_eq6 = match (eq3, eq6) {
        // 00 has two lower neighbours (01 and 10); the higher-scoring one is the next step.
        (0, 0) => match (lower(5), lower(2)) {
            (Some(left), Some(right)) => Some(left.max(right)),
            _ => None,
        },
        // 10 -> 11
        (1, 0) => lower(5),
        // 01 -> 11, 11 -> 21; 21 has no lower MacroVector.
        (0 | 1, _) => lower(2),
        _ => None,
    };
    let lower_eq4 = lower(3);
    let lower_eq5 = lower(4);

    // Severity distances from the first highest-severity vector of this MacroVector that
    // is at least as severe as the scored vector on every metric.
    let effective: Vec<&str> = DISTANCE_METRICS.iter().map(|m| eff.get(m)).collect();
    let mut distances = [0.0_f64; 15];
    'search: for e1 in EQ1_MAX[usize::from(eq1.min(2))] {
        for e2 in EQ2_MAX[usize::from(eq2.min(1))] {
            for e3 in eq3_eq6_max(eq3, eq6) {
                for e4 in EQ4_MAX[usize::from(eq4.min(2))] {
                    let e5 = EQ5_MAX[usize::from(eq5.min(2))];
                    let max = [
                        e1[0], e1[1], e1[2], e2[0], e2[1], e3[0], e3[1], e3[2], e4[0], e4[1],
                        e4[2], e3[3], e3[4], e3[5], e5,
                    ];
                    for (i, metric) in DISTANCE_METRICS.iter().enumerate() {
                        distances[i] = level(metric, effective[i]) - level(metric, max[i]);
                    }
                    if distances.iter().all(|d| *d >= 0.0) {
                        break 'search;
                    }
                }
            }
        }
    }
    let [d_av, d_pr, d_ui, d_ac, d_at, d_vc, d_vi, d_va, d_sc, d_si, d_sa, d_cr, d_ir, d_ar, _] =
        distances;
    let distance_eq1 = d_av + d_pr + d_ui;
    let distance_eq2 = d_ac + d_at;
    let distance_eq3_eq6 = d_vc + d_vi + d_va + d_cr + d_ir + d_ar;
    let distance_eq4 = d_sc + d_si + d_sa;

    const STEP: f64 = 0.1;
    let mut existing_lower = 0_u32;
    let mut total = 0.0_f64;
    // Each EQ moves the score towards its next lower MacroVector in proportion to how deep
    // the vector sits inside its own MacroVector.
    let mut add = |lower: Option<f64>, distance: f64, depth: f64| {
        if let Some(lower) = lower {
            existing_lower += 1;
            total += (value - lower) * (distance / (depth * STEP));
        }
    };
    add(lower_eq1, distance_eq1, depth_eq1(eq1));
    add(lower_eq2, distance_eq2, depth_eq2(eq2));
    add(lower_eq3_eq6, distance_eq3_eq6, depth_eq3_eq6(eq3, eq6));
    add(lower_eq4, distance_eq4, depth_eq4(eq4));
    // EQ5 has depth 1: its proportion is always 0, but it still counts as an existing step.
    add(lower_eq5, 0.0, 1.0);

    let mean = if existing_lower == 0 {
        0.0
    } else {
        total / f64::from(existing_lower)
    };
    round_one_decimal((value - mean).clamp(0.0, 10.0))
}

/// Round half up to one decimal, as the reference calculator does (`Math.round(x * 10) / 10`).
fn round_one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
