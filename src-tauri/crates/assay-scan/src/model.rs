//! The normalised record types every parser emits: scan metadata, hosts and items.
//!
//! Invariant: these types hold the scanner's data verbatim where a verbatim value exists
//! (`raw_severity`, timestamps as written) next to the normalised value (`severity`,
//! `kind`), so a consumer can always re-derive a mapping without re-reading the file.

/// Normalised severity. `Unknown` is "needs triage" (Trivy `UNKNOWN`, Grype `Unknown`,
/// Nessus compliance `ERROR`, GVM negative scores), deliberately distinct from `Info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Highest: Nessus 4, Qualys 5, CVSS >= 9.0.
    Critical,
    /// Nessus 3, ZAP 3, Burp High, CVSS 7.0-8.9, compliance FAILED.
    High,
    /// Nessus 2, ZAP 2, Burp Medium, CVSS 4.0-6.9, compliance WARNING.
    Medium,
    /// Nessus 1, ZAP 1, Burp Low, CVSS 0.1-3.9.
    Low,
    /// Informational: inventory, metadata, passed checks.
    Info,
    /// The scanner did not rate it (or could not evaluate it); needs triage.
    Unknown,
}

impl Severity {
    /// All variants, most severe first.
    pub const ALL: [Severity; 6] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
        Severity::Unknown,
    ];

    /// Lower-case label (`critical` … `unknown`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
            Severity::Unknown => "unknown",
        }
    }

    /// Maps a CVSS-like base score with the usual qualitative bands (>= 9 critical, >= 7
    /// high, >= 4 medium, > 0 low, 0 info); negative or non-finite scores are `Unknown`.
    pub fn from_score(score: f64) -> Severity {
        if !score.is_finite() || score < 0.0 {
            Severity::Unknown
        } else if score >= 9.0 {
            Severity::Critical
        } else if score >= 7.0 {
            Severity::High
        } else if score >= 4.0 {
            Severity::Medium
        } else if score > 0.0 {
            Severity::Low
        } else {
            Severity::Info
        }
    }

    /// Maps the common word labels (case-insensitive): critical/high/medium|moderate/low/
    /// info|informational|information|none|negligible|log; anything else is `Unknown`.
    pub fn from_label(label: &str) -> Severity {
        match label.trim().to_ascii_lowercase().as_str() {
            "critical" | "urgent" => Severity::Critical,
            "high" | "error" => Severity::High,
            "medium" | "moderate" | "warning" => Severity::Medium,
            "low" | "note" => Severity::Low,
            "info" | "informational" | "information" | "none" | "negligible" | "log" => {
                Severity::Info
            }
            _ => Severity::Unknown,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// What kind of record an item is; decides whether it belongs in a risk table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    /// A confirmed weakness.
    Vulnerability,
    /// A potential weakness the scanner could not confirm (Qualys `Practice`).
    Potential,
    /// Inventory or scan metadata (Nessus severity 0, Qualys `Ig`, GVM `Log`, Nmap ports).
    Informational,
    /// A configuration/compliance check result (Nessus audit, see [`ComplianceResult`]).
    Compliance,
    /// An infrastructure-as-code or cluster misconfiguration (Trivy misconfigurations).
    Misconfiguration,
    /// An exposed secret (Trivy secret scanning).
    Secret,
}

/// One CVSS score as stated by the file.
#[derive(Debug, Clone, PartialEq)]
pub struct CvssRef {
    /// "2", "3.0", "3.1", "3" (minor unknown) or "4.0".
    pub version: String,
    /// Base score (0.0-10.0); `None` when only a vector is given.
    pub score: Option<f64>,
    /// Vector string as written (with or without the `CVSS2#` / `CVSS:3.x/` prefix).
    pub vector: Option<String>,
    /// Who assigned it when the file says (`nvd`, `ghsa`, a CVE id for Nessus
    /// `cvss_score_source`, or the scanner's own name).
    pub source: Option<String>,
}

/// Pass/fail outcome of a compliance check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ComplianceStatus {
    /// PASSED: evidence of an implemented setting, not a finding.
    Pass,
    /// FAILED.
    Fail,
    /// WARNING: manual review needed.
    Warning,
    /// ERROR: the check could not be evaluated.
    Error,
}

impl ComplianceStatus {
    /// Parses PASSED/FAILED/WARNING/ERROR (and PASS/FAIL/WARN), case-insensitive.
    pub fn parse(s: &str) -> Option<ComplianceStatus> {
        match s.trim().to_ascii_uppercase().as_str() {
            "PASSED" | "PASS" => Some(ComplianceStatus::Pass),
            "FAILED" | "FAIL" => Some(ComplianceStatus::Fail),
            "WARNING" | "WARN" => Some(ComplianceStatus::Warning),
            "ERROR" => Some(ComplianceStatus::Error),
            _ => None,
        }
    }

