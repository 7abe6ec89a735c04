//! Reads back the risk rows of a RET or POA&M workbook as written, so SAR-001 (every RET row
//! has its POA&M item with the same id, original rating and detector source) is checked on the
//! bytes that go into the package, not on the data they were written from.
//!
//! Invariant: reads only what the writers in this module produce (row 5 headers, data from row
//! 6, shared or inline strings); anything else is an error naming the workbook and the place,
//! never a silent pass.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::Reader;

use super::ret::RET_ID_HEADER;
use super::{FIRST_DATA_ROW, HEADER_ROW};
use crate::error::{Error, Result};
use crate::model::sar::{self, ConsistencyCheck};
use crate::model::testing::RiskLevel;

/// One risk row as a sheet holds it: (id, original risk rating, detector source).
pub type WrittenRow = (String, RiskLevel, String);

/// The largest part of a workbook this reader inflates (the writers stay far below it).
const MAX_PART: u64 = 512 * 1024 * 1024;

fn bad(document: &'static str, message: String) -> Error {
    Error::Workbook { document, message }
}

/// Reads one part of the zip as text.
fn part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    document: &'static str,
) -> Result<Option<String>> {
    let Ok(file) = zip.by_name(name) else {
        return Ok(None);
    };
    let mut text = String::new();
    file.take(MAX_PART)
        .read_to_string(&mut text)
        .map_err(|e| bad(document, format!("cannot read {name}: {e}")))?;
    Ok(Some(text))
}

fn attr(e: &quick_xml::events::BytesStart<'_>, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// Unescaped text of an event, or the error naming the part.
fn text_of(
    t: &quick_xml::events::BytesText<'_>,
    document: &'static str,
    name: &str,
) -> Result<String> {
    t.unescape()
        .map(|c| c.into_owned())
        .map_err(|e| bad(document, format!("{name}: {e}")))
}

/// The shared-string table (`xl/sharedStrings.xml`), in order.
fn shared_strings(xml: &str, document: &'static str) -> Result<Vec<String>> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut in_t = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().as_ref() == b"si" => current = Some(String::new()),
            Ok(Event::Start(e)) if e.name().as_ref() == b"t" => in_t = true,
            Ok(Event::End(e)) if e.name().as_ref() == b"t" => in_t = false,
            Ok(Event::End(e)) if e.name().as_ref() == b"si" => {
                out.push(current.take().unwrap_or_default());
            }
            Ok(Event::Text(t)) if in_t => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&text_of(&t, document, "sharedStrings.xml")?);
                }
            }
            Ok(Event::Eof) => return Ok(out),
            Err(e) => return Err(bad(document, format!("sharedStrings.xml: {e}"))),
            _ => {}
        }
    }
}

