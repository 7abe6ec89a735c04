//! The configuration-check (CM-6) roll-up: stored compliance results, one per check and host,
//! rolled up per check.
//!
//! Invariants: pure; a check is identified by its check id (else its name) and audit file; only
//! checks that failed or warned on some host are findings, each with its worst result (fail over
//! warning), listed in the order their first result was stored; every result counts once in the
//! totals, a result other than pass, fail or warning as an error.

use std::collections::HashMap;

use super::{ComplianceRow, ConfigurationFinding, ConfigurationFindings};

/// Rolls the compliance results (in import order) up per check, with the totals by result.
pub fn roll_up(results: Vec<ComplianceRow>) -> ConfigurationFindings {
    let mut out = ConfigurationFindings {
        findings: Vec::new(),
        passed: 0,
        failed: 0,
        warnings: 0,
        errors: 0,
    };
    let mut index: HashMap<(String, Option<String>), usize> = HashMap::new();
    let mut all: Vec<ConfigurationFinding> = Vec::new();
    for c in results {
        let key = (
            c.check_id.clone().unwrap_or_else(|| c.check_name.clone()),
            c.audit_file.clone(),
        );
        let at = *index.entry(key).or_insert_with(|| {
            all.push(ConfigurationFinding {
                check_name: c.check_name.clone(),
                check_id: c.check_id.clone(),
                audit_file: c.audit_file.clone(),
                result: String::new(),
                refs_800_53: Vec::new(),
                hosts: Vec::new(),
                failed: 0,
                warnings: 0,
                passed: 0,
            });
            all.len() - 1
        });
        let Some(f) = all.get_mut(at) else { continue };
        for r in &c.refs_800_53 {
            if !f.refs_800_53.contains(r) {
                f.refs_800_53.push(r.clone());
            }
        }
        match c.result.as_deref() {
            Some("pass") => {
                f.passed += 1;
                out.passed += 1;
            }
            Some("fail") => {
                f.failed += 1;
                out.failed += 1;
                f.hosts.push(c.host);
            }
            Some("warning") => {
                f.warnings += 1;
                out.warnings += 1;
                f.hosts.push(c.host);
            }
            _ => out.errors += 1,
        }
    }
    for mut f in all {
        if f.failed + f.warnings == 0 {
            continue;
        }
        f.result = if f.failed > 0 { "fail" } else { "warning" }.to_owned();
        f.hosts.dedup();
        out.findings.push(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(host: &str, check: &str, result: Option<&str>, refs: &[&str]) -> ComplianceRow {
        ComplianceRow {
            host: host.into(),
            check_name: format!("{check} name"),
            check_id: Some(check.into()),
            audit_file: Some("cis.audit".into()),
            result: result.map(Into::into),
            refs_800_53: refs.iter().map(|r| (*r).to_owned()).collect(),
        }
    }

    #[test]
    fn checks_that_failed_or_warned_anywhere_become_findings_in_first_seen_order() {
        let rolled = roll_up(vec![
            result("web1", "1.1", Some("warning"), &["CM-6"]),
            result("web1", "1.2", Some("pass"), &["CM-6"]),
            result("web2", "1.1", Some("fail"), &["CM-6", "AC-6"]),
            result("web2", "1.1", Some("fail"), &["AC-6"]),
            result("web2", "1.3", Some("error"), &[]),
        ]);
        let findings: Vec<(&str, &str, Vec<&str>)> = rolled
            .findings
            .iter()
            .map(|f| {
                (
                    f.check_id.as_deref().unwrap_or_default(),
                    f.result.as_str(),
                    f.hosts.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(findings, [("1.1", "fail", vec!["web1", "web2"])]);
        assert_eq!(rolled.findings[0].refs_800_53, ["CM-6", "AC-6"]);
        assert_eq!(
            (rolled.passed, rolled.failed, rolled.warnings, rolled.errors),
            (1, 2, 1, 1)
        );
    }
}
