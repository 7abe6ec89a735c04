//! Describing what changed between two versions of a SAP section, for the audit log and the
//! deviations from a signed plan (`[6].start: — → 2026-03-02; 1 item added`).
//!
//! Invariants: pure; list items are named by their first identifying field (`id`, `name`,
//! `control_id`, …) when they have one, else by position; values are shortened to 60
//! characters; at most `limit` changes are named, the rest counted.

/// Describes what changed between two versions of a section, for the audit log and deviations:
/// e.g. `[6].start: — → 2026-03-02; 1 item added`. At most `limit` changes are named.
pub fn describe_change(
    before: &serde_json::Value,
    after: &serde_json::Value,
    limit: usize,
) -> String {
    let mut changes = Vec::new();
    diff_values("", before, after, &mut changes);
    if changes.is_empty() {
        return "no change".into();
    }
    let total = changes.len();
    let mut text: Vec<String> = changes.into_iter().take(limit).collect();
    if total > limit {
        text.push(format!("and {} more", total - limit));
    }
    text.join("; ")
}

fn show(v: &serde_json::Value) -> String {
    let s = match v {
        serde_json::Value::Null => return "—".into(),
        serde_json::Value::String(s) if s.is_empty() => return "—".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(57).collect::<String>())
    } else {
        s
    }
}

fn item_name(v: &serde_json::Value) -> Option<String> {
    [
        "id",
        "name",
        "control_id",
        "role",
        "area",
        "title",
        "member_id",
    ]
    .iter()
    .find_map(|k| v.get(k).and_then(|x| x.as_str()).filter(|s| !s.is_empty()))
    .map(str::to_owned)
}

fn diff_values(path: &str, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    if a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                diff_values(&p, va, y.get(k).unwrap_or(&Value::Null), out);
            }
            for (k, vb) in y.iter().filter(|(k, _)| !x.contains_key(*k)) {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                diff_values(&p, &Value::Null, vb, out);
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            let common = x.len().min(y.len());
            for i in 0..common {
                let label = item_name(&y[i])
                    .map(|n| format!("'{n}'"))
                    .unwrap_or_else(|| format!("[{}]", i + 1));
                let p = if path.is_empty() {
                    label
                } else {
                    format!("{path} {label}")
                };
                diff_values(&p, &x[i], &y[i], out);
            }
            let at = if path.is_empty() {
                String::new()
            } else {
                format!("{path}: ")
            };
            for added in &y[common..] {
                out.push(format!(
                    "{at}added {}",
                    item_name(added)
                        .map(|n| format!("'{n}'"))
                        .unwrap_or_else(|| show(added))
                ));
            }
            for removed in &x[common..] {
                out.push(format!(
                    "{at}removed {}",
                    item_name(removed)
                        .map(|n| format!("'{n}'"))
                        .unwrap_or_else(|| show(removed))
                ));
            }
        }
        _ => out.push(format!(
            "{}: {} → {}",
            if path.is_empty() { "value" } else { path },
            show(a),
            show(b)
        )),
    }
}
