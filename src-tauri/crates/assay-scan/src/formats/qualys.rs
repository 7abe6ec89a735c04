//! Qualys VM XML, every family in the samples plus the VMDR API one:
//! `ASSET_DATA_REPORT` (scan report; detections per host, text in a trailing glossary),
//! `SCAN` (GUI scan result; self-contained detections per IP) and
//! `HOST_LIST_VM_DETECTION_OUTPUT` (API; detections without KnowledgeBase text).
//!
//! Memory note (deliberate exception to flat memory, `ASSET_DATA_REPORT` only): severity
//! and title live in the GLOSSARY, which follows HOST_LIST, and input is not seekable, so
//! that layout's detections and hosts are held until the glossary has been read. `SCAN`
//! and the API layout stream one host at a time. Severity: 5 critical, 4 high, 3 medium,
//! 2 low, 1 info; TYPE `Ig` (information gathered) is informational whatever its
//! severity, `Practice` is a potential weakness.

use std::collections::HashMap;
use std::io::BufRead;

use quick_xml::events::Event;

use crate::control::Control;
use crate::error::ScanError;
use crate::formats::{cvss, port, split_score_vector, Out};
use crate::model::{AssetIdentity, Host, Item, ItemKind, ParseSummary, ScanInfo, Severity};
use crate::sink::ScanSink;
use crate::sniff;
use crate::xml::{non_empty, Field, Fields, Xml};
use crate::ScanFormat;

/// Qualys `ASSET_DATA_REPORT` and `HOST_LIST_VM_DETECTION_OUTPUT` XML.
#[derive(Debug, Clone, Copy)]
pub struct Qualys;

/// Qualys `SCAN` (web-GUI scan result) XML.
#[derive(Debug, Clone, Copy)]
pub struct QualysScan;

fn severity(n: Option<&str>) -> Severity {
    match n.map(str::trim) {
        Some("5") => Severity::Critical,
        Some("4") => Severity::High,
        Some("3") => Severity::Medium,
        Some("2") => Severity::Low,
        Some("1") => Severity::Info,
        _ => Severity::Unknown,
    }
}

fn kind_of(t: &str) -> ItemKind {
    match t.trim().to_ascii_lowercase().as_str() {
        "ig" | "info" | "service" => ItemKind::Informational,
        "practice" | "potential" => ItemKind::Potential,
        _ => ItemKind::Vulnerability,
    }
}

/// Glossary text of one QID.
#[derive(Default, Clone)]
struct Details {
    title: Option<String>,
    severity: Option<String>,
    category: Option<String>,
    threat: Option<String>,
    impact: Option<String>,
    solution: Option<String>,
    cves: Vec<String>,
    cvss2: Option<String>,
    cvss3: Option<String>,
}

/// One detection held until the glossary is known.
struct Detection {
    host: usize,
    qid: String,
    fields: Vec<Field>,
}

