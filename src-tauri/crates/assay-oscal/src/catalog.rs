//! Conversion of the raw OSCAL shape into assay-model's catalog (`assay_model::oscal::catalog`: OSCAL
//! catalogs and resolved-profile catalogs such as the FedRAMP and NIST baselines), and the parameter
//! substitution that fills its display texts.
//!
//! Invariant: `Catalog::controls` is flat, in document order (`sort_order` 0..n), controls before their
//! enhancements; every enhancement names its `parent_id`; statement parts and objectives keep both the
//! canonical prose (with `{{ insert: param, ID }}` tokens) and the display text with parameters substituted.

use std::collections::HashMap;

use assay_model::oscal::{
    AssessmentMethod, Catalog, Control, FedrampNote, Group, Ns, Objective, Param, ParamSelect,
    Prop, SourceInfo, StatementPart,
};
use serde::de::{IgnoredAny, MapAccess};

use crate::common::{prop_value, prop_values, Cx};
use crate::raw;
use crate::stream::{Each, Fields, Object, Track, Tracker};
use crate::xml::{Node, NodeError, Sink};

/// Which object of a catalog document `CatalogRead` is reading.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Level {
    /// The document root object (`{"catalog": ...}`).
    Document,
    /// `catalog`.
    Catalog,
}

/// One catalog read in progress. Groups and controls are read one at a time so each reports its position
/// (catalogs are small next to SSPs; they are converted after the read).
pub(crate) struct CatalogRead<'a> {
    pub(crate) tracker: Tracker<'a>,
    /// `None` until the `catalog` root is seen.
    pub(crate) root: Option<raw::Catalog>,
}

impl Fields for CatalogRead<'_> {
    type Level = Level;

    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        level: Level,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        if let (Level::Document, "catalog") = (level, key) {
            self.root.get_or_insert_with(raw::Catalog::default);
            return map.next_value_seed(Object::new(self, Level::Catalog));
        }
        let catalog = self.root.get_or_insert_with(raw::Catalog::default);
        match (level, key) {
            (Level::Catalog, "uuid") => catalog.uuid = map.next_value()?,
            (Level::Catalog, "metadata") => catalog.metadata = map.next_value()?,
            (Level::Catalog, "params") => catalog.params = map.next_value()?,
            (Level::Catalog, "back-matter") => catalog.back_matter = map.next_value()?,
            (Level::Catalog, "controls") => {
                let controls = &mut catalog.controls;
                map.next_value_seed(Each::new(&mut self.tracker, |c| controls.push(c)))?;
            }
            (Level::Catalog, "groups") => {
                let groups = &mut catalog.groups;
                map.next_value_seed(Each::new(&mut self.tracker, |g| groups.push(g)))?;
            }
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }

    fn tracker(&mut self) -> &mut dyn Track {
        &mut self.tracker
    }
}

/// Catalogs are read whole: the XML tree keeps every element.
impl Sink for CatalogRead<'_> {
    fn wants(&self, _parent: &str, _name: &str) -> bool {
        false
    }

    fn take(&mut self, _name: &str, _node: Node) -> Result<(), NodeError> {
        Ok(())
    }
}

/// Converts a raw catalog.
pub(crate) fn convert(cx: &mut Cx, source: SourceInfo, raw: raw::Catalog) -> Catalog {
    let metadata = raw.metadata.unwrap_or_default();
    let mut out = Catalog {
        source,
        uuid: raw.uuid.unwrap_or_default(),
        title: cx.text(metadata.title.unwrap_or_default()),
        version: metadata.version.unwrap_or_default(),
        oscal_version: metadata.oscal_version.unwrap_or_default(),
        published: metadata.published,
        last_modified: metadata.last_modified.unwrap_or_default(),
        roles: cx.roles(metadata.roles),
        parties: cx.parties(metadata.parties),
        groups: Vec::new(),
        controls: Vec::new(),
        resources: Vec::new(),
    };
    for control in raw.controls {
        add_control(cx, &mut out, control, None, None);
    }
    for group in raw.groups {
        add_group(cx, &mut out, group, None);
    }
    out.resources = cx.resources(raw.back_matter);
    substitute_all(&mut out);
    out
}

