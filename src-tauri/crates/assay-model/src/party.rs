//! People on the engagement: the assessment team, the CSP's points of contact and the agency's.

use serde::{Deserialize, Serialize};

use super::enums::string_enum;
use crate::error::{Result, ValidationError};

string_enum! {
    /// Which organisation a person belongs to.
    pub enum Side ("side") {
        Assessor => ("3pao", "3PAO"),
        Csp => ("csp", "CSP"),
        Agency => ("agency", "Agency"),
    }
}

string_enum! {
    /// A person's role, named after the OSCAL role ids the FedRAMP SAP template uses.
    pub enum TeamRole ("role") {
        AssessmentLead => ("assessment-lead", "Assessment lead"),
        AssessmentTeam => ("assessment-team", "Assessor"),
        PenetrationTestLead => ("penetration-test-lead", "Penetration test lead"),
        PenetrationTestTeam => ("penetration-test-team", "Penetration tester"),
        AssessmentExecutive => ("assessment-executive", "Assessment executive"),
        CspAssessmentPoc => ("csp-assessment-poc", "CSP assessment POC"),
        CspOperationsCenter => ("csp-operations-center", "CSP operations center (on call)"),
        AuthorizingOfficial => ("authorizing-official", "Authorizing official"),
        AgencyPoc => ("agency-poc", "Agency POC"),
    }
}

impl TeamRole {
    /// The side a role normally belongs to; used to pre-select the side in forms.
    pub fn usual_side(self) -> Side {
        match self {
            TeamRole::CspAssessmentPoc | TeamRole::CspOperationsCenter => Side::Csp,
            TeamRole::AuthorizingOfficial | TeamRole::AgencyPoc => Side::Agency,
            _ => Side::Assessor,
        }
    }
}

/// A person on the engagement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TeamMember {
    pub id: String,
    pub name: String,
    pub title: String,
    pub email: String,
    pub phone: String,
    pub side: Side,
    pub role: TeamRole,
}

/// A person to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewTeamMember {
    pub name: String,
    pub title: String,
    pub email: String,
    pub phone: String,
    pub side: Side,
    pub role: TeamRole,
}

impl NewTeamMember {
    /// Checks the fields a user typed.
    pub fn validate(&self) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(ValidationError::new("name", "a team member needs a name"));
        }
        let email = self.email.trim();
        if !email.is_empty() && !email.contains('@') {
            return Err(ValidationError::new(
                "email",
                format!("'{email}' is not an e-mail address"),
            ));
        }
        Ok(())
    }
}
