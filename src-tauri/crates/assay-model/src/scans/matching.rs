//! Matching scanned hosts to the SSP inventory, and the key that joins a parser's items to its
//! host record.
//!
//! Invariants: pure functions of the identity fields; every comparison is case-insensitive and
//! ignores surrounding blanks; a host matches by IPv4/IPv6, FQDN, NetBIOS name, MAC, container
//! image or URL host, and when two inventory items claim the same key the first one listed wins,
//! so the same inventory and host always give the same match whatever the import order.

use std::collections::HashMap;

use assay_scan::AssetIdentity;

use super::HostRow;
use crate::ssp::InventoryRow;

/// Lower-cased host of a URL (`https://user@Host:8443/x` → `host`).
fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    Some(host.trim().to_ascii_lowercase()).filter(|h| !h.is_empty())
}

/// A container image without its tag or digest, lower-cased (`nginx:1.2@sha256:…` → `nginx`).
fn image_repo(image: &str) -> String {
    let no_digest = image.split('@').next().unwrap_or_default();
    // A colon after the last slash is a tag; one before it is a registry port.
    let cut = match (no_digest.rfind(':'), no_digest.rfind('/')) {
        (Some(c), Some(s)) if c > s => c,
        (Some(c), None) => c,
        _ => no_digest.len(),
    };
    no_digest
        .get(..cut)
        .unwrap_or(no_digest)
        .trim()
        .to_ascii_lowercase()
}