fn add_group(cx: &mut Cx, out: &mut Catalog, group: raw::Group, parent: Option<&str>) {
    let g = Group {
        id: group.id,
        title: cx.text(group.title),
        class: group.class,
        parent_id: parent.map(str::to_string),
    };
    let key = (g.id.clone(), g.title.clone());
    out.groups.push(g);
    for control in group.controls {
        add_control(cx, out, control, Some(&key), None);
    }
    for sub in group.groups {
        add_group(cx, out, sub, Some(&key.0));
    }
}

fn add_control(
    cx: &mut Cx,
    out: &mut Catalog,
    control: raw::Control,
    group: Option<&(String, String)>,
    parent: Option<&str>,
) {
    let props = cx.props(control.props);
    let label = props
        .iter()
        .find(|p| p.name == "label" && p.class.is_none())
        .or_else(|| props.iter().find(|p| p.name == "label"))
        .map_or_else(|| control.id.to_uppercase(), |p| p.value.clone());
    let withdrawn = props
        .iter()
        .any(|p| p.name == "status" && p.value == "withdrawn");
    let core = props
        .iter()
        .any(|p| p.name == "CORE" && p.ns == Ns::FedRamp);
    let fedramp_methods = props
        .iter()
        .filter(|p| p.name == "method" && p.ns == Ns::FedRamp)
        .map(|p| p.value.clone())
        .collect();
    let related = control
        .links
        .iter()
        .filter(|l| l.rel.as_deref() == Some("related"))
        .map(|l| l.href.trim_start_matches('#').to_string())
        .collect();
    let mut c = Control {
        sort_order: u32::try_from(out.controls.len()).unwrap_or(u32::MAX),
        sort_id: prop_value(&props, "sort-id").map(str::to_string),
        id: control.id,
        label,
        title: cx.text(control.title),
        class: control.class,
        parent_id: parent.map(str::to_string),
        group_id: group.map(|g| g.0.clone()),
        group_title: group.map(|g| g.1.clone()),
        withdrawn,
        core,
        fedramp_methods,
        props,
        related,
        params: control
            .params
            .into_iter()
            .map(|p| convert_param(cx, p))
            .collect(),
        statement: String::new(),
        statement_parts: Vec::new(),
        guidance: String::new(),
        fedramp_notes: Vec::new(),
        objectives: Vec::new(),
        methods: Vec::new(),
    };
    for part in control.parts {
        add_top_part(cx, &mut c, part);
    }
    let id = c.id.clone();
    out.controls.push(c);
    for child in control.controls {
        add_control(cx, out, child, group, Some(&id));
    }
}

fn convert_param(cx: &Cx, p: raw::Param) -> Param {
    Param {
        id: p.id,
        label: cx.text(p.label),
        usage: cx.text(p.usage),
        values: p.values.into_iter().map(|v| v.trim().to_string()).collect(),
        constraints: p
            .constraints
            .into_iter()
            .map(|c| cx.text(c.description))
            .collect(),
        guidelines: p.guidelines.into_iter().map(|g| cx.text(g.prose)).collect(),
        select: p.select.map(|s| ParamSelect {
            how_many: s.how_many,
            choices: s.choice.into_iter().map(|c| cx.text(c)).collect(),
        }),
        props: cx.props(p.props),
    }
}

fn part_label(props: &[Prop]) -> String {
    props
        .iter()
        .find(|p| p.name == "label")
        .map(|p| p.value.clone())
        .unwrap_or_default()
}

fn has_response_point(props: &[Prop]) -> bool {
    props
        .iter()
        .any(|p| p.name == "response-point" && p.ns == Ns::FedRamp)
}

/// A FedRAMP "Additional FedRAMP Requirements and Guidance" container.
/// Objective and method parts are never notes, even when FedRAMP ids them `*_obj_fr` (LI-SaaS).
fn is_fedramp_container(part: &raw::Part) -> bool {
    let assessment = matches!(
        part.name.as_str(),
        "assessment-objective"
            | "objective"
            | "assessment-method"
            | "assessment"
            | "assessment-objects"
    );
    !assessment
        && (part.id.as_deref().is_some_and(|id| id.ends_with("_fr"))
            || Ns::from_uri(part.ns.as_deref()) == Ns::FedRamp)
}

