//! Shared fixtures for the integration tests: sample files and metadata, and a tiny zip writer
//! that makes the hostile archives the crate's own writer refuses to make (unsafe names, lying
//! sizes, wrong CRCs, duplicate names, symlinks).

#![allow(dead_code, clippy::unwrap_used)]

use std::io::{Read, Write};

use assay_package::{PackageFile, PackageMeta};

/// Metadata for a fictional assessment.
pub fn meta() -> PackageMeta {
    PackageMeta {
        package_name: "Northwind FedRAMP Moderate Initial Assessment".to_owned(),
        csp: "Northwind Cloud, Inc.".to_owned(),
        system_name: "Northwind Analytics Platform".to_owned(),
        fedramp_id: Some("FR2401234567".to_owned()),
        created_at: "2026-11-24T09:00:00Z".to_owned(),
        assessor_org: "Example 3PAO LLC".to_owned(),
        generator: "Assay 0.1.0".to_owned(),
    }
}

/// A fake "PDF": not compressible, so it is stored; big enough to hold a byte to flip.
pub fn pdf_bytes() -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    let mut state: u32 = 0x1234_5678;
    for _ in 0..20_000 {
        // xorshift32: cheap bytes that deflate cannot shrink.
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        bytes.push(state as u8);
    }
    bytes.extend_from_slice(b"\n%%EOF\n");
    bytes
}

/// A text file that deflates well.
pub fn json_bytes() -> Vec<u8> {
    let mut text = String::from("{\"findings\": [\n");
    for i in 0..500 {
        text.push_str(&format!(
            "  {{\"id\": \"F-{i:04}\", \"control\": \"AC-{}\", \"risk\": \"moderate\"}},\n",
            i % 25
        ));
    }
    text.push_str("  {}\n]}\n");
    text.into_bytes()
}

/// Sample deliverables, deliberately not in path order.
pub fn sample_files() -> Vec<(String, Vec<u8>)> {
    vec![
        ("SAR/Northwind-SAR.pdf".to_owned(), pdf_bytes()),
        ("OSCAL/assessment-results.json".to_owned(), json_bytes()),
        (
            "POAM/Northwind-POAM.xlsx".to_owned(),
            b"PK\x03\x04 not really xlsx".to_vec(),
        ),
        (
            "README.txt".to_owned(),
            b"Deliverables for Northwind.\n".to_vec(),
        ),
        ("Evidence/empty.txt".to_owned(), Vec::new()),
    ]
}

/// Borrows owned sample files as [`PackageFile`]s.
pub fn as_package_files(files: &[(String, Vec<u8>)]) -> Vec<PackageFile<'_>> {
    files
        .iter()
        .map(|(path, bytes)| PackageFile::new(path.clone(), bytes.as_slice()))
        .collect()
}

/// Every entry of a zip: (name, uncompressed bytes), in archive order.
pub fn entries_of(zip_bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

/// One entry for [`raw_zip`].
pub struct RawEntry {
    pub name: Vec<u8>,
    /// 0 stored, 8 deflated.
    pub method: u16,
    /// The bytes as they sit in the archive (already deflated when `method` is 8).
    pub data: Vec<u8>,
    pub crc32: u32,
    /// The uncompressed size the headers declare.
    pub declared_size: u32,
    /// Unix mode in the high 16 bits, as zip tools write it.
    pub external_attributes: u32,
}

impl RawEntry {
    /// A stored regular file with honest headers.
    pub fn stored(name: &str, content: &[u8]) -> Self {
        Self {
            name: name.as_bytes().to_vec(),
            method: 0,
            data: content.to_vec(),
            crc32: crc32fast::hash(content),
            declared_size: u32::try_from(content.len()).unwrap(),
            external_attributes: 0o100644 << 16,
        }
    }

    /// A deflated regular file with honest headers.
    pub fn deflated(name: &str, content: &[u8]) -> Self {
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(content).unwrap();
        Self {
            name: name.as_bytes().to_vec(),
            method: 8,
            data: encoder.finish().unwrap(),
            crc32: crc32fast::hash(content),
            declared_size: u32::try_from(content.len()).unwrap(),
            external_attributes: 0o100644 << 16,
        }
    }
}

/// A deflate stream of `mib` MiB of zero bytes, made without compressing them all: one MiB is
/// deflated and sync-flushed (ending on a byte boundary, referring only to itself), repeated,
/// and closed with an empty final block. Returns the stream and the zeros' CRC-32.
pub fn deflated_zeros(mib: usize) -> (Vec<u8>, u32) {
    let zeros = vec![0u8; 1024 * 1024];
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&zeros).unwrap();
    encoder.flush().unwrap();
    let chunk = encoder.get_ref().clone();
    let mut stream = chunk.repeat(mib);
    stream.extend_from_slice(&[0x03, 0x00]); // final fixed-Huffman block holding only end-of-block
    let mut crc = crc32fast::Hasher::new();
    for _ in 0..mib {
        crc.update(&zeros);
    }
    (stream, crc.finalize())
}

