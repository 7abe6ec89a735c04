//! Aqua Trivy JSON: `SchemaVersion` 2 reports, the legacy top-level array of results,
//! and `trivy k8s` cluster reports (`ClusterName` + `Resources`).
//!
//! Invariants: results, vulnerabilities, misconfigurations and secrets are each visited
//! element by element (nothing but the current record is held); the artifact identity
//! comes from the header keys, which Trivy writes before `Results`.

use std::fmt;
use std::io::BufRead;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use crate::control::{Control, Counting};
use crate::error::ScanError;
use crate::formats::{cvss, Out};
use crate::json::{self, each, Shared};
use crate::model::{
    AssetIdentity, ComplianceResult, ComplianceStatus, Host, Item, ItemKind, ParseSummary,
    ScanInfo, Severity,
};
use crate::sink::ScanSink;
use crate::sniff::has;
use crate::ScanFormat;

/// The Trivy JSON format.
#[derive(Debug, Clone, Copy)]
pub struct Trivy;

impl ScanFormat for Trivy {
    fn name(&self) -> &'static str {
        "trivy"
    }

    fn sniff(&self, head: &[u8]) -> bool {
        match crate::sniff::json_shape(head) {
            Some(crate::sniff::JsonShape::Object(k)) => {
                (has(&k, "SchemaVersion") && has(&k, "ArtifactName"))
                    || (has(&k, "ClusterName")
                        && (has(&k, "Resources")
                            || has(&k, "Vulnerabilities")
                            || has(&k, "Misconfigurations")))
            }
            Some(crate::sniff::JsonShape::Array(Some(k))) => {
                has(&k, "Target")
                    && (has(&k, "Vulnerabilities") || has(&k, "Type") || has(&k, "Class"))
            }
            _ => false,
        }
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
                tool: "Trivy".into(),
                ..ScanInfo::default()
            },
            info_sent: false,
            asset: AssetIdentity::default(),
            artifact_type: None,
        };
        json::run(&mut counting, &shared, Top(&mut ctx))?;
        ctx.send_info()?;
        if !ctx.asset.is_empty() {
            let host = Host {
                identity: ctx.asset.clone(),
                ..Host::default()
            };
            ctx.out.host(host)?;
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
    asset: AssetIdentity,
    artifact_type: Option<String>,
}

impl Ctx<'_, '_, '_> {
    fn send_info(&mut self) -> Result<(), ScanError> {
        if !self.info_sent {
            self.info_sent = true;
            self.out.info(self.info.clone())?;
        }
        Ok(())
    }
}