    /// Severity used for a check result: FAILED high, WARNING medium, PASSED info,
    /// ERROR unknown (flag for review).
    pub fn severity(self) -> Severity {
        match self {
            ComplianceStatus::Pass => Severity::Info,
            ComplianceStatus::Fail => Severity::High,
            ComplianceStatus::Warning => Severity::Medium,
            ComplianceStatus::Error => Severity::Unknown,
        }
    }
}

/// A configuration-check result (Nessus `cm:` elements, Trivy misconfigurations).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ComplianceResult {
    /// Human name of the check.
    pub check_name: String,
    /// Stable-ish id of the check (Nessus hash; may change when the audit is revised).
    pub check_id: Option<String>,
    /// Audit file / benchmark the check came from.
    pub audit_file: Option<String>,
    /// Outcome; `None` when the file gave no recognisable result.
    pub result: Option<ComplianceStatus>,
    /// Value found on the system.
    pub actual_value: Option<String>,
    /// Value the policy expects.
    pub policy_value: Option<String>,
    /// NIST SP 800-53 controls from the reference list, e.g. `CM-6`, `AC-2(1)`.
    pub references_800_53: Vec<String>,
    /// Every namespaced field by local name (`compliance-info`, `compliance-uname`, …),
    /// so fields newer than this parser are kept.
    pub fields: Vec<(String, String)>,
}

/// Everything known about the identity of an asset; all fields optional.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct AssetIdentity {
    /// IPv4 or IPv6 address as written (not validated: anonymised files contain invalid ones).
    pub ip: Option<String>,
    /// Fully qualified domain name.
    pub fqdn: Option<String>,
    /// NetBIOS name.
    pub netbios: Option<String>,
    /// MAC address(es); several are newline-separated as in the source.
    pub mac: Option<String>,
    /// Operating system as reported.
    pub os: Option<String>,
    /// Container image reference (with digest when known).
    pub image: Option<String>,
    /// Web origin or URL.
    pub url: Option<String>,
    /// File path (SARIF, code scanners).
    pub file: Option<String>,
    /// Other resource (Kubernetes `namespace/Kind/name`, repository…).
    pub resource: Option<String>,
    /// The scanner's own label for the target (Nessus `ReportHost/@name`, which may be a
    /// bare hostname like `adam`).
    pub name: Option<String>,
}

impl AssetIdentity {
    /// True when no field is set.
    pub fn is_empty(&self) -> bool {
        *self == AssetIdentity::default()
    }
}

/// Scan-level metadata. May be sent more than once; the last call is the most complete.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScanInfo {
    /// Tool name (`Nessus`, `Nmap`, `Trivy`, SARIF driver name…).
    pub tool: String,
    /// Tool version when the file states it.
    pub tool_version: Option<String>,
    /// Scan start as written in the file (format varies by tool).
    pub scan_start: Option<String>,
    /// Scan end as written in the file.
    pub scan_end: Option<String>,
    /// Scan or report name.
    pub name: Option<String>,
    /// Policy/template/profile used.
    pub policy: Option<String>,
}

/// One scanned target with its scan-coverage facts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Host {
    /// Identity of the target.
    pub identity: AssetIdentity,
    /// Whether credentialed (authenticated) checks ran; `None` when the file does not say.
    pub credentialed: Option<bool>,
    /// One line per authentication failure reported for this host.
    pub auth_failures: Vec<String>,
    /// Host scan start as written.
    pub start: Option<String>,
    /// Host scan end as written.
    pub end: Option<String>,
}

