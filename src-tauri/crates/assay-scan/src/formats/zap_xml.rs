//! OWASP ZAP traditional XML report (`OWASPZAPReport` → `site` → `alerts/alertitem`), and
//! the alert-to-item mapping shared with [`super::zap_json`].
//!
//! One item per alertitem (per site); its instances (URI, method, parameter, evidence)
//! become the item's output. Invariant: only the current alert is held; request/response
//! bodies of the "XML plus" variants are skipped unread.

use std::io::BufRead;

use quick_xml::events::Event;

use crate::control::Control;
use crate::error::ScanError;
use crate::formats::{port, Out};
use crate::model::{AssetIdentity, Host, Item, ItemKind, ParseSummary, ScanInfo, Severity};
use crate::sink::ScanSink;
use crate::sniff;
use crate::xml::{non_empty, Xml};
use crate::ScanFormat;

/// The ZAP XML format.
#[derive(Debug, Clone, Copy)]
pub struct ZapXml;

/// One ZAP alert, as read from XML or JSON.
#[derive(Debug, Default)]
pub(crate) struct Alert {
    pub pluginid: String,
    pub alert_ref: Option<String>,
    pub name: String,
    pub riskcode: String,
    pub riskdesc: Option<String>,
    pub desc: Option<String>,
    pub solution: Option<String>,
    pub otherinfo: Option<String>,
    pub reference: Option<String>,
    pub cweid: Option<String>,
    pub wascid: Option<String>,
    pub instances: Vec<Instance>,
}

/// One affected location of an alert.
#[derive(Debug, Default)]
pub(crate) struct Instance {
    pub uri: String,
    pub method: String,
    pub param: String,
    pub attack: String,
    pub evidence: String,
}

/// A ZAP site: origin URL, host name, port.
#[derive(Debug, Default, Clone)]
pub(crate) struct Site {
    pub name: Option<String>,
    pub host: Option<String>,
    pub port: Option<String>,
}

impl Site {
    pub(crate) fn identity(&self) -> AssetIdentity {
        AssetIdentity {
            url: self.name.clone(),
            fqdn: self.host.clone(),
            ..AssetIdentity::default()
        }
    }
}

/// Maps a ZAP alert to an item.
pub(crate) fn alert_item(a: Alert, site: &Site) -> Item {
    let id = a.alert_ref.filter(|r| !r.is_empty()).unwrap_or(a.pluginid);
    let mut item = Item::new("ZAP", id);
    item.name = a.name;
    item.raw_severity = a.riskcode.trim().to_string();
    item.severity = match item.raw_severity.as_str() {
        "3" => Severity::High,
        "2" => Severity::Medium,
        "1" => Severity::Low,
        "0" => Severity::Info,
        _ => Severity::Unknown,
    };
    item.kind = if item.severity == Severity::Info {
        ItemKind::Informational
    } else {
        ItemKind::Vulnerability
    };
    item.plugin_family = a.riskdesc;
    // ZAP writes its descriptions and solutions as HTML fragments.
    item.description = a.desc.map(|d| crate::model::html_to_text(&d));
    item.solution = a.solution.map(|d| crate::model::html_to_text(&d));
    if let Some(r) = a.reference {
        item.references = r
            .split(['\n', '<', '>'])
            .map(str::trim)
            .filter(|s| s.starts_with("http"))
            .map(str::to_string)
            .collect();
    }
    if let Some(c) = a.cweid {
        item.push_cwe(&c);
    }
    if let Some(w) = a.wascid.filter(|w| !matches!(w.trim(), "" | "0" | "-1")) {
        item.references.push(format!("WASC-{}", w.trim()));
    }
    item.asset = site.identity();
    item.port = site.port.as_deref().and_then(port);
    item.protocol = Some("tcp".into());
    item.location = a.instances.first().map(|i| i.uri.clone());
    let mut out = String::new();
    for i in &a.instances {
        out.push_str(i.method.trim());
        out.push(' ');
        out.push_str(i.uri.trim());
        for (k, v) in [
            ("param", &i.param),
            ("attack", &i.attack),
            ("evidence", &i.evidence),
        ] {
            if !v.trim().is_empty() {
                out.push_str(&format!(" {k}={}", v.trim()));
            }
        }
        out.push('\n');
    }
    if let Some(o) = a.otherinfo.filter(|o| !o.trim().is_empty()) {
        out.push_str(&crate::model::html_to_text(&o));
    }
    if !out.is_empty() {
        item.output = Some(out);
    }
    item
}

