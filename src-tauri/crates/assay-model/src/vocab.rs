//! The closed vocabularies the UI offers and labels: one declaration per value set in the model,
//! read here, so no label is retyped in the front end.

use serde::{Deserialize, Serialize};

use crate::sap::SapSection;
use crate::sar::{CheckSeverity, PoamTab, Recommendation, RetTab};
use crate::scans::ReviewStatus;
use crate::testing::{
    DeviationAnswer, FindingCategory, FindingSource, FindingStatus, RiskLevel, TestMethod,
    TestResult,
};
use crate::{AssessmentType, AuthorizationPath, ImpactLevel, Side, TeamRole};

/// One entry of a closed vocabulary, for drop-downs and labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Choice {
    pub code: String,
    pub label: String,
}

/// Every closed vocabulary of this version, in the model's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Vocabularies {
    pub impact_levels: Vec<Choice>,
    pub authorization_paths: Vec<Choice>,
    pub assessment_types: Vec<Choice>,
    pub sides: Vec<Choice>,
    pub team_roles: Vec<Choice>,
    pub test_results: Vec<Choice>,
    pub test_methods: Vec<Choice>,
    pub risk_levels: Vec<Choice>,
    pub finding_sources: Vec<Choice>,
    pub finding_categories: Vec<Choice>,
    pub finding_statuses: Vec<Choice>,
    pub deviation_answers: Vec<Choice>,
    pub review_statuses: Vec<Choice>,
    pub ret_tabs: Vec<Choice>,
    pub poam_tabs: Vec<Choice>,
    pub recommendations: Vec<Choice>,
    pub check_severities: Vec<Choice>,
    pub sap_sections: Vec<Choice>,
}

macro_rules! choices {
    ($t:ty) => {
        <$t>::ALL
            .iter()
            .map(|v| Choice {
                code: v.code().to_owned(),
                label: v.label().to_owned(),
            })
            .collect()
    };
}

impl Vocabularies {
    /// All vocabularies of this version.
    pub fn current() -> Self {
        Vocabularies {
            impact_levels: choices!(ImpactLevel),
            authorization_paths: choices!(AuthorizationPath),
            assessment_types: choices!(AssessmentType),
            sides: choices!(Side),
            team_roles: choices!(TeamRole),
            test_results: choices!(TestResult),
            test_methods: choices!(TestMethod),
            risk_levels: choices!(RiskLevel),
            finding_sources: choices!(FindingSource),
            finding_categories: choices!(FindingCategory),
            finding_statuses: choices!(FindingStatus),
            deviation_answers: choices!(DeviationAnswer),
            review_statuses: ReviewStatus::ALL
                .iter()
                .map(|s| Choice {
                    code: s.as_str().to_owned(),
                    label: s.label().to_owned(),
                })
                .collect(),
            ret_tabs: choices!(RetTab),
            poam_tabs: choices!(PoamTab),
            recommendations: choices!(Recommendation),
            check_severities: choices!(CheckSeverity),
            sap_sections: choices!(SapSection),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vocabulary_is_filled_and_codes_are_unique() {
        let v = serde_json::to_value(Vocabularies::current()).unwrap();
        for (name, list) in v.as_object().unwrap() {
            let list = list.as_array().unwrap();
            assert!(!list.is_empty(), "{name} is empty");
            let mut codes: Vec<&str> = list.iter().map(|c| c["code"].as_str().unwrap()).collect();
            let n = codes.len();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), n, "{name} repeats a code");
        }
    }
}