/// One finding instance (vulnerability, informational result or compliance check).
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Tool that produced it (same as [`ScanInfo::tool`]).
    pub tool: String,
    /// The scanner's rule id: Nessus pluginID, ZAP pluginid, Burp type, GVM OID, Qualys
    /// QID, Nuclei template-id, Trivy/Grype vulnerability id, SARIF ruleId.
    pub plugin_id: String,
    /// Human name of the weakness.
    pub name: String,
    /// What kind of record this is.
    pub kind: ItemKind,
    /// Normalised severity.
    pub severity: Severity,
    /// The scanner's own severity value, verbatim.
    pub raw_severity: String,
    /// CVSS scores stated for this item.
    pub cvss: Vec<CvssRef>,
    /// CVE ids (`CVE-YYYY-N`), upper-cased.
    pub cves: Vec<String>,
    /// CWE ids as `CWE-N`.
    pub cwes: Vec<String>,
    /// One-line summary (Nessus synopsis, GVM summary).
    pub synopsis: Option<String>,
    /// Description text (HTML kept as the scanner wrote it).
    pub description: Option<String>,
    /// Remediation text.
    pub solution: Option<String>,
    /// Reference URLs and cross-references (`MSKB:…`, `IAVA:…`).
    pub references: Vec<String>,
    /// The asset it was found on.
    pub asset: AssetIdentity,
    /// Port; `None` for host-level results (Nessus port 0).
    pub port: Option<u16>,
    /// `tcp`, `udp`, `icmp`…
    pub protocol: Option<String>,
    /// Service name (`www`, `ssh`…).
    pub service: Option<String>,
    /// Where on the asset: URL + parameter, package@version, file:line…
    pub location: Option<String>,
    /// Per-instance evidence; can be large (callers compress and store it out of line).
    pub output: Option<String>,
    /// First detection as written (Qualys FIRST_FOUND, Nuclei timestamp…).
    pub first_seen: Option<String>,
    /// Last detection as written.
    pub last_seen: Option<String>,
    /// Plugin family / category.
    pub plugin_family: Option<String>,
    /// Set for compliance-check results.
    pub compliance: Option<ComplianceResult>,
}

impl Item {
    /// An empty item of `tool` with `plugin_id`; parsers fill the rest.
    pub fn new(tool: impl Into<String>, plugin_id: impl Into<String>) -> Item {
        Item {
            tool: tool.into(),
            plugin_id: plugin_id.into(),
            name: String::new(),
            kind: ItemKind::Vulnerability,
            severity: Severity::Unknown,
            raw_severity: String::new(),
            cvss: Vec::new(),
            cves: Vec::new(),
            cwes: Vec::new(),
            synopsis: None,
            description: None,
            solution: None,
            references: Vec::new(),
            asset: AssetIdentity::default(),
            port: None,
            protocol: None,
            service: None,
            location: None,
            output: None,
            first_seen: None,
            last_seen: None,
            plugin_family: None,
            compliance: None,
        }
    }

    /// Adds a CVE id once, normalised to upper case; ignores strings that are not CVE ids.
    pub fn push_cve(&mut self, id: &str) {
        let id = id.trim();
        // Compared as bytes: `id[..4]` would panic when byte 4 falls inside a character.
        if id.len() > 4 && id.as_bytes()[..4].eq_ignore_ascii_case(b"CVE-") {
            let up = id.to_ascii_uppercase();
            if !self.cves.contains(&up) {
                self.cves.push(up);
            }
        }
    }

    /// Adds a CWE id once as `CWE-N`; ignores `-1`, `0` and non-numeric values.
    pub fn push_cwe(&mut self, id: &str) {
        let id = id.trim();
        let digits = id
            .strip_prefix("CWE-")
            .or_else(|| id.strip_prefix("cwe-"))
            .unwrap_or(id);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && digits != "0" {
            let cwe = format!("CWE-{digits}");
            if !self.cwes.contains(&cwe) {
                self.cwes.push(cwe);
            }
        }
    }
}

/// Stable key of the weakness an item reports: tool + rule id, plus the check id (or name)
/// for compliance results. Ignores volatile output so re-scans map to the same weakness.
pub fn weakness_key(item: &Item) -> String {
    let mut key = format!("{}:{}", item.tool.to_ascii_lowercase(), item.plugin_id);
    if let Some(c) = &item.compliance {
        key.push(':');
        key.push_str(c.check_id.as_deref().unwrap_or(&c.check_name));
    }
    key
}

/// Keys that correlate the same weakness across tools: the item's CVE ids.
pub fn correlation_keys(item: &Item) -> Vec<String> {
    item.cves.clone()
}

/// Per-severity counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeverityCounts {
    counts: [u64; 6],
}

impl SeverityCounts {
    /// Count for one severity.
    pub fn get(&self, s: Severity) -> u64 {
        self.counts[s.index()]
    }

    /// Adds one.
    pub fn add(&mut self, s: Severity) {
        self.counts[s.index()] += 1;
    }

    /// Sum over all severities.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// Maximum number of skipped/warning lines kept verbatim; the counters keep counting.
pub const MAX_NOTES: usize = 200;

/// What a parse saw, returned on success.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParseSummary {
    /// Format name ([`crate::ScanFormat::name`]).
    pub format: &'static str,
    /// Items delivered to the sink.
    pub items: u64,
    /// Items of kind [`ItemKind::Informational`] (included in `items`).
    pub informational: u64,
    /// Items by normalised severity.
    pub by_severity: SeverityCounts,
    /// Hosts delivered to the sink.
    pub hosts: u64,
    /// Records not delivered, counted.
    pub skipped_count: u64,
    /// Why records were skipped, with their place (first [`MAX_NOTES`]).
    pub skipped: Vec<String>,
    /// Data-quality notes (lossy UTF-8, truncated final line…), first [`MAX_NOTES`].
    pub warnings: Vec<String>,
    /// Bytes read from the input.
    pub bytes_read: u64,
}

