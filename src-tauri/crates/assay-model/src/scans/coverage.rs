//! Scan coverage of the SSP inventory, computed from the stored inventory, scanned hosts and the
//! assessor's notes: which items were scanned, by which tools, with or without credentials, and
//! which scanned hosts the inventory does not list.
//!
//! Invariants: pure; hosts are matched against the inventory as it is given (so the order of SSP
//! and scan imports does not matter); assets keep the inventory's order, undocumented hosts the
//! order they were scanned in, one per label and tool; percentages are of the in-scope items,
//! rounded to one decimal, and 0 when there are none.

use std::collections::{BTreeSet, HashMap};

use super::matching::InventoryMatcher;
use super::{AssetCoverage, AssetScan, Coverage, CoverageSummary, HostRow, UndocumentedAsset};
use crate::ssp::InventoryRow;

/// The coverage of `inventory` by the scanned `hosts`; `notes` are the assessor's reasons why an
/// asset was not scanned, by inventory uuid.
pub fn compute(
    inventory: Vec<InventoryRow>,
    hosts: Vec<HostRow>,
    mut notes: HashMap<String, String>,
) -> Coverage {
    let matcher = InventoryMatcher::new(&inventory);
    let (mut scans, undocumented) = sort_hosts(&matcher, hosts);
    let mut assets = Vec::new();
    for row in inventory {
        let tools = scans.remove(&row.uuid).unwrap_or_default();
        let note = notes.remove(&row.uuid).unwrap_or_default();
        assets.push(asset_coverage(row, tools, note));
    }
    Coverage {
        summary: summarize(&assets, undocumented.len()),
        assets,
        undocumented,
    }
}

/// The scans of each inventory item (by uuid), and the hosts no item matches.
fn sort_hosts(
    matcher: &InventoryMatcher,
    hosts: Vec<HostRow>,
) -> (HashMap<String, Vec<AssetScan>>, Vec<UndocumentedAsset>) {
    let mut scans: HashMap<String, Vec<AssetScan>> = HashMap::new();
    let mut undocumented: Vec<UndocumentedAsset> = Vec::new();
    for h in hosts {
        match matcher.match_host(&h) {
            Some(uuid) => scans.entry(uuid).or_default().push(AssetScan {
                tool: h.tool,
                when: h.when,
                credentialed: h.credentialed,
                auth_failures: h.auth_failures,
            }),
            None => {
                if !undocumented
                    .iter()
                    .any(|u| u.label == h.label && u.tool == h.tool)
                {
                    undocumented.push(UndocumentedAsset {
                        label: h.label,
                        ip: h.ip,
                        fqdn: h.fqdn,
                        tool: h.tool,
                        file: h.file_name,
                    });
                }
            }
        }
    }
    (scans, undocumented)
}

