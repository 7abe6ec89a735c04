//! `demo`: the demo engagement and its full package, built from the project's own inputs.

use std::process::ExitCode;

use assay_core::api::baseline::baseline_search_dirs;
use assay_core::api::demo::build_demo;

use crate::cli::DemoArgs;
use crate::output::print_json;

/// `assay demo OUT_DIR`: builds everything in OUT_DIR and lists the files written.
pub fn demo(a: &DemoArgs) -> anyhow::Result<ExitCode> {
    let out = build_demo(&a.out_dir, &baseline_search_dirs(&[]))?;
    if a.json {
        print_json(&out)?;
    } else {
        for path in &out.written {
            outln!("{}", path.display())?;
        }
        outln!(
            "signed with the demo key {} (not secret): verify with `assay verify --key {} PACKAGE`",
            out.signer.fingerprint,
            out.signer.fingerprint
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