impl ScanFormat for ZapXml {
    fn name(&self) -> &'static str {
        "zap-xml"
    }

    fn sniff(&self, head: &[u8]) -> bool {
        sniff::xml_root(head).is_some_and(|r| r.name == b"OWASPZAPReport")
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
        let mut site = Site::default();
        let mut in_site = false;
        loop {
            match xml.next(&mut buf)? {
                Event::Start(e) | Event::Empty(e)
                    if e.local_name().as_ref() == b"OWASPZAPReport" =>
                {
                    out.info(ScanInfo {
                        tool: xml.attr(&e, b"programName").unwrap_or_else(|| "ZAP".into()),
                        tool_version: xml.attr(&e, b"version"),
                        scan_start: xml.attr(&e, b"generated"),
                        ..ScanInfo::default()
                    })?;
                }
                Event::Start(e) if e.local_name().as_ref() == b"site" => {
                    site = Site {
                        name: xml.attr(&e, b"name"),
                        host: xml.attr(&e, b"host"),
                        port: xml.attr(&e, b"port"),
                    };
                    in_site = true;
                }
                Event::Start(e) if e.local_name().as_ref() == b"alertitem" => {
                    let alert = read_alert(&mut xml, &mut buf)?;
                    out.item(alert_item(alert, &site))?;
                }
                Event::End(e) if e.local_name().as_ref() == b"site" && in_site => {
                    in_site = false;
                    out.host(Host {
                        identity: site.identity(),
                        ..Host::default()
                    })?;
                }
                Event::Eof => break,
                _ => {}
            }
        }
        xml.finish(&mut out.summary);
        Ok(out.summary)
    }
}

fn read_alert<R: BufRead>(xml: &mut Xml<'_, R>, buf: &mut Vec<u8>) -> Result<Alert, ScanError> {
    let depth = xml.depth();
    let mut a = Alert::default();
    let mut text = String::new();
    loop {
        match xml.next(buf)? {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_vec();
                match name.as_slice() {
                    b"instances" => {}
                    b"instance" => a.instances.push(Instance::default()),
                    b"requestheader" | b"requestbody" | b"responseheader" | b"responsebody"
                    | b"tags" => xml.skip(buf)?,
                    _ => {
                        xml.read_text(buf, &mut text)?;
                        let v = text.clone();
                        let in_instance = xml.depth() > depth + 1;
                        if in_instance {
                            if let Some(i) = a.instances.last_mut() {
                                match name.as_slice() {
                                    b"uri" => i.uri = v,
                                    b"method" => i.method = v,
                                    b"param" => i.param = v,
                                    b"attack" => i.attack = v,
                                    b"evidence" => i.evidence = v,
                                    _ => {}
                                }
                            }
                            continue;
                        }
                        match name.as_slice() {
                            b"pluginid" => a.pluginid = v.trim().to_string(),
                            b"alertRef" => a.alert_ref = non_empty(&v),
                            b"alert" => a.name = v.trim().to_string(),
                            b"name" if a.name.is_empty() => a.name = v.trim().to_string(),
                            b"riskcode" => a.riskcode = v,
                            b"riskdesc" => a.riskdesc = non_empty(&v),
                            b"desc" => a.desc = non_empty(&v),
                            b"solution" => a.solution = non_empty(&v),
                            b"otherinfo" => a.otherinfo = non_empty(&v),
                            b"reference" => a.reference = non_empty(&v),
                            b"cweid" => a.cweid = non_empty(&v),
                            b"wascid" => a.wascid = non_empty(&v),
                            _ => {}
                        }
                    }
                }
            }
            Event::End(_) if xml.depth() < depth => return Ok(a),
            _ => {}
        }
    }
}
