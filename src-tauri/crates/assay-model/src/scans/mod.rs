//! What the UI and CLI see of imported scanner results: the import receipt, weaknesses (one RET
//! row per tool+plugin across hosts) and their instances, scan coverage of the SSP inventory, and
//! configuration (compliance) findings; and the pure rules behind them: matching scanned hosts to
//! the inventory ([`matching`]), the coverage ([`coverage`]) and the CM-6 roll-up
//! ([`configuration`]).
//!
//! Invariant: plain values. A weakness's FedRAMP risk is always derived from the scanner's
//! normalised severity ([`fedramp_risk`]), never typed in; informational results keep `None` and
//! stay out of the RET.

use serde::{Deserialize, Serialize};

use super::testing::RiskLevel;

pub mod configuration;
pub mod coverage;
pub mod matching;

/// The FedRAMP risk of a scanner severity: Critical/High → High, Medium → Moderate, Low → Low;
/// Info and Unknown → `None` (kept, but out of the RET until reviewed).
pub fn fedramp_risk(severity: assay_scan::Severity) -> Option<RiskLevel> {
    use assay_scan::Severity as S;
    match severity {
        S::Critical | S::High => Some(RiskLevel::High),
        S::Medium => Some(RiskLevel::Moderate),
        S::Low => Some(RiskLevel::Low),
        S::Info | S::Unknown => None,
    }
}

/// A scanned host as stored: its identity fields, the scan that saw it and the inventory item it
/// matched at import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostRow {
    pub id: i64,
    pub file_id: String,
    pub tool: String,
    pub file_name: String,
    pub when: String,
    pub ip: Option<String>,
    pub fqdn: Option<String>,
    pub netbios: Option<String>,
    pub mac: Option<String>,
    pub image: Option<String>,
    pub url: Option<String>,
    pub name: Option<String>,
    pub label: String,
    pub credentialed: Option<bool>,
    pub auth_failures: Vec<String>,
    pub inventory_uuid: Option<String>,
}

/// One stored compliance result with its host label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplianceRow {
    pub host: String,
    pub check_name: String,
    pub check_id: Option<String>,
    pub audit_file: Option<String>,
    pub result: Option<String>,
    pub refs_800_53: Vec<String>,
}

/// Why some items of a file were not stored, with how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SkipCount {
    pub reason: String,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub count: u64,
}

/// An earlier import of the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EarlierImport {
    pub file_id: String,
    pub name: String,
    pub imported_at: String,
    pub actor: String,
}

/// What one scan import stored. `stored + informational + skipped == items_read`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScanReceipt {
    pub file_id: String,
    /// The file as the user named it.
    pub file: String,
    pub sha256: String,
    pub size: f64,
    /// assay-scan format name (`nessus`, `zap-xml`, ...).
    pub format: String,
    pub tool: String,
    pub tool_version: Option<String>,
    /// Items the parser delivered.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub items_read: u64,
    /// Weakness instances and compliance results stored (informational ones excluded).
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub stored: u64,
    /// Informational instances stored (out of the RET).
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub informational: u64,
    /// Items not stored, by reason.
    pub skipped: Vec<SkipCount>,
    /// Records the parser itself skipped (never delivered), by note.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub parser_skipped: u64,
    pub parser_notes: Vec<String>,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub hosts: u64,
    /// Hosts matched to an SSP inventory item.
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub hosts_matched: u64,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub weaknesses_new: u64,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub weaknesses_updated: u64,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub compliance_results: u64,
    /// The import this one replaced (`--replace`).
    pub duplicate_of: Option<EarlierImport>,
}

impl ScanReceipt {
    /// Sum of the skipped counts.
    pub fn skipped_total(&self) -> u64 {
        self.skipped.iter().map(|s| s.count).sum()
    }
}

/// An imported scan file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScanFile {
    pub id: String,
    pub sha256: String,
    pub name: String,
    pub format: String,
    pub tool: String,
    pub tool_version: Option<String>,
    pub scan_start: Option<String>,
    pub scan_end: Option<String>,
    pub imported_at: String,
    pub actor: String,
}

/// Review state of a weakness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum ReviewStatus {
    Pending,
    Accepted,
    FalsePositive,
    Merged,
}

impl ReviewStatus {
    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "pending",
            ReviewStatus::Accepted => "accepted",
            ReviewStatus::FalsePositive => "false-positive",
            ReviewStatus::Merged => "merged",
        }
    }

    /// Every status, in review order.
    pub const ALL: [ReviewStatus; 4] = [
        ReviewStatus::Pending,
        ReviewStatus::Accepted,
        ReviewStatus::FalsePositive,
        ReviewStatus::Merged,
    ];

    /// How the UI names the status.
    pub fn label(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "Pending",
            ReviewStatus::Accepted => "Accepted",
            ReviewStatus::FalsePositive => "False positive",
            ReviewStatus::Merged => "Merged",
        }
    }

    /// Parses a stored code.
    pub fn parse(code: &str) -> Option<ReviewStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }
}

/// One CVSS score as the scanner stated it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ScanCvss {
    pub version: String,
    pub score: Option<f64>,
    pub vector: Option<String>,
    pub source: Option<String>,
}

