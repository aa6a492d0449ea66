//! Email correctness: domains against the Python `idna` package (IDNA 2008
//! with the UTS #46 mapping, STD3 rules), local parts against RFC 5322 and
//! RFC 6531/6532, and the same answer from a row and a single-value call.
//!
//! `tests/data/email_domain_vectors.jsonl` is written by
//! `scripts/gen_email_vectors.py` (the command is in its docstring).

use std::fmt::Write as _;

use contact_batch::{validate_email, Config, EmailError, Engine, Existing, Profile};
use serde_json::{json, Value};

const DOMAINS: &str = include_str!("../data/email_domain_vectors.jsonl");

/// Domains the engine accepts (strict UTS #46, what mail clients and
/// browsers resolve) and IDNA 2008 refuses, with the reason. The test
/// fails if one of them starts agreeing, so the list never goes stale.
const IDNA2008_ONLY: &[(&str, &str)] = &[
    (
        "☃.net",
        "U+2603 is valid in UTS #46, DISALLOWED in IDNA 2008",
    ),
    (
        "i❤.ws",
        "U+2764 is valid in UTS #46, DISALLOWED in IDNA 2008",
    ),
    (
        "😀.example",
        "emoji are valid in UTS #46, DISALLOWED in IDNA 2008",
    ),
    (
        "ex⁄ample.com",
        "U+2044 is valid in UTS #46, DISALLOWED in IDNA 2008",
    ),
    (
        "ex‐ample.com",
        "U+2010 is valid in UTS #46, DISALLOWED in IDNA 2008",
    ),
];

#[test]
fn domains_agree_with_python_idna() {
    let mut mismatches = String::new();
    let mut used = vec![false; IDNA2008_ONLY.len()];
    let mut count = 0;
    for (n, line) in DOMAINS.lines().enumerate() {
        let v: Value = serde_json::from_str(line).expect("vector JSON");
        let domain = v["domain"].as_str().expect("domain");
        let reference = v["ascii"].as_str();
        let engine_valid = v["engine_valid"].as_bool().unwrap_or(reference.is_some());
        // A one-letter local part: the 254 of the address leaves 252.
        let got = validate_email(&format!("a@{domain}"));
        count += 1;
        let got_domain = got
            .as_ref()
            .ok()
            .map(|e| e.key.rsplit_once('@').expect("@").1.to_owned());
        let agrees = match (engine_valid, &got_domain) {
            (true, Some(d)) => Some(d.as_str()) == reference,
            (false, None) => true,
            _ => false,
        };
        if agrees {
            continue;
        }
        if let Some(k) = IDNA2008_ONLY.iter().position(|(d, _)| *d == domain) {
            used[k] = true;
            continue;
        }
        let _ = writeln!(
            mismatches,
            "line {}: a@{domain:?}: reference {:?} ({}), engine {got:?}",
            n + 1,
            reference,
            v["error"]
        );
    }
    let stale: Vec<&str> = IDNA2008_ONLY
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|((d, _), _)| *d)
        .collect();
    assert!(count > 80, "only {count} vectors");
    assert!(
        mismatches.is_empty() && stale.is_empty(),
        "mismatches:\n{mismatches}stale IDNA2008_ONLY entries: {stale:?}"
    );
}

#[test]
fn idempotent_on_every_domain_vector() {
    for line in DOMAINS.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let raw = format!("Ann.Lee@{}", v["domain"].as_str().unwrap());
        if let Ok(once) = validate_email(&raw) {
            assert_eq!(validate_email(&once.normalized), Ok(once.clone()), "{raw}");
        }
    }
}

#[test]
fn label_lengths_count_the_a_label() {
    // 40 Cyrillic letters: 80 bytes, a 44-character A-label.
    let ok = validate_email(&format!("a@{}.com", "ж".repeat(40))).unwrap();
    assert!(ok.key.starts_with("a@xn--"), "{}", ok.key);
    // 58 Cyrillic letters: an A-label over 63.
    assert_eq!(
        validate_email(&format!("a@{}.com", "ж".repeat(58))),
        Err(EmailError::Invalid)
    );
    // Found by the email fuzz target: the raw label fits in 63 bytes, its
    // lowercase (ⱥ is 3 bytes, Ⱥ 2) and its A-label do not; refused, so no
    // stored address fails to validate again.
    let fuzz = format!("a@Ⱥ{}.com", "w".repeat(61));
    assert_eq!(validate_email(&fuzz), Err(EmailError::Invalid));
    // Shorter, it is valid and its normalized form validates to itself.
    let short = validate_email(&format!("a@Ⱥ{}.com", "w".repeat(40))).unwrap();
    assert_eq!(validate_email(&short.normalized), Ok(short.clone()));
    assert!(short.normalized.starts_with("a@ⱥ"), "{}", short.normalized);
}

