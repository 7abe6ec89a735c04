//! Exporting deliverables to files, decided once for the CLI and the app: which options each
//! document gets (generation time, document id, the workbook date), in which order files are
//! rendered and written, and how they are written.
//!
//! Invariants: every requested document is rendered before any file is written, so a refused
//! or failed render (an incomplete SAP, a bad `--generated-at`) writes nothing; each file is
//! written atomically ([`super::write_file`]); the SAR, RET and POA&M documents of one request
//! are rendered from one computed report.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use super::Session;
use crate::error::Result;
use crate::export;
use crate::model::report::{DocumentKind, ExportOptions, SapExportInput, SarExportInput};

/// A document that can be exported to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deliverable {
    /// The SAP as PDF (refused while items block the SAP).
    SapPdf,
    /// The SAP as an OSCAL assessment plan (JSON; refused while items block the SAP).
    SapOscal,
    /// The SAR as PDF.
    SarPdf,
    /// The SAR as OSCAL assessment results (JSON).
    SarOscal,
    /// The risk exposure table workbook (SAR Appendix A, .xlsx).
    RetXlsx,
    /// The seed POA&M as PDF.
    PoamPdf,
    /// The seed POA&M as an OSCAL plan of action and milestones (JSON).
    PoamOscal,
    /// The seed POA&M workbook (FedRAMP POA&M template v2.1, .xlsx).
    PoamXlsx,
}

impl Deliverable {
    /// The document the file belongs to (its default document id derives from this).
    pub fn kind(self) -> DocumentKind {
        match self {
            Deliverable::SapPdf | Deliverable::SapOscal => DocumentKind::Sap,
            Deliverable::SarPdf | Deliverable::SarOscal | Deliverable::RetXlsx => DocumentKind::Sar,
            Deliverable::PoamPdf | Deliverable::PoamOscal | Deliverable::PoamXlsx => {
                DocumentKind::Poam
            }
        }
    }

    /// The progress step shown while the document is rendered.
    fn render_step(self) -> &'static str {
        match self {
            Deliverable::SapPdf => "Rendering the PDF",
            Deliverable::SapOscal => "Building the OSCAL assessment plan",
            Deliverable::SarPdf => "Rendering the SAR PDF",
            Deliverable::SarOscal => "Building the OSCAL assessment results",
            Deliverable::RetXlsx => "Building the risk exposure table",
            Deliverable::PoamPdf => "Rendering the POA&M PDF",
            Deliverable::PoamOscal => "Building the OSCAL POA&M",
            Deliverable::PoamXlsx => "Building the POA&M workbook",
        }
    }

    /// The progress step shown while the file is written.
    fn write_step(self) -> &'static str {
        match self {
            Deliverable::SapPdf | Deliverable::SarPdf | Deliverable::PoamPdf => "Writing the PDF",
            Deliverable::SapOscal | Deliverable::SarOscal | Deliverable::PoamOscal => {
                "Writing the OSCAL file"
            }
            Deliverable::RetXlsx | Deliverable::PoamXlsx => "Writing the workbook",
        }
    }
}

/// What to export, as the user gave it.
#[derive(Debug, Clone, Default)]
pub struct ExportRequest<'a> {
    /// The files to write, in order.
    pub files: Vec<(Deliverable, PathBuf)>,
    /// Generation time written into the documents (RFC 3339); default: now.
    pub generated_at: Option<&'a str>,
    /// Document id written into the documents; default: the engagement's id for each document.
    pub document_id: Option<String>,
}

/// One file an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFile {
    pub deliverable: Deliverable,
    pub path: PathBuf,
    /// Bytes written.
    pub size: u64,
    /// The document id written into the file.
    pub document_id: String,
    /// The generation time written into the file.
    pub generated_at: DateTime<Utc>,
}

/// Called with (steps done, all steps, what happens now): one step to render each file and one
/// to write it.
pub type ExportProgress<'a> = &'a dyn Fn(u32, u32, &str);

