//! Loading the FedRAMP baseline and browsing its controls.

use std::path::{Path, PathBuf};

use super::ImportOptions;
use serde::{Deserialize, Serialize};

use super::Session;
use crate::error::{Error, Result};
use crate::model::baseline::{
    BaselineInfo, ByComponentView, ControlDetail, ControlSummary, Family, ImplementationView,
    LabelledText, ObjectiveView, ParameterView, StatementView, TextLine,
};
use crate::model::ids::ControlId;
use crate::model::oscal::ByComponent;
use crate::model::{AuditEntry, ImpactLevel};
use crate::store;

/// What loading a baseline did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BaselineReceipt {
    pub baseline: BaselineInfo,
    /// Things the assessor should know (e.g. a catalog for another impact level).
    pub warnings: Vec<String>,
}

/// The file name of the FedRAMP Rev5 resolved-profile catalog for `impact`.
pub fn bundled_baseline_name(impact: ImpactLevel) -> &'static str {
    match impact {
        ImpactLevel::LiSaas => "FedRAMP_rev5_LI-SaaS-baseline-resolved-profile_catalog.xml",
        ImpactLevel::Low => "FedRAMP_rev5_LOW-baseline-resolved-profile_catalog.xml",
        ImpactLevel::Moderate => "FedRAMP_rev5_MODERATE-baseline-resolved-profile_catalog.xml",
        ImpactLevel::High => "FedRAMP_rev5_HIGH-baseline-resolved-profile_catalog.xml",
    }
}

/// Where Assay looks for the bundled baselines, in order: `$ASSAY_BASELINES`, `baselines/` beside the
/// executable (and `../share/assay/baselines`), the extra folders given (e.g. the desktop bundle's
/// resources), and the repository's `assets/baselines` for development builds.
pub fn baseline_search_dirs(extra: &[PathBuf]) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os("ASSAY_BASELINES") {
        dirs.push(PathBuf::from(dir));
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
    {
        dirs.push(exe_dir.join("baselines"));
        dirs.push(exe_dir.join("../share/assay/baselines"));
    }
    dirs.extend(extra.iter().cloned());
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../assets/baselines"));
    dirs
}

/// The bundled catalog for `impact`, if installed in one of `dirs`.
pub fn find_bundled_baseline(impact: ImpactLevel, dirs: &[PathBuf]) -> Result<PathBuf> {
    let name = bundled_baseline_name(impact);
    dirs.iter().map(|d| d.join(name)).find(|p| p.is_file()).ok_or_else(|| Error::NotFound {
        what: format!(
            "the FedRAMP {impact} baseline ({name}); looked in {}. Install it with `bash .ci/fetch-baselines`, \
             or load a catalog file with `assay baseline FILE --import CATALOG`",
            dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
        ),
    })
}

/// The largest OSCAL file Assay reads (the largest real SSPs are tens of megabytes).
pub const MAX_OSCAL_BYTES: u64 = 1 << 30;

/// Reads a whole input file, naming it in any error. Files over `MAX_OSCAL_BYTES` are refused
/// before anything is read, so a huge or endless file cannot exhaust memory.
pub fn read_input(path: &Path) -> Result<Vec<u8>> {
    let meta = super::files::open_regular(path)?
        .metadata()
        .map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
    if meta.len() > MAX_OSCAL_BYTES {
        return Err(Error::Validation {
            field: path.display().to_string(),
            message: format!(
                "the file is {} MiB; OSCAL files over {} MiB are refused",
                meta.len() >> 20,
                MAX_OSCAL_BYTES >> 20
            ),
        });
    }
    super::files::read_regular(path, MAX_OSCAL_BYTES)
}

/// The impact level a catalog's title names, if exactly one.
fn level_in_title(title: &str) -> Option<ImpactLevel> {
    let t = title.to_ascii_lowercase();
    let found: Vec<ImpactLevel> = [
        ("li-saas", ImpactLevel::LiSaas),
        ("low", ImpactLevel::Low),
        ("moderate", ImpactLevel::Moderate),
        ("high", ImpactLevel::High),
    ]
    .into_iter()
    .filter(|(w, _)| {
        t.split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .any(|x| x == *w)
    })
    .map(|(_, l)| l)
    .collect();
    match found.as_slice() {
        [one] => Some(*one),
        // "LI-SaaS" titles also say "Low" in some releases.
        [ImpactLevel::LiSaas, ImpactLevel::Low] => Some(ImpactLevel::LiSaas),
        _ => None,
    }
}

