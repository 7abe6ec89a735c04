//! Tenable Nessus v2 (`.nessus`, root `NessusClientData_v2`), including compliance
//! (audit) results in the `http://www.nessus.org/cm` namespace.
//!
//! Invariants: one `ReportHost` is held at a time (its identity, credential facts and —
//! only if `HostProperties` comes late — its items); `cm:` children are selected by
//! namespace URI, never by prefix; every `ReportItem` with a pluginID becomes one item
//! (duplicates are kept, compliance checks are never merged).

use std::io::BufRead;

use quick_xml::events::{BytesStart, Event};

use crate::control::Control;
use crate::error::ScanError;
use crate::formats::{cvss, is_ip, port, Out};
use crate::model::{
    AssetIdentity, ComplianceResult, ComplianceStatus, Host, Item, ItemKind, ParseSummary,
    ScanInfo, Severity,
};
use crate::sink::ScanSink;
use crate::sniff;
use crate::xml::{non_empty, Xml};
use crate::ScanFormat;

/// Namespace URI of Nessus compliance elements.
pub const CM_NAMESPACE: &[u8] = b"http://www.nessus.org/cm";

/// Plugin reporting scan settings, including `Credentialed checks : yes|no`.
pub const PLUGIN_SCAN_INFO: &str = "19506";
/// Plugins whose presence means authentication failed on the host (21745 "Authentication
/// Failure - Local Checks Not Run" / "OS Security Patch Assessment Failed", 104410
/// "… Failure for Provided Credentials", 110385 "… Insufficient Privilege", 117885
/// "… Intermittent Authentication Failure").
pub const AUTH_FAILURE_PLUGINS: [&str; 4] = ["21745", "104410", "110385", "117885"];
/// Plugins whose presence means authentication succeeded (141118 "Valid Credentials
/// Provided", 117887 "OS Security Patch Assessment Available", 110095 "No Issues Found").
pub const AUTH_SUCCESS_PLUGINS: [&str; 3] = ["141118", "117887", "110095"];

/// The Nessus v2 format.
#[derive(Debug, Clone, Copy)]
pub struct Nessus;

impl ScanFormat for Nessus {
    fn name(&self) -> &'static str {
        "nessus"
    }

    fn sniff(&self, head: &[u8]) -> bool {
        sniff::xml_root(head).is_some_and(|r| r.name == b"NessusClientData_v2")
    }

    fn parse(
        &self,
        input: &mut dyn BufRead,
        sink: &mut dyn ScanSink,
        ctl: &Control,
    ) -> Result<ParseSummary, ScanError> {
        let mut p = Parser {
            xml: Xml::new(input, ctl),
            out: Out::new(sink, ctl, self.name()),
            info: ScanInfo {
                tool: "Nessus".into(),
                ..ScanInfo::default()
            },
            info_sent: None,
            buf: Vec::with_capacity(16 * 1024),
            text: String::with_capacity(16 * 1024),
            attrs: ItemAttrs::default(),
        };
        p.run()?;
        let Parser {
            mut xml, mut out, ..
        } = p;
        xml.finish(&mut out.summary);
        Ok(out.summary)
    }
}

struct Parser<'s, 'c, R> {
    xml: Xml<'c, R>,
    out: Out<'s, 'c>,
    info: ScanInfo,
    /// What was last sent, to re-send only when something changed.
    info_sent: Option<ScanInfo>,
    buf: Vec<u8>,
    text: String,
    /// The attributes of the current ReportItem, reused from item to item.
    attrs: ItemAttrs,
}

/// Per-ReportHost state.
#[derive(Default)]
struct HostState {
    host: Host,
    props_seen: bool,
    /// Items read before `HostProperties` (unusual); flushed once identity is known.
    pending: Vec<Item>,
}