/// The inputs the requested documents render from, each computed once per request.
#[derive(Default)]
pub(super) struct Inputs {
    sap: Option<SapExportInput>,
    sar: Option<SarExportInput>,
}

impl Inputs {
    /// Inputs whose SAR side is already computed.
    pub(super) fn with_sar(sar: SarExportInput) -> Self {
        Inputs {
            sap: None,
            sar: Some(sar),
        }
    }
}

impl Session {
    /// Renders every file of `request`, then writes them in order (each atomically). Nothing is
    /// written when any document fails to render: the SAP is refused while items block it
    /// ([`crate::Error::SapBlocked`]), then a `generated_at` that is not RFC 3339 is refused,
    /// both before anything is rendered. Workbooks carry the SAR's date, else the generation day.
    pub fn export_files(
        &self,
        request: &ExportRequest<'_>,
        progress: Option<ExportProgress<'_>>,
    ) -> Result<Vec<WrittenFile>> {
        let mut inputs = Inputs::default();
        if request
            .files
            .iter()
            .any(|(d, _)| d.kind() == DocumentKind::Sap)
        {
            self.sap_input(&mut inputs.sap)?;
        }
        let generated_at = self.generation_time(request.generated_at)?;
        let engagement_id = self.engagement()?.id;
        let total = u32::try_from(request.files.len() * 2).unwrap_or(u32::MAX);
        let mut done = 0;
        let mut step = |what: &str| {
            if let Some(p) = progress {
                p(done, total, what);
            }
            done += 1;
        };
        let mut rendered = Vec::with_capacity(request.files.len());
        for (deliverable, path) in &request.files {
            step(deliverable.render_step());
            let opts = ExportOptions::new(
                &engagement_id,
                deliverable.kind(),
                generated_at,
                request.document_id.clone(),
            );
            let bytes = self.render(*deliverable, &opts, &mut inputs)?;
            rendered.push((*deliverable, path, opts, bytes));
        }
        let mut written = Vec::with_capacity(rendered.len());
        for (deliverable, path, opts, bytes) in rendered {
            step(deliverable.write_step());
            super::write_file(path, &bytes)?;
            written.push(WrittenFile {
                deliverable,
                path: path.clone(),
                size: bytes.len() as u64,
                document_id: opts.document_id,
                generated_at: opts.generated_at,
            });
        }
        Ok(written)
    }

    /// The bytes of one document.
    pub(super) fn render(
        &self,
        deliverable: Deliverable,
        opts: &ExportOptions,
        inputs: &mut Inputs,
    ) -> Result<Vec<u8>> {
        Ok(match deliverable {
            Deliverable::SapPdf => export::sap_pdf::render(self.sap_input(&mut inputs.sap)?, opts)?,
            Deliverable::SapOscal => {
                export::oscal_ap::render(self.sap_input(&mut inputs.sap)?, opts)?
            }
            Deliverable::SarPdf => export::sar_pdf::render(self.sar_input(&mut inputs.sar)?, opts)?,
            Deliverable::SarOscal => {
                export::oscal_ar::render(self.sar_input(&mut inputs.sar)?, opts)?
            }
            Deliverable::RetXlsx => {
                let sar = self.sar_input(&mut inputs.sar)?;
                export::ret_xlsx(sar, sar.report.workbook_date(opts.generated_at))?
            }
            Deliverable::PoamPdf => {
                export::poam_pdf::render(self.sar_input(&mut inputs.sar)?, opts)?
            }
            Deliverable::PoamOscal => {
                export::oscal_poam::render(self.sar_input(&mut inputs.sar)?, opts)?
            }
            Deliverable::PoamXlsx => {
                let sar = self.sar_input(&mut inputs.sar)?;
                export::poam_xlsx(sar, sar.report.workbook_date(opts.generated_at))?
            }
        })
    }

