//! The metric tables of CVSS v3.x and v4.0: every metric key, its name, its group and its
//! allowed values, in the order the specifications list them.
//!
//! Invariant: the order of each table is the canonical order of the vector string, and the
//! first 8 (v3.x) or 11 (v4.0) entries are exactly the mandatory base metrics. Parsing,
//! normalisation and the UI calculator all read these tables, so a metric is defined once.

use super::MetricGroup;

/// One metric of a CVSS version, as the specification defines it.
pub(crate) struct Def {
    pub key: &'static str,
    pub name: &'static str,
    pub group: MetricGroup,
    /// Allowed values as (code, name). Optional metrics list "X" (Not Defined) first.
    pub values: &'static [(&'static str, &'static str)],
}

impl Def {
    /// Whether the vector string must carry this metric (the base metrics).
    pub fn is_mandatory(&self) -> bool {
        self.group == MetricGroup::Base
    }
}

const NOT_DEFINED: (&str, &str) = ("X", "Not Defined");

const V3_AV: &[(&str, &str)] = &[
    ("N", "Network"),
    ("A", "Adjacent Network"),
    ("L", "Local"),
    ("P", "Physical"),
];
const V3_AC: &[(&str, &str)] = &[("L", "Low"), ("H", "High")];
const V3_PR: &[(&str, &str)] = &[("N", "None"), ("L", "Low"), ("H", "High")];
const V3_UI: &[(&str, &str)] = &[("N", "None"), ("R", "Required")];
const V3_S: &[(&str, &str)] = &[("U", "Unchanged"), ("C", "Changed")];
const V3_CIA: &[(&str, &str)] = &[("H", "High"), ("L", "Low"), ("N", "None")];
const V3_E: &[(&str, &str)] = &[
    NOT_DEFINED,
    ("H", "High"),
    ("F", "Functional"),
    ("P", "Proof-of-Concept"),
    ("U", "Unproven"),
];
const V3_RL: &[(&str, &str)] = &[
    NOT_DEFINED,
    ("U", "Unavailable"),
    ("W", "Workaround"),
    ("T", "Temporary Fix"),
    ("O", "Official Fix"),
];
const V3_RC: &[(&str, &str)] = &[
    NOT_DEFINED,
    ("C", "Confirmed"),
    ("R", "Reasonable"),
    ("U", "Unknown"),
];
const REQUIREMENT: &[(&str, &str)] = &[NOT_DEFINED, ("H", "High"), ("M", "Medium"), ("L", "Low")];
const V3_MAV: &[(&str, &str)] = &[
    NOT_DEFINED,
    ("N", "Network"),
    ("A", "Adjacent Network"),
    ("L", "Local"),
    ("P", "Physical"),
];
const V3_MAC: &[(&str, &str)] = &[NOT_DEFINED, ("L", "Low"), ("H", "High")];
const V3_MPR: &[(&str, &str)] = &[NOT_DEFINED, ("N", "None"), ("L", "Low"), ("H", "High")];
const V3_MUI: &[(&str, &str)] = &[NOT_DEFINED, ("N", "None"), ("R", "Required")];
const V3_MS: &[(&str, &str)] = &[NOT_DEFINED, ("U", "Unchanged"), ("C", "Changed")];
const V3_MCIA: &[(&str, &str)] = &[NOT_DEFINED, ("H", "High"), ("L", "Low"), ("N", "None")];

