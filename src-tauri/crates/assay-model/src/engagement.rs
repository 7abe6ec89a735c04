//! The engagement: one FedRAMP assessment of one cloud service offering.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::enums::string_enum;
use crate::error::{Result, ValidationError};

string_enum! {
    /// The FedRAMP baseline the system is assessed against.
    pub enum ImpactLevel ("impact level") {
        LiSaas => ("li-saas", "LI-SaaS"),
        Low => ("low", "Low"),
        Moderate => ("moderate", "Moderate"),
        High => ("high", "High"),
    }
}

string_enum! {
    /// Who grants the authorization.
    pub enum AuthorizationPath ("authorization path") {
        Agency => ("agency", "Agency"),
        Jab => ("jab", "JAB"),
        Program => ("program", "Program"),
    }
}

string_enum! {
    /// Which kind of assessment the SAP and SAR describe.
    pub enum AssessmentType ("assessment type") {
        Initial => ("initial", "Initial"),
        Annual => ("annual", "Annual"),
        Scr => ("scr", "Significant Change"),
    }
}

/// The engagement record: the identity fields every deliverable repeats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Engagement {
    pub id: String,
    /// Cloud service offering name.
    pub cso_name: String,
    /// Cloud service provider.
    pub csp_name: String,
    /// The independent assessor (3PAO) organisation.
    pub assessor_org: String,
    /// The sponsoring agency.
    pub agency: String,
    /// FedRAMP package ID (`FR` followed by digits), empty until known.
    pub package_id: String,
    pub impact_level: ImpactLevel,
    pub authorization_path: AuthorizationPath,
    pub assessment_type: AssessmentType,
    /// First day of testing (the freeze), if scheduled.
    pub test_window_start: Option<NaiveDate>,
    /// Last day of testing, if scheduled.
    pub test_window_end: Option<NaiveDate>,
    pub created_at: String,
    pub updated_at: String,
}

/// What `new` needs to create an engagement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewEngagement {
    pub cso_name: String,
    pub csp_name: String,
    pub assessor_org: String,
    pub agency: String,
    pub impact_level: ImpactLevel,
    pub authorization_path: AuthorizationPath,
    pub assessment_type: AssessmentType,
}

impl NewEngagement {
    /// A new engagement with only the CSO name known and the commonest settings.
    pub fn named(cso_name: &str) -> Self {
        NewEngagement {
            cso_name: cso_name.to_owned(),
            csp_name: String::new(),
            assessor_org: String::new(),
            agency: String::new(),
            impact_level: ImpactLevel::Moderate,
            authorization_path: AuthorizationPath::Agency,
            assessment_type: AssessmentType::Initial,
        }
    }

    /// Checks the fields a user typed.
    pub fn validate(&self) -> Result<()> {
        if self.cso_name.trim().is_empty() {
            return Err(ValidationError::new(
                "name",
                "the cloud service offering needs a name",
            ));
        }
        Ok(())
    }
}

string_enum! {
    /// One editable field of the engagement; the overview page and `update_engagement` use these.
    pub enum EngagementField ("engagement field") {
        CsoName => ("cso_name", "CSO name"),
        CspName => ("csp_name", "CSP"),
        AssessorOrg => ("assessor_org", "3PAO organization"),
        Agency => ("agency", "Agency"),
        PackageId => ("package_id", "FedRAMP package ID"),
        ImpactLevel => ("impact_level", "Impact level"),
        AuthorizationPath => ("authorization_path", "Authorization path"),
        AssessmentType => ("assessment_type", "Assessment type"),
        TestWindowStart => ("test_window_start", "Test window start"),
        TestWindowEnd => ("test_window_end", "Test window end"),
    }
}

impl Engagement {
    /// The current value of `field` as the user sees it in an edit box.
    pub fn field_value(&self, field: EngagementField) -> String {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        match field {
            EngagementField::CsoName => self.cso_name.clone(),
            EngagementField::CspName => self.csp_name.clone(),
            EngagementField::AssessorOrg => self.assessor_org.clone(),
            EngagementField::Agency => self.agency.clone(),
            EngagementField::PackageId => self.package_id.clone(),
            EngagementField::ImpactLevel => self.impact_level.code().to_owned(),
            EngagementField::AuthorizationPath => self.authorization_path.code().to_owned(),
            EngagementField::AssessmentType => self.assessment_type.code().to_owned(),
            EngagementField::TestWindowStart => date(self.test_window_start),
            EngagementField::TestWindowEnd => date(self.test_window_end),
        }
    }

