//! The weaknesses of the imported scans (one row per tool+plugin across hosts, with affected
//! assets and CVE correlations) and the assessor's review of each: accept (a finding), false
//! positive (with evidence) or merge into another weakness.
//!
//! Invariants: lists are read from the store as they are now (RET order); a review is one
//! transaction with its audit record, and accepting writes the finding in that same
//! transaction, so there is never a finding without its weakness; a weakness is accepted once;
//! the finding of an accepted weakness takes the mapped finding-library entry's text when there
//! is one, else the plugin's, and the SAR column of its scan type.

use std::collections::{BTreeSet, HashMap};

use crate::api::Session;
use crate::error::{Error, Result};
use crate::model::ids::WeaknessId;
use crate::model::scans::{
    ReviewAction, ReviewStatus, WeaknessFilter, WeaknessInstance, WeaknessRow,
};
use crate::model::testing::{Finding, FindingCategory, FindingSource, NewFinding};
use crate::model::AuditEntry;
use crate::store;

/// A review decision, ready to be written.
struct Decision {
    status: ReviewStatus,
    merged_into: Option<i64>,
    rationale: String,
    evidence: Vec<String>,
    /// The finding an accepted weakness becomes, with its number.
    finding: Option<Finding>,
}

impl Session {
    fn weakness_rows(&self, id: Option<i64>) -> Result<Vec<WeaknessRow>> {
        let conn = self.store.conn();
        let mut rows = store::scans::weaknesses(conn, id)?;
        let mut cves: HashMap<i64, Vec<String>> = HashMap::new();
        let mut by_cve: HashMap<String, Vec<i64>> = HashMap::new();
        for (w, cve) in store::scans::all_cves(conn)? {
            cves.entry(w).or_default().push(cve.clone());
            by_cve.entry(cve).or_default().push(w);
        }
        let tools: HashMap<i64, String> = store::scans::weaknesses(conn, None)?
            .into_iter()
            .map(|w| (w.id, w.tool.to_ascii_lowercase()))
            .collect();
        let mut assets: HashMap<i64, Vec<_>> = HashMap::new();
        for (w, a) in store::scans::affected_assets(conn)? {
            assets.entry(w).or_default().push(a);
        }
        for row in &mut rows {
            row.cves = cves.remove(&row.id).unwrap_or_default();
            let mut correlated = BTreeSet::new();
            let tool = row.tool.to_ascii_lowercase();
            for cve in &row.cves {
                for other in by_cve.get(cve).into_iter().flatten() {
                    if *other != row.id && tools.get(other) != Some(&tool) {
                        correlated.insert(*other);
                    }
                }
            }
            row.correlated = correlated.into_iter().collect();
            row.assets = assets.remove(&row.id).unwrap_or_default();
            row.asset_count = row.assets.len() as u64;
            row.instance_count = row.assets.iter().map(|a| a.instances).sum();
        }
        Ok(rows)
    }

    /// Weaknesses, one row per tool+plugin across hosts with the affected assets (RET order:
    /// High first, then by CVSS score).
    pub fn weaknesses(&self, filter: &WeaknessFilter) -> Result<Vec<WeaknessRow>> {
        Ok(self
            .weakness_rows(None)?
            .into_iter()
            .filter(|w| filter.include_informational || w.kind != "informational")
            .filter(|w| filter.include_merged || w.review != ReviewStatus::Merged)
            .filter(|w| {
                filter
                    .tool
                    .as_deref()
                    .is_none_or(|t| w.tool.eq_ignore_ascii_case(t.trim()))
            })
            .filter(|w| filter.review.is_none_or(|r| w.review == r))
            .collect())
    }

    /// One weakness.
    pub fn weakness(&self, id: WeaknessId) -> Result<WeaknessRow> {
        let id = id.0;
        self.weakness_rows(Some(id))?
            .into_iter()
            .next()
            .ok_or_else(|| Error::NotFound {
                what: format!("weakness {id}"),
            })
    }

    /// Every instance of a weakness, with its decompressed output.
    pub fn weakness_instances(&self, weakness_id: WeaknessId) -> Result<Vec<WeaknessInstance>> {
        self.weakness(weakness_id)?;
        store::scans::instances(self.store.conn(), Some(weakness_id.0), None)
    }

