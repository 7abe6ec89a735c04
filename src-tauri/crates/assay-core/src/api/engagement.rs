//! Creating an engagement, editing its fields and people, reading its log.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Context, Info, Session};
use crate::error::Result;
use crate::model::audit::{verify_chain, AuditVerification};
use crate::model::ids::TeamMemberId;
use crate::model::{
    AuditEntry, AuditRecord, Engagement, EngagementField, NewEngagement, NewTeamMember, TeamMember,
};
use crate::store::{self, Store};

/// How many records of each kind the engagement holds (the `counts` object of `assay info --json`).
///
/// Kinds whose capability has not been built into this version yet are counted as 0 because the
/// file cannot hold any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Counts {
    pub controls: u32,
    pub objectives: u32,
    pub components: u32,
    pub inventory_items: u32,
    pub users: u32,
    pub implemented_requirements: u32,
    pub test_results: u32,
    pub findings: u32,
    pub weaknesses: u32,
    pub evidence: u32,
    pub poam_items: u32,
    pub team_members: u32,
    pub audit_records: u32,
}

/// Everything the overview page shows, in one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Overview {
    pub info: Info,
    pub team: Vec<TeamMember>,
}

impl Session {
    /// The overview page's data.
    pub fn overview(&self) -> Result<Overview> {
        Ok(Overview {
            info: self.info()?,
            team: self.team()?,
        })
    }

    /// Creates a new engagement file and records its creation as the first audit record.
    pub fn create(path: &Path, new: &NewEngagement, ctx: Context) -> Result<Session> {
        new.validate()?;
        let mut store = Store::create(path)?;
        let now = ctx.timestamp();
        let engagement = Engagement {
            id: ctx.new_id(),
            cso_name: new.cso_name.trim().to_owned(),
            csp_name: new.csp_name.trim().to_owned(),
            assessor_org: new.assessor_org.trim().to_owned(),
            agency: new.agency.trim().to_owned(),
            package_id: String::new(),
            impact_level: new.impact_level,
            authorization_path: new.authorization_path,
            assessment_type: new.assessment_type,
            test_window_start: None,
            test_window_end: None,
            created_at: now.clone(),
            updated_at: now.clone(),
        };
        let tx = store.transaction()?;
        store::engagement::insert(&tx, &engagement)?;
        store::audit::append(
            &tx,
            &now,
            &ctx.actor,
            AuditEntry {
                entity: "engagement".into(),
                entity_id: engagement.id.clone(),
                action: "create".into(),
                summary: format!(
                    "created the engagement for {} ({}, {} assessment)",
                    engagement.cso_name, engagement.impact_level, engagement.assessment_type
                ),
                before: String::new(),
                after: to_json(&engagement),
            },
        )?;
        tx.commit()?;
        Ok(Session { store, ctx })
    }

    /// The engagement record.
    pub fn engagement(&self) -> Result<Engagement> {
        store::engagement::get(self.store.conn())
    }

    /// Changes one field after validating the new value; unchanged values write nothing.
    pub fn update_engagement(&mut self, field: EngagementField, value: &str) -> Result<Engagement> {
        let before = self.engagement()?;
        let mut after = before.clone();
        after.set_field(field, value)?;
        if after == before {
            return Ok(before);
        }
        self.write(|tx, ctx| {
            after.updated_at = ctx.timestamp();
            store::engagement::update(tx, &after)?;
            let show = |v: String| {
                if v.is_empty() {
                    "(empty)".to_owned()
                } else {
                    v
                }
            };
            let entry = AuditEntry {
                entity: "engagement".into(),
                entity_id: after.id.clone(),
                action: "update".into(),
                summary: format!(
                    "{}: {} → {}",
                    field.label(),
                    show(before.field_value(field)),
                    show(after.field_value(field))
                ),
                before: before.field_value(field),
                after: after.field_value(field),
            };
            Ok((after.clone(), vec![entry]))
        })
    }

    /// Everyone on the engagement, in the order added.
    pub fn team(&self) -> Result<Vec<TeamMember>> {
        store::team::list(self.store.conn())
    }

