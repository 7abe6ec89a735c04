//! OWASP ZAP traditional JSON report (`@version`, `site[]` → `alerts[]` → `instances[]`).
//!
//! Every value is a string in these files; `site`, `alerts` and `instances` are accepted
//! as a single object as well as an array (some XML-to-JSON converters emit that).
//! Invariant: alerts are visited one at a time; site attributes precede `alerts` in ZAP's
//! output, and a site's host record is sent after its alerts.

use std::fmt;
use std::io::BufRead;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::control::{Control, Counting};
use crate::error::ScanError;
use crate::formats::zap_xml::{alert_item, Alert, Instance, Site};
use crate::formats::Out;
use crate::json::{self, each, first_str, get, scalar, Shared};
use crate::model::{Host, ParseSummary, ScanInfo};
use crate::sink::ScanSink;
use crate::sniff::{has, json_shape, JsonShape};
use crate::ScanFormat;

/// The ZAP JSON format.
#[derive(Debug, Clone, Copy)]
pub struct ZapJson;

impl ScanFormat for ZapJson {
    fn name(&self) -> &'static str {
        "zap-json"
    }

    fn sniff(&self, head: &[u8]) -> bool {
        matches!(json_shape(head), Some(JsonShape::Object(k)) if has(&k, "site")
            && (has(&k, "@version") || has(&k, "@programName") || has(&k, "@generated")))
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
                tool: "ZAP".into(),
                ..ScanInfo::default()
            },
            info_sent: false,
        };
        json::run(&mut counting, &shared, Top(&mut ctx))?;
        if !ctx.info_sent {
            ctx.out.info(ctx.info.clone())?;
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
        f.write_str("a ZAP report object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.0;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "@programName" => {
                    if let Some(n) = map.next_value::<Option<String>>()? {
                        ctx.info.tool = n;
                    }
                }
                "@version" => ctx.info.tool_version = map.next_value()?,
                "@generated" => ctx.info.scan_start = map.next_value()?,
                "site" => {
                    if !ctx.info_sent {
                        ctx.info_sent = true;
                        ctx.out
                            .info(ctx.info.clone())
                            .map_err(|e| ctx.shared.fail(e))?;
                    }
                    ctx.shared.enter("site");
                    map.next_value_seed(Sites(&mut *ctx))?;
                    ctx.shared.leave();
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// `site`: an array of sites or a single site object.
struct Sites<'a, 's, 'c, 'x>(&'a mut Ctx<'s, 'c, 'x>);

impl<'de> DeserializeSeed<'de> for Sites<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Sites<'_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a site array or object")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        loop {
            self.0.shared.enter_index(i);
            let more = seq.next_element_seed(SiteSeed(&mut *self.0))?.is_some();
            self.0.shared.leave();
            if !more {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        SiteSeed(self.0).visit_map(map)
    }
}

struct SiteSeed<'a, 's, 'c, 'x>(&'a mut Ctx<'s, 'c, 'x>);

impl<'de> DeserializeSeed<'de> for SiteSeed<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for SiteSeed<'_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a site object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.0;
        let mut site = Site::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "@name" => site.name = map.next_value::<Option<Value>>()?.as_ref().and_then(scalar),
                "@host" => site.host = map.next_value::<Option<Value>>()?.as_ref().and_then(scalar),
                "@port" => site.port = map.next_value::<Option<Value>>()?.as_ref().and_then(scalar),
                "alerts" => {
                    let shared = ctx.shared;
                    shared.enter("alerts");
                    map.next_value_seed(each(shared, |v: Value| {
                        ctx.out.item(alert_item(alert_from(&v), &site))
                    }))?;
                    shared.leave();
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        ctx.out
            .host(Host {
                identity: site.identity(),
                ..Host::default()
            })
            .map_err(|e| ctx.shared.fail(e))
    }
}

fn alert_from(v: &Value) -> Alert {
    let instances = match get(v, "instances") {
        Value::Array(a) => a.iter().map(instance_from).collect(),
        o @ Value::Object(_) => vec![instance_from(o)],
        _ => Vec::new(),
    };
    Alert {
        pluginid: first_str(v, &["pluginid"]).unwrap_or_default(),
        alert_ref: first_str(v, &["alertRef"]),
        name: first_str(v, &["alert", "name"]).unwrap_or_default(),
        riskcode: first_str(v, &["riskcode"]).unwrap_or_default(),
        riskdesc: first_str(v, &["riskdesc"]),
        desc: first_str(v, &["desc"]),
        solution: first_str(v, &["solution"]),
        otherinfo: first_str(v, &["otherinfo"]),
        reference: first_str(v, &["reference"]),
        cweid: first_str(v, &["cweid"]),
        wascid: first_str(v, &["wascid"]),
        instances,
    }
}

fn instance_from(v: &Value) -> Instance {
    let s = |k: &str| first_str(v, &[k]).unwrap_or_default();
    Instance {
        uri: s("uri"),
        method: s("method"),
        param: s("param"),
        attack: s("attack"),
        evidence: s("evidence"),
    }
}
