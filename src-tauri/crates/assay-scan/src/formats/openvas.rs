//! OpenVAS / Greenbone GVM XML report (`report` with an inner `report`, or the API's
//! `get_reports_response` wrapper).
//!
//! One item per `result` under `results`; the effective `severity` (after overrides) is
//! normalised with CVSS bands, `threat` is kept verbatim; negative scores (false positive,
//! debug, error) are `Unknown`, never Low. Invariant: one result is held at a time.

use std::io::BufRead;

use quick_xml::events::Event;

use crate::control::Control;
use crate::error::ScanError;
use crate::formats::{cvss, port, Out};
use crate::model::{AssetIdentity, Host, Item, ItemKind, ParseSummary, ScanInfo, Severity};
use crate::sink::ScanSink;
use crate::sniff;
use crate::xml::{Field, Fields, Xml};
use crate::ScanFormat;

/// The GVM XML format.
#[derive(Debug, Clone, Copy)]
pub struct OpenVas;

impl ScanFormat for OpenVas {
    fn name(&self) -> &'static str {
        "openvas"
    }

    fn sniff(&self, head: &[u8]) -> bool {
        sniff::xml_root(head).is_some_and(|r| {
            r.name == b"get_reports_response"
                || (r.name == b"report"
                    && (sniff::contains(r.tag, b"a994b278-1f62-11e1-96ac-406186ea4fc5")
                        || sniff::contains(r.rest, b"<gmp>")
                        || sniff::contains(r.rest, b"<omp>")
                        || sniff::contains(r.rest, b"<report ")))
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
            tool: "OpenVAS".into(),
            ..ScanInfo::default()
        };
        let mut info_sent = false;
        loop {
            match xml.next(&mut buf)? {
                Event::Start(e) => {
                    let parent = xml.parent_name().map(<[u8]>::to_vec);
                    match (parent.as_deref(), e.local_name().as_ref()) {
                        (Some(b"report"), b"name") if info.name.is_none() => {
                            info.name = crate::xml::non_empty(&xml.text(&mut buf)?);
                        }
                        (Some(b"gmp" | b"omp"), b"version") => {
                            info.tool_version = crate::xml::non_empty(&xml.text(&mut buf)?);
                        }
                        (Some(b"report"), b"scan_start") => {
                            info.scan_start = crate::xml::non_empty(&xml.text(&mut buf)?);
                        }
                        (Some(b"report"), b"scan_end") => {
                            info.scan_end = crate::xml::non_empty(&xml.text(&mut buf)?);
                        }
                        (Some(b"results"), b"result") => {
                            if !info_sent {
                                out.info(info.clone())?;
                                info_sent = true;
                            }
                            let f = xml.read_record(&mut buf, &[b"overrides", b"notes"])?;
                            out.item(result_item(&f))?;
                        }
                        (Some(b"report"), b"host") => {
                            let f = xml.read_record(&mut buf, &[])?;
                            out.host(host_of(&f))?;
                        }
                        _ => {}
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        out.info(info)?;
        xml.finish(&mut out.summary);
        Ok(out.summary)
    }
}

fn detail(f: &[Field], wanted: &str) -> Option<String> {
    f.iter().enumerate().find_map(|(i, x)| {
        (x.name == "name" && x.text.trim() == wanted)
            .then(|| f.get(i + 1).filter(|v| v.name == "value"))
            .flatten()
            .and_then(|v| crate::xml::non_empty(&v.text))
    })
}

fn host_of(f: &[Field]) -> Host {
    Host {
        identity: AssetIdentity {
            ip: f.direct("ip"),
            fqdn: detail(f, "hostname"),
            os: detail(f, "best_os_txt"),
            ..AssetIdentity::default()
        },
        start: f.direct("start"),
        end: f.direct("end"),
        ..Host::default()
    }
}

/// Splits pipe-separated `key=value` tags; values may contain `|` and `=`, so a new pair
/// starts only at `|` followed by a key from the known set.
fn tag(tags: &str, key: &str) -> Option<String> {
    const KEYS: [&str; 10] = [
        "cvss_base_vector",
        "summary",
        "insight",
        "affected",
        "impact",
        "solution",
        "solution_type",
        "vuldetect",
        "qod_type",
        "solution_method",
    ];
    let needle = format!("{key}=");
    let start = if tags.starts_with(&needle) {
        needle.len()
    } else {
        tags.find(&format!("|{needle}"))? + needle.len() + 1
    };
    let rest = &tags[start..];
    let end = KEYS
        .iter()
        .filter_map(|k| rest.find(&format!("|{k}=")))
        .min()
        .unwrap_or(rest.len());
    crate::xml::non_empty(&rest[..end])
}

fn result_item(f: &[Field]) -> Item {
    let oid = f
        .field("nvt")
        .and_then(|n| n.attr("oid"))
        .unwrap_or_default()
        .to_string();
    let mut item = Item::new("OpenVAS", oid);
    item.name = f
        .direct("name")
        .or(f.child("nvt", "name"))
        .unwrap_or_default();
    item.raw_severity = f.direct("threat").unwrap_or_default();
    let score = f.direct("severity").and_then(|s| s.parse::<f64>().ok());
    item.severity = match score {
        Some(s) => Severity::from_score(s),
        None => Severity::from_label(&item.raw_severity),
    };
    item.kind = if item.severity == Severity::Info {
        ItemKind::Informational
    } else {
        ItemKind::Vulnerability
    };
    item.plugin_family = f.child("nvt", "family");
    let tags = f.child("nvt", "tags").unwrap_or_default();
    item.synopsis = tag(&tags, "summary");
    item.description = [
        tag(&tags, "insight"),
        tag(&tags, "impact"),
        tag(&tags, "affected"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n\n")
    .into();
    if item.description.as_deref() == Some("") {
        item.description = None;
    }
    item.solution = f
        .child("nvt", "solution")
        .or_else(|| tag(&tags, "solution"));
    item.output = f.direct("description");
    for r in f.iter().filter(|x| x.name == "ref") {
        match (r.attr("type"), r.attr("id")) {
            (Some("cve"), Some(id)) => item.push_cve(id),
            (Some("url"), Some(u)) => item.references.push(u.to_string()),
            (Some(t), Some(id)) => item
                .references
                .push(format!("{}:{id}", t.to_ascii_uppercase())),
            _ => {}
        }
    }
    let mut have_v3 = false;
    for (i, s) in f
        .iter()
        .enumerate()
        .filter(|(_, x)| x.name == "severity" && x.parent.is_some())
    {
        let Some(kind) = s.attr("type") else { continue };
        let sub = |n: &str| {
            f[i + 1..]
                .iter()
                .take_while(|x| x.parent.is_some_and(|p| p >= i))
                .find(|x| x.name == n && x.parent == Some(i))
                .and_then(|x| crate::xml::non_empty(&x.text))
        };
        let version = if kind.contains("v3") {
            "3"
        } else if kind.contains("v4") {
            "4.0"
        } else {
            "2"
        };
        have_v3 |= version == "3";
        if let Some(c) = cvss(
            version,
            sub("score").as_deref(),
            sub("value").as_deref(),
            sub("origin").as_deref(),
        ) {
            item.cvss.push(c);
        }
    }
    if item.cvss.is_empty() {
        let vector = tag(&tags, "cvss_base_vector");
        let version = if vector.as_deref().is_some_and(|v| v.starts_with("CVSS:3")) {
            "3"
        } else {
            "2"
        };
        let _ = have_v3;
        if let Some(c) = cvss(
            version,
            f.child("nvt", "cvss_base").as_deref(),
            vector.as_deref(),
            None,
        ) {
            item.cvss.push(c);
        }
    }
    let host = f.direct("host");
    item.asset = AssetIdentity {
        ip: host,
        fqdn: f.child("host", "hostname"),
        ..AssetIdentity::default()
    };
    if let Some(p) = f.direct("port") {
        let (num, proto) = p.split_once('/').unwrap_or((p.as_str(), ""));
        item.port = port(num);
        item.protocol = crate::xml::non_empty(proto);
        item.service = (num == "general").then(|| "general".to_string());
    }
    item.first_seen = f.direct("creation_time");
    item.last_seen = f.direct("modification_time");
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipe_tags_split_on_known_keys_only() {
        let tags =
            "cvss_base_vector=AV:N/AC:L|summary=a|b=c\nd|insight=x=y|solution_type=VendorFix";
        assert_eq!(tag(tags, "summary").as_deref(), Some("a|b=c\nd"));
        assert_eq!(tag(tags, "insight").as_deref(), Some("x=y"));
        assert_eq!(tag(tags, "solution_type").as_deref(), Some("VendorFix"));
        assert_eq!(tag(tags, "impact"), None);
    }
}
