use super::{check_path, fold_path};

#[test]
fn accepts_ordinary_relative_paths() {
    for path in [
        "manifest.json",
        "SAR/Northwind-SAR.pdf",
        "Evidence/AC-2/screenshot 1.png",
        "POAM/Northwind POA&M (v2).xlsx",
        "a/b/c/d.txt",
        "résumé.txt",
    ] {
        assert_eq!(check_path(path), Ok(()), "{path} should be accepted");
    }
}

#[test]
fn refuses_unsafe_paths_with_a_reason() {
    let cases: &[(&str, &str)] = &[
        ("", "empty"),
        ("/etc/passwd", "absolute"),
        ("../outside.txt", "'..'"),
        ("SAR/../../outside.txt", "'..'"),
        ("SAR/./x.pdf", "'.'"),
        ("SAR\\x.pdf", "backslash"),
        ("C:/x.pdf", "Windows forbids"),
        ("x.pdf:stream", "Windows forbids"),
        ("SAR//x.pdf", "empty segment"),
        ("SAR/", "empty segment"),
        ("x\u{0}.pdf", "control"),
        ("x\n.pdf", "control"),
        ("SAR./x.pdf", "dot or a space"),
        ("SAR/x.pdf ", "dot or a space"),
    ];
    for (path, needle) in cases {
        let reason = check_path(path).expect_err(path);
        assert!(
            reason.contains(needle),
            "{path:?}: reason {reason:?} should mention {needle:?}"
        );
    }
}

#[test]
fn refuses_overlong_paths() {
    let long = "a/".repeat(600) + "x";
    assert!(
        check_path(&long).is_err(),
        "a 1201-byte path must be refused"
    );
}

#[test]
fn folds_case_so_windows_collisions_are_caught() {
    assert_eq!(fold_path("SAR/Report.PDF"), fold_path("sar/report.pdf"));
    assert_ne!(fold_path("SAR/a.pdf"), fold_path("SAR/b.pdf"));
}
