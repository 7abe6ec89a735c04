//! Model types shared by catalogs and SSPs (props, namespaces, roles, parties, back matter) and the
//! conversion context that renders markup the same way for both source formats.
//!
//! Invariant: after conversion every FedRAMP namespace spelling is `Ns::FedRamp` and the NIST OSCAL
//! namespace (or none) is `Ns::Oscal`, so consumers never compare namespace URIs.

use serde::{Deserialize, Serialize};

use crate::markup::markdown_to_plain;
use crate::{raw, Diagnostic, Format, Severity};

/// Namespace of a property or part.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Ns {
    /// No namespace, or the OSCAL namespace `http://csrc.nist.gov/ns/oscal`.
    Oscal,
    /// Any FedRAMP spelling: `http(s)://fedramp.gov/ns/oscal` or `http(s)://fedramp.gov`.
    FedRamp,
    /// NIST RMF namespace `http://csrc.nist.gov/ns/rmf` (800-53 catalog props).
    Rmf,
    /// Anything else, kept verbatim.
    Other(String),
}

impl Ns {
    /// Classifies a namespace URI.
    pub fn from_uri(uri: Option<&str>) -> Ns {
        let Some(uri) = uri.map(str::trim).filter(|u| !u.is_empty()) else {
            return Ns::Oscal;
        };
        let bare = uri.trim_end_matches('/');
        match bare {
            "http://csrc.nist.gov/ns/oscal" | "https://csrc.nist.gov/ns/oscal" => Ns::Oscal,
            "http://csrc.nist.gov/ns/rmf" | "https://csrc.nist.gov/ns/rmf" => Ns::Rmf,
            "https://fedramp.gov/ns/oscal"
            | "http://fedramp.gov/ns/oscal"
            | "https://fedramp.gov"
            | "http://fedramp.gov" => Ns::FedRamp,
            _ => Ns::Other(uri.to_string()),
        }
    }

    /// True for OSCAL or FedRAMP: the namespaces whose well-known prop names the readers interpret.
    pub fn is_known(&self) -> bool {
        matches!(self, Ns::Oscal | Ns::FedRamp)
    }
}

/// A property (name/value pair) with its normalised namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prop {
    /// Normalised namespace.
    pub ns: Ns,
    /// Property name.
    pub name: String,
    /// Property value (trimmed).
    pub value: String,
    /// Optional class.
    pub class: Option<String>,
}

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

/// A role defined in metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    /// Role id, e.g. `system-owner`.
    pub id: String,
    /// Title.
    pub title: String,
    /// Short name.
    pub short_name: Option<String>,
    /// Description (plain text).
    pub description: String,
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Address type, e.g. `work`.
    pub address_type: Option<String>,
    /// Street lines.
    pub lines: Vec<String>,
    /// City.
    pub city: String,
    /// State.
    pub state: String,
    /// Postal code.
    pub postal_code: String,
    /// Country.
    pub country: String,
}

/// A person or organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// UUID.
    pub uuid: String,
    /// `person` or `organization`.
    pub party_type: String,
    /// Name.
    pub name: String,
    /// Short name.
    pub short_name: Option<String>,
    /// Email addresses.
    pub emails: Vec<String>,
    /// Telephone numbers.
    pub telephones: Vec<String>,
    /// Postal addresses.
    pub addresses: Vec<Address>,
    /// Organisations this party belongs to (party UUIDs).
    pub member_of: Vec<String>,
    /// Properties.
    pub props: Vec<Prop>,
}

/// A role to parties assignment (metadata responsible-party, responsible-role).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleAssignment {
    /// Role id.
    pub role_id: String,
    /// Party UUIDs.
    pub party_uuids: Vec<String>,
}

/// A hash of a linked resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hash {
    /// Algorithm, e.g. `SHA-256`.
    pub algorithm: String,
    /// Hex value.
    pub value: String,
}

/// A resource link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rlink {
    /// Target.
    pub href: String,
    /// Media type.
    pub media_type: Option<String>,
    /// Hashes.
    pub hashes: Vec<Hash>,
}

/// A back-matter resource. Embedded base64 content is not kept, only its name, type and size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    /// UUID.
    pub uuid: String,
    /// Title.
    pub title: String,
    /// Description (plain text).
    pub description: String,
    /// Properties (e.g. FedRAMP `type`).
    pub props: Vec<Prop>,
    /// Links.
    pub rlinks: Vec<Rlink>,
    /// Embedded file name, if base64 content is present.
    pub base64_filename: Option<String>,
    /// Embedded media type.
    pub base64_media_type: Option<String>,
    /// Length of the base64 text without whitespace (0 when absent).
    pub base64_len: usize,
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

    #[test]
    fn fedramp_namespaces_are_normalised() {
        let cases = [
            (None, Ns::Oscal),
            (Some(""), Ns::Oscal),
            (Some("http://csrc.nist.gov/ns/oscal"), Ns::Oscal),
            (Some("https://fedramp.gov/ns/oscal"), Ns::FedRamp),
            (Some("http://fedramp.gov/ns/oscal"), Ns::FedRamp),
            (Some("https://fedramp.gov"), Ns::FedRamp),
            (Some("http://fedramp.gov/"), Ns::FedRamp),
            (Some("http://csrc.nist.gov/ns/rmf"), Ns::Rmf),
            (Some("urn:x"), Ns::Other("urn:x".into())),
        ];
        for (uri, want) in cases {
            assert_eq!(Ns::from_uri(uri), want, "{uri:?}");
        }
    }
}
