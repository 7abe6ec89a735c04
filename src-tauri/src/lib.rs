//! Assay's desktop shell: the Tauri builder, managed state and the IPC surface.
//!
//! Invariant: commands are thin (one core call each) and the UI reaches them only through the
//! generated `ui/src/lib/ipc/bindings.ts`; [`specta_builder`] is the single list of commands.

mod commands;
mod ipc_error;
mod paths;
mod progress;
mod state;

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use tauri::{DragDropEvent, Manager, WindowEvent};

use crate::paths::{Grants, PathGrants};
use crate::state::AppState;

/// Every command the UI may call, with its TypeScript signature.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    use commands::engagement::*;
    use commands::files::*;
    use commands::import::*;
    use commands::package::*;
    use commands::sap::*;
    use commands::sar::*;
    use commands::scans::*;
    use commands::system::*;
    use commands::testing::*;
    tauri_specta::Builder::<tauri::Wry>::new()
        // One TypeScript type per Rust type: our types serialise and deserialise the same way.
        .disable_serde_phases()
        .commands(tauri_specta::collect_commands![
            startup,
            create_engagement,
            open_engagement,
            close_engagement,
            get_overview,
            update_engagement,
            add_team_member,
            remove_team_member,
            audit_log,
            verify_audit_log,
            import_baseline,
            stage_ssp,
            apply_staged_ssp,
            discard_staged_ssp,
            cancel_import,
            get_baseline,
            list_control_families,
            list_controls,
            get_control,
            get_system_overview,
            list_inventory,
            list_components,
            list_users,
            list_intake_checks,
            get_sap,
            draft_sap,
            update_sap,
            get_sap_completeness,
            sign_sap,
            list_sap_deviations,
            export_sap,
            freeze,
            current_freeze,
            list_drift,
            list_test_rows,
            get_test_row,
            record_test,
            set_results,
            get_test_progress,
            list_test_gaps,
            add_evidence,
            link_evidence,
            list_evidence,
            verify_evidence,
            custody_log,
            add_finding,
            update_finding,
            list_findings,
            get_finding,
            list_library,
            add_library_entry,
            library_entry_from_finding,
            apply_library_entry,
            score_cvss,
            cvss_metric_definitions,
            risk_exposure,
            import_scans,
            list_scan_files,
            list_weaknesses,
            list_weakness_instances,
            list_asset_weaknesses,
            review_weakness,
            get_coverage,
            get_configuration_findings,
            sar_report,
            update_sar,
            set_recommendation,
            import_kev,
            set_coverage_note,
            signing_key_info,
            default_package_name,
            export_package,
            verify_package,
            list_trusted_signers,
            trust_signer,
            remove_trusted_signer,
            pick_open,
            pick_save,
        ])
}

/// Writes the TypeScript bindings for the UI to `path`.
pub fn export_bindings(path: &std::path::Path) -> Result<(), String> {
    let ts = specta_typescript::Typescript::default().header(
        "// Generated from the Rust commands by `cargo test -p assay-desktop`; do not edit.\n",
    );
    specta_builder().export(ts, path).map_err(|e| e.to_string())
}

/// Starts the desktop app.
pub fn run() {
    let builder = specta_builder();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(builder.invoke_handler())
        .on_window_event(|window, event| {
            // Files dropped on the window come from the windowing system, not the page: the
            // user chose them.
            if let WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event {
                let state = window.state::<AppState>();
                for p in paths {
                    state.grants.choose(p);
                }
            }
        })
        .setup(move |app| {
            builder.mount_events(app);
            // ASSAY_CONFIG_DIR lets tests and demos keep their recent-files list apart.
            let config_dir = match std::env::var_os("ASSAY_CONFIG_DIR") {
                Some(dir) => PathBuf::from(dir),
                None => app.path().app_config_dir()?,
            };
            // The signing key is kept once per computer and shared with the command line
            // (ASSAY_KEY_DIR, else ~/.config/assay/keys); a test that isolates its config dir
            // with ASSAY_CONFIG_DIR gets a key store of its own there.
            let key_dir = match (
                std::env::var_os("ASSAY_KEY_DIR").filter(|d| !d.is_empty()),
                std::env::var_os("ASSAY_CONFIG_DIR").filter(|d| !d.is_empty()),
            ) {
                (Some(dir), _) => PathBuf::from(dir),
                (None, Some(_)) => config_dir.join("keys"),
                (None, None) => assay_core::api::package::default_key_dir()
                    .unwrap_or_else(|| config_dir.join("keys")),
            };
            let documents_dir = app
                .path()
                .document_dir()
                .or_else(|_| app.path().home_dir())
                .unwrap_or_else(|_| PathBuf::from("."));
            // `assay-desktop FILE` opens FILE (the README's demo command uses this).
            let initial_file = std::env::args_os().nth(1).map(PathBuf::from);
            // The bundle installs the FedRAMP baselines as resources (tauri.conf.json).
            let baseline_dirs = app
                .path()
                .resource_dir()
                .map(|d| vec![d.join("baselines")])
                .unwrap_or_default();
            let grants = Grants::from_env();
            app.manage(AppState {
                session: Mutex::new(None),
                staged_ssp: Mutex::new(None),
                cancel_import: AtomicBool::new(false),
                baseline_dirs,
                config_dir,
                key_dir,
                documents_dir,
                initial_file,
                grants: PathGrants::new(grants),
            });
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("assay-desktop: {e}");
        std::process::exit(2);
    }
}

#[cfg(test)]
mod tests {
    /// The page may not load or frame anything foreign, nor open file dialogs itself (the shell
    /// must see every path the user chooses).
    #[test]
    fn the_window_is_locked_down() {
        let conf: serde_json::Value =
            serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        let csp = conf["app"]["security"]["csp"].as_str().unwrap();
        let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
        for d in [
            "default-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
            "object-src 'none'",
        ] {
            assert!(directives.contains(&d), "CSP lacks {d}: {csp}");
        }
        assert!(
            !csp.contains("unsafe-eval") && !csp.contains("script-src"),
            "{csp}"
        );
        let caps: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/default.json")).unwrap();
        let granted: Vec<&str> = caps["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        assert_eq!(
            granted,
            ["core:default", "dialog:allow-message", "dialog:allow-ask"]
        );
    }

    /// The committed bindings must match the commands; run with UPDATE_BINDINGS=1 to rewrite them.
    #[test]
    fn bindings_are_up_to_date() {
        let committed = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/lib/ipc/bindings.ts");
        let dir = std::env::temp_dir().join(format!("assay-bindings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fresh = dir.join("bindings.ts");
        super::export_bindings(&fresh).unwrap();
        let fresh_text = std::fs::read_to_string(&fresh).unwrap();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(committed, &fresh_text).unwrap();
            return;
        }
        let old = std::fs::read_to_string(committed).unwrap_or_default();
        assert!(
            old == fresh_text,
            "ui/src/lib/ipc/bindings.ts is stale; run `UPDATE_BINDINGS=1 cargo test -p assay-desktop bindings`"
        );
    }
}