#[test]
fn local_parts_follow_rfc_5322_and_6531() {
    // Valid: RFC 6531 non-ASCII letters with combining marks, full-width
    // characters, RFC 5322 quoted strings with quoted-pairs of a space and
    // of a non-ASCII character (RFC 6532), `<` and `@` inside quotes.
    for (raw, normalized) in [
        ("उपयोगकर्ता@उदाहरण.भारत", "उपयोगकर्ता@उदाहरण.भारत"),
        ("संपर्क@example.com", "संपर्क@example.com"),
        ("ｕｓｅｒ@example.com", "ｕｓｅｒ@example.com"),
        ("用户@例子.广告", "用户@例子.广告"),
        ("δοκιμή@παράδειγμα.δοκιμή", "δοκιμή@παράδειγμα.δοκιμή"),
        (
            r#""Fred\ Bloggs"@example.com"#,
            r#""Fred\ Bloggs"@example.com"#,
        ),
        (
            r#""Fred Bloggs"@example.com"#,
            r#""Fred Bloggs"@example.com"#,
        ),
        (r#""\é"@example.com"#, r#""\é"@example.com"#),
        (r#""a<b"@example.com"#, r#""a<b"@example.com"#),
        (r#""a <b>"@example.com"#, r#""a <b>"@example.com"#),
        (r#""a@b"@Example.com"#, r#""a@b"@example.com"#),
        (r#""\"q\""@example.com"#, r#""\"q\""@example.com"#),
    ] {
        let v = validate_email(raw).unwrap_or_else(|e| panic!("{raw}: {e:?}"));
        assert_eq!(v.normalized, normalized, "{raw}");
    }
    // 64 characters of Devanagari (192 bytes) is within the limit; 65 is not.
    let sixty_four = format!("{}@example.com", "क".repeat(64));
    assert!(validate_email(&sixty_four).is_ok());
    assert_eq!(
        validate_email(&format!("{}@example.com", "क".repeat(65))),
        Err(EmailError::LocalPartTooLong)
    );
    // Invalid: a display name, an unclosed quote, a backslash ending the
    // quoted string, specials outside quotes.
    for (raw, err) in [
        ("Ann <a@example.com>", EmailError::DisplayName),
        ("<a@example.com>", EmailError::DisplayName),
        ("a<b@example.com", EmailError::DisplayName),
        (r#""a<b@example.com"#, EmailError::Invalid),
        (r#""a\"@example.com"#, EmailError::Invalid),
        ("a b@example.com", EmailError::Invalid),
        ("a(b)@example.com", EmailError::Invalid),
        ("a..b@example.com", EmailError::Invalid),
    ] {
        assert_eq!(validate_email(raw), Err(err), "{raw}");
    }
}

fn engine(profile: Profile) -> Engine {
    Engine::new(Config::builder(profile).threads(1).build()).unwrap()
}

/// The email of one row of `profile`: its normalized value, or whether it
/// was refused.
fn row_email(profile: Profile, email: &str) -> Result<String, ()> {
    let body = match profile {
        Profile::ContactBook => {
            json!({"contacts": [{"phone": "+14155552671", "email": email}]})
        }
        _ => json!({"contacts": [{"firstname": "A", "phone": "+14155552671", "email": email}]}),
    };
    let out = engine(profile).respond(body.to_string().as_bytes(), &Existing::new());
    match (&out.rows[0].contact, out.rows[0].errors.is_empty()) {
        (Some(c), true) => Ok(c.email.clone().expect("an email")),
        _ => Err(()),
    }
}

#[test]
fn rows_and_the_single_value_call_agree() {
    for raw in [
        "\"a\tb\"@example.com",
        "\"a\u{0}b\"@example.com",
        "\"a\u{1b}b\"@example.com",
        "a@exam\u{202e}ple.com",
        " \n a@example.com \t",
        "\"Fred  \n Bloggs\"@example.com",
        "a\n@example.com",
        "user@bücher.example",
    ] {
        let single = engine(Profile::RaslCreate)
            .validate_email(raw)
            .map(|v| v.normalized)
            .map_err(|_| ());
        for p in [Profile::RaslCreate, Profile::ContactBook] {
            assert_eq!(row_email(p, raw), single, "{p} {raw:?}");
        }
    }
    // The text rule of a single-line field: a TAB inside quotes is a
    // space, a NUL is refused with its own reason.
    assert_eq!(
        validate_email("\"a\tb\"@example.com").map(|v| v.normalized),
        Ok("\"a b\"@example.com".to_owned())
    );
    assert_eq!(
        validate_email("\"a\u{0}b\"@example.com"),
        Err(EmailError::ControlCharacter)
    );
}