    /// Adds a person to the engagement.
    pub fn add_team_member(&mut self, new: &NewTeamMember) -> Result<TeamMember> {
        new.validate()?;
        self.write(|tx, ctx| {
            let member = TeamMember {
                id: ctx.new_id(),
                name: new.name.trim().to_owned(),
                title: new.title.trim().to_owned(),
                email: new.email.trim().to_owned(),
                phone: new.phone.trim().to_owned(),
                side: new.side,
                role: new.role,
            };
            store::team::insert(tx, &member)?;
            let change = format!("added {} ({}, {})", member.name, member.role, member.side);
            let summary = record_team_deviation(tx, ctx, &change)?.unwrap_or(change);
            let entry = AuditEntry {
                entity: "team_member".into(),
                entity_id: member.id.clone(),
                action: "create".into(),
                summary,
                before: String::new(),
                after: to_json(&member),
            };
            Ok((member, vec![entry]))
        })
    }

    /// Removes a person from the engagement.
    pub fn remove_team_member(&mut self, id: &TeamMemberId) -> Result<()> {
        let id = id.as_str();
        let member = store::team::get(self.store.conn(), id)?;
        self.write(|tx, ctx| {
            store::team::delete(tx, id)?;
            let change = format!("removed {} ({})", member.name, member.role);
            let summary = record_team_deviation(tx, ctx, &change)?.unwrap_or(change);
            let entry = AuditEntry {
                entity: "team_member".into(),
                entity_id: member.id.clone(),
                action: "delete".into(),
                summary,
                before: to_json(&member),
                after: String::new(),
            };
            Ok(((), vec![entry]))
        })
    }

    /// The audit log, oldest first.
    pub fn audit_log(&self) -> Result<Vec<AuditRecord>> {
        store::audit::list(self.store.conn())
    }

    /// Re-checks the audit log's hash chain.
    pub fn verify_audit_log(&self) -> Result<AuditVerification> {
        let records = store::audit::list(self.store.conn())?;
        let head = store::audit::head(self.store.conn())?;
        Ok(verify_chain(records, head))
    }

    /// The engagement, schema version and record counts.
    pub fn info(&self) -> Result<Info> {
        let conn = self.store.conn();
        let objectives: u32 =
            conn.query_row("SELECT count(*) FROM objective WHERE assessable", [], |r| {
                r.get(0)
            })?;
        let counts = Counts {
            controls: store::count_rows(conn, "control")?,
            objectives,
            components: store::count_rows(conn, "ssp_component")?,
            inventory_items: store::count_rows(conn, "ssp_inventory_item")?,
            users: store::count_rows(conn, "ssp_user")?,
            implemented_requirements: store::count_rows(conn, "ssp_implemented_requirement")?,
            team_members: store::count_rows(conn, "team_member")?,
            audit_records: store::count_rows(conn, "audit_log")?,
            test_results: store::testing::count_results(conn)?,
            findings: store::testing::count_findings(conn)?,
            evidence: store::testing::count_evidence(conn)?,
            weaknesses: store::scans::count_weaknesses(conn)?,
            // Computed, never stored: the POA&M is seeded from the risks each time.
            poam_items: u32::try_from(self.risk_items()?.len()).unwrap_or(u32::MAX),
        };
        Ok(Info {
            path: self.path().display().to_string(),
            schema_version: self.store.schema_version()?,
            engagement: self.engagement()?,
            counts,
        })
    }
}

/// The SAP lists the team; once it is signed, a team change is a deviation from it. Returns the audit
/// summary naming the deviation, or None while the SAP is unsigned.
fn record_team_deviation(
    tx: &rusqlite::Transaction<'_>,
    ctx: &super::Context,
    change: &str,
) -> Result<Option<String>> {
    let signed = matches!(store::sap::state(tx)?, Some((_, Some(_))));
    if !signed {
        return Ok(None);
    }
    let justification = "recorded automatically: the team changed after the SAP was signed";
    let id = store::sap::add_deviation(
        tx,
        "team",
        change,
        justification,
        &ctx.timestamp(),
        &ctx.actor,
    )?;
    Ok(Some(format!(
        "{id} deviation from the signed SAP: team {change}"
    )))
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> String {
    // Serialising our own plain structs cannot fail; an empty string keeps the log writable anyway.
    serde_json::to_string(value).unwrap_or_default()
}
