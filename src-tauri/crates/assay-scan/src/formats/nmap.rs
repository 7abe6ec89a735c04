//! Nmap XML (`-oX`, root `nmaprun`): up hosts and their open ports.
//!
//! Nmap has no severities; each open port becomes one informational item (the
//! ports/protocols/services inventory), with NSE script output as evidence and CVE ids
//! from the `vulners` script as correlation leads. Invariant: only hosts whose status is
//! `up` are reported; one host's ports are held until its `</host>` so every item carries
//! the complete identity (addresses, names and OS come in any order).

use std::io::BufRead;

use quick_xml::events::Event;

use crate::control::Control;
use crate::error::ScanError;
use crate::formats::{port, Out};
use crate::model::{Host, Item, ItemKind, ParseSummary, ScanInfo, Severity};
use crate::sink::ScanSink;
use crate::sniff;
use crate::xml::{non_empty, Xml};
use crate::ScanFormat;

/// The Nmap XML format.
#[derive(Debug, Clone, Copy)]
pub struct Nmap;

impl ScanFormat for Nmap {
    fn name(&self) -> &'static str {
        "nmap"
    }

    fn sniff(&self, head: &[u8]) -> bool {
        sniff::xml_root(head).is_some_and(|r| r.name == b"nmaprun")
    }

    fn parse(
        &self,
        input: &mut dyn BufRead,
        sink: &mut dyn ScanSink,
        ctl: &Control,
    ) -> Result<ParseSummary, ScanError> {
        let mut xml = Xml::new(input, ctl);
        let mut out = Out::new(sink, ctl, self.name());
        let mut buf = Vec::with_capacity(8 * 1024);
        let mut info = ScanInfo {
            tool: "Nmap".into(),
            ..ScanInfo::default()
        };
        let mut down = 0u64;
        let mut info_sent = false;
        loop {
            match xml.next(&mut buf)? {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"nmaprun" => {
                    info.tool_version = xml.attr(&e, b"version");
                    info.scan_start = xml.attr(&e, b"startstr").or(xml.attr(&e, b"start"));
                    info.name = xml.attr(&e, b"args");
                }
                Event::Start(e) if e.local_name().as_ref() == b"host" => {
                    let start = xml.attr(&e, b"starttime");
                    let end = xml.attr(&e, b"endtime");
                    if !info_sent {
                        out.info(info.clone())?;
                        info_sent = true;
                    }
                    let (host, items, up) = parse_host(&mut xml, &mut buf)?;
                    if !up {
                        down += 1;
                        continue;
                    }
                    let host = Host { start, end, ..host };
                    for mut item in items {
                        item.asset = host.identity.clone();
                        out.item(item)?;
                    }
                    out.host(host)?;
                }
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"finished" => {
                    info.scan_end = xml.attr(&e, b"timestr").or(xml.attr(&e, b"time"));
                }
                Event::Eof => break,
                _ => {}
            }
        }
        out.info(info)?;
        if down > 0 {
            out.summary.warn(format!(
                "{down} host elements with status other than up were not reported"
            ));
        }
        xml.finish(&mut out.summary);
        Ok(out.summary)
    }
}

/// Reads one `<host>`; returns its identity, its open-port items and whether it is up.
fn parse_host<R: BufRead>(
    xml: &mut Xml<'_, R>,
    buf: &mut Vec<u8>,
) -> Result<(Host, Vec<Item>, bool), ScanError> {
    let depth = xml.depth();
    let mut host = Host::default();
    let mut items = Vec::new();
    let mut up = false;
    let mut current: Option<Item> = None;
    let mut open = false;
    // Which script we are inside (for vulners CVE ids) and the pending `elem` key.
    let mut script_id = String::new();
    loop {
        match xml.next(buf)? {
            ev @ (Event::Start(_) | Event::Empty(_)) => {
                let is_start = matches!(ev, Event::Start(_));
                let (Event::Start(e) | Event::Empty(e)) = ev else {
                    continue;
                };
                match e.local_name().as_ref() {
                    b"status" => up = xml.attr(&e, b"state").as_deref() == Some("up"),
                    b"address" => {
                        let addr = xml.attr(&e, b"addr");
                        match xml.attr(&e, b"addrtype").as_deref() {
                            Some("mac") => host.identity.mac = addr,
                            _ => {
                                if host.identity.ip.is_none() {
                                    host.identity.ip = addr
                                }
                            }
                        }
                    }
                    b"hostname" if host.identity.fqdn.is_none() => {
                        host.identity.fqdn = xml.attr(&e, b"name");
                    }
                    b"osmatch" if host.identity.os.is_none() => {
                        host.identity.os = xml.attr(&e, b"name");
                    }
                    b"port" => {
                        let proto = xml.attr(&e, b"protocol").unwrap_or_default();
                        let portid = xml.attr(&e, b"portid").unwrap_or_default();
                        let mut item = Item::new("Nmap", "open-port");
                        item.kind = ItemKind::Informational;
                        item.severity = Severity::Info;
                        item.port = port(&portid);
                        item.name = format!("Open port {portid}/{proto}");
                        item.protocol = non_empty(&proto);
                        current = Some(item);
                        open = false;
                    }
                    b"state" if current.is_some() => {
                        open = xml.attr(&e, b"state").as_deref() == Some("open");
                    }
                    b"service" => {
                        if let Some(item) = current.as_mut() {
                            item.service = xml.attr(&e, b"name");
                            let product: Vec<String> =
                                [b"product".as_slice(), b"version", b"extrainfo"]
                                    .iter()
                                    .filter_map(|k| xml.attr(&e, k))
                                    .filter(|s| !s.trim().is_empty())
                                    .collect();
                            let svc = item.service.clone().unwrap_or_default();
                            let desc = format!("{svc} {}", product.join(" "));
                            item.description = non_empty(&desc);
                            if let Some(d) = &item.description {
                                item.name = format!("{} ({d})", item.name);
                            }
                        }
                    }
                    b"script" => {
                        script_id = xml.attr(&e, b"id").unwrap_or_default();
                        if let Some(item) = current.as_mut() {
                            let output = xml.attr(&e, b"output").unwrap_or_default();
                            let o = item.output.get_or_insert_with(String::new);
                            if !o.is_empty() {
                                o.push('\n');
                            }
                            o.push_str(&script_id);
                            o.push_str(":\n");
                            o.push_str(&output);
                        }
                    }
                    b"elem"
                        if is_start
                            && script_id == "vulners"
                            && xml.attr(&e, b"key").as_deref() == Some("id") =>
                    {
                        let mut text = String::new();
                        xml.read_text(buf, &mut text)?;
                        if let Some(item) = current.as_mut() {
                            item.push_cve(&text);
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                if xml.depth() < depth {
                    return Ok((host, items, up));
                }
                match e.local_name().as_ref() {
                    b"port" => {
                        if let Some(item) = current.take() {
                            if open {
                                items.push(item);
                            }
                        }
                    }
                    b"script" => script_id.clear(),
                    _ => {}
                }
            }
            _ => {}
        }
    }
}