#[derive(Deserialize, Default)]
struct Metadata {
    #[serde(rename = "OS")]
    os: Option<OsInfo>,
    #[serde(rename = "RepoDigests")]
    repo_digests: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
struct OsInfo {
    #[serde(rename = "Family")]
    family: Option<String>,
    #[serde(rename = "Name")]
    name: Option<String>,
}

#[derive(Deserialize)]
struct Vuln {
    #[serde(rename = "VulnerabilityID")]
    id: Option<String>,
    #[serde(rename = "PkgName")]
    pkg: Option<String>,
    #[serde(rename = "InstalledVersion")]
    installed: Option<String>,
    #[serde(rename = "FixedVersion")]
    fixed: Option<String>,
    #[serde(rename = "Severity")]
    severity: Option<String>,
    #[serde(rename = "SeveritySource")]
    severity_source: Option<String>,
    #[serde(rename = "Title")]
    title: Option<String>,
    #[serde(rename = "Description")]
    description: Option<String>,
    #[serde(rename = "References")]
    references: Option<Vec<String>>,
    #[serde(rename = "PrimaryURL")]
    primary_url: Option<String>,
    #[serde(rename = "CweIDs")]
    cwe_ids: Option<Vec<String>>,
    #[serde(rename = "CVSS")]
    cvss: Option<serde_json::Map<String, Value>>,
}

#[derive(Deserialize)]
struct Misconfig {
    #[serde(rename = "ID")]
    id: Option<String>,
    #[serde(rename = "AVDID")]
    avdid: Option<String>,
    #[serde(rename = "Title")]
    title: Option<String>,
    #[serde(rename = "Description")]
    description: Option<String>,
    #[serde(rename = "Message")]
    message: Option<String>,
    #[serde(rename = "Resolution")]
    resolution: Option<String>,
    #[serde(rename = "Severity")]
    severity: Option<String>,
    #[serde(rename = "Status")]
    status: Option<String>,
    #[serde(rename = "References")]
    references: Option<Vec<String>>,
    #[serde(rename = "PrimaryURL")]
    primary_url: Option<String>,
}

#[derive(Deserialize)]
struct Secret {
    #[serde(rename = "RuleID")]
    rule_id: Option<String>,
    #[serde(rename = "Category")]
    category: Option<String>,
    #[serde(rename = "Severity")]
    severity: Option<String>,
    #[serde(rename = "Title")]
    title: Option<String>,
    #[serde(rename = "StartLine")]
    start_line: Option<Value>,
    #[serde(rename = "Match")]
    matched: Option<String>,
}

/// The whole document: an object (v2 or k8s) or a legacy array of results.
struct Top<'a, 's, 'c, 'x>(&'a mut Ctx<'s, 'c, 'x>);

impl<'de> DeserializeSeed<'de> for Top<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Trivy report object or array of results")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let ctx = self.0;
        ctx.send_info().map_err(|e| ctx.shared.fail(e))?;
        ResultsSeed {
            ctx,
            resource: None,
        }
        .visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.0;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "ArtifactName" => {
                    let name: Option<String> = map.next_value()?;
                    ctx.info.name.clone_from(&name);
                    ctx.asset.image = name;
                }
                "ArtifactType" => ctx.artifact_type = map.next_value()?,
                "CreatedAt" => ctx.info.scan_start = map.next_value()?,
                "Metadata" => {
                    let m: Option<Metadata> = map.next_value()?;
                    let m = m.unwrap_or_default();
                    if let Some(os) = m.os {
                        let s = [os.family, os.name]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>();
                        if !s.is_empty() {
                            ctx.asset.os = Some(s.join(" "));
                        }
                    }
                    // Pin the image to its digest: tags move, digests do not.
                    let digest = m.repo_digests.and_then(|d| d.into_iter().next());
                    if let Some((_, digest)) = digest.as_deref().and_then(|d| d.split_once('@')) {
                        if let Some(image) = ctx.asset.image.as_mut() {
                            image.push('@');
                            image.push_str(digest);
                        }
                    }
                }
                "ClusterName" => {
                    let name: Option<String> = map.next_value()?;
                    ctx.info.name = name.filter(|n| !n.is_empty());
                }
                "Results" => {
                    ctx.send_info().map_err(|e| ctx.shared.fail(e))?;
                    ctx.shared.enter("Results");
                    map.next_value_seed(ResultsSeed {
                        ctx: &mut *ctx,
                        resource: None,
                    })?;
                    ctx.shared.leave();
                }
                "Resources" => {
                    ctx.send_info().map_err(|e| ctx.shared.fail(e))?;
                    ctx.shared.enter("Resources");
                    let shared = ctx.shared;
                    map.next_value_seed(each(shared, |r: Resource| resource(ctx, r)))?;
                    ctx.shared.leave();
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if matches!(ctx.artifact_type.as_deref(), Some(t) if t != "container_image") {
            // Filesystems and repositories are not images.
            ctx.asset.resource = ctx.asset.image.take();
        }
        Ok(())
    }
}

/// A `trivy k8s` resource; its results are small enough to take whole.
#[derive(Deserialize)]
struct Resource {
    #[serde(rename = "Namespace")]
    namespace: Option<String>,
    #[serde(rename = "Kind")]
    kind: Option<String>,
    #[serde(rename = "Name")]
    name: Option<String>,
    #[serde(rename = "Results")]
    results: Option<Vec<ResultBlock>>,
}