    /// The weaknesses found on one asset: an inventory uuid, or an IP, FQDN or scanner host
    /// name (case-insensitive).
    pub fn asset_weaknesses(&self, asset: &str) -> Result<Vec<WeaknessRow>> {
        let asset = asset.trim();
        let hosts: Vec<i64> = store::scans::hosts(self.store.conn())?
            .into_iter()
            .filter(|h| {
                h.inventory_uuid.as_deref() == Some(asset)
                    || [&h.ip, &h.fqdn, &h.name, &h.netbios, &h.url, &h.image]
                        .into_iter()
                        .flatten()
                        .any(|v| v.eq_ignore_ascii_case(asset))
            })
            .map(|h| h.id)
            .collect();
        if hosts.is_empty() {
            return Err(Error::NotFound {
                what: format!("scanned asset {asset}"),
            });
        }
        let ids: BTreeSet<i64> = store::scans::instances(self.store.conn(), None, Some(&hosts))?
            .into_iter()
            .map(|i| i.weakness_id)
            .collect();
        Ok(self
            .weakness_rows(None)?
            .into_iter()
            .filter(|w| ids.contains(&w.id))
            .collect())
    }

    /// Records the assessor's decision on a weakness. Accepting writes a finding (source: scan;
    /// SAR column by scan type; likelihood and impact both the FedRAMP risk of the scanner
    /// severity; the mapped library entry's text when there is one, else the plugin's).
    pub fn review_weakness(
        &mut self,
        id: WeaknessId,
        action: &ReviewAction,
    ) -> Result<WeaknessRow> {
        let before = self.weakness(id)?;
        if let Some(f) = &before.finding_id {
            return Err(Error::validation(
                "review",
                format!("weakness {id} was already accepted as finding {f}"),
            ));
        }
        let decision = match action {
            ReviewAction::Accept => {
                let new = self.accepted_finding(id.0, &before)?;
                Decision {
                    status: ReviewStatus::Accepted,
                    merged_into: None,
                    rationale: String::new(),
                    evidence: Vec::new(),
                    finding: Some(self.prepare_finding(&new)?),
                }
            }
            ReviewAction::FalsePositive {
                evidence_ids,
                rationale,
            } => {
                if rationale.trim().is_empty() {
                    return Err(Error::validation(
                        "rationale",
                        "a false positive needs a rationale",
                    ));
                }
                for e in evidence_ids {
                    if store::testing::evidence(self.store.conn(), e)?.is_none() {
                        return Err(Error::NotFound {
                            what: format!("evidence {e}"),
                        });
                    }
                }
                Decision {
                    status: ReviewStatus::FalsePositive,
                    merged_into: None,
                    rationale: rationale.trim().to_owned(),
                    evidence: evidence_ids.clone(),
                    finding: None,
                }
            }
            ReviewAction::Merge { into } => {
                let target = self.weakness(WeaknessId(*into))?;
                if target.id == id.0 || target.review == ReviewStatus::Merged {
                    return Err(Error::validation(
                        "merge",
                        format!("weakness {into} cannot take a merge (it is this weakness or merged itself)"),
                    ));
                }
                Decision {
                    status: ReviewStatus::Merged,
                    merged_into: Some(*into),
                    rationale: String::new(),
                    evidence: Vec::new(),
                    finding: None,
                }
            }
        };
        self.record_review(id.0, &before, decision)?;
        self.weakness(id)
    }

