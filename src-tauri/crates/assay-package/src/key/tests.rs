use super::{describe_public_key, fingerprint_of, key_from_seed, parse_key_file, render_key_file};

#[test]
fn the_same_seed_gives_the_same_key() {
    let a = key_from_seed([7; 32]);
    let b = key_from_seed([7; 32]);
    let c = key_from_seed([8; 32]);
    assert_eq!(a.to_bytes(), b.to_bytes());
    assert_ne!(
        describe_public_key(&a).public_key_hex,
        describe_public_key(&c).public_key_hex,
        "different seeds must give different keys"
    );
}

#[test]
fn fingerprints_are_sixteen_colon_separated_hex_pairs() {
    let info = describe_public_key(&key_from_seed([1; 32]));
    let pairs: Vec<&str> = info.fingerprint.split(':').collect();
    assert_eq!(pairs.len(), 16, "{}", info.fingerprint);
    assert!(pairs.iter().all(|p| p.len() == 2
        && p.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())));
    assert_eq!(info.public_key_hex.len(), 64);
    // Known answer: SHA-256 of 32 zero bytes starts 66687aadf862bd77 6c8fc18b8e9f8e20.
    assert_eq!(
        fingerprint_of(&[0; 32]),
        "66:68:7a:ad:f8:62:bd:77:6c:8f:c1:8b:8e:9f:8e:20"
    );
}

#[test]
fn a_rendered_key_file_parses_back_to_the_same_key() {
    let key = key_from_seed([42; 32]);
    let text = render_key_file(&key);
    assert!(text.starts_with("assay-ed25519-signing-key-v1\nsecret: "));
    assert_eq!(parse_key_file(&text).unwrap().to_bytes(), key.to_bytes());
}

#[test]
fn damaged_key_files_are_refused_with_a_reason() {
    let good = render_key_file(&key_from_seed([42; 32]));
    let flipped_secret = {
        let mut lines: Vec<String> = good.lines().map(str::to_owned).collect();
        let last = lines[1].pop().unwrap();
        lines[1].push(if last == '0' { '1' } else { '0' });
        lines.join("\n")
    };
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "first line"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----\n".into(), "first line"),
        (good.replace("secret: ", "secret "), "second line"),
        (
            good.lines().take(2).collect::<Vec<_>>().join("\n"),
            "third line",
        ),
        (good.replace("secret: ", "secret: zz"), "secret key"),
        (
            good.to_uppercase()
                .replacen(
                    "ASSAY-ED25519-SIGNING-KEY-V1",
                    "assay-ed25519-signing-key-v1",
                    1,
                )
                .replace("SECRET: ", "secret: ")
                .replace("PUBLIC: ", "public: "),
            "lowercase",
        ),
        (format!("{good}extra\n"), "after the public key"),
        (flipped_secret, "does not belong"),
    ];
    for (text, needle) in cases {
        let err = parse_key_file(&text).expect_err(&text);
        assert!(
            err.contains(needle),
            "{text:?}: {err:?} should mention {needle:?}"
        );
    }
}