#[derive(Deserialize)]
struct ResultBlock {
    #[serde(rename = "Target")]
    target: Option<String>,
    #[serde(rename = "Class")]
    class: Option<String>,
    #[serde(rename = "Type")]
    kind: Option<String>,
    #[serde(rename = "Vulnerabilities")]
    vulns: Option<Vec<Vuln>>,
    #[serde(rename = "Misconfigurations")]
    misconfigs: Option<Vec<Misconfig>>,
    #[serde(rename = "Secrets")]
    secrets: Option<Vec<Secret>>,
}

fn resource(ctx: &mut Ctx<'_, '_, '_>, r: Resource) -> Result<(), ScanError> {
    let name = [r.namespace, r.kind, r.name]
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect::<Vec<_>>()
        .join("/");
    let mut asset = ctx.asset.clone();
    asset.resource = Some(name);
    for block in r.results.unwrap_or_default() {
        let t = Target {
            target: block.target.unwrap_or_default(),
            family: block.class.or(block.kind),
        };
        for v in block.vulns.unwrap_or_default() {
            ctx.out.item(vuln_item(v, &t, &asset))?;
        }
        for m in block.misconfigs.unwrap_or_default() {
            ctx.out.item(misconfig_item(m, &t, &asset))?;
        }
        for s in block.secrets.unwrap_or_default() {
            ctx.out.item(secret_item(s, &t, &asset))?;
        }
    }
    ctx.out.host(Host {
        identity: asset,
        ..Host::default()
    })
}

/// Streams an array of result blocks.
struct ResultsSeed<'a, 's, 'c, 'x> {
    ctx: &'a mut Ctx<'s, 'c, 'x>,
    resource: Option<String>,
}

impl<'de> DeserializeSeed<'de> for ResultsSeed<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ResultsSeed<'_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of Trivy results")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        loop {
            self.ctx.shared.enter_index(i);
            let more = seq
                .next_element_seed(ResultSeed {
                    ctx: &mut *self.ctx,
                    resource: self.resource.clone(),
                })?
                .is_some();
            self.ctx.shared.leave();
            if !more {
                return Ok(());
            }
            i += 1;
        }
    }
}

/// Location context of one result block.
struct Target {
    target: String,
    family: Option<String>,
}

/// One result block, streaming its record arrays.
struct ResultSeed<'a, 's, 'c, 'x> {
    ctx: &'a mut Ctx<'s, 'c, 'x>,
    resource: Option<String>,
}

