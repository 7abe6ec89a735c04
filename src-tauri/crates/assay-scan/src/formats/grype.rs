//! Anchore Grype JSON (`matches` + `source` + `descriptor`), both the current schema
//! (`cvss[]`, `urls`) and the 0.7-era one (`cvssV2`/`cvssV3`, `links`).
//!
//! Memory note (deliberate exception to flat memory): Grype writes `source` — the image
//! that is the asset — *after* `matches`, and input is not seekable, so matches are held
//! as items until the end of the document when `source` has not been seen yet. Grype
//! reports are bounded by one image's package set (tens of MB at most). Each match is
//! still parsed individually; no `Value` of the document is built.

use std::fmt;
use std::io::BufRead;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use crate::control::{Control, Counting};
use crate::error::ScanError;
use crate::formats::{cvss, Out};
use crate::json::{self, each, get, scalar, strings, Shared};
use crate::model::{AssetIdentity, Host, Item, ParseSummary, ScanInfo, Severity};
use crate::sink::ScanSink;
use crate::sniff::{has, json_shape, JsonShape};
use crate::ScanFormat;

/// The Grype JSON format.
#[derive(Debug, Clone, Copy)]
pub struct Grype;

impl ScanFormat for Grype {
    fn name(&self) -> &'static str {
        "grype"
    }

    fn sniff(&self, head: &[u8]) -> bool {
        matches!(json_shape(head), Some(JsonShape::Object(k)) if has(&k, "matches")
            && (has(&k, "source") || has(&k, "descriptor") || k.len() == 1
                || crate::sniff::contains(head, b"\"vulnerability\"")))
    }

    fn parse(
        &self,
        input: &mut dyn BufRead,
        sink: &mut dyn ScanSink,
        ctl: &Control,
    ) -> Result<ParseSummary, ScanError> {
        let mut counting = Counting::json(input, ctl);
        let shared = Shared::default();
        let mut ctx = Ctx {
            out: Out::new(sink, ctl, self.name()),
            shared: &shared,
            info: ScanInfo {
                tool: "Grype".into(),
                ..ScanInfo::default()
            },
            asset: AssetIdentity::default(),
            source_seen: false,
            pending: Vec::new(),
        };
        json::run(&mut counting, &shared, Top(&mut ctx))?;
        ctx.out.info(ctx.info.clone())?;
        for mut item in std::mem::take(&mut ctx.pending) {
            item.asset = ctx.asset.clone();
            ctx.out.item(item)?;
        }
        if !ctx.asset.is_empty() {
            ctx.out.host(Host {
                identity: ctx.asset.clone(),
                ..Host::default()
            })?;
        }
        ctx.out.summary.bytes_read = counting.offset();
        counting.finish();
        Ok(ctx.out.summary)
    }
}

struct Ctx<'s, 'c, 'x> {
    out: Out<'s, 'c>,
    shared: &'x Shared,
    info: ScanInfo,
    asset: AssetIdentity,
    source_seen: bool,
    pending: Vec<Item>,
}

#[derive(Deserialize)]
struct Match {
    #[serde(default)]
    vulnerability: Value,
    #[serde(default, rename = "relatedVulnerabilities")]
    related: Value,
    #[serde(default)]
    artifact: Value,
}

struct Top<'a, 's, 'c, 'x>(&'a mut Ctx<'s, 'c, 'x>);

