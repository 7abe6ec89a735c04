//! CVSS vector parsing and scoring for versions 3.0, 3.1 and 4.0.
//!
//! [`parse_cvss`] turns a vector string into a validated [`Cvss`]; [`Cvss::score`] computes its
//! scores. A `CVSS:3.0/` vector is scored with the v3.1 formulas (including the v3.1 Roundup and
//! environmental changes) and reports version 3.0, as the v3.1 specification recommends; v4.0
//! follows the MacroVector method of the v4.0 specification and the FIRST reference calculator.
//!
//! Invariant: a [`Cvss`] value always holds every mandatory base metric with an allowed value
//! and at most one value per metric, so scoring cannot fail. Metrics set to `X` (Not Defined)
//! are treated exactly like absent ones and are dropped from the normalised vector.

mod defs;
mod v3;
mod v4;
mod v4_lookup;

#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use defs::Def;

/// The CVSS version a vector declares in its prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CvssVersion {
    /// `CVSS:3.0/`, scored with the v3.1 rules.
    #[serde(rename = "3.0")]
    V3_0,
    /// `CVSS:3.1/`.
    #[serde(rename = "3.1")]
    V3_1,
    /// `CVSS:4.0/`.
    #[serde(rename = "4.0")]
    V4_0,
}

impl CvssVersion {
    /// The version number as written in the prefix, e.g. `"3.1"`.
    pub fn as_str(self) -> &'static str {
        match self {
            CvssVersion::V3_0 => "3.0",
            CvssVersion::V3_1 => "3.1",
            CvssVersion::V4_0 => "4.0",
        }
    }

    /// The vector prefix without the trailing slash, e.g. `"CVSS:3.1"`.
    pub fn prefix(self) -> &'static str {
        match self {
            CvssVersion::V3_0 => "CVSS:3.0",
            CvssVersion::V3_1 => "CVSS:3.1",
            CvssVersion::V4_0 => "CVSS:4.0",
        }
    }

    fn defs(self) -> &'static [Def] {
        match self {
            CvssVersion::V3_0 | CvssVersion::V3_1 => defs::V3,
            CvssVersion::V4_0 => defs::V4,
        }
    }
}

impl fmt::Display for CvssVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The qualitative severity rating scale shared by CVSS v3.x and v4.0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// 0.0
    None,
    /// 0.1 – 3.9
    Low,
    /// 4.0 – 6.9
    Medium,
    /// 7.0 – 8.9
    High,
    /// 9.0 – 10.0
    Critical,
}

impl Severity {
    /// Rates a score on the specification's scale. Scores carry one decimal, so the bands
    /// are closed at their lower bound; anything not above zero (including NaN) is `None`.
    pub fn from_score(score: f64) -> Severity {
        if score >= 9.0 {
            Severity::Critical
        } else if score >= 7.0 {
            Severity::High
        } else if score >= 4.0 {
            Severity::Medium
        } else if score > 0.0 {
            Severity::Low
        } else {
            Severity::None
        }
    }

    /// The rating as the specification writes it, e.g. `"Critical"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::None => "None",
            Severity::Low => "Low",
            Severity::Medium => "Medium",
            Severity::High => "High",
            Severity::Critical => "Critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The metric groups of the specifications (v3.x: base, temporal, environmental; v4.0: base,
/// threat, environmental, supplemental).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MetricGroup {
    /// Mandatory intrinsic metrics.
    Base,
    /// v3.x temporal metrics (E, RL, RC).
    Temporal,
    /// v4.0 threat metric (E).
    Threat,
    /// Security requirements and modified base metrics.
    Environmental,
    /// v4.0 supplemental metrics: carried in the vector, never part of the score.
    Supplemental,
}

/// The CVSS v4.0 name for which metric groups a score took into account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Nomenclature {
    /// Base metrics only.
    #[serde(rename = "CVSS-B")]
    CvssB,
    /// Base and threat metrics.
    #[serde(rename = "CVSS-BT")]
    CvssBT,
    /// Base and environmental metrics.
    #[serde(rename = "CVSS-BE")]
    CvssBE,
    /// Base, threat and environmental metrics.
    #[serde(rename = "CVSS-BTE")]
    CvssBTE,
}

impl Nomenclature {
    /// The label as the v4.0 specification writes it, e.g. `"CVSS-BT"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Nomenclature::CvssB => "CVSS-B",
            Nomenclature::CvssBT => "CVSS-BT",
            Nomenclature::CvssBE => "CVSS-BE",
            Nomenclature::CvssBTE => "CVSS-BTE",
        }
    }
}

/// One allowed value of a metric, for a calculator UI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricValueDef {
    /// The code written in the vector, e.g. `"N"` or `"Red"`.
    pub code: String,
    /// The specification's name, e.g. `"Network"`.
    pub name: String,
}