/// An affected asset of a weakness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AffectedAsset {
    /// How the scanner named it (ip, fqdn, URL, image...).
    pub label: String,
    /// The SSP inventory item it matched, if any.
    pub inventory_uuid: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub instances: u64,
}

/// One weakness: a tool+plugin across all hosts (a RET row once accepted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WeaknessRow {
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub id: i64,
    pub key: String,
    pub tool: String,
    pub plugin_id: String,
    pub name: String,
    pub kind: String,
    pub severity: String,
    /// `None` for informational results (out of the RET).
    pub fedramp_risk: Option<RiskLevel>,
    pub cvss: Vec<ScanCvss>,
    pub cves: Vec<String>,
    /// Weaknesses of other tools sharing a CVE id (by weakness id).
    #[cfg_attr(feature = "specta", specta(type = Vec<u32>))]
    pub correlated: Vec<i64>,
    pub first_seen: String,
    pub last_seen: String,
    pub review: ReviewStatus,
    #[cfg_attr(feature = "specta", specta(type = Option<u32>))]
    pub merged_into: Option<i64>,
    pub review_rationale: String,
    pub review_evidence: Vec<String>,
    pub library_entry_id: Option<String>,
    pub finding_id: Option<String>,
    pub assets: Vec<AffectedAsset>,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub instance_count: u64,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub asset_count: u64,
    pub synopsis: Option<String>,
    pub solution: Option<String>,
}

/// Which weaknesses to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WeaknessFilter {
    /// Include informational results (default: only RET candidates).
    #[serde(default)]
    pub include_informational: bool,
    /// Include weaknesses merged into another one.
    #[serde(default)]
    pub include_merged: bool,
    pub tool: Option<String>,
    pub review: Option<ReviewStatus>,
}

/// One instance of a weakness on one host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WeaknessInstance {
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub id: i64,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub weakness_id: i64,
    pub file_id: String,
    pub host: String,
    pub inventory_uuid: Option<String>,
    pub port: Option<u16>,
    pub protocol: Option<String>,
    pub service: Option<String>,
    pub location: Option<String>,
    /// The plugin output (decompressed).
    pub output: Option<String>,
}

/// The assessor's decision on a weakness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum ReviewAction {
    /// A real weakness: becomes a finding.
    Accept,
    /// Not a weakness, with the evidence that shows it.
    FalsePositive {
        evidence_ids: Vec<String>,
        rationale: String,
    },
    /// The same weakness as another (e.g. another tool's row for the same CVE).
    Merge {
        #[cfg_attr(feature = "specta", specta(type = u32))]
        into: i64,
    },
}

/// A tool that scanned an asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AssetScan {
    pub tool: String,
    /// Scan start as written, else the import time.
    pub when: String,
    pub credentialed: Option<bool>,
    pub auth_failures: Vec<String>,
}

/// Scan coverage of one inventory item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AssetCoverage {
    pub inventory_uuid: String,
    pub asset_id: Option<String>,
    /// IP addresses and FQDN as the inventory lists them.
    pub address: String,
    pub scanned: bool,
    pub tools: Vec<AssetScan>,
    /// True when any scan authenticated, false when scans ran without, `None` when unknown.
    pub credentialed: Option<bool>,
    pub explanation: String,
    /// The assessor's recorded reason why the asset was not scanned (empty when none).
    pub note: String,
}

/// A scanned host that is not in the SSP inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UndocumentedAsset {
    pub label: String,
    pub ip: Option<String>,
    pub fqdn: Option<String>,
    pub tool: String,
    pub file: String,
}

/// Coverage totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CoverageSummary {
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub in_scope: u64,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub scanned: u64,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub credentialed: u64,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub undocumented: u64,
    pub percent_scanned: f64,
    pub percent_credentialed: f64,
}

/// Scan coverage of the SSP inventory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Coverage {
    pub assets: Vec<AssetCoverage>,
    pub undocumented: Vec<UndocumentedAsset>,
    pub summary: CoverageSummary,
}

/// A compliance check across hosts, rolled up for the CM-6 column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConfigurationFinding {
    pub check_name: String,
    pub check_id: Option<String>,
    pub audit_file: Option<String>,
    /// The worst result across hosts: fail, warning (passes are not findings).
    pub result: String,
    pub refs_800_53: Vec<String>,
    pub hosts: Vec<String>,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub failed: u64,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub warnings: u64,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub passed: u64,
}

/// Configuration check results: the CM-6 roll-up and the totals by result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConfigurationFindings {
    pub findings: Vec<ConfigurationFinding>,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub passed: u64,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub failed: u64,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub warnings: u64,
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub errors: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fedramp_risk_mapping() {
        use crate::testing::RiskLevel as R;
        use assay_scan::Severity as S;
        let cases = [
            (S::Critical, Some(R::High)),
            (S::High, Some(R::High)),
            (S::Medium, Some(R::Moderate)),
            (S::Low, Some(R::Low)),
            (S::Info, None),
            (S::Unknown, None),
        ];
        for (s, want) in cases {
            assert_eq!(fedramp_risk(s), want, "{s:?}");
        }
    }
}