impl ParseSummary {
    pub(crate) fn new(format: &'static str) -> ParseSummary {
        ParseSummary {
            format,
            ..ParseSummary::default()
        }
    }

    /// Records a skipped record with its reason and place.
    pub(crate) fn skip(&mut self, why: String) {
        self.skipped_count += 1;
        if self.skipped.len() < MAX_NOTES {
            self.skipped.push(why);
        }
    }

    /// Records a data-quality warning.
    pub(crate) fn warn(&mut self, what: String) {
        if self.warnings.len() < MAX_NOTES {
            self.warnings.push(what);
        }
    }

    pub(crate) fn count(&mut self, item: &Item) {
        self.items += 1;
        if item.kind == ItemKind::Informational {
            self.informational += 1;
        }
        self.by_severity.add(item.severity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_bands() {
        let cases = [
            (10.0, Severity::Critical),
            (9.0, Severity::Critical),
            (8.9, Severity::High),
            (7.0, Severity::High),
            (6.9, Severity::Medium),
            (4.0, Severity::Medium),
            (3.9, Severity::Low),
            (0.1, Severity::Low),
            (0.0, Severity::Info),
            (-1.0, Severity::Unknown),
            (f64::NAN, Severity::Unknown),
        ];
        for (score, want) in cases {
            assert_eq!(Severity::from_score(score), want, "{score}");
        }
    }

    #[test]
    fn cve_and_cwe_normalisation() {
        let mut item = Item::new("t", "1");
        item.push_cve("cve-2020-1234");
        item.push_cve("CVE-2020-1234");
        item.push_cve("GHSA-xxxx");
        item.push_cwe("79");
        item.push_cwe("CWE-79");
        item.push_cwe("-1");
        item.push_cwe("0");
        assert_eq!(item.cves, vec!["CVE-2020-1234"]);
        assert_eq!(item.cwes, vec!["CWE-79"]);
    }

    #[test]
    fn weakness_key_ignores_output_and_uses_check_id() {
        let mut a = Item::new("Nessus", "21157");
        a.output = Some("one".into());
        let mut b = a.clone();
        b.output = Some("two".into());
        assert_eq!(weakness_key(&a), weakness_key(&b));
        assert_eq!(weakness_key(&a), "nessus:21157");
        b.compliance = Some(ComplianceResult {
            check_name: "1.1 x".into(),
            check_id: Some("abc".into()),
            ..ComplianceResult::default()
        });
        assert_eq!(weakness_key(&b), "nessus:21157:abc");
    }
}

/// Plain text from the HTML fragments web scanners write in descriptions and solutions (ZAP,
/// Burp): block tags (`p`, `br`, `li`, `div`, headings) become line breaks, list items get a
/// dash, other tags are dropped, and the common entities are decoded. Text without tags comes
/// back trimmed and otherwise unchanged.
pub fn html_to_text(html: &str) -> String {
    if !html.contains('<') && !html.contains('&') {
        return html.trim().to_owned();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            // A lone '<' is text, not a tag.
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end].trim().to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let block = matches!(
            name.as_str(),
            "br" | "p" | "div" | "tr" | "h1" | "h2" | "h3" | "h4" | "ul" | "ol" | "li"
        );
        if block && !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        if name == "li" && !tag.starts_with('/') {
            out.push_str("- ");
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    let lines: Vec<&str> = decoded.lines().map(str::trim).collect();
    let mut text = String::with_capacity(decoded.len());
    for line in lines {
        if line.is_empty() && (text.is_empty() || text.ends_with("\n\n")) {
            continue;
        }
        text.push_str(line);
        text.push('\n');
    }
    text.trim().to_owned()
}

#[cfg(test)]
mod html_tests {
    use super::html_to_text;

    #[test]
    fn html_fragments_become_plain_text() {
        assert_eq!(
            html_to_text("<p>Content Security Policy (CSP) is a layer.</p><p>Set the header.</p>"),
            "Content Security Policy (CSP) is a layer.\nSet the header."
        );
        assert_eq!(
            html_to_text("<ul><li>one &amp; two</li><li>&lt;script&gt;</li></ul>"),
            "- one & two\n- <script>"
        );
        assert_eq!(html_to_text("a < b and no tags"), "a < b and no tags");
        assert_eq!(html_to_text("  plain  "), "plain");
    }
}