/// CVSS v3.0 and v3.1 share one metric set (v3.1 changed formulas and guidance, not metrics).
pub(crate) const V3: &[Def] = &[
    Def {
        key: "AV",
        name: "Attack Vector",
        group: MetricGroup::Base,
        values: V3_AV,
    },
    Def {
        key: "AC",
        name: "Attack Complexity",
        group: MetricGroup::Base,
        values: V3_AC,
    },
    Def {
        key: "PR",
        name: "Privileges Required",
        group: MetricGroup::Base,
        values: V3_PR,
    },
    Def {
        key: "UI",
        name: "User Interaction",
        group: MetricGroup::Base,
        values: V3_UI,
    },
    Def {
        key: "S",
        name: "Scope",
        group: MetricGroup::Base,
        values: V3_S,
    },
    Def {
        key: "C",
        name: "Confidentiality",
        group: MetricGroup::Base,
        values: V3_CIA,
    },
    Def {
        key: "I",
        name: "Integrity",
        group: MetricGroup::Base,
        values: V3_CIA,
    },
    Def {
        key: "A",
        name: "Availability",
        group: MetricGroup::Base,
        values: V3_CIA,
    },
    Def {
        key: "E",
        name: "Exploit Code Maturity",
        group: MetricGroup::Temporal,
        values: V3_E,
    },
    Def {
        key: "RL",
        name: "Remediation Level",
        group: MetricGroup::Temporal,
        values: V3_RL,
    },
    Def {
        key: "RC",
        name: "Report Confidence",
        group: MetricGroup::Temporal,
        values: V3_RC,
    },
    Def {
        key: "CR",
        name: "Confidentiality Requirement",
        group: MetricGroup::Environmental,
        values: REQUIREMENT,
    },
    Def {
        key: "IR",
        name: "Integrity Requirement",
        group: MetricGroup::Environmental,
        values: REQUIREMENT,
    },
    Def {
        key: "AR",
        name: "Availability Requirement",
        group: MetricGroup::Environmental,
        values: REQUIREMENT,
    },
    Def {
        key: "MAV",
        name: "Modified Attack Vector",
        group: MetricGroup::Environmental,
        values: V3_MAV,
    },
    Def {
        key: "MAC",
        name: "Modified Attack Complexity",
        group: MetricGroup::Environmental,
        values: V3_MAC,
    },
    Def {
        key: "MPR",
        name: "Modified Privileges Required",
        group: MetricGroup::Environmental,
        values: V3_MPR,
    },
    Def {
        key: "MUI",
        name: "Modified User Interaction",
        group: MetricGroup::Environmental,
        values: V3_MUI,
    },
    Def {
        key: "MS",
        name: "Modified Scope",
        group: MetricGroup::Environmental,
        values: V3_MS,
    },
    Def {
        key: "MC",
        name: "Modified Confidentiality",
        group: MetricGroup::Environmental,
        values: V3_MCIA,
    },
    Def {
        key: "MI",
        name: "Modified Integrity",
        group: MetricGroup::Environmental,
        values: V3_MCIA,
    },
    Def {
        key: "MA",
        name: "Modified Availability",
        group: MetricGroup::Environmental,
        values: V3_MCIA,
    },
];

const V4_AV: &[(&str, &str)] = &[
    ("N", "Network"),
    ("A", "Adjacent"),
    ("L", "Local"),
    ("P", "Physical"),
];
const V4_AC: &[(&str, &str)] = &[("L", "Low"), ("H", "High")];
const V4_AT: &[(&str, &str)] = &[("N", "None"), ("P", "Present")];
const V4_PR: &[(&str, &str)] = &[("N", "None"), ("L", "Low"), ("H", "High")];
const V4_UI: &[(&str, &str)] = &[("N", "None"), ("P", "Passive"), ("A", "Active")];
const V4_CIA: &[(&str, &str)] = &[("H", "High"), ("L", "Low"), ("N", "None")];
const V4_E: &[(&str, &str)] = &[
    NOT_DEFINED,
    ("A", "Attacked"),
    ("P", "POC"),
    ("U", "Unreported"),
];
const V4_MAV: &[(&str, &str)] = &[
    NOT_DEFINED,
    ("N", "Network"),
    ("A", "Adjacent"),
    ("L", "Local"),
    ("P", "Physical"),
];
const V4_MAC: &[(&str, &str)] = &[NOT_DEFINED, ("L", "Low"), ("H", "High")];
const V4_MAT: &[(&str, &str)] = &[NOT_DEFINED, ("N", "None"), ("P", "Present")];
const V4_MPR: &[(&str, &str)] = &[NOT_DEFINED, ("N", "None"), ("L", "Low"), ("H", "High")];
const V4_MUI: &[(&str, &str)] = &[
    NOT_DEFINED,
    ("N", "None"),
    ("P", "Passive"),
    ("A", "Active"),
];
const V4_MCIA: &[(&str, &str)] = &[NOT_DEFINED, ("H", "High"), ("L", "Low"), ("N", "None")];
/// Only the modified subsequent-system integrity and availability may take Safety (S).
const V4_MSIA: &[(&str, &str)] = &[
    NOT_DEFINED,
    ("S", "Safety"),
    ("H", "High"),
    ("L", "Low"),
    ("N", "Negligible"),
];
const V4_SAFETY: &[(&str, &str)] = &[NOT_DEFINED, ("N", "Negligible"), ("P", "Present")];
const V4_AU: &[(&str, &str)] = &[NOT_DEFINED, ("N", "No"), ("Y", "Yes")];
const V4_R: &[(&str, &str)] = &[
    NOT_DEFINED,
    ("A", "Automatic"),
    ("U", "User"),
    ("I", "Irrecoverable"),
];
const V4_V: &[(&str, &str)] = &[NOT_DEFINED, ("D", "Diffuse"), ("C", "Concentrated")];
const V4_RE: &[(&str, &str)] = &[NOT_DEFINED, ("L", "Low"), ("M", "Moderate"), ("H", "High")];
const V4_U: &[(&str, &str)] = &[
    NOT_DEFINED,
    ("Clear", "Clear"),
    ("Green", "Green"),
    ("Amber", "Amber"),
    ("Red", "Red"),
];