    /// The finding an accepted weakness becomes. Refused for informational results, which have
    /// no FedRAMP risk.
    fn accepted_finding(&self, id: i64, before: &WeaknessRow) -> Result<NewFinding> {
        let risk = before.fedramp_risk.ok_or_else(|| {
            Error::validation(
                "review",
                format!(
                    "weakness {id} is {} ({}); informational results stay out of the RET",
                    before.severity, before.kind
                ),
            )
        })?;
        let conn = self.store.conn();
        let plugin =
            store::scans::plugin_text(conn, &before.tool, &before.plugin_id)?.unwrap_or_default();
        let format = store::scans::weakness_format(conn, id)?;
        let entry = match &before.library_entry_id {
            Some(e) => store::testing::library_entry(conn, e)?,
            None => None,
        };
        let mut assets: Vec<String> = before
            .assets
            .iter()
            .filter_map(|a| a.inventory_uuid.clone())
            .collect();
        assets.dedup();
        let labels: Vec<&str> = before.assets.iter().map(|a| a.label.as_str()).collect();
        let plugin_text = [plugin.synopsis.clone(), plugin.description.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n\n");
        let cvss_vector = before
            .cvss
            .iter()
            .rev()
            .filter_map(|c| c.vector.clone())
            .find(|v| assay_risk::parse_cvss(v).is_ok());
        let pick = |lib: Option<&str>, scan: String| {
            lib.map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .unwrap_or(scan)
        };
        let mut controls = vec!["RA-5".to_owned()];
        if let Some(e) = &entry {
            controls.extend(e.controls.iter().cloned());
        }
        Ok(NewFinding {
            title: pick(
                entry.as_ref().map(|e| e.title.as_str()),
                before.name.clone(),
            ),
            description: format!(
                "{}\n\n{} {} on: {}{}",
                pick(entry.as_ref().map(|e| e.description.as_str()), plugin_text),
                before.tool,
                before.plugin_id,
                labels.join(", "),
                if before.cves.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", before.cves.join(", "))
                }
            ),
            source: FindingSource::VulnerabilityScan,
            category: category_for(&format, plugin.family.as_deref()),
            controls,
            assets,
            objective_ids: Vec::new(),
            likelihood: risk,
            impact: risk,
            risk_statement: entry
                .as_ref()
                .map(|e| e.risk_statement.clone())
                .unwrap_or_default(),
            recommendation: pick(
                entry.as_ref().map(|e| e.recommendation.as_str()),
                plugin.solution.clone().unwrap_or_default(),
            ),
            evidence_ids: Vec::new(),
            cvss_vector,
            // Detected when the scan first reported it, not when it was reviewed.
            detected_on: crate::api::sar::weakness_detected_on(conn, id)?,
        })
    }

    /// Writes a review decision with its audit record (and the finding of an accepted weakness).
    fn record_review(&mut self, id: i64, before: &WeaknessRow, decision: Decision) -> Result<()> {
        let Decision {
            status,
            merged_into,
            rationale,
            evidence,
            mut finding,
        } = decision;
        // The finding and the review are one transaction: never a finding without its weakness.
        self.write(|tx, ctx| {
            let mut entries = Vec::new();
            if let Some(f) = finding.as_mut() {
                entries.extend(crate::api::findings::create_finding(tx, ctx, f)?);
            }
            let finding = finding.as_ref().map(|f| f.id.clone());
            store::scans::set_review(
                tx,
                id,
                status,
                merged_into,
                &rationale,
                &evidence,
                finding.as_deref(),
            )?;
            entries.push(AuditEntry {
                entity: "weakness".into(),
                entity_id: id.to_string(),
                action: "review".into(),
                summary: format!(
                    "reviewed weakness {id} \"{}\" ({} {}): {}{}",
                    before.name,
                    before.tool,
                    before.plugin_id,
                    status.as_str(),
                    merged_into
                        .map(|m| format!(" into {m}"))
                        .or(finding.as_ref().map(|f| format!(", finding {f}")))
                        .unwrap_or_default()
                ),
                before: crate::api::engagement::to_json(&before.review),
                after: crate::api::engagement::to_json(&status),
            });
            Ok(((), entries))
        })
    }
}

/// The SAR Table 2-2 column of a scanner format (plugin family decides DB scans).
fn category_for(format: &str, family: Option<&str>) -> FindingCategory {
    if family.is_some_and(|f| f.to_ascii_lowercase().contains("database")) {
        return FindingCategory::DbScan;
    }
    match format {
        "zap-xml" | "zap-json" | "burp" | "nuclei" | "sarif" => FindingCategory::WebScan,
        "trivy" | "grype" => FindingCategory::ContainerScan,
        _ => FindingCategory::OsScan,
    }
}