/// Sheet names and their part paths, in workbook order.
fn sheets(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    document: &'static str,
) -> Result<Vec<(String, String)>> {
    let missing = |p: &str| bad(document, format!("{p} is missing"));
    let rels = part(zip, "xl/_rels/workbook.xml.rels", document)?
        .ok_or_else(|| missing("xl/_rels/workbook.xml.rels"))?;
    let mut targets = HashMap::new();
    let mut reader = Reader::from_str(&rels);
    loop {
        match reader.read_event() {
            Ok(Event::Empty(e) | Event::Start(e)) if e.name().as_ref() == b"Relationship" => {
                if let (Some(id), Some(target)) = (attr(&e, b"Id"), attr(&e, b"Target")) {
                    let path = target.trim_start_matches('/');
                    let path = path.strip_prefix("xl/").unwrap_or(path);
                    targets.insert(id, format!("xl/{path}"));
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(bad(document, format!("workbook.xml.rels: {e}"))),
            _ => {}
        }
    }
    let book = part(zip, "xl/workbook.xml", document)?.ok_or_else(|| missing("xl/workbook.xml"))?;
    let mut out = Vec::new();
    let mut reader = Reader::from_str(&book);
    loop {
        match reader.read_event() {
            Ok(Event::Empty(e) | Event::Start(e)) if e.name().as_ref() == b"sheet" => {
                let name = attr(&e, b"name").unwrap_or_default();
                let target = attr(&e, b"r:id").and_then(|id| targets.get(&id).cloned());
                match target {
                    Some(t) => out.push((name, t)),
                    None => return Err(bad(document, format!("sheet \"{name}\" has no part"))),
                }
            }
            Ok(Event::Eof) => return Ok(out),
            Err(e) => return Err(bad(document, format!("workbook.xml: {e}"))),
            _ => {}
        }
    }
}

/// Column index (0-based) and row index (0-based) of a cell reference such as `AB12`.
fn cell_ref(r: &str) -> Option<(u32, u32)> {
    let letters = r.bytes().take_while(u8::is_ascii_uppercase).count();
    let (col, row) = r.split_at(letters);
    let col = col.bytes().try_fold(0u32, |acc, b| {
        acc.checked_mul(26)?.checked_add(u32::from(b - b'A') + 1)
    })?;
    let row: u32 = row.parse().ok()?;
    Some((col.checked_sub(1)?, row.checked_sub(1)?))
}

/// The text cells of one sheet at or below the header row: row → column → text.
fn sheet_cells(
    xml: &str,
    strings: &[String],
    document: &'static str,
    sheet: &str,
) -> Result<HashMap<u32, HashMap<u32, String>>> {
    let mut reader = Reader::from_str(xml);
    let mut cells: HashMap<u32, HashMap<u32, String>> = HashMap::new();
    // The cell being read: (column, row, type attribute).
    let mut cell: Option<(u32, u32, String)> = None;
    let mut in_value = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().as_ref() == b"c" => {
                let at = attr(&e, b"r").and_then(|r| cell_ref(&r));
                cell = at.map(|(c, r)| (c, r, attr(&e, b"t").unwrap_or_default()));
            }
            Ok(Event::End(e)) if e.name().as_ref() == b"c" => cell = None,
            Ok(Event::Start(e)) if matches!(e.name().as_ref(), b"v" | b"t") => in_value = true,
            Ok(Event::End(e)) if matches!(e.name().as_ref(), b"v" | b"t") => in_value = false,
            Ok(Event::Text(t)) if in_value => {
                let Some((col, row, kind)) = &cell else {
                    continue;
                };
                if *row < HEADER_ROW {
                    continue;
                }
                let raw = text_of(&t, document, sheet)?;
                let value = if kind == "s" {
                    let i: usize = raw.trim().parse().map_err(|_| {
                        bad(
                            document,
                            format!("{sheet}: a shared-string cell holds \"{raw}\""),
                        )
                    })?;
                    strings.get(i).cloned().ok_or_else(|| {
                        bad(
                            document,
                            format!("{sheet}: shared string {i} does not exist"),
                        )
                    })?
                } else {
                    raw
                };
                cells
                    .entry(*row)
                    .or_default()
                    .entry(*col)
                    .or_default()
                    .push_str(&value);
            }
            Ok(Event::Eof) => return Ok(cells),
            Err(e) => return Err(bad(document, format!("{sheet}: {e}"))),
            _ => {}
        }
    }
}

/// The risk rows of every sheet of `xlsx` whose header row names the id column `id_header`, an
/// "Original Risk Rating" and a "Weakness Detector Source" column. Sheets without that header
/// row (the POA&M's record of changes) are not risk tables and are skipped.
pub fn written_rows(
    xlsx: &[u8],
    id_header: &str,
    document: &'static str,
) -> Result<Vec<WrittenRow>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx))
        .map_err(|e| bad(document, format!("not a workbook: {e}")))?;
    let strings = match part(&mut zip, "xl/sharedStrings.xml", document)? {
        Some(xml) => shared_strings(&xml, document)?,
        None => Vec::new(),
    };
    let mut out = Vec::new();
    for (name, path) in sheets(&mut zip, document)? {
        let xml = part(&mut zip, &path, document)?
            .ok_or_else(|| bad(document, format!("sheet \"{name}\" ({path}) is missing")))?;
        let cells = sheet_cells(&xml, &strings, document, &name)?;
        let Some(header) = cells.get(&HEADER_ROW) else {
            continue;
        };
        let column = |label: &str| {
            header
                .iter()
                .find(|(_, v)| v.trim() == label)
                .map(|(c, _)| *c)
        };
        let (Some(id), Some(rating), Some(source)) = (
            column(id_header),
            column("Original Risk Rating"),
            column("Weakness Detector Source"),
        ) else {
            continue;
        };
        let mut rows: Vec<_> = cells
            .iter()
            .filter(|(r, _)| **r >= FIRST_DATA_ROW)
            .collect();
        rows.sort_by_key(|(r, _)| **r);
        for (r, row) in rows {
            let get = |c: u32| row.get(&c).map(|v| v.trim().to_owned()).unwrap_or_default();
            let id_value = get(id);
            if id_value.is_empty() {
                continue;
            }
            let rating_text = get(rating);
            let level = rating_text.parse::<RiskLevel>().map_err(|_| {
                bad(
                    document,
                    format!(
                        "{name} row {}: \"{rating_text}\" is not a risk rating",
                        r + 1
                    ),
                )
            })?;
            out.push((id_value, level, get(source)));
        }
    }
    Ok(out)
}

