//! Deterministic generator of large SSPs for benchmarks: scales a real SSP by cloning its components,
//! inventory items and implemented requirements with derived UUIDs.
//!
//! Invariant: the output depends only on the input and the target size (no randomness, no clock), and is
//! produced as text, so generating 50 MB needs about 50 MB (no document tree of the copies).

/// Derives the `n`-th copy of a UUID by replacing its last 12 hex digits with a mix of `n` and the original.
fn derive_uuid(uuid: &str, n: u64) -> String {
    if uuid.len() != 36 {
        return uuid.to_string();
    }
    let tail = u64::from_str_radix(&uuid[24..], 16).unwrap_or(0);
    let mixed = (tail ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15)) & 0xFFFF_FFFF_FFFF;
    format!("{}{:012x}", &uuid[..24], mixed)
}

/// Rewrites every `uuid="..."` / `"uuid": "..."` value in `text` for copy `n`.
fn rewrite_uuids(text: &str, n: u64, pattern: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(at) = rest.find(pattern) {
        let start = at + pattern.len();
        out.push_str(&rest[..start]);
        let value = rest[start..].get(..36).unwrap_or("");
        if value.len() == 36 && value.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
            out.push_str(&derive_uuid(value, n));
            rest = &rest[start + 36..];
        } else {
            rest = &rest[start..];
        }
    }
    out.push_str(rest);
    out
}

/// Element spans `<name ...>...</name>` (and `<name .../>`) at any depth, in order.
fn element_spans(xml: &str, name: &str) -> Vec<(usize, usize)> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(rel) = xml[from..].find(&open) {
        let start = from + rel;
        let after = xml.as_bytes().get(start + open.len()).copied();
        if !matches!(after, Some(b' ' | b'>' | b'\n' | b'\t' | b'/')) {
            from = start + open.len();
            continue;
        }
        let tag_end = xml[start..].find('>').map_or(xml.len(), |e| start + e);
        let end = if xml.as_bytes().get(tag_end.saturating_sub(1)) == Some(&b'/') {
            tag_end + 1
        } else {
            xml[tag_end..]
                .find(&close)
                .map_or(xml.len(), |e| tag_end + e + close.len())
        };
        spans.push((start, end));
        from = end;
    }
    spans
}

/// Scales an OSCAL XML SSP to at least `target_bytes` by appending copies of its components, inventory
/// items and implemented requirements (each copy with derived UUIDs) after the last original of each kind.
pub fn scale_ssp_xml(base: &str, target_bytes: usize) -> String {
    let kinds = ["component", "inventory-item", "implemented-requirement"];
    let groups: Vec<(usize, String)> = kinds
        .iter()
        .filter_map(|kind| {
            let spans = element_spans(base, kind);
            let last = spans.last()?.1;
            let body: String = spans
                .iter()
                .map(|&(s, e)| format!("\n{}", &base[s..e]))
                .collect();
            Some((last, body))
        })
        .collect();
    let unit: usize = groups.iter().map(|(_, b)| b.len()).sum::<usize>().max(1);
    let copies = (target_bytes.saturating_sub(base.len()) / unit + 1) as u64;
    let mut out = String::with_capacity(base.len() + unit * copies as usize + 1024);
    let mut cursor = 0;
    let mut ordered = groups;
    ordered.sort_by_key(|(at, _)| *at);
    for (at, body) in &ordered {
        out.push_str(&base[cursor..*at]);
        for n in 1..=copies {
            out.push_str(&rewrite_uuids(body, n, "uuid=\""));
        }
        cursor = *at;
    }
    out.push_str(&base[cursor..]);
    out
}

/// Scales an OSCAL JSON SSP to at least `target_bytes` (see `scale_ssp_xml`). The base document is small;
/// copies are serialized one by one and spliced in as text.
pub fn scale_ssp_json(base: &str, target_bytes: usize) -> Result<String, serde_json::Error> {
    use serde_json::Value;
    let mut doc: Value = serde_json::from_str(base)?;
    let lists = [
        ("system-implementation", "components"),
        ("system-implementation", "inventory-items"),
        ("control-implementation", "implemented-requirements"),
    ];
    let mut bodies = Vec::new();
    for (i, (section, key)) in lists.iter().enumerate() {
        let slot = doc.pointer_mut(&format!("/system-security-plan/{section}/{key}"));
        let items = match slot {
            Some(Value::Array(items)) => std::mem::take(items),
            _ => Vec::new(),
        };
        let texts: Vec<String> = items
            .iter()
            .map(serde_json::to_string)
            .collect::<Result<_, _>>()?;
        if let Some(slot) = doc.pointer_mut(&format!("/system-security-plan/{section}/{key}")) {
            *slot = Value::Array(vec![Value::String(format!("@@PLACEHOLDER{i}@@"))]);
        }
        bodies.push(texts);
    }
    let skeleton = serde_json::to_string_pretty(&doc)?;
    let unit: usize = bodies
        .iter()
        .flatten()
        .map(|t| t.len() + 1)
        .sum::<usize>()
        .max(1);
    let copies = (target_bytes.saturating_sub(skeleton.len()) / unit + 1) as u64;
    let mut out = skeleton;
    for (i, texts) in bodies.iter().enumerate() {
        let mut joined = String::with_capacity(unit * copies as usize);
        for n in 0..=copies {
            for t in texts {
                if !joined.is_empty() {
                    joined.push(',');
                }
                if n == 0 {
                    joined.push_str(t);
                } else {
                    joined.push_str(&rewrite_uuids(t, n, "\"uuid\":\""));
                }
            }
        }
        out = out.replacen(&format!("\"@@PLACEHOLDER{i}@@\""), &joined, 1);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_derived_deterministically() {
        let u = "9cb0fab0-78bd-44ba-bcb8-3e9801cc952f";
        assert_eq!(derive_uuid(u, 1), derive_uuid(u, 1));
        assert_ne!(derive_uuid(u, 1), derive_uuid(u, 2));
        assert_eq!(&derive_uuid(u, 7)[..24], &u[..24]);
        assert_eq!(derive_uuid(u, 7).len(), 36);
    }

    #[test]
    fn xml_scaling_copies_elements() {
        let base = r#"<x><component uuid="9cb0fab0-78bd-44ba-bcb8-3e9801cc952f"><c/></component><implemented-component component-uuid="9cb0fab0-78bd-44ba-bcb8-3e9801cc952f"/></x>"#;
        let out = scale_ssp_xml(base, 400);
        assert!(out.len() >= 400);
        assert_eq!(
            element_spans(&out, "component").len(),
            out.matches("</component>").count()
        );
        assert!(out.matches("</component>").count() > 2);
        assert_eq!(out.matches("<implemented-component").count(), 1);
    }
}
