//! What the signature covers: every byte of the archive.
//!
//! `manifest.sig` cannot sign bytes that include itself, so the signed message is the SHA-256
//! of the whole archive with exactly three fields of the signature entry set to zero: its
//! 129 data bytes (stored, not compressed) and the CRC-32 of those bytes in its local header
//! and in its central-directory header. The positions of those three fields are part of the
//! message too, so moving them changes what is signed. Every other byte (prefix, manifest,
//! files as compressed, headers, central directory, end record) is covered directly; the three
//! masked fields are covered by the signature check itself: the data must be the one canonical
//! spelling of a valid signature (lowercase hex and one newline), and both CRC fields must equal
//! the CRC-32 of that data.
//!
//! Invariant: [`locate`] and [`digest`] are shared by the writer and the verifier, so the two
//! cannot disagree about which bytes are signed.

use std::io::{Read, Seek, SeekFrom};

use sha2::{Digest, Sha256};

use crate::manifest::SIGNATURE_NAME;

/// Bytes of `manifest.sig`: 128 lowercase hex digits and a newline.
pub(crate) const SIGNATURE_LEN: u64 = 129;
/// Domain separation for the signed message.
const DOMAIN: &[u8] = b"assay-package-archive-v2\n";
const LOCAL_HEADER: [u8; 4] = *b"PK\x03\x04";
const CENTRAL_HEADER: [u8; 4] = *b"PK\x01\x02";

/// Where the signature entry's masked fields are, as absolute offsets in the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SignatureLayout {
    /// The CRC-32 field of the local header (4 bytes).
    pub(crate) local_crc: u64,
    /// The CRC-32 field of the central-directory header (4 bytes).
    pub(crate) central_crc: u64,
    /// The signature text ([`SIGNATURE_LEN`] bytes).
    pub(crate) data: u64,
}

impl SignatureLayout {
    fn masks(&self) -> [(u64, u64); 3] {
        let mut masks = [
            (self.local_crc, 4),
            (self.data, SIGNATURE_LEN),
            (self.central_crc, 4),
        ];
        masks.sort_unstable();
        masks
    }
}

/// Finds the signature entry's fields from its two headers, checking that it is stored, has
/// exactly [`SIGNATURE_LEN`] bytes, and carries the name it should. `header_start` and
/// `central_header_start` come from the zip reader's central directory.
pub(crate) fn locate<R: Read + Seek>(
    reader: &mut R,
    header_start: u64,
    central_header_start: u64,
) -> Result<SignatureLayout, String> {
    let mut local = [0u8; 30];
    read_at(reader, header_start, &mut local)?;
    if local[..4] != LOCAL_HEADER {
        return Err("its local header is missing".into());
    }
    let method = u16::from_le_bytes([local[8], local[9]]);
    let compressed = u32::from_le_bytes([local[18], local[19], local[20], local[21]]);
    let size = u32::from_le_bytes([local[22], local[23], local[24], local[25]]);
    let name_len = u64::from(u16::from_le_bytes([local[26], local[27]]));
    let extra_len = u64::from(u16::from_le_bytes([local[28], local[29]]));
    if method != 0 || u64::from(compressed) != SIGNATURE_LEN || u64::from(size) != SIGNATURE_LEN {
        return Err(format!(
            "it is not {SIGNATURE_LEN} stored (uncompressed) bytes as Assay writes it"
        ));
    }
    let mut name = vec![0u8; SIGNATURE_NAME.len()];
    if name_len != SIGNATURE_NAME.len() as u64 {
        return Err("its local header names another file".into());
    }
    read_at(reader, header_start + 30, &mut name)?;
    if name != SIGNATURE_NAME.as_bytes() {
        return Err("its local header names another file".into());
    }
    let mut central = [0u8; 4];
    read_at(reader, central_header_start, &mut central)?;
    if central != CENTRAL_HEADER {
        return Err("its central-directory header is missing".into());
    }
    Ok(SignatureLayout {
        local_crc: header_start + 14,
        central_crc: central_header_start + 16,
        data: header_start + 30 + name_len + extra_len,
    })
}

/// The CRC-32 values stored in the signature entry's two headers.
pub(crate) fn stored_crcs<R: Read + Seek>(
    reader: &mut R,
    layout: &SignatureLayout,
) -> Result<[u32; 2], String> {
    let mut local = [0u8; 4];
    let mut central = [0u8; 4];
    read_at(reader, layout.local_crc, &mut local)?;
    read_at(reader, layout.central_crc, &mut central)?;
    Ok([u32::from_le_bytes(local), u32::from_le_bytes(central)])
}

/// The signed message: SHA-256 over the domain tag, the three masked fields' offsets, the
/// archive's length and every archive byte with the masked fields read as zeros.
pub(crate) fn digest<R: Read + Seek>(
    reader: &mut R,
    layout: &SignatureLayout,
) -> Result<[u8; 32], String> {
    let len = reader
        .seek(SeekFrom::End(0))
        .map_err(|e| format!("cannot be read: {e}"))?;
    reader
        .seek(SeekFrom::Start(0))
        .map_err(|e| format!("cannot be read: {e}"))?;
    let mut sha = Sha256::new();
    sha.update(DOMAIN);
    for offset in [layout.local_crc, layout.data, layout.central_crc, len] {
        sha.update(offset.to_be_bytes());
    }
    let masks = layout.masks();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut position: u64 = 0;
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("cannot be read: {e}")),
        };
        let chunk = &mut buffer[..n];
        for (start, length) in masks {
            let end = start + length;
            let from = start.max(position);
            let to = end.min(position + n as u64);
            if from < to {
                chunk[(from - position) as usize..(to - position) as usize].fill(0);
            }
        }
        sha.update(&*chunk);
        position += n as u64;
    }
    if position != len {
        return Err("the archive changed while it was read".into());
    }
    Ok(sha.finalize().into())
}

/// The one text a signature may be stored as.
pub(crate) fn signature_text(signature: &[u8; 64]) -> String {
    format!("{}\n", hex::encode(signature))
}

fn read_at<R: Read + Seek>(reader: &mut R, at: u64, out: &mut [u8]) -> Result<(), String> {
    reader
        .seek(SeekFrom::Start(at))
        .and_then(|_| reader.read_exact(out))
        .map_err(|_| format!("its headers point outside the archive (offset {at})"))
}

/// The bytes Ed25519 signs for an archive digest.
pub(crate) fn message(digest: &[u8; 32]) -> Vec<u8> {
    [DOMAIN, &digest[..]].concat()
}