impl ScanFormat for Qualys {
    fn name(&self) -> &'static str {
        "qualys"
    }

    fn sniff(&self, head: &[u8]) -> bool {
        sniff::xml_root(head).is_some_and(|r| {
            r.name == b"ASSET_DATA_REPORT" || r.name == b"HOST_LIST_VM_DETECTION_OUTPUT"
        })
    }

    fn parse(
        &self,
        input: &mut dyn BufRead,
        sink: &mut dyn ScanSink,
        ctl: &Control,
    ) -> Result<ParseSummary, ScanError> {
        let mut xml = Xml::new(input, ctl);
        let mut out = Out::new(sink, ctl, self.name());
        let mut buf = Vec::with_capacity(8 * 1024);
        let mut info = ScanInfo {
            tool: "Qualys".into(),
            ..ScanInfo::default()
        };
        let mut hosts: Vec<Host> = Vec::new();
        let mut detections: Vec<Detection> = Vec::new();
        let mut glossary: HashMap<String, Details> = HashMap::new();
        let mut api = false;
        loop {
            match xml.next(&mut buf)? {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"HOST_LIST_VM_DETECTION_OUTPUT" => api = true,
                    b"HEADER" => {
                        let f = xml.read_record(&mut buf, &[])?;
                        info.scan_start = f.text("GENERATION_DATETIME");
                        info.name = f.text("TEMPLATE");
                        info.policy = f.text("TEMPLATE");
                    }
                    b"HOST" => {
                        let f = xml.read_record(&mut buf, &[])?;
                        let identity = AssetIdentity {
                            ip: direct(&f, "IP"),
                            fqdn: direct(&f, "DNS"),
                            netbios: direct(&f, "NETBIOS"),
                            os: direct(&f, "OPERATING_SYSTEM").or_else(|| direct(&f, "OS")),
                            ..AssetIdentity::default()
                        };
                        if api {
                            emit_api_host(&mut out, &identity, &f)?;
                            out.host(Host {
                                identity,
                                ..Host::default()
                            })?;
                            continue;
                        }
                        let idx = hosts.len();
                        hosts.push(Host {
                            identity,
                            ..Host::default()
                        });
                        for group in split(&f, "VULN_INFO") {
                            let qid = group.text("QID").unwrap_or_default();
                            detections.push(Detection {
                                host: idx,
                                qid,
                                fields: group,
                            });
                        }
                    }
                    b"VULN_DETAILS" => {
                        let id = xml.attr(&e, b"id");
                        let f = xml.read_record(&mut buf, &[])?;
                        let qid = f.text("QID").or(id).unwrap_or_default();
                        let qid = qid.trim_start_matches("qid_").to_string();
                        glossary.insert(
                            qid,
                            Details {
                                title: f.text("TITLE"),
                                severity: f.text("SEVERITY"),
                                category: f.text("CATEGORY"),
                                threat: f.text("THREAT"),
                                impact: f.text("IMPACT"),
                                solution: f.text("SOLUTION"),
                                cves: under(&f, "CVE_ID_LIST", "ID"),
                                cvss2: f.text("CVSS_BASE"),
                                cvss3: f.text("CVSS3_BASE"),
                            },
                        );
                    }
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        out.info(info)?;
        for d in detections {
            let Some(host) = hosts.get(d.host) else {
                continue;
            };
            let qid = d.qid.trim_start_matches("qid_").to_string();
            let details = glossary.get(&qid).cloned().unwrap_or_default();
            let f = &d.fields;
            let mut item = Item::new("Qualys", qid.clone());
            let t = f.text("TYPE").unwrap_or_default();
            item.kind = kind_of(&t);
            item.raw_severity = details.severity.clone().unwrap_or_default();
            item.severity = if item.kind == ItemKind::Informational {
                Severity::Info
            } else {
                severity(details.severity.as_deref())
            };
            item.name = details
                .title
                .clone()
                .unwrap_or_else(|| format!("QID {qid}"));
            item.plugin_family = details.category.clone();
            item.description = join_text(&[&details.threat, &details.impact]);
            item.solution = details.solution.clone();
            for c in &details.cves {
                item.push_cve(c);
            }
            push_scores(
                &mut item,
                details.cvss2.as_deref(),
                details.cvss3.as_deref(),
            );
            item.port = f.text("PORT").and_then(|p| port(&p));
            item.protocol = f.text("PROTOCOL").map(|p| p.to_ascii_lowercase());
            item.service = f.text("SERVICE");
            item.output = f.text("RESULT");
            item.first_seen = f.text("FIRST_FOUND");
            item.last_seen = f.text("LAST_FOUND");
            item.location = f.text("FQDN");
            item.asset = host.identity.clone();
            if details.title.is_none() {
                out.summary.warn(format!(
                    "QID {qid} has no glossary entry (title and severity unknown)"
                ));
            }
            out.item(item)?;
        }
        for h in hosts {
            out.host(h)?;
        }
        xml.finish(&mut out.summary);
        Ok(out.summary)
    }
}

/// Text of a direct child of the record (not of a nested list).
fn direct(f: &[Field], name: &str) -> Option<String> {
    f.direct(name)
}

/// Texts of fields named `leaf` anywhere under a field named `list`.
fn under(f: &[Field], list: &str, leaf: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, x) in f.iter().enumerate() {
        if x.name != leaf {
            continue;
        }
        let mut p = x.parent;
        while let Some(pi) = p {
            if f[pi].name == list {
                if let Some(t) = non_empty(&f[i].text) {
                    out.push(t);
                }
                break;
            }
            p = f[pi].parent;
        }
    }
    out
}

/// Splits a record into the descendant groups rooted at fields called `name`.
fn split(f: &[Field], name: &str) -> Vec<Vec<Field>> {
    let mut groups = Vec::new();
    for (i, x) in f.iter().enumerate() {
        if x.name != name {
            continue;
        }
        let mut g = Vec::new();
        for y in &f[i + 1..] {
            // A field belongs to the group while one of its ancestors is `i`.
            let mut p = y.parent;
            let mut inside = false;
            while let Some(pi) = p {
                if pi == i {
                    inside = true;
                    break;
                }
                if pi < i {
                    break;
                }
                p = f[pi].parent;
            }
            if !inside {
                break;
            }
            let mut y = y.clone();
            y.parent = None;
            g.push(y);
        }
        groups.push(g);
    }
    groups
}

fn join_text(parts: &[&Option<String>]) -> Option<String> {
    let s: Vec<&str> = parts
        .iter()
        .filter_map(|p| p.as_deref())
        .filter(|p| !p.trim().is_empty() && p.trim() != "N/A")
        .collect();
    (!s.is_empty()).then(|| s.join("\n\n"))
}

fn push_scores(item: &mut Item, v2: Option<&str>, v3: Option<&str>) {
    for (version, text) in [("2", v2), ("3", v3)] {
        if let Some(t) = text {
            let (score, vector) = split_score_vector(t);
            if let Some(c) = cvss(version, score, vector, Some("qualys")) {
                item.cvss.push(c);
            }
        }
    }
}