fn add_top_part(cx: &mut Cx, c: &mut Control, part: raw::Part) {
    if is_fedramp_container(&part) {
        add_fedramp_notes(cx, c, part);
        return;
    }
    match part.name.as_str() {
        "statement" => add_statement(cx, c, part, None, 0),
        "guidance" => {
            let text = cx.text(part.prose);
            if !c.guidance.is_empty() {
                c.guidance.push('\n');
            }
            c.guidance.push_str(&text);
        }
        "assessment-objective" | "objective" => add_objective(cx, c, part, None, 0),
        "assessment-method" | "assessment" => {
            let props = cx.props(part.props);
            let method = props
                .iter()
                .find(|p| p.name == "method")
                .map(|p| p.value.clone())
                .unwrap_or_default();
            let objects = part
                .parts
                .into_iter()
                .filter(|p| p.name == "assessment-objects" || p.name == "objects")
                .map(|p| cx.text(p.prose))
                .collect::<Vec<_>>()
                .join("\n");
            c.methods.push(AssessmentMethod {
                id: part.id.unwrap_or_default(),
                method,
                label: part_label(&props),
                objects,
            });
        }
        _ => {}
    }
}

fn add_fedramp_notes(cx: &mut Cx, c: &mut Control, part: raw::Part) {
    let props = cx.props(part.props);
    let prose = cx.text(part.prose);
    if !prose.is_empty() {
        c.fedramp_notes.push(FedrampNote {
            id: part.id.clone().unwrap_or_default(),
            kind: note_kind(&part.name, part.id.as_deref()),
            label: part_label(&props),
            text: prose,
        });
    }
    for child in part.parts {
        add_fedramp_notes(cx, c, child);
    }
}

fn note_kind(name: &str, id: Option<&str>) -> String {
    if name == "guidance" || id.is_some_and(|i| i.contains("_gdn")) {
        "guidance".to_string()
    } else {
        "requirement".to_string()
    }
}

fn add_statement(cx: &mut Cx, c: &mut Control, part: raw::Part, parent: Option<&str>, depth: u32) {
    let props = cx.props(part.props);
    let id = part.id.unwrap_or_default();
    c.statement_parts.push(StatementPart {
        id: id.clone(),
        label: part_label(&props),
        prose: cx.text(part.prose),
        text: String::new(),
        parent_id: parent.map(str::to_string),
        depth,
        response_point: has_response_point(&props),
    });
    for child in part.parts {
        if is_fedramp_container(&child) {
            add_fedramp_notes(cx, c, child);
        } else if child.name == "item" || child.name == "statement" {
            add_statement(cx, c, child, Some(&id), depth + 1);
        }
    }
}

fn add_objective(cx: &mut Cx, c: &mut Control, part: raw::Part, parent: Option<&str>, depth: u32) {
    let props = cx.props(part.props);
    let id = part.id.unwrap_or_default();
    let children: Vec<raw::Part> = part
        .parts
        .into_iter()
        .filter(|p| p.name == "assessment-objective" || p.name == "objective")
        .collect();
    c.objectives.push(Objective {
        id: id.clone(),
        label: part_label(&props),
        prose: cx.text(part.prose),
        text: String::new(),
        parent_id: parent.map(str::to_string),
        depth,
        leaf: children.is_empty(),
        response_point: has_response_point(&props),
        response_point_props: u32::try_from(
            props
                .iter()
                .filter(|p| p.name == "response-point" && p.ns == Ns::FedRamp)
                .count(),
        )
        .unwrap_or(u32::MAX),
        methods: props
            .iter()
            .filter(|p| p.name == "method" && p.ns == Ns::FedRamp)
            .map(|p| p.value.clone())
            .collect(),
    });
    for child in children {
        add_objective(cx, c, child, Some(&id), depth + 1);
    }
}