fn mac_key(mac: &str) -> String {
    mac.chars()
        .filter(char::is_ascii_hexdigit)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// An identity field's trimmed value; `None` when it is missing or blank.
pub fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The key joining a parser's items to its host record: the first identity field present.
/// A scanner label that is an IP address counts as the IP (parsers may fill `ip` from the
/// label only when the host record is complete, after its items).
pub fn host_key(a: &AssetIdentity) -> String {
    let url = a.url.as_deref().and_then(url_host);
    let ip = present(&a.ip)
        .or_else(|| present(&a.name).filter(|n| n.parse::<std::net::IpAddr>().is_ok()));
    let fields: [(&str, Option<&str>); 9] = [
        ("ip", ip),
        ("fqdn", present(&a.fqdn)),
        ("name", present(&a.name)),
        ("url", url.as_deref()),
        ("image", present(&a.image)),
        ("resource", present(&a.resource)),
        ("file", present(&a.file)),
        ("netbios", present(&a.netbios)),
        ("mac", present(&a.mac)),
    ];
    let key = fields
        .into_iter()
        .find_map(|(k, v)| v.map(|v| format!("{k}:{}", v.to_ascii_lowercase())));
    key.unwrap_or_else(|| "unknown".to_owned())
}

/// Matches scanned hosts to SSP inventory items: IPv4/IPv6, FQDN, NetBIOS name, MAC, container
/// image, URL host; case-insensitive. The first inventory item claiming a key wins.
#[derive(Debug, Default)]
pub struct InventoryMatcher {
    keys: HashMap<String, String>,
}

impl InventoryMatcher {
    /// The keys every inventory item answers to.
    pub fn new(rows: &[InventoryRow]) -> Self {
        let mut m = InventoryMatcher::default();
        for row in rows {
            let mut add = |k: String| {
                m.keys.entry(k).or_insert_with(|| row.uuid.clone());
            };
            for ip in row
                .ipv4
                .split([',', ';', ' '])
                .chain(row.ipv6.split([',', ';', ' ']))
            {
                let ip = ip.trim();
                if !ip.is_empty() {
                    add(format!("ip:{}", ip.to_ascii_lowercase()));
                }
            }
            for name in [&row.fqdn, &row.netbios_name].into_iter().flatten() {
                let name = name.trim().to_ascii_lowercase();
                if !name.is_empty() {
                    add(format!("name:{name}"));
                }
            }
            if let Some(mac) = &row.mac_address {
                for one in mac.split([',', ';', '\n', ' ']) {
                    let k = mac_key(one);
                    if k.len() == 12 {
                        add(format!("mac:{k}"));
                    }
                }
            }
            for image in [&row.asset_id, &row.software].into_iter().flatten() {
                let repo = image_repo(image);
                if !repo.is_empty() {
                    add(format!("image:{repo}"));
                }
            }
        }
        m
    }

    fn find(&self, k: String) -> Option<&str> {
        self.keys.get(&k).map(String::as_str)
    }

    /// The uuid of the inventory item a scanned identity is, if any.
    pub fn match_identity(&self, id: &AssetIdentity) -> Option<String> {
        if self.keys.is_empty() {
            return None;
        }
        let lower = |v: &Option<String>| present(v).map(str::to_ascii_lowercase);
        let mut tries = Vec::new();
        if let Some(ip) = lower(&id.ip) {
            tries.push(format!("ip:{ip}"));
        }
        for name in [lower(&id.fqdn), lower(&id.netbios), lower(&id.name)]
            .into_iter()
            .flatten()
        {
            tries.push(format!("ip:{name}"));
            tries.push(format!("name:{name}"));
        }
        if let Some(host) = id.url.as_deref().and_then(url_host) {
            tries.push(format!("ip:{host}"));
            tries.push(format!("name:{host}"));
        }
        if let Some(mac) = &id.mac {
            for one in mac.lines() {
                tries.push(format!("mac:{}", mac_key(one)));
            }
        }
        if let Some(image) = present(&id.image) {
            tries.push(format!("image:{}", image_repo(image)));
        }
        tries
            .into_iter()
            .find_map(|k| self.find(k))
            .map(str::to_owned)
    }

    /// The uuid of the inventory item a stored host is, if any.
    pub fn match_host(&self, h: &HostRow) -> Option<String> {
        self.match_identity(&AssetIdentity {
            ip: h.ip.clone(),
            fqdn: h.fqdn.clone(),
            netbios: h.netbios.clone(),
            mac: h.mac.clone(),
            image: h.image.clone(),
            url: h.url.clone(),
            name: h.name.clone(),
            ..AssetIdentity::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_hosts() {
        let cases = [
            ("https://Example.COM:8443/a?b", Some("example.com")),
            ("http://user@10.0.0.1/", Some("10.0.0.1")),
            ("http://[fe80::1]:80/x", Some("fe80::1")),
            ("example.org", Some("example.org")),
            ("https:///", None),
        ];
        for (url, want) in cases {
            assert_eq!(url_host(url).as_deref(), want, "{url}");
        }
    }

    #[test]
    fn an_ip_label_keys_like_the_ip() {
        let by_name = AssetIdentity {
            name: Some("10.0.0.1".into()),
            ..AssetIdentity::default()
        };
        let by_ip = AssetIdentity {
            ip: Some("10.0.0.1".into()),
            name: Some("10.0.0.1".into()),
            ..AssetIdentity::default()
        };
        assert_eq!(host_key(&by_name), host_key(&by_ip));
        let host = AssetIdentity {
            name: Some("Adam".into()),
            ..AssetIdentity::default()
        };
        assert_eq!(host_key(&host), "name:adam");
    }

    #[test]
    fn image_repos() {
        let cases = [
            ("nginx:1.25", "nginx"),
            (
                "registry:5000/app/web:2@sha256:abc",
                "registry:5000/app/web",
            ),
            ("Bkimminich/Juice-Shop", "bkimminich/juice-shop"),
        ];
        for (image, want) in cases {
            assert_eq!(image_repo(image), want, "{image}");
        }
    }

    fn inventory(uuid: &str, ipv4: &str, fqdn: Option<&str>, mac: Option<&str>) -> InventoryRow {
        InventoryRow {
            uuid: uuid.into(),
            asset_id: None,
            asset_type: None,
            ipv4: ipv4.into(),
            ipv6: String::new(),
            fqdn: fqdn.map(Into::into),
            netbios_name: None,
            mac_address: mac.map(Into::into),
            os: None,
            software: None,
            is_virtual: None,
            is_public: None,
            scan_type: None,
            authenticated_scan: None,
            baseline_configuration: None,
            function: None,
            description: String::new(),
        }
    }

    #[test]
    fn inventory_matching_is_case_insensitive_and_tries_every_field() {
        let m = InventoryMatcher::new(&[
            inventory("a", "10.0.0.1, 10.0.0.2", None, None),
            inventory("b", "", Some("Web.Example.com"), None),
            inventory("c", "", None, Some("00:11:22:AA:BB:CC")),
        ]);
        let id = |f: fn(&mut AssetIdentity)| {
            let mut a = AssetIdentity::default();
            f(&mut a);
            m.match_identity(&a)
        };
        assert_eq!(id(|a| a.ip = Some("10.0.0.2".into())).as_deref(), Some("a"));
        assert_eq!(
            id(|a| a.fqdn = Some("web.example.COM".into())).as_deref(),
            Some("b")
        );
        assert_eq!(
            id(|a| a.url = Some("https://WEB.example.com/x".into())).as_deref(),
            Some("b")
        );
        assert_eq!(
            id(|a| a.mac = Some("00-11-22-aa-bb-cc".into())).as_deref(),
            Some("c")
        );
        assert_eq!(id(|a| a.ip = Some("10.0.0.9".into())), None);
    }
}
