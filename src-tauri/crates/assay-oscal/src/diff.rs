//! Differences between two versions of an SSP: components, inventory items and implemented requirements
//! added, removed or changed, keyed by UUID.
//!
//! Invariant: a "changed" entry exists only when the two models differ; its summary names the differing
//! fields (and, for props, the differing prop names) in field order, so diffs are deterministic.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use assay_model::oscal::SystemSecurityPlan;

/// Kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChangeKind {
    /// Only in the new SSP.
    Added,
    /// Only in the old SSP.
    Removed,
    /// In both, with different content.
    Changed,
}

/// One changed item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Kind.
    pub kind: ChangeKind,
    /// UUID of the item.
    pub uuid: String,
    /// Display name (component title, asset id, control id).
    pub name: String,
    /// Short human summary.
    pub summary: String,
}

/// Differences between two SSPs.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SspDiff {
    /// Component changes.
    pub components: Vec<Change>,
    /// Inventory item changes.
    pub inventory_items: Vec<Change>,
    /// Implemented requirement changes.
    pub implemented_requirements: Vec<Change>,
}

impl SspDiff {
    /// True when nothing differs.
    pub fn is_empty(&self) -> bool {
        self.components.is_empty()
            && self.inventory_items.is_empty()
            && self.implemented_requirements.is_empty()
    }
}

/// Compares two SSPs.
pub fn diff_ssp(old: &SystemSecurityPlan, new: &SystemSecurityPlan) -> SspDiff {
    SspDiff {
        components: diff_lists(
            &old.implementation.components,
            &new.implementation.components,
            |c| &c.uuid,
            |c| c.title.clone(),
        ),
        inventory_items: diff_lists(
            &old.implementation.inventory_items,
            &new.implementation.inventory_items,
            |i| &i.uuid,
            |i| {
                i.asset_id
                    .clone()
                    .or_else(|| i.fqdn.clone())
                    .unwrap_or_else(|| i.uuid.clone())
            },
        ),
        implemented_requirements: diff_lists(
            &old.implemented_requirements,
            &new.implemented_requirements,
            |r| &r.uuid,
            |r| r.control_id.clone(),
        ),
    }
}

fn diff_lists<T: Serialize + PartialEq>(
    old: &[T],
    new: &[T],
    uuid: impl Fn(&T) -> &String,
    name: impl Fn(&T) -> String,
) -> Vec<Change> {
    let old_by_uuid: HashMap<&str, &T> = old.iter().map(|t| (uuid(t).as_str(), t)).collect();
    let new_by_uuid: HashMap<&str, &T> = new.iter().map(|t| (uuid(t).as_str(), t)).collect();
    let mut out = Vec::new();
    for item in new {
        let id = uuid(item);
        match old_by_uuid.get(id.as_str()) {
            None => out.push(Change {
                kind: ChangeKind::Added,
                uuid: id.clone(),
                name: name(item),
                summary: "added".into(),
            }),
            Some(before) if *before != item => out.push(Change {
                kind: ChangeKind::Changed,
                uuid: id.clone(),
                name: name(item),
                summary: summarize(*before, item),
            }),
            Some(_) => {}
        }
    }
    for item in old {
        let id = uuid(item);
        if !new_by_uuid.contains_key(id.as_str()) {
            out.push(Change {
                kind: ChangeKind::Removed,
                uuid: id.clone(),
                name: name(item),
                summary: "removed".into(),
            });
        }
    }
    out
}

/// Names the differing top-level fields; short strings show old -> new, props show the prop names.
fn summarize<T: Serialize>(old: &T, new: &T) -> String {
    let (Ok(Value::Object(a)), Ok(Value::Object(b))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return "changed".into();
    };
    let mut parts = Vec::new();
    for (key, before) in &a {
        let after = b.get(key).unwrap_or(&Value::Null);
        if before == after {
            continue;
        }
        let part = match (before, after) {
            (Value::String(x), Value::String(y))
                if x.len() <= 60 && y.len() <= 60 && !x.contains('\n') && !y.contains('\n') =>
            {
                format!("{key}: {x:?} -> {y:?}")
            }
            (Value::Array(x), Value::Array(y)) if key == "props" => {
                let names = differing_prop_names(x, y);
                format!("props changed ({})", names.join(", "))
            }
            _ => format!("{key} changed"),
        };
        parts.push(part);
    }
    if parts.is_empty() {
        "changed".into()
    } else {
        parts.join("; ")
    }
}

fn differing_prop_names(a: &[Value], b: &[Value]) -> Vec<String> {
    let name_of = |v: &Value| {
        v.get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let mut names: Vec<String> = Vec::new();
    for v in a
        .iter()
        .filter(|v| !b.contains(v))
        .chain(b.iter().filter(|v| !a.contains(v)))
    {
        let n = name_of(v);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    names
}