/// One inventory item with the scans that found it, explained in words.
fn asset_coverage(row: InventoryRow, tools: Vec<AssetScan>, note: String) -> AssetCoverage {
    let credentialed = if tools.iter().any(|t| t.credentialed == Some(true)) {
        Some(true)
    } else if tools.iter().any(|t| t.credentialed == Some(false)) {
        Some(false)
    } else {
        None
    };
    let failures: Vec<&str> = tools
        .iter()
        .flat_map(|t| t.auth_failures.iter().map(String::as_str))
        .collect();
    let names: BTreeSet<&str> = tools.iter().map(|t| t.tool.as_str()).collect();
    let names = names.into_iter().collect::<Vec<_>>().join(", ");
    let explanation = match (tools.is_empty(), credentialed) {
        (true, _) => "not found in any imported scan".to_owned(),
        (false, Some(true)) => format!("scanned with credentials ({names})"),
        (false, Some(false)) if !failures.is_empty() => format!(
            "scanned without credentials ({names}): authentication failed: {}",
            failures.first().copied().unwrap_or_default()
        ),
        (false, Some(false)) => format!("scanned without credentials ({names})"),
        (false, None) => {
            format!("scanned ({names}); the scan does not say whether it authenticated")
        }
    };
    let address = [row.ipv4.as_str(), row.ipv6.as_str()]
        .into_iter()
        .chain(row.fqdn.as_deref())
        .filter(|v| !v.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    AssetCoverage {
        note,
        inventory_uuid: row.uuid,
        asset_id: row.asset_id,
        address,
        scanned: !tools.is_empty(),
        tools,
        credentialed,
        explanation,
    }
}

/// The totals over the in-scope assets.
fn summarize(assets: &[AssetCoverage], undocumented: usize) -> CoverageSummary {
    let in_scope = assets.len() as u64;
    let scanned = assets.iter().filter(|a| a.scanned).count() as u64;
    let credentialed = assets
        .iter()
        .filter(|a| a.credentialed == Some(true))
        .count() as u64;
    let percent = |n: u64| {
        if in_scope == 0 {
            0.0
        } else {
            (n as f64 * 1000.0 / in_scope as f64).round() / 10.0
        }
    };
    CoverageSummary {
        in_scope,
        scanned,
        credentialed,
        undocumented: undocumented as u64,
        percent_scanned: percent(scanned),
        percent_credentialed: percent(credentialed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(uuid: &str, ipv4: &str) -> InventoryRow {
        InventoryRow {
            uuid: uuid.into(),
            asset_id: Some(format!("asset-{uuid}")),
            asset_type: None,
            ipv4: ipv4.into(),
            ipv6: String::new(),
            fqdn: None,
            netbios_name: None,
            mac_address: None,
            os: None,
            software: None,
            is_virtual: None,
            is_public: None,
            scan_type: None,
            authenticated_scan: None,
            baseline_configuration: None,
            function: None,
            description: String::new(),
        }
    }

    fn host(ip: &str, tool: &str, credentialed: Option<bool>, failures: &[&str]) -> HostRow {
        HostRow {
            id: 0,
            file_id: "f".into(),
            tool: tool.into(),
            file_name: format!("{tool}.xml"),
            when: "2026-04-01".into(),
            ip: Some(ip.into()),
            fqdn: None,
            netbios: None,
            mac: None,
            image: None,
            url: None,
            name: None,
            label: ip.into(),
            credentialed,
            auth_failures: failures.iter().map(|f| (*f).to_owned()).collect(),
            inventory_uuid: None,
        }
    }

    #[test]
    fn each_asset_says_how_it_was_scanned_and_strangers_are_listed_once_per_tool() {
        let inventory = vec![
            item("a", "10.0.0.1"),
            item("b", "10.0.0.2"),
            item("c", "10.0.0.3"),
        ];
        let hosts = vec![
            host("10.0.0.1", "Nessus", Some(true), &[]),
            host("10.0.0.2", "Nessus", Some(false), &["bad password"]),
            host("10.0.0.9", "Nessus", None, &[]),
            host("10.0.0.9", "Nessus", None, &[]),
            host("10.0.0.9", "Nmap", None, &[]),
        ];
        let notes = HashMap::from([("c".to_owned(), "powered off".to_owned())]);
        let c = compute(inventory, hosts, notes);
        let explained: Vec<(&str, &str)> = c
            .assets
            .iter()
            .map(|a| (a.explanation.as_str(), a.note.as_str()))
            .collect();
        assert_eq!(
            explained,
            [
                ("scanned with credentials (Nessus)", ""),
                (
                    "scanned without credentials (Nessus): authentication failed: bad password",
                    ""
                ),
                ("not found in any imported scan", "powered off"),
            ]
        );
        let strangers: Vec<&str> = c.undocumented.iter().map(|u| u.tool.as_str()).collect();
        assert_eq!(strangers, ["Nessus", "Nmap"], "one row per label and tool");
        let s = &c.summary;
        assert_eq!((s.in_scope, s.scanned, s.credentialed), (3, 2, 1));
        assert_eq!((s.percent_scanned, s.percent_credentialed), (66.7, 33.3));
        assert_eq!(s.undocumented, 2);
    }

    #[test]
    fn an_empty_inventory_is_zero_percent_covered() {
        let c = compute(Vec::new(), Vec::new(), HashMap::new());
        assert_eq!(c.summary.percent_scanned, 0.0);
        assert!(c.assets.is_empty());
    }
}
