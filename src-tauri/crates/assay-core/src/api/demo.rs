//! The demo engagement: a fictional cloud service offering assessed end to end, built from inputs
//! this project writes itself, with a fixed clock and fixed ids so two runs give the same records.
//!
//! Each capability adds its part of the demo here (SSP, tests, scans, findings, deliverables).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Duration};
use serde::Serialize;

use super::{Context, Session};
use crate::clock::{FixedClock, SequentialIds};
use crate::error::{Error, Result};
use crate::model::{EngagementField, NewEngagement, NewTeamMember, Side, TeamRole};

/// What `assay demo` wrote.
#[derive(Debug, Clone, Serialize)]
pub struct DemoOutput {
    pub engagement: PathBuf,
    pub written: Vec<PathBuf>,
}

/// The context the demo runs in: a fixed clock starting on the demo's kickoff day.
pub fn demo_context() -> Context {
    // A literal that parses; the fallback is unreachable but keeps this free of unwrap.
    let start = DateTime::parse_from_rfc3339("2026-03-02T14:00:00Z")
        .map(|d| d.to_utc())
        .unwrap_or_default();
    Context {
        clock: Arc::new(FixedClock::new(start, Duration::seconds(37))),
        ids: Arc::new(SequentialIds::new(0x4153_5359_4445_4d4f)),
        actor: "Dana Whitfield".to_owned(),
    }
}

/// Builds the demo engagement in `out_dir` (created if missing; an existing demo file is refused).
pub fn build_demo(out_dir: &Path) -> Result<DemoOutput> {
    std::fs::create_dir_all(out_dir).map_err(|source| Error::Io {
        path: out_dir.to_owned(),
        source,
    })?;
    let path = out_dir.join("demo.assay");
    let new = NewEngagement {
        cso_name: "Northwind Cloud Platform".into(),
        csp_name: "Northwind Systems, Inc.".into(),
        assessor_org: "Clearwater Assurance LLC".into(),
        agency: "Department of Example Affairs".into(),
        impact_level: crate::model::ImpactLevel::Moderate,
        authorization_path: crate::model::AuthorizationPath::Agency,
        assessment_type: crate::model::AssessmentType::Initial,
    };
    let mut s = Session::create(&path, &new, demo_context())?;
    s.update_engagement(EngagementField::PackageId, "FR2612345678")?;
    s.update_engagement(EngagementField::TestWindowStart, "2026-04-06")?;
    s.update_engagement(EngagementField::TestWindowEnd, "2026-05-01")?;
    let team = [
        (
            "Dana Whitfield",
            "Senior Assessor",
            "dana.whitfield@clearwater.example",
            Side::Assessor,
            TeamRole::AssessmentLead,
        ),
        (
            "Marcus Oyelaran",
            "Assessor",
            "marcus.oyelaran@clearwater.example",
            Side::Assessor,
            TeamRole::AssessmentTeam,
        ),
        (
            "Priya Raman",
            "Penetration Test Lead",
            "priya.raman@clearwater.example",
            Side::Assessor,
            TeamRole::PenetrationTestLead,
        ),
        (
            "Elena Sorokina",
            "Director, Federal Compliance",
            "elena.sorokina@northwind.example",
            Side::Csp,
            TeamRole::CspAssessmentPoc,
        ),
        (
            "Tom Brandt",
            "Cloud Security Engineer",
            "tom.brandt@northwind.example",
            Side::Csp,
            TeamRole::CspAssessmentPoc,
        ),
        (
            "Northwind SOC",
            "24x7 Security Operations Center",
            "soc@northwind.example",
            Side::Csp,
            TeamRole::CspOperationsCenter,
        ),
        (
            "Gail Hensley",
            "Authorizing Official",
            "gail.hensley@dea.example",
            Side::Agency,
            TeamRole::AuthorizingOfficial,
        ),
    ];
    for (name, title, email, side, role) in team {
        s.add_team_member(&NewTeamMember {
            name: name.into(),
            title: title.into(),
            email: email.into(),
            phone: String::new(),
            side,
            role,
        })?;
    }
    Ok(DemoOutput {
        engagement: path.clone(),
        written: vec![path],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_is_complete_and_reproducible() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        build_demo(a.path()).unwrap();
        build_demo(b.path()).unwrap();
        let open = |d: &Path| Session::open(&d.join("demo.assay"), demo_context()).unwrap();
        let (sa, sb) = (open(a.path()), open(b.path()));
        assert_eq!(
            sa.audit_log().unwrap(),
            sb.audit_log().unwrap(),
            "same clock and ids give the same log"
        );
        let info = sa.info().unwrap();
        assert_eq!(info.engagement.package_id, "FR2612345678");
        assert_eq!(info.counts.team_members, 7);
        assert!(sa.verify_audit_log().unwrap().is_intact());
        assert!(
            build_demo(a.path()).is_err(),
            "an existing demo is not overwritten"
        );
    }
}
