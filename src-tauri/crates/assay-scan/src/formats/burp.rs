//! Burp Suite "Report issues → XML" export (`issues` → `issue*`), behind an inline DOCTYPE
//! of element declarations (accepted; any entity declaration is refused by the reader).
//!
//! One item per issue element; base64 request/response blobs are skipped unread.
//! Invariant: one issue is held at a time; the set of distinct origins (for host records,
//! sent at the end) is the only state that grows, bounded by the number of sites.

use std::io::BufRead;

use quick_xml::events::Event;

use crate::control::Control;
use crate::error::ScanError;
use crate::formats::Out;
use crate::model::{AssetIdentity, Host, Item, ItemKind, ParseSummary, ScanInfo, Severity};
use crate::sink::ScanSink;
use crate::sniff;
use crate::xml::{Fields, Xml};
use crate::ScanFormat;

/// The Burp XML format.
#[derive(Debug, Clone, Copy)]
pub struct Burp;

impl ScanFormat for Burp {
    fn name(&self) -> &'static str {
        "burp"
    }

    fn sniff(&self, head: &[u8]) -> bool {
        sniff::xml_root(head).is_some_and(|r| {
            r.name == b"issues"
                && (sniff::contains(r.tag, b"burpVersion") || sniff::contains(r.rest, b"<issue>"))
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
        let mut origins: Vec<AssetIdentity> = Vec::new();
        loop {
            match xml.next(&mut buf)? {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"issues" => {
                    out.info(ScanInfo {
                        tool: "Burp Suite".into(),
                        tool_version: xml.attr(&e, b"burpVersion"),
                        scan_end: xml.attr(&e, b"exportTime"),
                        ..ScanInfo::default()
                    })?;
                }
                Event::Start(e) if e.local_name().as_ref() == b"issue" => {
                    let f =
                        xml.read_record(&mut buf, &[b"requestresponse", b"collaboratorEvent"])?;
                    let host = f.field("host");
                    let asset = AssetIdentity {
                        url: f.direct("host"),
                        ip: host.and_then(|h| h.attr("ip")).map(str::to_string),
                        ..AssetIdentity::default()
                    };
                    if !origins.contains(&asset) {
                        origins.push(asset.clone());
                    }
                    let mut item = Item::new("Burp Suite", f.direct("type").unwrap_or_default());
                    item.name = f.direct("name").unwrap_or_default();
                    item.raw_severity = f.direct("severity").unwrap_or_default();
                    item.severity = Severity::from_label(&item.raw_severity);
                    item.kind = if item.severity == Severity::Info {
                        ItemKind::Informational
                    } else {
                        ItemKind::Vulnerability
                    };
                    item.plugin_family = f.direct("confidence");
                    // Burp's background and remediation texts are HTML fragments.
                    let text = |t: Option<String>| t.map(|t| crate::model::html_to_text(&t));
                    item.description = text(f.direct("issueBackground"));
                    item.solution = text(
                        f.direct("remediationDetail")
                            .or(f.direct("remediationBackground")),
                    );
                    item.output = text(f.direct("issueDetail"));
                    item.location = f.direct("location").or(f.direct("path"));
                    if let Some(c) = f.direct("vulnerabilityClassifications") {
                        for cwe in cwe_ids(&c) {
                            item.push_cwe(&cwe);
                        }
                    }
                    if let Some(r) = f.direct("references") {
                        item.references = hrefs(&r);
                    }
                    item.protocol = Some("tcp".into());
                    item.asset = asset;
                    out.item(item)?;
                }
                Event::Eof => break,
                _ => {}
            }
        }
        for identity in origins {
            out.host(Host {
                identity,
                ..Host::default()
            })?;
        }
        xml.finish(&mut out.summary);
        Ok(out.summary)
    }
}

/// Digits of every `CWE-N` in an HTML fragment.
fn cwe_ids(html: &str) -> Vec<String> {
    let mut v = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("CWE-") {
        let digits: String = rest[i + 4..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if !digits.is_empty() && !v.contains(&digits) {
            v.push(digits);
        }
        rest = &rest[i + 4..];
    }
    v
}

/// `href` targets in an HTML fragment.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_helpers() {
        let html = r#"<ul><li><a href="https://cwe.mitre.org/data/definitions/79.html">CWE-79: XSS</a></li><li>CWE-116</li></ul>"#;
        assert_eq!(cwe_ids(html), vec!["79", "116"]);
        assert_eq!(
            hrefs(html),
            vec!["https://cwe.mitre.org/data/definitions/79.html"]
        );
    }
}
