//! Writes the test suite's sample document to a file, for looking at it:
//! `cargo run -p assay-pdf --example render_sample -- /tmp/sample.pdf`
#[path = "../tests/support/sample.rs"]
#[allow(dead_code)] // shared with the tests, which use more of it
mod sample;

use assay_pdf::{render_pdf, RenderOptions};
use chrono::{TimeZone, Utc};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "sample.pdf".into());
    let at = Utc
        .with_ymd_and_hms(2026, 3, 14, 12, 0, 0)
        .single()
        .ok_or("bad date")?;
    let bytes = render_pdf(
        &sample::sample_document(),
        &RenderOptions::new(at, "assay-sample-0001"),
    )?;
    std::fs::write(&out, &bytes)?;
    println!("wrote {out} ({} bytes)", bytes.len());
    Ok(())
}
