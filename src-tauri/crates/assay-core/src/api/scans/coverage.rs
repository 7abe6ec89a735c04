//! The scan coverage of the SSP inventory and the configuration-check (CM-6) roll-up, as the UI,
//! the CLI and the SAR read them.
//!
//! Invariant: reads only; the rows come from the store and every figure from
//! `assay_model::scans::{coverage, configuration}`, so the SAR and the coverage page agree.

use crate::api::Session;
use crate::error::Result;
use crate::model::scans::{configuration, coverage, ConfigurationFindings, Coverage};
use crate::store;

impl Session {
    /// Scan coverage of the SSP inventory: which items were scanned, by which tools, with or
    /// without credentials; scanned hosts missing from the inventory are "undocumented".
    /// Hosts are matched against the inventory as it is now, so the order of SSP and scan
    /// imports does not matter.
    pub fn coverage(&self) -> Result<Coverage> {
        let conn = self.store.conn();
        Ok(coverage::compute(
            store::ssp::inventory_rows(conn)?,
            store::scans::hosts(conn)?,
            store::sar::coverage_notes(conn)?,
        ))
    }

    /// Compliance check results rolled up per check for the CM-6 column: each check that failed
    /// or warned on any host, with its 800-53 references and hosts; plus totals by result.
    pub fn configuration_findings(&self) -> Result<ConfigurationFindings> {
        Ok(configuration::roll_up(store::scans::compliance(
            self.store.conn(),
        )?))
    }
}