/// Writes a minimal zip (no zip64, no extra fields) with exactly the headers given, local and
/// central headers agreeing.
pub fn raw_zip(entries: &[RawEntry]) -> Vec<u8> {
    fn u16le(out: &mut Vec<u8>, v: u16) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    fn u32le(out: &mut Vec<u8>, v: u32) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let (dos_time, dos_date) = (0u16, (46u16 << 9) | (11 << 5) | 24); // 2026-11-24 00:00
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for e in entries {
        offsets.push(u32::try_from(out.len()).unwrap());
        u32le(&mut out, 0x0403_4b50);
        u16le(&mut out, 20);
        u16le(&mut out, 0x0800); // names are UTF-8
        u16le(&mut out, e.method);
        u16le(&mut out, dos_time);
        u16le(&mut out, dos_date);
        u32le(&mut out, e.crc32);
        u32le(&mut out, u32::try_from(e.data.len()).unwrap());
        u32le(&mut out, e.declared_size);
        u16le(&mut out, u16::try_from(e.name.len()).unwrap());
        u16le(&mut out, 0);
        out.extend_from_slice(&e.name);
        out.extend_from_slice(&e.data);
    }
    let directory_start = u32::try_from(out.len()).unwrap();
    for (e, offset) in entries.iter().zip(&offsets) {
        u32le(&mut out, 0x0201_4b50);
        u16le(&mut out, (3 << 8) | 20); // made by Unix
        u16le(&mut out, 20);
        u16le(&mut out, 0x0800);
        u16le(&mut out, e.method);
        u16le(&mut out, dos_time);
        u16le(&mut out, dos_date);
        u32le(&mut out, e.crc32);
        u32le(&mut out, u32::try_from(e.data.len()).unwrap());
        u32le(&mut out, e.declared_size);
        u16le(&mut out, u16::try_from(e.name.len()).unwrap());
        u16le(&mut out, 0); // extra
        u16le(&mut out, 0); // comment
        u16le(&mut out, 0); // disk
        u16le(&mut out, 0); // internal attributes
        u32le(&mut out, e.external_attributes);
        u32le(&mut out, *offset);
        out.extend_from_slice(&e.name);
    }
    let directory_size = u32::try_from(out.len()).unwrap() - directory_start;
    let count = u16::try_from(entries.len()).unwrap();
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, count);
    u16le(&mut out, count);
    u32le(&mut out, directory_size);
    u32le(&mut out, directory_start);
    u16le(&mut out, 0);
    out
}

/// Rebuilds a package's entries as a stored raw zip after `edit` has changed the list, so a
/// test can add, drop or alter entries while keeping every zip header honest.
pub fn rebuild(package: &[u8], edit: impl FnOnce(&mut Vec<(String, Vec<u8>)>)) -> Vec<u8> {
    let mut entries = entries_of(package);
    edit(&mut entries);
    let raw: Vec<RawEntry> = entries
        .iter()
        .map(|(name, bytes)| RawEntry::stored(name, bytes))
        .collect();
    raw_zip(&raw)
}