/// SAR-001 on the RET and POA&M workbooks as written: an empty list when they agree.
pub fn check_written(ret_xlsx: &[u8], poam_xlsx: &[u8]) -> Result<Vec<ConsistencyCheck>> {
    let ret = written_rows(ret_xlsx, RET_ID_HEADER, "RET")?;
    let poam = written_rows(poam_xlsx, super::poam::POAM_ID_HEADER, "POA&M")?;
    Ok(sar::ret_poam_checks(&ret, &poam))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::tests::sample_rows;
    use crate::workbook::{write_poam_xlsx, write_ret_xlsx};

    #[test]
    fn workbooks_written_from_the_same_rows_agree() {
        let (ret, poam) = sample_rows();
        let (r, p) = (
            write_ret_xlsx(&ret).unwrap(),
            write_poam_xlsx(&poam).unwrap(),
        );
        let rows = written_rows(&r, RET_ID_HEADER, "RET").unwrap();
        assert_eq!(
            rows.len(),
            ret.ret.len() + ret.corrected.len() + ret.configuration.len() + ret.pl2.len()
        );
        assert!(check_written(&r, &p).unwrap().is_empty());
    }

    #[test]
    fn a_rating_source_or_row_that_differs_in_the_written_poam_is_named() {
        let (ret, poam) = sample_rows();
        let r = write_ret_xlsx(&ret).unwrap();

        let mut other = poam.clone();
        other.open[0].original_risk_rating = RiskLevel::Low;
        let id = other.open[0].poam_id.clone();
        let checks = check_written(&r, &write_poam_xlsx(&other).unwrap()).unwrap();
        assert_eq!(checks.len(), 1, "{checks:?}");
        assert_eq!(checks[0].code, "SAR-001");
        assert!(checks[0].message.contains(&id), "{}", checks[0].message);

        let mut other = poam.clone();
        other.open[0].weakness_detector_source = "Someone else".into();
        assert_eq!(
            check_written(&r, &write_poam_xlsx(&other).unwrap())
                .unwrap()
                .len(),
            1
        );

        let mut other = poam.clone();
        let dropped = other.open.remove(0).poam_id;
        let checks = check_written(&r, &write_poam_xlsx(&other).unwrap()).unwrap();
        assert!(checks
            .iter()
            .any(|c| c.message == format!("RET row {dropped} has no POA&M item")));

        let mut other = poam;
        let mut extra = other.open[0].clone();
        extra.poam_id = "EXTRA-1".into();
        other.open.push(extra);
        let checks = check_written(&r, &write_poam_xlsx(&other).unwrap()).unwrap();
        assert!(checks
            .iter()
            .any(|c| c.message == "POA&M item EXTRA-1 has no RET row"));
    }

    #[test]
    fn something_that_is_not_a_workbook_is_an_error() {
        let err = written_rows(b"not a zip", RET_ID_HEADER, "RET").unwrap_err();
        assert!(err.to_string().contains("not a workbook"), "{err}");
    }

    #[test]
    fn cell_references_decode() {
        assert_eq!(cell_ref("A1"), Some((0, 0)));
        assert_eq!(cell_ref("AB12"), Some((27, 11)));
        assert_eq!(cell_ref("1A"), None);
    }
}
