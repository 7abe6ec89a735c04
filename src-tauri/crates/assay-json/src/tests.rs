use super::*;

fn small() -> Limits {
    Limits {
        max_string: 16,
        max_token: 8,
        max_key: 8,
        max_depth: 4,
    }
}

fn problem(text: &str) -> Option<String> {
    check(text.as_bytes(), small()).err().map(|v| v.to_string())
}

#[test]
fn valid_documents_pass() {
    for text in [
        "{}",
        "[]",
        r#"{"a": 1, "b": [1, 2, {"a": 2}], "c": {"a": {"a": null}}}"#,
        r#"[{"a": 1}, {"a": 2}]"#,
        "{\"a\":\"x\\\"y\"}\n{\"a\":2}\n",
        r#"{"a": "\u0041", "\u0062": "é"}"#,
        "\u{feff}",
        "",
    ] {
        assert_eq!(problem(text), None, "{text}");
    }
}

#[test]
fn duplicate_keys_are_refused_with_key_path_and_place() {
    let cases: &[(&str, &str)] = &[
        (
            r#"{"a": 1, "a": 2}"#,
            r#"line 1, column 10: duplicate key "a" in the object at $"#,
        ),
        (
            "{\"x\": [0, {\"b\": 1,\n \"b\": 2}]}",
            r#"line 2, column 2: duplicate key "b" in the object at $.x[1]"#,
        ),
        // Escapes are decoded before comparing: `\u0061` is `a`.
        (
            r#"{"a": 1, "\u0061": 2}"#,
            r#"line 1, column 10: duplicate key "a" in the object at $"#,
        ),
        (
            r#"{"s\n": 1, "s\u000a": 2}"#,
            r#"line 1, column 12: duplicate key "s\n" in the object at $"#,
        ),
        // A surrogate pair decodes to the same character as the raw UTF-8.
        (
            r#"{"😀": 1, "\ud83d\ude00": 2}"#,
            r#"line 1, column 13: duplicate key "😀" in the object at $"#,
        ),
        // JSON Lines: each line is its own document; a repeat inside one line is refused.
        (
            "{\"a\":1}\n{\"a\":1,\"a\":1}\n",
            r#"line 2, column 8: duplicate key "a" in the object at $"#,
        ),
        (
            r#"{"k y": {"q": 1, "q": 1}}"#,
            r#"line 1, column 18: duplicate key "q" in the object at $["k y"]"#,
        ),
    ];
    for (text, want) in cases {
        assert_eq!(problem(text).as_deref(), Some(*want), "{text}");
    }
    // The same key in sibling objects is fine.
    assert_eq!(problem(r#"[{"a": 1}, {"a": 1}]"#), None);
}

#[test]
fn caps_hold_while_reading() {
    let cases: &[(&str, &str)] = &[
        (
            r#"{"a": "0123456789abcdefg"}"#,
            "line 1, column 7: the string at $.a is longer than the 16-byte limit",
        ),
        (
            r#"[1, 123456789]"#,
            "line 1, column 5: the value at $[1] is longer than the 8-byte limit",
        ),
        (
            r#"{"abcdefghi": 1}"#,
            "line 1, column 2: a key in the object at $ is longer than the 8-byte limit",
        ),
        (
            "[[[[[]]]]]",
            "line 1, column 5: nesting deeper than 4 levels at $[0][0][0][0]",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(problem(text).as_deref(), Some(*want), "{text}");
    }
    // Exactly at the caps passes.
    assert_eq!(
        problem(r#"{"abcdefgh": ["0123456789abcdef", 12345678]}"#),
        None
    );
}

#[test]
fn chunking_does_not_change_the_result() {
    let text = "{\"a\": \"x\\u0041y\", \"b\": [1, {\"\\u0041\": 1, \"A\": 2}]}";
    let whole = check(text.as_bytes(), Limits::DEFAULT).unwrap_err();
    for size in 1..8 {
        let mut guard = Guard::new(Limits::DEFAULT);
        let mut result = Ok(());
        for chunk in text.as_bytes().chunks(size) {
            result = guard.feed(chunk);
            if result.is_err() {
                break;
            }
        }
        assert_eq!(result.unwrap_err(), whole, "chunks of {size}");
        // The violation sticks.
        assert_eq!(guard.feed(b"{}").unwrap_err(), whole);
        assert_eq!(guard.violation(), Some(&whole));
    }
    assert!(whole
        .to_string()
        .contains(r#"duplicate key "A" in the object at $.b[1]"#));
}

#[test]
fn a_long_string_is_refused_before_its_end_arrives() {
    let mut guard = Guard::new(small());
    guard.feed(b"[\"").unwrap();
    // 16 bytes are within the cap; the 17th is refused without waiting for the quote.
    guard.feed(&[b'x'; 16]).unwrap();
    let v = guard.feed(b"x").unwrap_err();
    assert!(matches!(v.problem, Problem::StringTooLong { .. }), "{v}");
}

#[test]
fn malformed_input_is_left_to_the_parser() {
    for text in [
        "}}]]",
        "{\"a\" 1 \"a\" 2",
        "\"unterminated",
        "{\"a\":1,,,}",
        "\\u12",
        "{\"\\uZZ\": 1}",
        "\u{0}\u{1}",
    ] {
        // No panic, and no rule broken by these.
        assert_eq!(problem(text), None, "{text:?}");
    }
    // Invalid UTF-8 inside keys is compared byte for byte.
    assert!(check(b"{\"\xff\": 1, \"\xff\": 2}", small()).is_err());
}

#[test]
fn large_objects_are_indexed_and_still_exact() {
    // 1000 distinct keys (past the linear-scan size): no false repeat.
    let keys: Vec<String> = (0..1000).map(|i| format!("\"k{i}\": {i}")).collect();
    let text = format!("{{{}}}", keys.join(", "));
    assert_eq!(check(text.as_bytes(), Limits::DEFAULT), Ok(()));
    // A repeat of the 3rd key as the 41st, and of the 40th as the 1001st.
    for (at, key) in [(40, "k2"), (1000, "k39")] {
        let mut with = keys.clone();
        with.insert(at, format!("\"{key}\": 0"));
        let text = format!("{{{}}}", with.join(", "));
        let v = check(text.as_bytes(), Limits::DEFAULT).unwrap_err();
        assert_eq!(
            v.problem,
            Problem::DuplicateKey {
                key: key.to_string(),
                path: "$".to_string()
            }
        );
    }
    // Keys of a closed object do not leak into its parent or siblings.
    let text =
        r#"{"a": {"b": 1, "c": {"d": 1}}, "b": {"a": 1}, "c": [{"b": 1}, {"b": 2}], "d": 1}"#;
    assert_eq!(check(text.as_bytes(), Limits::DEFAULT), Ok(()));
}
