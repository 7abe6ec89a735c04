//! The CVSS calculator's views: a scored vector with its metrics named, and each version's
//! metric definitions. They only reshape what `assay_risk` computes.

use serde::{Deserialize, Serialize};

use crate::error::{Result, ValidationError};
use crate::testing::{CvssInfo, RiskLevel};

/// One metric of a scored vector, for the calculator's breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CvssMetricValue {
    pub key: String,
    pub name: String,
    /// `base`, `temporal`, `threat`, `environmental` or `supplemental`.
    pub group: String,
    pub code: String,
    pub value_name: String,
}

/// A scored CVSS vector with its metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CvssBreakdown {
    pub vector: String,
    pub version: String,
    pub base_score: f64,
    pub base_severity: String,
    pub temporal_score: Option<f64>,
    pub environmental_score: Option<f64>,
    /// The score that counts (environmental, else temporal, else base; v4.0: the one score).
    pub overall_score: f64,
    pub overall_severity: String,
    pub metrics: Vec<CvssMetricValue>,
}

/// One allowed value of a metric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CvssValueDef {
    pub code: String,
    pub name: String,
}

/// One metric of a CVSS version, for the calculator's selects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CvssMetricDef {
    pub key: String,
    pub name: String,
    pub group: String,
    pub mandatory: bool,
    pub values: Vec<CvssValueDef>,
}

fn group_name(g: assay_risk::MetricGroup) -> String {
    match g {
        assay_risk::MetricGroup::Base => "base",
        assay_risk::MetricGroup::Temporal => "temporal",
        assay_risk::MetricGroup::Threat => "threat",
        assay_risk::MetricGroup::Environmental => "environmental",
        assay_risk::MetricGroup::Supplemental => "supplemental",
    }
    .to_owned()
}

fn parse(vector: &str) -> Result<assay_risk::Cvss> {
    assay_risk::parse_cvss(vector).map_err(|e| ValidationError::new("cvss vector", e.to_string()))
}

/// Scores a CVSS vector: what a finding stores.
pub fn score(vector: &str) -> Result<CvssInfo> {
    let score = parse(vector)?.score();
    Ok(CvssInfo {
        vector: score.vector.clone(),
        version: score.version.as_str().to_owned(),
        base_score: score.base,
        base_severity: assay_risk::Severity::from_score(score.base)
            .as_str()
            .to_owned(),
    })
}

/// Scores `vector` and lists its metrics by name.
pub fn breakdown(vector: &str) -> Result<CvssBreakdown> {
    let cvss = parse(vector)?;
    let info = score(vector)?;
    let score = cvss.score();
    let metrics = assay_risk::metric_definitions(cvss.version())
        .into_iter()
        .filter_map(|def| {
            let code = cvss.get(&def.key)?;
            let value_name = def
                .values
                .iter()
                .find(|v| v.code == code)
                .map(|v| v.name.clone())
                .unwrap_or_else(|| code.to_owned());
            Some(CvssMetricValue {
                key: def.key,
                name: def.name,
                group: group_name(def.group),
                code: code.to_owned(),
                value_name,
            })
        })
        .collect();
    Ok(CvssBreakdown {
        vector: info.vector,
        version: info.version,
        base_score: info.base_score,
        base_severity: info.base_severity,
        temporal_score: score.temporal,
        environmental_score: score.environmental,
        overall_score: score.overall(),
        overall_severity: score.overall_severity().as_str().to_owned(),
        metrics,
    })
}

/// The metrics of CVSS `version` (`3.0`, `3.1`, `4.0`) with their allowed values.
pub fn metric_definitions(version: &str) -> Result<Vec<CvssMetricDef>> {
    let version = match version.trim() {
        "3.0" => assay_risk::CvssVersion::V3_0,
        "3.1" => assay_risk::CvssVersion::V3_1,
        "4.0" => assay_risk::CvssVersion::V4_0,
        other => {
            return Err(ValidationError::new(
                "cvss version",
                format!("unknown CVSS version \"{other}\" (use 3.0, 3.1 or 4.0)"),
            ))
        }
    };
    Ok(assay_risk::metric_definitions(version)
        .into_iter()
        .map(|d| CvssMetricDef {
            key: d.key,
            name: d.name,
            group: group_name(d.group),
            mandatory: d.mandatory,
            values: d
                .values
                .into_iter()
                .map(|v| CvssValueDef {
                    code: v.code,
                    name: v.name,
                })
                .collect(),
        })
        .collect())
}

/// The FedRAMP risk exposure of a likelihood and an impact (the editor's live rating).
pub fn risk_exposure(likelihood: RiskLevel, impact: RiskLevel) -> RiskLevel {
    assay_risk::risk_exposure(likelihood.into(), impact.into()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_v31_vector_scores_with_named_metrics() {
        let b = breakdown("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap();
        assert_eq!(b.base_score, 9.8);
        assert_eq!(b.base_severity, "Critical");
        assert_eq!(b.metrics.len(), 8);
        let av = &b.metrics[0];
        assert_eq!((av.key.as_str(), av.code.as_str()), ("AV", "N"));
        assert_eq!(av.value_name, "Network");
        assert_eq!(av.group, "base");
    }

    #[test]
    fn risk_exposure_follows_the_fedramp_matrix() {
        use RiskLevel::*;
        assert_eq!(risk_exposure(High, Moderate), Moderate);
        assert_eq!(risk_exposure(High, High), High);
        assert_eq!(risk_exposure(Low, High), Low);
    }

    #[test]
    fn a_bad_vector_is_a_validation_error() {
        let e = breakdown("CVSS:3.1/AV:Q").unwrap_err();
        assert_eq!(e.field, "cvss vector");
    }

    #[test]
    fn metric_definitions_per_version() {
        for (v, first) in [("3.0", "AV"), ("3.1", "AV"), ("4.0", "AV")] {
            let defs = metric_definitions(v).unwrap();
            assert_eq!(defs[0].key, first);
            assert!(defs.iter().any(|d| d.mandatory));
        }
        assert_eq!(metric_definitions("2.0").unwrap_err().field, "cvss version");
    }
}
