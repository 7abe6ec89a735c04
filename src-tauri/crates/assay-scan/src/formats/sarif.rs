//! SARIF 2.1.0 (`version` + `runs`), from any tool: each result becomes one item.
//!
//! Severity precedence (documented choice): a CVSS-like `security-severity` property
//! (rule or result) wins, then the result's own `properties.severity` (Dependency-Check),
//! then `level` → the rule's `defaultConfiguration.level` → `warning` (the spec default).
//! Invariants: results are visited one at a time; a run's rules are held while that run
//! is read (results that precede `tool` are held until the run ends).

use std::collections::HashMap;
use std::fmt;
use std::io::BufRead;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use crate::control::{Control, Counting};
use crate::error::ScanError;
use crate::formats::Out;
use crate::json::{self, each, get, scalar, strings, Shared};
use crate::model::{AssetIdentity, Item, ItemKind, ParseSummary, ScanInfo, Severity};
use crate::sink::ScanSink;
use crate::sniff::{has, json_shape, JsonShape};
use crate::ScanFormat;

/// The SARIF 2.1.0 format.
#[derive(Debug, Clone, Copy)]
pub struct Sarif;

impl ScanFormat for Sarif {
    fn name(&self) -> &'static str {
        "sarif"
    }

    fn sniff(&self, head: &[u8]) -> bool {
        matches!(json_shape(head), Some(JsonShape::Object(k)) if has(&k, "runs")
            && (has(&k, "version") || has(&k, "$schema")))
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
            info_sent: false,
        };
        json::run(&mut counting, &shared, Top(&mut ctx))?;
        if !ctx.info_sent {
            ctx.out.info(ScanInfo {
                tool: "SARIF".into(),
                ..ScanInfo::default()
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
    info_sent: bool,
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
        f.write_str("a SARIF log object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.0;
        while let Some(key) = map.next_key::<String>()? {
            if key == "runs" {
                ctx.shared.enter("runs");
                map.next_value_seed(RunsSeed(&mut *ctx))?;
                ctx.shared.leave();
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct RunsSeed<'a, 's, 'c, 'x>(&'a mut Ctx<'s, 'c, 'x>);

impl<'de> DeserializeSeed<'de> for RunsSeed<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RunsSeed<'_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of runs")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        loop {
            self.0.shared.enter_index(i);
            let more = seq.next_element_seed(RunSeed(&mut *self.0))?.is_some();
            self.0.shared.leave();
            if !more {
                return Ok(());
            }
            i += 1;
        }
    }
}

/// Rules of one run, indexed by position and id.
#[derive(Default)]
struct Rules {
    tool: String,
    rules: Vec<Value>,
    by_id: HashMap<String, usize>,
}

impl Rules {
    fn from_tool(tool: &Value) -> Rules {
        let driver = get(tool, "driver");
        let mut r = Rules {
            tool: scalar(get(driver, "name")).unwrap_or_else(|| "SARIF".into()),
            ..Rules::default()
        };
        let ext = get(tool, "extensions")
            .as_array()
            .cloned()
            .unwrap_or_default();
        for component in std::iter::once(driver).chain(ext.iter()) {
            for rule in get(component, "rules").as_array().into_iter().flatten() {
                if let Some(id) = scalar(get(rule, "id")) {
                    r.by_id.entry(id).or_insert(r.rules.len());
                }
                r.rules.push(rule.clone());
            }
        }
        r
    }

    fn find(&self, result: &Value) -> Option<&Value> {
        let index = get(result, "ruleIndex")
            .as_u64()
            .or_else(|| get(get(result, "rule"), "index").as_u64());
        // ruleIndex refers to the driver's rules, which come first in `rules`.
        if let Some(rule) = index.and_then(|i| self.rules.get(i as usize)) {
            return Some(rule);
        }
        let id =
            scalar(get(result, "ruleId")).or_else(|| scalar(get(get(result, "rule"), "id")))?;
        self.by_id.get(&id).and_then(|i| self.rules.get(*i))
    }
}

struct RunSeed<'a, 's, 'c, 'x>(&'a mut Ctx<'s, 'c, 'x>);

impl<'de> DeserializeSeed<'de> for RunSeed<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RunSeed<'_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a SARIF run object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.0;
        let mut rules: Option<Rules> = None;
        let mut early: Vec<Value> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "tool" => {
                    let tool: Value = map.next_value()?;
                    let r = Rules::from_tool(&tool);
                    let driver = get(&tool, "driver");
                    let info = ScanInfo {
                        tool: r.tool.clone(),
                        tool_version: json::first_str(driver, &["semanticVersion", "version"]),
                        ..ScanInfo::default()
                    };
                    ctx.out.info(info).map_err(|e| ctx.shared.fail(e))?;
                    ctx.info_sent = true;
                    rules = Some(r);
                }
                "results" => {
                    let shared = ctx.shared;
                    shared.enter("results");
                    map.next_value_seed(each(shared, |v: Value| match &rules {
                        Some(r) => ctx.out.item(result_item(&v, r)),
                        None => {
                            early.push(v);
                            Ok(())
                        }
                    }))?;
                    shared.leave();
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let r = rules.unwrap_or_default();
        for v in early {
            ctx.out
                .item(result_item(&v, &r))
                .map_err(|e| ctx.shared.fail(e))?;
        }
        Ok(())
    }
}

fn level_severity(level: &str) -> Severity {
    match level {
        "error" => Severity::High,
        "warning" => Severity::Medium,
        "note" => Severity::Low,
        "none" => Severity::Info,
        _ => Severity::Unknown,
    }
}

fn text_of(v: &Value) -> Option<String> {
    json::first_str(v, &["text", "markdown"])
}

fn result_item(result: &Value, rules: &Rules) -> Item {
    let rule = rules.find(result).unwrap_or(&Value::Null);
    let rule_id = scalar(get(result, "ruleId"))
        .or_else(|| scalar(get(rule, "id")))
        .unwrap_or_default();
    let mut item = Item::new(rules.tool.clone(), rule_id.clone());
    let message = text_of(get(result, "message"));
    item.name = text_of(get(rule, "shortDescription"))
        .or_else(|| scalar(get(rule, "name")))
        .or_else(|| {
            message
                .as_deref()
                .and_then(|m| m.lines().next())
                .map(str::to_string)
        })
        .unwrap_or_else(|| rule_id.clone());
    item.description = text_of(get(rule, "fullDescription")).or_else(|| message.clone());
    item.output = message;
    if let Some(u) = scalar(get(rule, "helpUri")) {
        item.references.push(u);
    }
    let rprops = get(rule, "properties");
    let props = get(result, "properties");
    let sec = json::number(get(props, "security-severity"))
        .or_else(|| json::number(get(rprops, "security-severity")));
    if let Some(score) = sec {
        item.severity = Severity::from_score(score);
        item.raw_severity = format!("security-severity {score}");
    } else if let Some(s) = scalar(get(props, "severity")) {
        item.severity = Severity::from_label(&s);
        item.raw_severity = s;
    } else {
        let level = scalar(get(result, "level"))
            .or_else(|| scalar(get(get(rule, "defaultConfiguration"), "level")))
            .unwrap_or_else(|| "warning".into());
        item.severity = level_severity(&level);
        item.raw_severity = level;
    }
    item.kind = if item.severity == Severity::Info {
        ItemKind::Informational
    } else {
        ItemKind::Vulnerability
    };
    for tag in strings(get(rprops, "tags"), None) {
        let lower = tag.to_ascii_lowercase();
        if let Some(i) = lower.find("cwe-") {
            item.push_cwe(lower[i + 4..].trim_start_matches('0'));
        }
    }
    let texts = [
        Some(rule_id.as_str()),
        item.output.as_deref(),
        Some(item.name.as_str()),
    ];
    let found: Vec<String> = texts.into_iter().flatten().flat_map(find_cves).collect();
    for cve in found {
        item.push_cve(&cve);
    }
    let loc = get(result, "locations").as_array().and_then(|l| l.first());
    if let Some(loc) = loc {
        let phys = get(loc, "physicalLocation");
        let uri = scalar(get(get(phys, "artifactLocation"), "uri"));
        let line = scalar(get(get(phys, "region"), "startLine"));
        item.location = match (&uri, line) {
            (Some(u), Some(l)) => Some(format!("{u}:{l}")),
            (Some(u), None) => Some(u.clone()),
            _ => None,
        };
        item.asset = AssetIdentity {
            file: uri,
            ..AssetIdentity::default()
        };
    }
    if get(result, "suppressions")
        .as_array()
        .is_some_and(|s| !s.is_empty())
    {
        item.plugin_family = Some("suppressed in tool".into());
    }
    item
}

/// CVE ids (`CVE-YYYY-NNNN…`) occurring in free text.
pub(crate) fn find_cves(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i + 13 <= b.len() {
        if b[i..i + 4].eq_ignore_ascii_case(b"CVE-")
            && b[i + 4..i + 8].iter().all(u8::is_ascii_digit)
            && b[i + 8] == b'-'
        {
            let digits = b[i + 9..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits >= 4 {
                found.push(text[i..i + 9 + digits].to_ascii_uppercase());
                i += 9 + digits;
                continue;
            }
        }
        i += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cves_in_text() {
        assert_eq!(
            find_cves("CVE-2008-0732-geronimo and cve-2021-44228, CVE-12-1"),
            vec!["CVE-2008-0732", "CVE-2021-44228"]
        );
    }
}
