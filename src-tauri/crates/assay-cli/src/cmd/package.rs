//! `package`, `verify`: the signed deliverable package.

use std::process::ExitCode;

use assay_core::api::package::{verify_package, KeyInfo, PackageRequest, TrustRequest};
use assay_core::api::trust::{trust_add, trust_list, trust_remove};
use assay_core::Context;

use super::open;
use crate::cli::{PackageArgs, TrustAction, VerifyArgs};
use crate::output::print_json;
use crate::progress::Progress;

/// `assay package`: builds, signs and writes the deliverable package (the signing key is
/// created on first use and its fingerprint shown).
pub fn package(a: &PackageArgs, ctx: Context) -> anyhow::Result<ExitCode> {
    let mut session = open(&a.file, ctx)?;
    let request = PackageRequest {
        generated_at: a.generated_at.as_deref(),
        include_evidence: a.with_evidence,
        key_dir: a.key_dir.as_deref(),
    };
    let on_key = |info: &KeyInfo| {
        if info.created {
            errln!(
                "created the 3PAO signing key {}\n  fingerprint {}\n  give the recipients this fingerprint by a separate channel",
                info.path.display(),
                info.fingerprint
            );
        }
    };
    let bar = Progress::new("packaging");
    let receipt = session.export_package(
        &a.out,
        &request,
        &on_key,
        &|step, steps, _what| bar.update(step as u64, steps as u64),
        None,
    )?;
    bar.update(1, 1);
    if a.json {
        print_json(&receipt)?;
    } else {
        outln!(
            "wrote {} ({} files, {} bytes)\nsha256 {}\nsigned by key {}",
            receipt.path,
            receipt.files.len(),
            receipt.size,
            receipt.sha256,
            receipt.signer.fingerprint
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `assay verify`: exit 1 naming every file that differs, or a bad signature.
pub fn verify(a: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let trust = TrustRequest {
        expected_key: a.key.as_deref(),
        key_dir: a.key_dir.as_deref(),
    };
    let check = verify_package(&a.package, &trust)?;
    if a.json {
        print_json(&check)?;
    } else if check.ok {
        outln!(
            "{}: OK, {} files match the signed manifest",
            check.path,
            check.file_count
        )?;
        if let (Some(s), Some(how)) = (&check.signer, &check.trusted_as) {
            outln!("signed by key {} ({how})", s.fingerprint)?;
        }
    } else {
        for p in &check.problems {
            errln!("{}: {p}", check.path);
        }
    }
    Ok(ExitCode::from(u8::from(!check.ok)))
}

/// `assay trust add|list|remove`: the pinned package signers.
pub fn trust(action: &TrustAction, ctx: &Context) -> anyhow::Result<ExitCode> {
    match action {
        TrustAction::Add(a) => {
            let added = trust_add(a.key_dir.as_deref(), &a.name, &a.key, ctx.clock.now())?;
            if a.json {
                print_json(&added)?;
            } else {
                outln!("pinned {:?}: key {}", added.name, added.fingerprint)?;
            }
        }
        TrustAction::List(a) => {
            let signers = trust_list(a.key_dir.as_deref())?;
            if a.json {
                print_json(&signers)?;
            } else if signers.is_empty() {
                outln!("no signers pinned (your own signing key is always trusted)")?;
            } else {
                for s in &signers {
                    outln!("{}  {}  {}", s.fingerprint, s.added_at, s.name)?;
                }
            }
        }
        TrustAction::Remove(a) => {
            let removed = trust_remove(a.key_dir.as_deref(), &a.name)?;
            if a.json {
                print_json(&removed)?;
            } else {
                outln!("removed {:?}: key {}", removed.name, removed.fingerprint)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