/// ReportItem children this parser keeps.
#[derive(Clone, Copy)]
enum Field {
    PluginName,
    RiskFactor,
    Synopsis,
    Description,
    Solution,
    Output,
    Cve,
    Cwe,
    Bid,
    Xref,
    Iav(&'static str),
    SeeAlso,
    Cvss2Score,
    Cvss2Vector,
    Cvss3Score,
    Cvss3Vector,
    Cvss4Score,
    Cvss4Vector,
    ScoreSource,
    Skip,
}

fn classify(local: &[u8]) -> Field {
    match local {
        b"plugin_output" => Field::Output,
        b"description" => Field::Description,
        b"solution" => Field::Solution,
        b"synopsis" => Field::Synopsis,
        b"cve" => Field::Cve,
        b"cwe" => Field::Cwe,
        b"bid" => Field::Bid,
        b"xref" => Field::Xref,
        b"iava" => Field::Iav("IAVA"),
        b"iavb" => Field::Iav("IAVB"),
        b"iavt" => Field::Iav("IAVT"),
        b"see_also" => Field::SeeAlso,
        b"plugin_name" => Field::PluginName,
        b"risk_factor" => Field::RiskFactor,
        b"cvss_base_score" => Field::Cvss2Score,
        b"cvss_vector" => Field::Cvss2Vector,
        b"cvss3_base_score" => Field::Cvss3Score,
        b"cvss3_vector" => Field::Cvss3Vector,
        b"cvss4_base_score" => Field::Cvss4Score,
        b"cvss4_vector" => Field::Cvss4Vector,
        b"cvss_score_source" => Field::ScoreSource,
        _ => Field::Skip,
    }
}

/// The `ReportItem` attributes this parser keeps (empty when absent; the last of duplicates
/// wins). Read straight into their fields: ReportItems are the bulk of a file, and a list of
/// (name, value) pairs cost two allocations per attribute.
#[derive(Default)]
struct ItemAttrs {
    plugin_id: String,
    name: String,
    family: String,
    severity: String,
    port: String,
    protocol: String,
    service: String,
}

impl ItemAttrs {
    /// Reads `e`'s attributes into these buffers (cleared first; their capacity is reused, so
    /// a warm parser allocates nothing here).
    fn read<R: BufRead>(&mut self, xml: &mut Xml<'_, R>, e: &BytesStart<'_>) {
        for slot in [
            &mut self.plugin_id,
            &mut self.name,
            &mut self.family,
            &mut self.severity,
            &mut self.port,
            &mut self.protocol,
            &mut self.service,
        ] {
            slot.clear();
        }
        for attr in e.attributes().with_checks(false).flatten() {
            let slot = match attr.key.as_ref() {
                b"pluginID" => &mut self.plugin_id,
                b"pluginName" => &mut self.name,
                b"pluginFamily" => &mut self.family,
                b"severity" => &mut self.severity,
                b"port" => &mut self.port,
                b"protocol" => &mut self.protocol,
                b"svc_name" => &mut self.service,
                _ => {
                    // Still decoded, so invalid UTF-8 anywhere is noted as before.
                    let _ = xml.decode(&attr.value);
                    continue;
                }
            };
            slot.clear();
            xml.push_text(&attr.value, true, slot);
        }
    }
}

/// Scores and vectors collected from one ReportItem.
#[derive(Default)]
struct Scores {
    v2: (Option<String>, Option<String>),
    v3: (Option<String>, Option<String>),
    v4: (Option<String>, Option<String>),
    source: Option<String>,
}

impl<R: BufRead> Parser<'_, '_, R> {
    fn run(&mut self) -> Result<(), ScanError> {
        loop {
            match self.xml.next(&mut self.buf)? {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"policyName" => {
                        self.xml.read_text(&mut self.buf, &mut self.text)?;
                        self.info.policy = non_empty(&self.text);
                    }
                    b"Report" => {
                        let name = self.xml.attr(&e, b"name");
                        self.info.name = name.as_deref().and_then(non_empty);
                    }
                    b"ReportHost" => {
                        let name = self.xml.attr(&e, b"name");
                        self.send_info()?;
                        self.parse_host(name)?;
                    }
                    // Preferences, plugin selections: large and finding-free.
                    b"Preferences" | b"FamilySelection" | b"IndividualPluginSelection" => {
                        self.xml.skip(&mut self.buf)?
                    }
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        self.send_info()
    }

    fn send_info(&mut self) -> Result<(), ScanError> {
        if self.info_sent.as_ref() != Some(&self.info) {
            self.info_sent = Some(self.info.clone());
            self.out.info(self.info.clone())?;
        }
        Ok(())
    }

    fn parse_host(&mut self, name: Option<String>) -> Result<(), ScanError> {
        let depth = self.xml.depth();
        let mut hs = HostState::default();
        hs.host.identity.name = name.as_deref().and_then(non_empty);
        loop {
            match self.xml.next(&mut self.buf)? {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"HostProperties" => {
                        self.parse_properties(&mut hs.host)?;
                        hs.props_seen = true;
                        for mut item in std::mem::take(&mut hs.pending) {
                            item.asset = hs.host.identity.clone();
                            self.out.item(item)?;
                        }
                    }
                    b"ReportItem" => {
                        let line = self.xml.line();
                        self.attrs.read(&mut self.xml, &e);
                        if let Some(item) = self.parse_item(&mut hs.host, line, true)? {
                            if hs.props_seen {
                                self.out.item(item)?;
                            } else {
                                hs.pending.push(item);
                            }
                        }
                    }
                    _ => self.xml.skip(&mut self.buf)?,
                },
                Event::Empty(e) if e.local_name().as_ref() == b"ReportItem" => {
                    let line = self.xml.line();
                    self.attrs.read(&mut self.xml, &e);
                    if let Some(item) = self.parse_item(&mut hs.host, line, false)? {
                        if hs.props_seen {
                            self.out.item(item)?;
                        } else {
                            hs.pending.push(item);
                        }
                    }
                }
                Event::End(_) if self.xml.depth() < depth => break,
                _ => {}
            }
        }
        finish_identity(&mut hs.host.identity);
        for mut item in std::mem::take(&mut hs.pending) {
            item.asset = hs.host.identity.clone();
            self.out.item(item)?;
        }
        if self.info.scan_start.is_none() {
            self.info.scan_start = hs.host.start.clone();
        }
        if hs.host.end.is_some() {
            self.info.scan_end = hs.host.end.clone();
        }
        self.out.host(hs.host)
    }

    fn parse_properties(&mut self, host: &mut Host) -> Result<(), ScanError> {
        let depth = self.xml.depth();
        loop {
            match self.xml.next(&mut self.buf)? {
                Event::Start(e) => {
                    let tag = self.xml.attr(&e, b"name").unwrap_or_default();
                    self.xml.read_text(&mut self.buf, &mut self.text)?;
                    let value = non_empty(&self.text);
                    let id = &mut host.identity;
                    match tag.as_str() {
                        "host-ip" => id.ip = value,
                        "host-fqdn" => id.fqdn = value,
                        "netbios-name" => id.netbios = value,
                        "mac-address" => id.mac = value,
                        "operating-system" => id.os = value,
                        "os" if id.os.is_none() => id.os = value,
                        "HOST_START" => host.start = value,
                        "HOST_END" => host.end = value,
                        "Credentialed_Scan" => {
                            host.credentialed = match self.text.trim() {
                                "true" => Some(true),
                                "false" => Some(false),
                                _ => host.credentialed,
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(_) if self.xml.depth() < depth => return Ok(()),
                _ => {}
            }
        }
    }

    fn parse_item(
        &mut self,
        host: &mut Host,
        line: u64,
        has_body: bool,
    ) -> Result<Option<Item>, ScanError> {
        let depth = self.xml.depth();
        let attrs = &self.attrs;
        let mut item = Item::new("Nessus", attrs.plugin_id.trim());
        item.name.clone_from(&attrs.name);
        item.plugin_family = non_empty(&attrs.family);
        item.raw_severity = attrs.severity.trim().to_string();
        item.protocol = non_empty(&attrs.protocol);
        item.service = non_empty(&attrs.service);
        item.port = port(&attrs.port);
        let mut scores = Scores::default();
        let mut compliance: Option<ComplianceResult> = None;
        #[allow(clippy::while_immutable_condition)] // exits by `break` at the end tag
        while has_body {
            // `has_body` is false for `<ReportItem …/>`: the loop then never runs.
            match self.xml.next(&mut self.buf)? {
                Event::Start(e) => {
                    if self.xml.in_namespace(&e, CM_NAMESPACE) {
                        let local = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                        self.xml.read_text(&mut self.buf, &mut self.text)?;
                        let c = compliance.get_or_insert_with(ComplianceResult::default);
                        apply_cm(c, &local, &self.text);
                        continue;
                    }
                    let field = classify(e.local_name().as_ref());
                    if let Field::Skip = field {
                        self.xml.skip(&mut self.buf)?;
                        continue;
                    }
                    self.xml.read_text(&mut self.buf, &mut self.text)?;
                    apply_field(&mut item, &mut scores, field, &mut self.text);
                }
                Event::End(_) if self.xml.depth() < depth => break,
                _ => {}
            }
        }
        if item.plugin_id.is_empty() {
            self.out
                .summary
                .skip(format!("ReportItem without pluginID at line {line}"));
            return Ok(None);
        }
        let score_source = scores.source.as_deref();
        for (version, (score, vector)) in
            [("2", &scores.v2), ("3", &scores.v3), ("4.0", &scores.v4)]
        {
            let vector = vector.as_deref().map(|v| v.trim_start_matches("CVSS2#"));
            if let Some(c) = cvss(version, score.as_deref(), vector, score_source) {
                item.cvss.push(c);
            }
        }
        let sev_num = item.raw_severity.parse::<u8>().ok();
        item.severity = match sev_num {
            Some(4) => Severity::Critical,
            Some(3) => Severity::High,
            Some(2) => Severity::Medium,
            Some(1) => Severity::Low,
            Some(0) => Severity::Info,
            _ => Severity::Unknown,
        };
        item.kind = if sev_num == Some(0) {
            ItemKind::Informational
        } else {
            ItemKind::Vulnerability
        };
        let family_is_compliance = item.plugin_family.as_deref() == Some("Policy Compliance");
        if compliance.is_some() || family_is_compliance {
            let mut c = compliance.unwrap_or_default();
            if c.check_name.is_empty() {
                c.check_name = item.name.clone();
            } else {
                item.name = c.check_name.clone();
            }
            item.kind = ItemKind::Compliance;
            if let Some(r) = c.result {
                item.severity = r.severity();
            }
            if let Some((_, sol)) = c.fields.iter().find(|(k, _)| k == "compliance-solution") {
                item.solution = non_empty(sol);
            }
            if let Some((_, info)) = c.fields.iter().find(|(k, _)| k == "compliance-info") {
                if item.description.is_none() {
                    item.description = non_empty(info);
                }
            }
            item.compliance = Some(c);
        }
        self.note_host_facts(&item, host);
        item.asset = host.identity.clone();
        Ok(Some(item))
    }

    /// Credential and version facts carried by specific plugins.
    fn note_host_facts(&mut self, item: &Item, host: &mut Host) {
        let id = item.plugin_id.as_str();
        if id == PLUGIN_SCAN_INFO {
            if let Some(out) = &item.output {
                for line in out.lines() {
                    let Some((k, v)) = line.split_once(" : ") else {
                        continue;
                    };
                    let v = v.trim();
                    match k.trim() {
                        "Credentialed checks" => {
                            let lower = v.to_ascii_lowercase();
                            if lower.starts_with("yes") {
                                host.credentialed = Some(true);
                            } else if lower.starts_with("no") {
                                host.credentialed = Some(false);
                            }
                        }
                        "Nessus version" if self.info.tool_version.is_none() => {
                            self.info.tool_version = non_empty(v);
                        }
                        "Scan policy used" if self.info.policy.is_none() => {
                            self.info.policy = non_empty(v);
                        }
                        _ => {}
                    }
                }
            }
        } else if AUTH_FAILURE_PLUGINS.contains(&id) {
            let mut line = format!("plugin {id}: {}", item.name);
            if let Some(p) = item.port {
                line.push_str(&format!(" (port {p})"));
            }
            host.auth_failures.push(line);
        } else if AUTH_SUCCESS_PLUGINS.contains(&id) && host.credentialed.is_none() {
            host.credentialed = Some(true);
        }
    }
}

/// Moves `text` out when it needs no trimming (the common case), avoiding a copy.
fn take_trimmed(text: &mut String) -> Option<String> {
    let t = text.trim();
    if t.is_empty() {
        None
    } else if t.len() == text.len() {
        Some(std::mem::take(text))
    } else {
        Some(t.to_string())
    }
}

fn apply_field(item: &mut Item, scores: &mut Scores, field: Field, text: &mut String) {
    let value = || non_empty(text);
    match field {
        Field::PluginName => {
            if item.name.trim().is_empty() {
                item.name = text.trim().to_string();
            }
        }
        Field::RiskFactor | Field::Skip => {}
        Field::Synopsis => item.synopsis = value(),
        Field::Description => item.description = take_trimmed(text),
        Field::Solution => item.solution = value().filter(|s| s != "n/a"),
        // Evidence keeps its whitespace: it is significant in plugin output.
        Field::Output => item.output = Some(std::mem::take(text)),
        Field::Cve => item.push_cve(text),
        Field::Cwe => item.push_cwe(text),
        Field::Bid => item.references.push(format!("BID:{}", text.trim())),
        Field::Xref => item.references.push(text.trim().to_string()),
        Field::Iav(kind) => item.references.push(format!("{kind}:{}", text.trim())),
        Field::SeeAlso => item.references.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string),
        ),
        Field::Cvss2Score => scores.v2.0 = value(),
        Field::Cvss2Vector => scores.v2.1 = value(),
        Field::Cvss3Score => scores.v3.0 = value(),
        Field::Cvss3Vector => scores.v3.1 = value(),
        Field::Cvss4Score => scores.v4.0 = value(),
        Field::Cvss4Vector => scores.v4.1 = value(),
        Field::ScoreSource => scores.source = value(),
    }
}

fn apply_cm(c: &mut ComplianceResult, local: &str, text: &str) {
    let value = non_empty(text);
    match local {
        "compliance-check-name" => c.check_name = value.clone().unwrap_or_default(),
        "compliance-check-id" => c.check_id = value.clone(),
        "compliance-audit-file" => c.audit_file = value.clone(),
        "compliance-result" => c.result = ComplianceStatus::parse(text),
        "compliance-actual-value" => c.actual_value = value.clone(),
        "compliance-policy-value" => c.policy_value = value.clone(),
        "compliance-reference" => {
            for r in references_800_53(text) {
                if !c.references_800_53.contains(&r) {
                    c.references_800_53.push(r);
                }
            }
        }
        _ => {}
    }
    if let Some(v) = value {
        c.fields.push((local.to_string(), v));
    }
}

/// NIST SP 800-53 control ids from a Nessus `framework|id,…` reference list.
pub fn references_800_53(list: &str) -> Vec<String> {
    list.split(',')
        .filter_map(|pair| pair.split_once('|'))
        .filter(|(fw, _)| fw.trim().starts_with("800-53"))
        .map(|(_, id)| id.trim().to_string())
        .filter(|id| !id.is_empty())
        .collect()
}

/// Falls back to the ReportHost name for the IP when it is one and `host-ip` was absent.
fn finish_identity(id: &mut AssetIdentity) {
    if id.ip.is_none() {
        if let Some(name) = id.name.as_deref().filter(|n| is_ip(n)) {
            id.ip = Some(name.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::VecSink;

    fn parse(xml: &str) -> (VecSink, Result<ParseSummary, ScanError>) {
        let mut sink = VecSink::default();
        let mut input = xml.as_bytes();
        let r = Nessus.parse(&mut input, &mut sink, &Control::default());
        (sink, r)
    }

    #[test]
    fn reference_list_to_800_53() {
        assert_eq!(
            references_800_53(
                "800-171|3.4.2, 800-53|CM-6, CSF|PR.IP-1, 800-53r5|AC-2(1),LEVEL|2NS"
            ),
            vec!["CM-6", "AC-2(1)"]
        );
    }

    #[test]
    fn cm_elements_matched_by_namespace_not_prefix() {
        let doc = r#"<NessusClientData_v2><Report name="r" xmlns:ns0="http://www.nessus.org/cm" xmlns:cm="urn:other">
<ReportHost name="10.0.0.9"><HostProperties><tag name="host-ip">10.0.0.9</tag></HostProperties>
<ReportItem port="0" svc_name="general" protocol="" severity="3" pluginID="21157" pluginName="Unix Compliance Checks" pluginFamily="Policy Compliance">
<ns0:compliance-check-name>1.1 Check</ns0:compliance-check-name>
<ns0:compliance-result>FAILED</ns0:compliance-result>
<ns0:compliance-reference>800-53|CM-6,CSF|PR.IP-1</ns0:compliance-reference>
<cm:compliance-result>PASSED</cm:compliance-result>
</ReportItem></ReportHost></Report></NessusClientData_v2>"#;
        let (sink, r) = parse(doc);
        r.unwrap();
        let c = sink.items[0].compliance.as_ref().unwrap();
        assert_eq!(c.result, Some(ComplianceStatus::Fail));
        assert_eq!(c.check_name, "1.1 Check");
        assert_eq!(c.references_800_53, vec!["CM-6"]);
        assert_eq!(sink.items[0].asset.ip.as_deref(), Some("10.0.0.9"));
    }

    #[test]
    fn credentials_from_plugins() {
        let doc = r#"<NessusClientData_v2><Report name="r">
<ReportHost name="h1"><HostProperties><tag name="host-ip">10.0.0.1</tag></HostProperties>
<ReportItem port="0" svc_name="general" protocol="tcp" severity="0" pluginID="19506" pluginName="Nessus Scan Information" pluginFamily="Settings"><plugin_output>Nessus version : 10.1.1
Credentialed checks : no
</plugin_output></ReportItem>
<ReportItem port="22" svc_name="ssh" protocol="tcp" severity="0" pluginID="104410" pluginName="Failure for Provided Credentials" pluginFamily="Settings"/>
</ReportHost>
<ReportHost name="h2"><ReportItem port="0" svc_name="general" protocol="tcp" severity="0" pluginID="19506" pluginName="Nessus Scan Information" pluginFamily="Settings"><plugin_output>Credentialed checks : yes (on the localhost)</plugin_output></ReportItem>
<HostProperties><tag name="host-ip">10.0.0.2</tag></HostProperties>
<ReportItem severity="2" port="80"/>
</ReportHost></Report></NessusClientData_v2>"#;
        let (sink, r) = parse(doc);
        let summary = r.unwrap();
        assert_eq!(sink.hosts.len(), 2);
        assert_eq!(sink.hosts[0].credentialed, Some(false));
        assert_eq!(sink.hosts[0].auth_failures.len(), 1);
        assert_eq!(sink.hosts[1].credentialed, Some(true));
        // The item before HostProperties still carries the identity.
        assert_eq!(
            sink.items.last().unwrap().asset.ip.as_deref(),
            Some("10.0.0.2")
        );
        assert_eq!(summary.skipped_count, 1);
        assert!(
            summary.skipped[0].contains("without pluginID"),
            "{:?}",
            summary.skipped
        );
        assert_eq!(
            sink.infos.last().unwrap().tool_version.as_deref(),
            Some("10.1.1")
        );
    }
}