/// One metric of a CVSS version with its allowed values, for a calculator UI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricDef {
    /// The abbreviation written in the vector, e.g. `"AV"`.
    pub key: String,
    /// The specification's name, e.g. `"Attack Vector"`.
    pub name: String,
    /// The group the metric belongs to.
    pub group: MetricGroup,
    /// Whether every vector must carry the metric (the base metrics).
    pub mandatory: bool,
    /// Allowed values in the specification's order; optional metrics start with `X`.
    pub values: Vec<MetricValueDef>,
}

/// Every metric of `version` in canonical vector order, with names and allowed values.
pub fn metric_definitions(version: CvssVersion) -> Vec<MetricDef> {
    version
        .defs()
        .iter()
        .map(|def| MetricDef {
            key: def.key.to_owned(),
            name: def.name.to_owned(),
            group: def.group,
            mandatory: def.is_mandatory(),
            values: def
                .values
                .iter()
                .map(|(code, name)| MetricValueDef {
                    code: (*code).to_owned(),
                    name: (*name).to_owned(),
                })
                .collect(),
        })
        .collect()
}

/// Why a vector string was refused. Messages name the offending metric and never echo more
/// than the offending part of the input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CvssError {
    /// The input is empty or only whitespace.
    #[error("empty CVSS vector")]
    Empty,
    /// A vector must start with `CVSS:3.0`, `CVSS:3.1` or `CVSS:4.0` (CVSS v2 and prefix-less
    /// vectors are not supported).
    #[error("unknown prefix '{prefix}': expected CVSS:3.0, CVSS:3.1 or CVSS:4.0")]
    UnknownPrefix {
        /// The first `/`-separated part of the input.
        prefix: String,
    },
    /// Every part after the prefix must be `KEY:VALUE` (no empty parts, no trailing slash).
    #[error("malformed metric '{part}': expected KEY:VALUE")]
    Malformed {
        /// The offending part.
        part: String,
    },
    /// Every key must be a metric of the declared version.
    #[error("unknown metric '{key}' for CVSS {version}")]
    UnknownMetric {
        /// The unknown key.
        key: String,
        /// The version declared by the prefix.
        version: CvssVersion,
    },
    /// Every value must be one the specification allows for that metric (codes are
    /// case-sensitive).
    #[error("{key}: unknown value '{value}' (allowed: {allowed})")]
    UnknownValue {
        /// The metric key.
        key: String,
        /// The refused value.
        value: String,
        /// The allowed codes, comma-separated.
        allowed: String,
    },
    /// A metric may appear only once.
    #[error("duplicate metric {key}")]
    DuplicateMetric {
        /// The repeated key.
        key: String,
    },
    /// Every base metric must be present.
    #[error("missing mandatory metric {key}")]
    MissingMetric {
        /// The first missing base metric in canonical order.
        key: String,
    },
}

/// A validated CVSS vector. Build it with [`parse_cvss`] (or `str::parse`), score it with
/// [`Cvss::score`]. Serialises as its normalised vector string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cvss {
    version: CvssVersion,
    /// One slot per metric of `version.defs()`: the index of the chosen value, `None` when
    /// the metric is absent or `X`.
    values: Vec<Option<usize>>,
}