/// Fills the display texts: parameter insertions replaced, statement lines assembled.
fn substitute_all(cat: &mut Catalog) {
    let params: HashMap<String, Param> = cat
        .controls
        .iter()
        .flat_map(|c| c.params.iter())
        .map(|p| (p.id.clone(), p.clone()))
        .collect();
    for c in &mut cat.controls {
        let mut lines = Vec::new();
        for part in &mut c.statement_parts {
            part.text = substitute_params(&part.prose, &params);
            let indent = "  ".repeat(part.depth.saturating_sub(1) as usize);
            let body = part.text.replace('\n', " ");
            let line = match (part.label.is_empty(), body.is_empty()) {
                (true, true) => continue,
                (true, false) => format!("{indent}{body}"),
                (false, true) => format!("{indent}{}", part.label),
                (false, false) => format!("{indent}{} {body}", part.label),
            };
            lines.push(line);
        }
        c.statement = lines.join("\n");
        for o in &mut c.objectives {
            o.text = substitute_params(&o.prose, &params);
        }
    }
}

/// Replaces `{{ insert: param, ID }}` tokens with the parameter's value, selection or assignment text
/// (`[Assignment: organization-defined LABEL]`, `[FedRAMP Assignment: CONSTRAINT]`,
/// `[Selection (one or more): A; B]`). Unknown parameters keep their token.
pub fn substitute_params(text: &str, params: &HashMap<String, Param>) -> String {
    substitute_depth(text, params, 0)
}

fn substitute_depth(text: &str, params: &HashMap<String, Param>, depth: u32) -> String {
    const OPEN: &str = "{{ insert: param, ";
    if !text.contains(OPEN) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len()..];
        let Some(end) = after.find(" }}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let id = &after[..end];
        match params.get(id) {
            Some(p) if depth < 4 => out.push_str(&param_display(p, params, depth)),
            _ => out.push_str(&rest[start..start + OPEN.len() + end + 3]),
        }
        rest = &after[end + 3..];
    }
    out.push_str(rest);
    out
}

fn param_display(p: &Param, params: &HashMap<String, Param>, depth: u32) -> String {
    if !p.values.is_empty() {
        return p.values.join(", ");
    }
    if let Some(select) = &p.select {
        let how = if select.how_many.as_deref() == Some("one-or-more") {
            "one or more"
        } else {
            "one"
        };
        let choices: Vec<String> = select
            .choices
            .iter()
            .map(|c| substitute_depth(c, params, depth + 1))
            .collect();
        return format!("[Selection ({how}): {}]", choices.join("; "));
    }
    if !p.constraints.is_empty() {
        return format!("[FedRAMP Assignment: {}]", p.constraints.join("; "));
    }
    if p.label.is_empty() {
        format!("[Assignment: {}]", p.id)
    } else {
        format!("[Assignment: organization-defined {}]", p.label)
    }
}

/// Values of all props named `name` on a control (convenience for callers).
pub fn control_prop_values(control: &Control, name: &str) -> Vec<String> {
    prop_values(&control.props, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(id: &str, label: &str) -> Param {
        Param {
            id: id.into(),
            label: label.into(),
            usage: String::new(),
            values: vec![],
            constraints: vec![],
            guidelines: vec![],
            select: None,
            props: vec![],
        }
    }

    #[test]
    fn parameters_are_substituted_by_kind() {
        let mut with_value = param("v", "x");
        with_value.values = vec!["30 days".into()];
        let mut with_constraint = param("c", "frequency");
        with_constraint.constraints = vec!["at least annually".into()];
        let mut with_select = param("s", "");
        with_select.select = Some(ParamSelect {
            how_many: Some("one-or-more".into()),
            choices: vec!["a".into(), "{{ insert: param, l }}".into()],
        });
        let params: HashMap<String, Param> = [
            with_value,
            with_constraint,
            with_select,
            param("l", "roles"),
        ]
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect();
        let cases = [
            ("{{ insert: param, v }}", "30 days"),
            (
                "every {{ insert: param, c }}.",
                "every [FedRAMP Assignment: at least annually].",
            ),
            (
                "{{ insert: param, s }}",
                "[Selection (one or more): a; [Assignment: organization-defined roles]]",
            ),
            ("{{ insert: param, nope }}", "{{ insert: param, nope }}"),
            ("no tokens", "no tokens"),
        ];
        for (input, want) in cases {
            assert_eq!(substitute_params(input, &params), want);
        }
    }
}