impl<'de> DeserializeSeed<'de> for ResultSeed<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ResultSeed<'_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Trivy result object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        let mut asset = ctx.asset.clone();
        if self.resource.is_some() {
            asset.resource = self.resource;
        }
        let mut t = Target {
            target: String::new(),
            family: None,
        };
        while let Some(key) = map.next_key::<String>()? {
            let shared = ctx.shared;
            match key.as_str() {
                "Target" => t.target = map.next_value::<Option<String>>()?.unwrap_or_default(),
                "Class" => t.family = map.next_value::<Option<String>>()?.or(t.family),
                "Type" => {
                    let ty: Option<String> = map.next_value()?;
                    if t.family.is_none() {
                        t.family = ty;
                    }
                }
                "Vulnerabilities" => {
                    shared.enter("Vulnerabilities");
                    map.next_value_seed(each(shared, |v: Vuln| {
                        ctx.out.item(vuln_item(v, &t, &asset))
                    }))?;
                    shared.leave();
                }
                "Misconfigurations" => {
                    shared.enter("Misconfigurations");
                    map.next_value_seed(each(shared, |m: Misconfig| {
                        ctx.out.item(misconfig_item(m, &t, &asset))
                    }))?;
                    shared.leave();
                }
                "Secrets" => {
                    shared.enter("Secrets");
                    map.next_value_seed(each(shared, |s: Secret| {
                        ctx.out.item(secret_item(s, &t, &asset))
                    }))?;
                    shared.leave();
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

fn severity(label: Option<&str>) -> (Severity, String) {
    let raw = label.unwrap_or("").to_string();
    (Severity::from_label(&raw), raw)
}

fn vuln_item(v: Vuln, t: &Target, asset: &AssetIdentity) -> Item {
    let id = v.id.unwrap_or_default();
    let mut item = Item::new("Trivy", id.clone());
    item.push_cve(&id);
    item.name = v.title.clone().unwrap_or_else(|| id.clone());
    (item.severity, item.raw_severity) = severity(v.severity.as_deref());
    item.description = v.description;
    let pkg = v.pkg.unwrap_or_default();
    let installed = v.installed.unwrap_or_default();
    item.location = Some(format!("{}: {pkg}@{installed}", t.target));
    if let Some(fixed) = v.fixed.filter(|f| !f.is_empty()) {
        item.solution = Some(format!("Upgrade {pkg} to {fixed}"));
    }
    item.references = v.references.unwrap_or_default();
    if let Some(u) = v.primary_url {
        if !item.references.contains(&u) {
            item.references.insert(0, u);
        }
    }
    for c in v.cwe_ids.unwrap_or_default() {
        item.push_cwe(&c);
    }
    for (source, scores) in v.cvss.unwrap_or_default() {
        for (version, sk, vk) in [
            ("3", "V3Score", "V3Vector"),
            ("2", "V2Score", "V2Vector"),
            ("4.0", "V40Score", "V40Vector"),
        ] {
            let score = scores.get(sk).and_then(json::number).map(|s| s.to_string());
            let vector = scores.get(vk).and_then(json::scalar);
            if let Some(c) = cvss(version, score.as_deref(), vector.as_deref(), Some(&source)) {
                item.cvss.push(c);
            }
        }
    }
    if let Some(src) = v.severity_source {
        item.plugin_family = Some(format!(
            "{} (severity from {src})",
            t.family.as_deref().unwrap_or("")
        ));
    } else {
        item.plugin_family.clone_from(&t.family);
    }
    item.asset = asset.clone();
    item
}

fn misconfig_item(m: Misconfig, t: &Target, asset: &AssetIdentity) -> Item {
    let id = m.id.or(m.avdid).unwrap_or_default();
    let mut item = Item::new("Trivy", id.clone());
    item.kind = ItemKind::Misconfiguration;
    item.name = m.title.clone().unwrap_or_else(|| id.clone());
    (item.severity, item.raw_severity) = severity(m.severity.as_deref());
    let status = m.status.as_deref().and_then(ComplianceStatus::parse);
    if status == Some(ComplianceStatus::Pass) {
        item.severity = Severity::Info;
    }
    item.description = m.description;
    item.output = m.message;
    item.solution = m.resolution;
    item.references = m.references.unwrap_or_default();
    if let Some(u) = m.primary_url {
        if !item.references.contains(&u) {
            item.references.insert(0, u);
        }
    }
    item.location = Some(t.target.clone());
    item.plugin_family.clone_from(&t.family);
    item.compliance = Some(ComplianceResult {
        check_name: item.name.clone(),
        check_id: Some(id),
        result: status,
        ..ComplianceResult::default()
    });
    item.asset = asset.clone();
    item
}

fn secret_item(s: Secret, t: &Target, asset: &AssetIdentity) -> Item {
    let mut item = Item::new("Trivy", s.rule_id.unwrap_or_default());
    item.kind = ItemKind::Secret;
    item.name = s.title.unwrap_or_else(|| item.plugin_id.clone());
    (item.severity, item.raw_severity) = severity(s.severity.as_deref());
    let line = s.start_line.as_ref().and_then(json::scalar);
    item.location = Some(match line {
        Some(l) => format!("{}:{l}", t.target),
        None => t.target.clone(),
    });
    // Trivy already masks the secret in `Match`; nothing more is kept.
    item.output = s.matched;
    item.plugin_family = s.category;
    item.asset = asset.clone();
    item
}