    /// Applies a user edit after validating it; the engagement is unchanged on error.
    pub fn set_field(&mut self, field: EngagementField, value: &str) -> Result<()> {
        let value = value.trim();
        let bad = |m: String| ValidationError::new(field.label(), m);
        let date = |v: &str| -> Result<Option<NaiveDate>> {
            if v.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| bad(format!("'{v}' is not a date; use YYYY-MM-DD")))
        };
        let mut next = self.clone();
        match field {
            EngagementField::CsoName => {
                if value.is_empty() {
                    return Err(bad("the cloud service offering needs a name".into()));
                }
                next.cso_name = value.to_owned();
            }
            EngagementField::CspName => next.csp_name = value.to_owned(),
            EngagementField::AssessorOrg => next.assessor_org = value.to_owned(),
            EngagementField::Agency => next.agency = value.to_owned(),
            EngagementField::PackageId => {
                if !value.is_empty() && !is_package_id(value) {
                    return Err(bad(format!(
                        "'{value}' is not a FedRAMP package ID; expected FR followed by digits, e.g. FR2401234567"
                    )));
                }
                next.package_id = value.to_owned();
            }
            EngagementField::ImpactLevel => next.impact_level = value.parse().map_err(bad)?,
            EngagementField::AuthorizationPath => {
                next.authorization_path = value.parse().map_err(bad)?
            }
            EngagementField::AssessmentType => next.assessment_type = value.parse().map_err(bad)?,
            EngagementField::TestWindowStart => next.test_window_start = date(value)?,
            EngagementField::TestWindowEnd => next.test_window_end = date(value)?,
        }
        if let (Some(start), Some(end)) = (next.test_window_start, next.test_window_end) {
            if end < start {
                return Err(bad(format!(
                    "the test window ends ({end}) before it starts ({start})"
                )));
            }
        }
        *self = next;
        Ok(())
    }
}

/// FedRAMP package IDs are `FR` followed by digits.
fn is_package_id(s: &str) -> bool {
    s.len() > 2 && s.starts_with("FR") && s[2..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Engagement {
        Engagement {
            id: "e".into(),
            cso_name: "Cloud".into(),
            csp_name: String::new(),
            assessor_org: String::new(),
            agency: String::new(),
            package_id: String::new(),
            impact_level: ImpactLevel::Moderate,
            authorization_path: AuthorizationPath::Agency,
            assessment_type: AssessmentType::Initial,
            test_window_start: None,
            test_window_end: None,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn vocabularies_parse_codes_and_labels_case_insensitively() {
        assert_eq!("LI-SaaS".parse::<ImpactLevel>(), Ok(ImpactLevel::LiSaas));
        assert_eq!("high".parse::<ImpactLevel>(), Ok(ImpactLevel::High));
        assert_eq!(
            "Significant Change".parse::<AssessmentType>(),
            Ok(AssessmentType::Scr)
        );
        let err = "severe".parse::<ImpactLevel>().unwrap_err();
        assert!(
            err.contains("li-saas, low, moderate, high"),
            "error lists the codes: {err}"
        );
    }

    #[test]
    fn set_field_validates_and_leaves_the_record_unchanged_on_error() {
        let mut e = sample();
        e.set_field(EngagementField::PackageId, "FR2401234567")
            .unwrap();
        assert_eq!(e.package_id, "FR2401234567");
        let before = e.clone();
        assert!(e.set_field(EngagementField::PackageId, "F-123").is_err());
        assert!(e.set_field(EngagementField::CsoName, "  ").is_err());
        assert!(e
            .set_field(EngagementField::TestWindowStart, "2026-13-01")
            .is_err());
        assert_eq!(e, before);
    }

    #[test]
    fn test_window_must_not_end_before_it_starts() {
        let mut e = sample();
        e.set_field(EngagementField::TestWindowStart, "2026-03-10")
            .unwrap();
        let err = e
            .set_field(EngagementField::TestWindowEnd, "2026-03-01")
            .unwrap_err();
        assert!(err.to_string().contains("ends"), "{err}");
        e.set_field(EngagementField::TestWindowEnd, "2026-03-20")
            .unwrap();
        assert_eq!(e.field_value(EngagementField::TestWindowEnd), "2026-03-20");
    }
}