/// Parses a CVSS v3.0, v3.1 or v4.0 vector string.
///
/// Metrics may come in any order (the result is normalised to canonical order); surrounding
/// whitespace is ignored; keys and values are case-sensitive as in the specifications.
pub fn parse_cvss(vector: &str) -> Result<Cvss, CvssError> {
    let vector = vector.trim();
    if vector.is_empty() {
        return Err(CvssError::Empty);
    }
    let mut parts = vector.split('/');
    let prefix = parts.next().unwrap_or_default();
    let version = match prefix {
        "CVSS:3.0" => CvssVersion::V3_0,
        "CVSS:3.1" => CvssVersion::V3_1,
        "CVSS:4.0" => CvssVersion::V4_0,
        other => {
            return Err(CvssError::UnknownPrefix {
                prefix: other.to_owned(),
            })
        }
    };
    let defs = version.defs();
    let mut values: Vec<Option<usize>> = vec![None; defs.len()];
    // Tracks explicit `X` too, so `E:X/E:P` is still a duplicate.
    let mut seen = vec![false; defs.len()];
    for part in parts {
        let Some((key, value)) = part.split_once(':') else {
            return Err(CvssError::Malformed {
                part: part.to_owned(),
            });
        };
        if key.is_empty() || value.is_empty() {
            return Err(CvssError::Malformed {
                part: part.to_owned(),
            });
        }
        let Some(slot) = defs.iter().position(|d| d.key == key) else {
            return Err(CvssError::UnknownMetric {
                key: key.to_owned(),
                version,
            });
        };
        if seen[slot] {
            return Err(CvssError::DuplicateMetric {
                key: key.to_owned(),
            });
        }
        seen[slot] = true;
        let def = &defs[slot];
        let Some(index) = def.values.iter().position(|(code, _)| *code == value) else {
            return Err(CvssError::UnknownValue {
                key: key.to_owned(),
                value: value.to_owned(),
                allowed: def
                    .values
                    .iter()
                    .map(|(code, _)| *code)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        };
        if def.values[index].0 != "X" {
            values[slot] = Some(index);
        }
    }
    if let Some(missing) = defs
        .iter()
        .zip(&values)
        .find(|(def, value)| def.is_mandatory() && value.is_none())
    {
        return Err(CvssError::MissingMetric {
            key: missing.0.key.to_owned(),
        });
    }
    Ok(Cvss { version, values })
}

impl Cvss {
    /// The version declared by the prefix.
    pub fn version(&self) -> CvssVersion {
        self.version
    }

    /// The code of metric `key`, or `None` when the metric is absent, `X` or not a metric of
    /// this version.
    pub fn get(&self, key: &str) -> Option<&'static str> {
        let defs = self.version.defs();
        let slot = defs.iter().position(|d| d.key == key)?;
        let index = (*self.values.get(slot)?)?;
        defs.get(slot)?.values.get(index).map(|(code, _)| *code)
    }

    /// Like [`Cvss::get`], with `X` standing for an absent metric. Scoring reads metrics
    /// through this so that "not defined" has a single spelling.
    pub(crate) fn code(&self, key: &str) -> &'static str {
        self.get(key).unwrap_or("X")
    }

    /// Whether any metric of `group` is defined (not absent and not `X`).
    pub fn has_group(&self, group: MetricGroup) -> bool {
        self.version
            .defs()
            .iter()
            .zip(&self.values)
            .any(|(def, value)| def.group == group && value.is_some())
    }

    /// The normalised vector: the declared prefix, then every defined metric in canonical
    /// order, `X` values dropped.
    pub fn vector(&self) -> String {
        let mut out = String::from(self.version.prefix());
        for (def, value) in self.version.defs().iter().zip(&self.values) {
            if let Some(code) = value.and_then(|i| def.values.get(i)).map(|(code, _)| *code) {
                out.push('/');
                out.push_str(def.key);
                out.push(':');
                out.push_str(code);
            }
        }
        out
    }

    /// Computes the scores.
    ///
    /// * v3.x: `base` is the base score, `temporal` is present when any temporal metric is
    ///   defined, `environmental` when any environmental metric is defined (it then also
    ///   applies the temporal metrics, as the formula requires).
    /// * v4.0: `base` is CVSS-B (base metrics only), `temporal` is CVSS-BT when the threat
    ///   metric is defined, `environmental` is CVSS-BE or CVSS-BTE when any environmental
    ///   metric is defined. Supplemental metrics never change a score.
    ///
    /// `severity` rates the base score; [`CvssScore::overall`] gives the most specific score.
    pub fn score(&self) -> CvssScore {
        let (base, temporal, environmental, nomenclature) = match self.version {
            CvssVersion::V3_0 | CvssVersion::V3_1 => {
                let s = v3::score(self);
                (s.base, s.temporal, s.environmental, None)
            }
            CvssVersion::V4_0 => {
                let threat = self.has_group(MetricGroup::Threat);
                let env = self.has_group(MetricGroup::Environmental);
                let base = v4::score(self, false, false);
                let bt = threat.then(|| v4::score(self, true, false));
                let be = env.then(|| v4::score(self, threat, true));
                let nomenclature = match (threat, env) {
                    (false, false) => Nomenclature::CvssB,
                    (true, false) => Nomenclature::CvssBT,
                    (false, true) => Nomenclature::CvssBE,
                    (true, true) => Nomenclature::CvssBTE,
                };
                (base, bt, be, Some(nomenclature))
            }
        };
        CvssScore {
            version: self.version,
            vector: self.vector(),
            base,
            temporal,
            environmental,
            severity: Severity::from_score(base),
            nomenclature,
        }
    }
}

impl fmt::Display for Cvss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.vector())
    }
}

impl FromStr for Cvss {
    type Err = CvssError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_cvss(s)
    }
}

impl Serialize for Cvss {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.vector())
    }
}

impl<'de> Deserialize<'de> for Cvss {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_cvss(&text).map_err(serde::de::Error::custom)
    }
}

/// The scores of one vector. See [`Cvss::score`] for which score each field holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CvssScore {
    /// The version declared by the vector.
    pub version: CvssVersion,
    /// The normalised vector string.
    pub vector: String,
    /// Base score (v4.0: CVSS-B).
    pub base: f64,
    /// v3.x temporal score, or v4.0 CVSS-BT; `None` when no such metric is defined.
    pub temporal: Option<f64>,
    /// v3.x environmental score, or v4.0 CVSS-BE / CVSS-BTE; `None` when no environmental
    /// metric is defined.
    pub environmental: Option<f64>,
    /// Severity of the base score.
    pub severity: Severity,
    /// v4.0 only: the nomenclature of [`CvssScore::overall`].
    pub nomenclature: Option<Nomenclature>,
}

impl CvssScore {
    /// The most specific score: environmental, else temporal, else base.
    pub fn overall(&self) -> f64 {
        self.environmental.or(self.temporal).unwrap_or(self.base)
    }

    /// Severity of [`CvssScore::overall`].
    pub fn overall_severity(&self) -> Severity {
        Severity::from_score(self.overall())
    }
}