impl<'de> DeserializeSeed<'de> for Top<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Grype report object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.0;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "matches" => {
                    let shared = ctx.shared;
                    shared.enter("matches");
                    map.next_value_seed(each(shared, |m: Match| {
                        let item = match_item(m);
                        if ctx.source_seen {
                            let mut item = item;
                            item.asset = ctx.asset.clone();
                            ctx.out.item(item)
                        } else {
                            ctx.pending.push(item);
                            Ok(())
                        }
                    }))?;
                    shared.leave();
                }
                "source" => {
                    let v: Value = map.next_value()?;
                    let target = get(&v, "target");
                    let name = json::first_str(target, &["userInput"]).or_else(|| scalar(target));
                    let digest = json::first_str(target, &["manifestDigest", "imageID"]);
                    ctx.asset.image = match (name.clone(), digest) {
                        (Some(n), Some(d)) if !n.contains('@') => Some(format!("{n}@{d}")),
                        (n, d) => n.or(d),
                    };
                    ctx.info.name = name;
                    ctx.source_seen = true;
                }
                "image" => {
                    // 0.7-era schema kept the image under `image`.
                    let v: Value = map.next_value()?;
                    if ctx.asset.image.is_none() {
                        ctx.asset.image = json::first_str(&v, &["userInput", "digest"]);
                    }
                }
                "distro" => {
                    let v: Value = map.next_value()?;
                    let s = [scalar(get(&v, "name")), scalar(get(&v, "version"))]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>();
                    if !s.is_empty() {
                        ctx.asset.os = Some(s.join(" "));
                    }
                }
                "descriptor" => {
                    let v: Value = map.next_value()?;
                    ctx.info.tool_version = scalar(get(&v, "version"));
                    ctx.info.scan_start = scalar(get(&v, "timestamp"));
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

fn push_cvss(item: &mut Item, v: &Value) {
    for c in get(v, "cvss").as_array().into_iter().flatten() {
        let version = scalar(get(c, "version")).unwrap_or_else(|| "3".into());
        let score = json::number(get(get(c, "metrics"), "baseScore")).map(|s| s.to_string());
        let vector = scalar(get(c, "vector"));
        let source = scalar(get(c, "source"));
        if let Some(c) = cvss(
            &version,
            score.as_deref(),
            vector.as_deref(),
            source.as_deref(),
        ) {
            item.cvss.push(c);
        }
    }
    for (key, version) in [("cvssV2", "2"), ("cvssV3", "3")] {
        let c = get(v, key);
        let score = json::number(get(c, "baseScore")).map(|s| s.to_string());
        let vector = scalar(get(c, "vector"));
        if let Some(c) = cvss(version, score.as_deref(), vector.as_deref(), None) {
            item.cvss.push(c);
        }
    }
}

fn match_item(m: Match) -> Item {
    let v = &m.vulnerability;
    let id = scalar(get(v, "id")).unwrap_or_default();
    let mut item = Item::new("Grype", id.clone());
    item.push_cve(&id);
    item.raw_severity = scalar(get(v, "severity")).unwrap_or_default();
    item.severity = match item.raw_severity.to_ascii_lowercase().as_str() {
        "unknown" | "" => Severity::Unknown,
        other => Severity::from_label(other),
    };
    item.description = scalar(get(v, "description"));
    item.references = strings(get(v, "urls"), None);
    item.references.extend(strings(get(v, "links"), None));
    if let Some(ds) = scalar(get(v, "dataSource")) {
        if !item.references.contains(&ds) {
            item.references.insert(0, ds);
        }
    }
    push_cvss(&mut item, v);
    for r in m.related.as_array().into_iter().flatten() {
        if let Some(rid) = scalar(get(r, "id")) {
            item.push_cve(&rid);
        }
        push_cvss(&mut item, r);
        if item.description.is_none() {
            item.description = scalar(get(r, "description"));
        }
    }
    let a = &m.artifact;
    let name = scalar(get(a, "name")).unwrap_or_default();
    let version = scalar(get(a, "version")).unwrap_or_default();
    item.name = format!("{id} in {name}@{version}");
    let path = get(a, "locations")
        .as_array()
        .and_then(|l| l.first())
        .and_then(|l| scalar(get(l, "path")));
    item.location = Some(match path {
        Some(p) => format!("{p}: {name}@{version}"),
        None => format!("{name}@{version}"),
    });
    item.plugin_family = scalar(get(a, "type"));
    let fix = get(v, "fix");
    let versions = strings(get(fix, "versions"), None);
    if !versions.is_empty() {
        item.solution = Some(format!("Upgrade {name} to {}", versions.join(" or ")));
    }
    item
}