    /// What the SAP exporters read (refused while items block the SAP), computed once.
    fn sap_input<'a>(&self, slot: &'a mut Option<SapExportInput>) -> Result<&'a SapExportInput> {
        Ok(match slot {
            Some(input) => input,
            None => slot.insert(self.sap_export_input("export")?),
        })
    }

    /// What the SAR, RET and POA&M exporters read, computed once.
    fn sar_input<'a>(&self, slot: &'a mut Option<SarExportInput>) -> Result<&'a SarExportInput> {
        Ok(match slot {
            Some(input) => input,
            None => slot.insert(self.sar_export_input()?),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::api::Context;
    use crate::clock::{FixedClock, SequentialIds};
    use crate::model::NewEngagement;
    use crate::Error;

    fn session(dir: &std::path::Path) -> Session {
        let start = DateTime::parse_from_rfc3339("2026-03-02T14:00:00Z")
            .unwrap()
            .to_utc();
        let ctx = Context {
            clock: Arc::new(FixedClock::new(start, chrono::Duration::seconds(1))),
            ids: Arc::new(SequentialIds::new(7)),
            actor: "tester".into(),
        };
        Session::create(
            &dir.join("e.assay"),
            &NewEngagement::named("Example Cloud"),
            ctx,
        )
        .unwrap()
    }

    fn request(
        files: &[(Deliverable, &std::path::Path)],
        at: &'static str,
    ) -> ExportRequest<'static> {
        ExportRequest {
            files: files.iter().map(|(d, p)| (*d, p.to_path_buf())).collect(),
            generated_at: Some(at),
            document_id: None,
        }
    }

    #[test]
    fn documents_are_rendered_with_one_set_of_options_then_written() {
        let dir = tempfile::tempdir().unwrap();
        let s = session(dir.path());
        let (oscal, ret) = (dir.path().join("sar.json"), dir.path().join("ret.xlsx"));
        let steps = std::cell::RefCell::new(Vec::new());
        let progress = |done: u32, total: u32, what: &str| {
            steps.borrow_mut().push((done, total, what.to_owned()));
        };
        let req = request(
            &[
                (Deliverable::SarOscal, &oscal),
                (Deliverable::RetXlsx, &ret),
            ],
            "2026-05-08T12:00:00Z",
        );
        let written = s.export_files(&req, Some(&progress)).unwrap();
        let opts = s
            .export_options(DocumentKind::Sar, req.generated_at, None)
            .unwrap();
        assert_eq!(
            std::fs::read(&oscal).unwrap(),
            export::oscal_ar::render(&s.sar_export_input().unwrap(), &opts).unwrap()
        );
        assert_eq!(written.len(), 2);
        assert_eq!(written[0].document_id, opts.document_id);
        assert_eq!(written[1].size, std::fs::metadata(&ret).unwrap().len());
        let steps = steps.into_inner();
        assert_eq!(steps.len(), 4);
        assert_eq!((steps[0].0, steps[0].1), (0, 4));
        assert_eq!(steps[3].2, "Writing the workbook");
    }

    #[test]
    fn refusals_write_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let s = session(dir.path());
        let pdf = dir.path().join("sap.pdf");
        let sar = dir.path().join("sar.json");
        // The SAP of a new engagement is incomplete: refused with every blocking item.
        let req = request(
            &[(Deliverable::SarOscal, &sar), (Deliverable::SapPdf, &pdf)],
            "2026-05-08T12:00:00Z",
        );
        let err = s.export_files(&req, None).unwrap_err();
        assert!(
            matches!(&err, Error::SapBlocked { verb, blocking } if verb == "export" && !blocking.is_empty()),
            "{err}"
        );
        assert!(
            err.to_string()
                .starts_with("SAP: cannot export the SAP while"),
            "{err}"
        );
        // A generation time that is not RFC 3339.
        let req = request(&[(Deliverable::PoamXlsx, &sar)], "yesterday");
        let err = s.export_files(&req, None).unwrap_err();
        assert!(
            err.to_string().starts_with("generated-at: 'yesterday'"),
            "{err}"
        );
        assert!(!pdf.exists() && !sar.exists());
    }
}