/// CVSS v4.0 metrics in the order of the specification's vector string table.
pub(crate) const V4: &[Def] = &[
    Def {
        key: "AV",
        name: "Attack Vector",
        group: MetricGroup::Base,
        values: V4_AV,
    },
    Def {
        key: "AC",
        name: "Attack Complexity",
        group: MetricGroup::Base,
        values: V4_AC,
    },
    Def {
        key: "AT",
        name: "Attack Requirements",
        group: MetricGroup::Base,
        values: V4_AT,
    },
    Def {
        key: "PR",
        name: "Privileges Required",
        group: MetricGroup::Base,
        values: V4_PR,
    },
    Def {
        key: "UI",
        name: "User Interaction",
        group: MetricGroup::Base,
        values: V4_UI,
    },
    Def {
        key: "VC",
        name: "Vulnerable System Confidentiality",
        group: MetricGroup::Base,
        values: V4_CIA,
    },
    Def {
        key: "VI",
        name: "Vulnerable System Integrity",
        group: MetricGroup::Base,
        values: V4_CIA,
    },
    Def {
        key: "VA",
        name: "Vulnerable System Availability",
        group: MetricGroup::Base,
        values: V4_CIA,
    },
    Def {
        key: "SC",
        name: "Subsequent System Confidentiality",
        group: MetricGroup::Base,
        values: V4_CIA,
    },
    Def {
        key: "SI",
        name: "Subsequent System Integrity",
        group: MetricGroup::Base,
        values: V4_CIA,
    },
    Def {
        key: "SA",
        name: "Subsequent System Availability",
        group: MetricGroup::Base,
        values: V4_CIA,
    },
    Def {
        key: "E",
        name: "Exploit Maturity",
        group: MetricGroup::Threat,
        values: V4_E,
    },
    Def {
        key: "CR",
        name: "Confidentiality Requirement",
        group: MetricGroup::Environmental,
        values: REQUIREMENT,
    },
    Def {
        key: "IR",
        name: "Integrity Requirement",
        group: MetricGroup::Environmental,
        values: REQUIREMENT,
    },
    Def {
        key: "AR",
        name: "Availability Requirement",
        group: MetricGroup::Environmental,
        values: REQUIREMENT,
    },
    Def {
        key: "MAV",
        name: "Modified Attack Vector",
        group: MetricGroup::Environmental,
        values: V4_MAV,
    },
    Def {
        key: "MAC",
        name: "Modified Attack Complexity",
        group: MetricGroup::Environmental,
        values: V4_MAC,
    },
    Def {
        key: "MAT",
        name: "Modified Attack Requirements",
        group: MetricGroup::Environmental,
        values: V4_MAT,
    },
    Def {
        key: "MPR",
        name: "Modified Privileges Required",
        group: MetricGroup::Environmental,
        values: V4_MPR,
    },
    Def {
        key: "MUI",
        name: "Modified User Interaction",
        group: MetricGroup::Environmental,
        values: V4_MUI,
    },
    Def {
        key: "MVC",
        name: "Modified Vulnerable System Confidentiality",
        group: MetricGroup::Environmental,
        values: V4_MCIA,
    },
    Def {
        key: "MVI",
        name: "Modified Vulnerable System Integrity",
        group: MetricGroup::Environmental,
        values: V4_MCIA,
    },
    Def {
        key: "MVA",
        name: "Modified Vulnerable System Availability",
        group: MetricGroup::Environmental,
        values: V4_MCIA,
    },
    Def {
        key: "MSC",
        name: "Modified Subsequent System Confidentiality",
        group: MetricGroup::Environmental,
        values: V4_MCIA,
    },
    Def {
        key: "MSI",
        name: "Modified Subsequent System Integrity",
        group: MetricGroup::Environmental,
        values: V4_MSIA,
    },
    Def {
        key: "MSA",
        name: "Modified Subsequent System Availability",
        group: MetricGroup::Environmental,
        values: V4_MSIA,
    },
    Def {
        key: "S",
        name: "Safety",
        group: MetricGroup::Supplemental,
        values: V4_SAFETY,
    },
    Def {
        key: "AU",
        name: "Automatable",
        group: MetricGroup::Supplemental,
        values: V4_AU,
    },
    Def {
        key: "R",
        name: "Recovery",
        group: MetricGroup::Supplemental,
        values: V4_R,
    },
    Def {
        key: "V",
        name: "Value Density",
        group: MetricGroup::Supplemental,
        values: V4_V,
    },
    Def {
        key: "RE",
        name: "Vulnerability Response Effort",
        group: MetricGroup::Supplemental,
        values: V4_RE,
    },
    Def {
        key: "U",
        name: "Provider Urgency",
        group: MetricGroup::Supplemental,
        values: V4_U,
    },
];
