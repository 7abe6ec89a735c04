//! The helpers that build assay-model's shared OSCAL records (`assay_model::oscal::common`: props,
//! roles, parties, back matter) from the raw shape, and the conversion context that renders markup the
//! same way for both source formats.
//!
//! Invariant: after conversion every FedRAMP namespace spelling is `Ns::FedRamp` and the NIST OSCAL
//! namespace (or none) is `Ns::Oscal`, so consumers never compare namespace URIs.

use assay_model::oscal::{Address, Hash, Ns, Party, Prop, Resource, Rlink, Role, RoleAssignment};

use crate::markup::markdown_to_plain;
use crate::{raw, Diagnostic, Format, Severity};

/// First value of a prop named `name` in the OSCAL or FedRAMP namespace.
pub fn prop_value<'a>(props: &'a [Prop], name: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|p| p.name == name && p.ns.is_known())
        .map(|p| p.value.as_str())
}

/// All values of props named `name` in the OSCAL or FedRAMP namespace.
pub fn prop_values(props: &[Prop], name: &str) -> Vec<String> {
    let values: Vec<String> = props
        .iter()
        .filter(|p| p.name == name && p.ns.is_known())
        .map(|p| p.value.clone())
        .collect();
    exact(values)
}

/// True if Markdown rendering could change `s` (markup characters, line breaks, doubled or edge spaces).
fn needs_rendering(s: &str) -> bool {
    s.starts_with(char::is_whitespace)
        || s.ends_with(char::is_whitespace)
        || s.contains("  ")
        || s.bytes().any(|b| {
            matches!(
                b,
                b'\\' | b'*' | b'`' | b'[' | b'{' | b'#' | b'|' | b'>' | b'\n' | b'\r' | b'\t'
            )
        })
        || s.starts_with(|c: char| c == '-' || c == '+' || c.is_ascii_digit())
}

/// Maps `list` into a vector of exactly its length. (`into_iter().map(..).collect()` may reuse the source
/// allocation and with it the parser's growth slack, which would then live as long as the model.)
pub(crate) fn map_list<T, U>(list: Vec<T>, f: impl FnMut(T) -> U) -> Vec<U> {
    let mut out = Vec::with_capacity(list.len());
    out.extend(list.into_iter().map(f));
    out
}

/// `list` without spare capacity (see `map_list`).
pub(crate) fn exact<T>(mut list: Vec<T>) -> Vec<T> {
    list.shrink_to_fit();
    list
}

/// `s` without surrounding whitespace; keeps the allocation when there is nothing to trim.
pub(crate) fn trimmed(s: String) -> String {
    if s.trim().len() == s.len() {
        s
    } else {
        s.trim().to_string()
    }
}

/// Each string of `list` trimmed, in a vector of exactly its length.
pub(crate) fn trimmed_list(list: Vec<String>) -> Vec<String> {
    map_list(list, trimmed)
}

/// Conversion context: source format (for markup) and collected diagnostics.
pub(crate) struct Cx {
    pub format: Format,
    pub diagnostics: Vec<Diagnostic>,
}

impl Cx {
    pub(crate) fn new(format: Format) -> Cx {
        Cx {
            format,
            diagnostics: Vec::new(),
        }
    }

    /// Renders a markup field to canonical plain text.
    pub(crate) fn text(&self, s: String) -> String {
        match self.format {
            // Plain single-line text needs no rendering; keeping the String avoids a copy per field.
            Format::Json if !needs_rendering(&s) => s,
            Format::Json => markdown_to_plain(&s),
            Format::Xml => s,
        }
    }

    pub(crate) fn opt_text(&self, s: Option<String>) -> Option<String> {
        s.map(|s| self.text(s))
    }

    pub(crate) fn warn(&mut self, location: String, message: String) {
        self.diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            location,
            message,
        });
    }

    pub(crate) fn props(&self, props: Vec<raw::Prop>) -> Vec<Prop> {
        map_list(props, |p| Prop {
            ns: Ns::from_uri(p.ns.as_deref()),
            name: trimmed(p.name),
            value: trimmed(p.value),
            class: p.class,
        })
    }

    pub(crate) fn roles(&self, roles: Vec<raw::Role>) -> Vec<Role> {
        map_list(roles, |r| Role {
            id: r.id,
            title: self.text(r.title),
            short_name: r.short_name,
            description: self.text(r.description),
        })
    }

    pub(crate) fn parties(&self, parties: Vec<raw::Party>) -> Vec<Party> {
        map_list(parties, |p| Party {
            uuid: p.uuid,
            party_type: p.party_type,
            name: p.name,
            short_name: p.short_name,
            emails: trimmed_list(p.email_addresses),
            telephones: map_list(p.telephone_numbers, |t| t.number),
            addresses: map_list(p.addresses, |a| Address {
                address_type: a.address_type,
                lines: exact(a.addr_lines),
                city: a.city,
                state: a.state,
                postal_code: a.postal_code,
                country: a.country,
            }),
            member_of: exact(p.member_of_organizations),
            props: self.props(p.props),
        })
    }

    pub(crate) fn assignments(&self, list: Vec<raw::ResponsibleParty>) -> Vec<RoleAssignment> {
        map_list(list, |r| RoleAssignment {
            role_id: r.role_id,
            party_uuids: exact(r.party_uuids),
        })
    }

    pub(crate) fn role_assignments(&self, list: Vec<raw::ResponsibleRole>) -> Vec<RoleAssignment> {
        map_list(list, |r| RoleAssignment {
            role_id: r.role_id,
            party_uuids: exact(r.party_uuids),
        })
    }

    pub(crate) fn resources(&self, back_matter: raw::BackMatter) -> Vec<Resource> {
        map_list(back_matter.resources, |r| self.resource(r))
    }

    pub(crate) fn resource(&self, r: raw::Resource) -> Resource {
        let (base64_filename, base64_media_type, base64_len) = match r.base64 {
            Some(b) => {
                let len = b.value.bytes().filter(|c| !c.is_ascii_whitespace()).count();
                (b.filename, b.media_type, len)
            }
            None => (None, None, 0),
        };
        Resource {
            uuid: r.uuid,
            title: self.text(r.title),
            description: self.text(r.description),
            props: self.props(r.props),
            rlinks: map_list(r.rlinks, |l| Rlink {
                href: l.href,
                media_type: l.media_type,
                hashes: map_list(l.hashes, |h| Hash {
                    algorithm: h.algorithm,
                    value: trimmed(h.value),
                }),
            }),
            base64_filename,
            base64_media_type,
            base64_len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_path_agrees_with_full_rendering() {
        for s in [
            "plain text.",
            "a - b",
            "x_y",
            "- item",
            "1. one",
            "a  b",
            " a",
            "**b**",
            "a\nb",
            "{{ insert: param, x }}",
            "#h",
        ] {
            if !needs_rendering(s) {
                assert_eq!(markdown_to_plain(s), s, "{s:?}");
            }
        }
        assert!(
            needs_rendering("- item")
                && needs_rendering("**b**")
                && !needs_rendering("plain text.")
        );
    }
}
