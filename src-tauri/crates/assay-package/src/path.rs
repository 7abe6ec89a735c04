//! Which paths may appear inside a package.
//!
//! Invariant: a path accepted here extracts to a file strictly inside the destination folder on
//! Linux, macOS and Windows: it is relative, uses `/` only, has no empty, `.` or `..` segment, no
//! control characters and none of the characters Windows refuses in file names, and no segment
//! ends with a dot or a space (Windows strips those, so `a.` and `a` would collide).

#[cfg(test)]
mod tests;

/// Longest path accepted, in bytes; zip names are limited to 65535 and Windows tools choke far
/// earlier.
const MAX_PATH_BYTES: usize = 1024;

/// Characters Windows refuses in file names (`:` also rules out drive letters and NTFS streams).
const WINDOWS_FORBIDDEN: &[char] = &['<', '>', ':', '"', '|', '?', '*'];

/// Checks one package path; the error is the reason it is unsafe.
pub(crate) fn check_path(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Err("the path is empty");
    }
    if path.len() > MAX_PATH_BYTES {
        return Err("the path is longer than 1024 bytes");
    }
    if path.starts_with('/') {
        return Err("the path is absolute");
    }
    if path.contains('\\') {
        return Err("the path contains a backslash (use forward slashes)");
    }
    if path.chars().any(char::is_control) {
        return Err("the path contains a control character");
    }
    if path.contains(WINDOWS_FORBIDDEN) {
        return Err("the path contains a character Windows forbids in file names (< > : \" | ? *)");
    }
    for segment in path.split('/') {
        match segment {
            "" => return Err("the path has an empty segment (a doubled or trailing slash)"),
            "." => return Err("the path has a '.' segment"),
            ".." => return Err("the path has a '..' segment (it would escape the folder)"),
            _ if segment.ends_with('.') || segment.ends_with(' ') => {
                return Err("a path segment ends with a dot or a space");
            }
            _ => {}
        }
    }
    Ok(())
}

/// The key two paths collide under on case-insensitive file systems.
pub(crate) fn fold_path(path: &str) -> String {
    path.to_lowercase()
}
