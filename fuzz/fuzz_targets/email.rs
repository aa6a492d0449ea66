//! Email validation on arbitrary strings (lossy UTF-8).
//!
//! Checks: a valid address respects the length limits, has an `@` and a
//! dotted domain, no display-name or IP-literal form; its key is ASCII on
//! the domain side and lowercase; validating the normalized form again
//! gives the same result (normalization is idempotent); the engine method
//! and the free function agree.
#![no_main]

use contact_batch::{validate_email, Profile, MAX_EMAIL_CHARS, MAX_LOCAL_PART_CHARS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    let result = validate_email(&raw);
    let (engine, _) = fuzz_checks::engines(Profile::ContactBook);
    assert_eq!(result, engine.validate_email(&raw));

    let Ok(v) = result else {
        return;
    };
    let (local, domain) = v.normalized.rsplit_once('@').expect("an @");
    assert!(
        v.normalized.chars().count() <= MAX_EMAIL_CHARS,
        "{}",
        v.normalized
    );
    assert!(
        local.chars().count() <= MAX_LOCAL_PART_CHARS,
        "{}",
        v.normalized
    );
    assert!(
        domain.contains('.') && !domain.starts_with('['),
        "{}",
        v.normalized
    );
    // `<` only inside a quoted local part, never as a display name.
    assert!(
        !domain.contains('<') && (!local.contains('<') || local.starts_with('"')),
        "{}",
        v.normalized
    );
    // No control character at all: one inside the address makes it invalid.
    assert!(
        !v.normalized.chars().any(char::is_control),
        "{:?}",
        v.normalized
    );
    // No whitespace run, except inside a quoted local part, which is kept
    // as sent (an address is one token: issue 28).
    if !local.starts_with('"') {
        assert!(!v.normalized.contains("  "), "{:?}", v.normalized);
    }
    // Lowercased, except characters whose lowercase is several (`İ`).
    assert!(
        domain
            .chars()
            .all(|c| c.to_lowercase().count() > 1 || c.to_lowercase().eq(std::iter::once(c))),
        "domain not lowercased: {domain}"
    );
    assert_eq!(v.normalized, v.normalized.trim(), "not trimmed");
    let (_, key_domain) = v.key.rsplit_once('@').expect("an @ in the key");
    assert!(
        key_domain.is_ascii(),
        "key domain {key_domain} is not ASCII"
    );
    assert_eq!(v.key, v.key.to_lowercase(), "key not lowercase");

    let again = validate_email(&v.normalized)
        .unwrap_or_else(|e| panic!("normalized form {:?} is refused: {e:?}", v.normalized));
    assert_eq!(again, v, "normalization is not idempotent");
});