/// VMDR API host: detections carry QID/TYPE/SEVERITY but no KnowledgeBase text.
fn emit_api_host(out: &mut Out, identity: &AssetIdentity, f: &[Field]) -> Result<(), ScanError> {
    for d in split(f, "DETECTION") {
        let qid = d.text("QID").unwrap_or_default();
        let mut item = Item::new("Qualys", qid.clone());
        item.name = format!("QID {qid}");
        item.kind = kind_of(&d.text("TYPE").unwrap_or_default());
        item.raw_severity = d.text("SEVERITY").unwrap_or_default();
        item.severity = if item.kind == ItemKind::Informational {
            Severity::Info
        } else {
            severity(Some(&item.raw_severity))
        };
        item.port = d.text("PORT").and_then(|p| port(&p));
        item.protocol = d.text("PROTOCOL").map(|p| p.to_ascii_lowercase());
        item.output = d.text("RESULTS");
        item.first_seen = d.text("FIRST_FOUND_DATETIME");
        item.last_seen = d.text("LAST_FOUND_DATETIME");
        item.asset = identity.clone();
        out.item(item)?;
    }
    Ok(())
}

impl ScanFormat for QualysScan {
    fn name(&self) -> &'static str {
        "qualys-scan"
    }

    fn sniff(&self, head: &[u8]) -> bool {
        sniff::xml_root(head).is_some_and(|r| r.name == b"SCAN")
    }

    fn parse(
        &self,
        input: &mut dyn BufRead,
        sink: &mut dyn ScanSink,
        ctl: &Control,
    ) -> Result<ParseSummary, ScanError> {
        let mut xml = Xml::new(input, ctl);
        let mut out = Out::new(sink, ctl, self.name());
        let mut buf = Vec::with_capacity(8 * 1024);
        let mut info = ScanInfo {
            tool: "Qualys".into(),
            ..ScanInfo::default()
        };
        let mut info_sent = false;
        loop {
            match xml.next(&mut buf)? {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"SCAN" => info.name = xml.attr(&e, b"value"),
                    b"KEY" => {
                        let key = xml.attr(&e, b"value").unwrap_or_default();
                        let v = non_empty(&xml.text(&mut buf)?);
                        match key.as_str() {
                            "DATE" => info.scan_start = v,
                            "TITLE" => info.name = v.or(info.name.take()),
                            _ => {}
                        }
                    }
                    b"OPTION_PROFILE_TITLE" => info.policy = non_empty(&xml.text(&mut buf)?),
                    b"IP" => {
                        if !info_sent {
                            out.info(info.clone())?;
                            info_sent = true;
                        }
                        let mut identity = AssetIdentity {
                            ip: xml.attr(&e, b"value"),
                            fqdn: xml
                                .attr(&e, b"name")
                                .filter(|n| n != "No registered hostname"),
                            ..AssetIdentity::default()
                        };
                        let f = xml.read_record(&mut buf, &[])?;
                        identity.os = direct(&f, "OS");
                        emit_scan_ip(&mut out, &identity, &f)?;
                        out.host(Host {
                            identity,
                            ..Host::default()
                        })?;
                    }
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        if !info_sent {
            out.info(info)?;
        }
        xml.finish(&mut out.summary);
        Ok(out.summary)
    }
}

fn emit_scan_ip(out: &mut Out, identity: &AssetIdentity, f: &[Field]) -> Result<(), ScanError> {
    for (i, x) in f.iter().enumerate() {
        if !matches!(x.name.as_str(), "VULN" | "INFO" | "SERVICE" | "PRACTICE") {
            continue;
        }
        let Some(cat) = x.parent.map(|p| &f[p]).filter(|p| p.name == "CAT") else {
            continue;
        };
        let group: Vec<Field> = split(f, &x.name)
            .into_iter()
            .zip(f.iter().enumerate().filter(|(_, y)| y.name == x.name))
            .find(|(_, (j, _))| *j == i)
            .map(|(g, _)| g)
            .unwrap_or_default();
        let qid = x.attr("number").unwrap_or_default().to_string();
        let mut item = Item::new("Qualys", qid.clone());
        item.kind = kind_of(&x.name);
        item.raw_severity = x.attr("severity").unwrap_or_default().to_string();
        item.severity = if item.kind == ItemKind::Informational {
            Severity::Info
        } else {
            severity(Some(&item.raw_severity))
        };
        item.name = group.text("TITLE").unwrap_or_else(|| format!("QID {qid}"));
        item.plugin_family = cat.attr("value").map(str::to_string);
        item.port = cat.attr("port").and_then(port);
        item.protocol = cat.attr("protocol").map(str::to_ascii_lowercase);
        if let Some(c) = x.attr("cveid") {
            for id in c.split(',') {
                item.push_cve(id);
            }
        }
        for c in under(&group, "CVE_ID_LIST", "ID") {
            item.push_cve(&c);
        }
        item.description = join_text(&[&group.text("DIAGNOSIS"), &group.text("CONSEQUENCE")]);
        item.solution = group.text("SOLUTION").filter(|s| s != "N/A");
        item.output = group.text("RESULT");
        push_scores(
            &mut item,
            group.text("CVSS_BASE").as_deref(),
            group.text("CVSS3_BASE").as_deref(),
        );
        item.asset = identity.clone();
        out.item(item)?;
    }
    Ok(())
}