/// Each control id may appear once among the active controls: the baseline is keyed by it, and
/// which of two differing definitions counts would be a guess. The error names the id and
/// both places (position in document order, family, parent control).
fn refuse_duplicate_controls(
    source_name: &str,
    catalog: &crate::model::oscal::Catalog,
) -> Result<()> {
    let place = |c: &crate::model::oscal::Control| {
        let mut at = format!("control #{} in document order", c.sort_order + 1);
        if let Some(group) = &c.group_id {
            at.push_str(&format!(" (group {group})"));
        }
        if let Some(parent) = &c.parent_id {
            at.push_str(&format!(", an enhancement of {parent}"));
        }
        at
    };
    let mut seen = std::collections::HashMap::new();
    for c in catalog.active_controls() {
        if let Some(first) = seen.insert(c.id.as_str(), c) {
            return Err(Error::Validation {
                field: source_name.to_owned(),
                message: format!(
                    "control {} appears twice: as {} and as {}; a catalog gives each control id once",
                    c.id,
                    place(first),
                    place(c)
                ),
            });
        }
    }
    Ok(())
}

impl Session {
    /// Reads an OSCAL catalog or resolved profile and makes it the engagement's baseline, replacing
    /// any earlier one, in one transaction.
    pub fn import_baseline(
        &mut self,
        source_name: &str,
        bytes: &[u8],
        opts: &ImportOptions<'_>,
    ) -> Result<BaselineReceipt> {
        let imported = assay_oscal::read_catalog(source_name, bytes, &opts.oscal())?;
        let catalog = imported.value;
        if catalog.active_controls().next().is_none() {
            return Err(Error::Validation {
                field: source_name.to_owned(),
                message: "the catalog holds no controls".into(),
            });
        }
        refuse_duplicate_controls(source_name, &catalog)?;
        let impact = self.engagement()?.impact_level;
        let mut warnings: Vec<String> = imported
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.location, d.message))
            .collect();
        if let Some(level) = level_in_title(&catalog.title) {
            if level != impact {
                warnings.insert(
                    0,
                    format!("\"{}\" is a {level} baseline but the engagement's impact level is {impact}", catalog.title),
                );
            }
        }
        let previous = store::baseline::info(self.store.conn())?;
        self.write_durable(|tx, ctx| {
            store::baseline::replace(tx, &catalog, &ctx.timestamp())?;
            let info = store::baseline::info(tx)?
                .ok_or_else(|| Error::Corrupt("the baseline just stored is missing".into()))?;
            let summary = format!(
                "loaded baseline \"{}\" ({} controls, {} objectives) from {} (SHA-256 {})",
                info.title,
                info.controls,
                info.objectives,
                info.source_name,
                &info.source_sha256[..12.min(info.source_sha256.len())]
            );
            let entry = AuditEntry {
                entity: "baseline".into(),
                entity_id: info.source_sha256.clone(),
                action: if previous.is_some() {
                    "replace"
                } else {
                    "create"
                }
                .into(),
                summary,
                before: previous
                    .map(|p| format!("{} ({})", p.title, p.source_sha256))
                    .unwrap_or_default(),
                after: format!("{} ({})", info.title, info.source_sha256),
            };
            Ok((
                BaselineReceipt {
                    baseline: info,
                    warnings,
                },
                vec![entry],
            ))
        })
    }

    /// Loads the bundled FedRAMP baseline that matches the engagement's impact level.
    pub fn import_bundled_baseline(
        &mut self,
        search_dirs: &[PathBuf],
        opts: &ImportOptions<'_>,
    ) -> Result<BaselineReceipt> {
        let impact = self.engagement()?.impact_level;
        let path = find_bundled_baseline(impact, search_dirs)?;
        let bytes = read_input(&path)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.import_baseline(&name, &bytes, opts)
    }

    /// Loads the baseline the user chose: the OSCAL catalog or resolved profile at `catalog`
    /// (named by its file name), else the bundled baseline for the engagement's impact level,
    /// looked for in `extra_dirs` and then the standard places ([`baseline_search_dirs`]).
    pub fn load_baseline(
        &mut self,
        catalog: Option<&Path>,
        extra_dirs: &[PathBuf],
        opts: &ImportOptions<'_>,
    ) -> Result<BaselineReceipt> {
        match catalog {
            Some(path) => {
                let bytes = read_input(path)?;
                self.import_baseline(&super::display_name(path), &bytes, opts)
            }
            None => self.import_bundled_baseline(&baseline_search_dirs(extra_dirs), opts),
        }
    }

    /// The loaded baseline, if any.
    pub fn baseline(&self) -> Result<Option<BaselineInfo>> {
        store::baseline::info(self.store.conn())
    }

    /// Control families in catalog order.
    pub fn control_families(&self) -> Result<Vec<Family>> {
        store::baseline::families(self.store.conn())
    }

    /// All controls in catalog order.
    pub fn controls(&self) -> Result<Vec<ControlSummary>> {
        store::baseline::controls(self.store.conn())
    }

    /// One control with its objectives, methods and the CSP's implementation.
    pub fn control_detail(&self, id: &ControlId) -> Result<ControlDetail> {
        let id = id.as_str();
        let conn = self.store.conn();
        let (c, family_title, assessable) =
            store::baseline::control(conn, id)?.ok_or_else(|| Error::NotFound {
                what: format!("control {id}"),
            })?;
        let requirement = store::ssp::implemented_requirement(conn, id)?;
        let titles = store::ssp::component_titles(conn)?;
        let ssp_values = |param: &str| -> Vec<String> {
            requirement
                .iter()
                .flat_map(|r| r.set_parameters.iter())
                .filter(|p| p.param_id == param)
                .flat_map(|p| p.values.clone())
                .collect()
        };
        let by_component = |b: &ByComponent| ByComponentView {
            component_uuid: b.component_uuid.clone(),
            component_title: titles
                .get(&b.component_uuid)
                .cloned()
                .unwrap_or_else(|| b.component_uuid.clone()),
            status: b.implementation_status.clone(),
            description: b.description.clone(),
        };
        let implementation = requirement.as_ref().map(|r| {
            let mut statements: Vec<StatementView> = r
                .statements
                .iter()
                .map(|s| StatementView {
                    statement_id: s.statement_id.clone(),
                    by_components: s.by_components.iter().map(by_component).collect(),
                })
                .collect();
            if !r.by_components.is_empty() {
                statements.insert(
                    0,
                    StatementView {
                        statement_id: r.control_id.clone(),
                        by_components: r.by_components.iter().map(by_component).collect(),
                    },
                );
            }
            ImplementationView {
                status: r.implementation_status.clone(),
                origination: r.control_origination.clone(),
                responsible_roles: r
                    .responsible_roles
                    .iter()
                    .map(|a| a.role_id.clone())
                    .collect(),
                statements,
            }
        });
        Ok(ControlDetail {
            id: c.id.clone(),
            label: c.label.clone(),
            title: c.title.clone(),
            family_title,
            core: c.core,
            statement: c
                .statement_parts
                .iter()
                .map(|p| TextLine {
                    id: p.id.clone(),
                    label: p.label.clone(),
                    text: p.text.clone(),
                    depth: p.depth,
                })
                .collect(),
            parameters: c
                .params
                .iter()
                .map(|p| ParameterView {
                    id: p.id.clone(),
                    label: p.label.clone(),
                    values: p.values.clone(),
                    constraints: p.constraints.clone(),
                    guidelines: p.guidelines.clone(),
                    choices: p
                        .select
                        .as_ref()
                        .map(|s| s.choices.clone())
                        .unwrap_or_default(),
                    ssp_values: ssp_values(&p.id),
                })
                .collect(),
            guidance: c.guidance.clone(),
            fedramp_notes: c
                .fedramp_notes
                .iter()
                .map(|n| LabelledText {
                    label: if n.label.is_empty() {
                        n.kind.clone()
                    } else {
                        n.label.clone()
                    },
                    text: n.text.clone(),
                })
                .collect(),
            objectives: c
                .objectives
                .iter()
                .map(|o| ObjectiveView {
                    id: o.id.clone(),
                    label: o.label.clone(),
                    text: o.text.clone(),
                    depth: o.depth,
                    assessable: assessable.contains(&o.id),
                    methods: o.methods.clone(),
                })
                .collect(),
            methods: c
                .methods
                .iter()
                .map(|m| LabelledText {
                    label: m.method.clone(),
                    text: m.objects.clone(),
                })
                .collect(),
            implementation,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impact_levels_are_read_from_catalog_titles() {
        assert_eq!(
            level_in_title("FedRAMP Rev 5 Moderate Baseline"),
            Some(ImpactLevel::Moderate)
        );
        assert_eq!(
            level_in_title("FedRAMP Rev 5 HIGH Baseline"),
            Some(ImpactLevel::High)
        );
        assert_eq!(
            level_in_title("FedRAMP Rev 5 LI-SaaS Baseline"),
            Some(ImpactLevel::LiSaas)
        );
        assert_eq!(level_in_title("NIST SP 800-53 Rev 5 Catalog"), None);
        // "Follow" contains "low" but is not the word.
        assert_eq!(level_in_title("Follow-up controls"), None);
    }
}
