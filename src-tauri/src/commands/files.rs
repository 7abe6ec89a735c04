//! The native open and save dialogs. The shell shows them itself (the page may not), so the
//! paths they return are the ones the user chose, and are recorded as such (`paths`).

use std::path::PathBuf;

use serde::Deserialize;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};

use crate::ipc_error::IpcResult;
use crate::state::AppState;

/// One line of a dialog's file-type list.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct FileFilter {
    pub name: String,
    /// Without dots: `["xml", "json"]`.
    pub extensions: Vec<String>,
}

/// An open dialog.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct PickOpen {
    pub title: String,
    pub filters: Vec<FileFilter>,
    pub multiple: bool,
}

/// A save dialog.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct PickSave {
    pub title: String,
    pub filters: Vec<FileFilter>,
    /// The folder and name the dialog starts with.
    pub default_path: Option<String>,
    /// Added when the chosen name lacks it (without the dot: `"zip"`).
    pub extension: Option<String>,
}

fn dialog(app: &AppHandle, title: &str, filters: &[FileFilter]) -> FileDialogBuilder<tauri::Wry> {
    let mut d = app.dialog().file().set_title(title);
    for f in filters {
        let exts: Vec<&str> = f.extensions.iter().map(String::as_str).collect();
        d = d.add_filter(&f.name, &exts);
    }
    d
}

fn local(p: FilePath) -> Option<PathBuf> {
    p.into_path().ok()
}

/// Shows an open dialog; the files picked (none when cancelled) may then be read.
#[tauri::command(async)]
#[specta::specta]
pub fn pick_open(
    app: AppHandle,
    state: State<'_, AppState>,
    request: PickOpen,
) -> IpcResult<Vec<String>> {
    let d = dialog(&app, &request.title, &request.filters);
    let picked: Vec<PathBuf> = if request.multiple {
        d.blocking_pick_files()
            .unwrap_or_default()
            .into_iter()
            .filter_map(local)
            .collect()
    } else {
        d.blocking_pick_file().and_then(local).into_iter().collect()
    };
    for p in &picked {
        state.grants.choose(p);
    }
    Ok(picked.iter().map(|p| p.display().to_string()).collect())
}

/// Shows a save dialog (which asks before returning an existing file); the path picked may
/// then be written.
#[tauri::command(async)]
#[specta::specta]
pub fn pick_save(
    app: AppHandle,
    state: State<'_, AppState>,
    request: PickSave,
) -> IpcResult<Option<String>> {
    let mut d = dialog(&app, &request.title, &request.filters);
    if let Some(default) = request.default_path.as_deref().filter(|d| !d.is_empty()) {
        let default = PathBuf::from(default);
        if let Some(dir) = default.parent().filter(|d| d.is_dir()) {
            d = d.set_directory(dir);
        }
        if let Some(name) = default.file_name() {
            d = d.set_file_name(name.to_string_lossy());
        }
    }
    let Some(mut path) = d.blocking_save_file().and_then(local) else {
        return Ok(None);
    };
    let mut renamed = false;
    if let Some(ext) = request.extension.as_deref() {
        let has = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(ext));
        if !has {
            let mut name = path.file_name().unwrap_or_default().to_os_string();
            name.push(format!(".{ext}"));
            path.set_file_name(name);
            renamed = true;
        }
    }
    // With an added extension the dialog did not see this name: an existing file there is
    // still confirmed when a command writes it (`paths::Grants::decide`).
    if renamed {
        state.grants.choose(&path);
    } else {
        state.grants.choose_save_target(&path);
    }
    Ok(Some(path.display().to_string()))
}
