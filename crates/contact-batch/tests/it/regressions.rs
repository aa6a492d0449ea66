//! Regressions found by fuzzing (`fuzz/`): each test is a minimized input
//! that once broke an invariant, with the invariant it broke.

use contact_batch::{validate_email, Config, Engine, Existing, Profile, RowStatus};

/// fuzz target `email`: normalization must be idempotent. `İ` (U+0130)
/// lowercases to `i` + U+0307, and a domain with a combining mark is not a
/// valid address: the normalized form of a valid address was refused.
#[test]
fn email_dotted_capital_i_domain_normalizes_to_a_valid_address() {
    let v = validate_email("x@\u{130}\u{130}\u{130}.example").unwrap();
    assert_eq!(v.normalized, "x@\u{130}\u{130}\u{130}.example");
    assert_eq!(v.key, "x@xn--iii-8dcbb.example");
    assert_eq!(validate_email(&v.normalized), Ok(v));
}

/// fuzz target `email`: a final capital sigma lowercased as `ς` (as
/// `str::to_lowercase` does before a non-letter) names another IDNA label
/// than `σ`: validating the normalized form again changed the dedupe key.
#[test]
fn email_final_sigma_domain_keeps_its_key() {
    for raw in ["x@\u{391}\u{3a3}1.example", "x@\u{391}\u{3a3}-b.example"] {
        let v = validate_email(raw).unwrap();
        assert!(!v.normalized.contains('\u{3c2}'), "{}", v.normalized);
        assert_eq!(validate_email(&v.normalized), Ok(v.clone()), "{raw}");
        let lower = validate_email(&raw.replace('\u{3a3}', "\u{3c3}")).unwrap();
        assert_eq!(lower.key, v.key, "{raw}");
    }
}

/// fuzz target `respond_contact_book` (seed `mixed`, on a working copy of
/// the profile that was being rewritten): an invalid row claimed its phone,
/// so the next valid row with that phone was skipped as its duplicate.
/// Invalid rows claim no key (SPEC §3).
#[test]
fn contact_book_invalid_row_claims_no_phone() {
    let e = Engine::new(Config::builder(Profile::ContactBook).threads(1).build()).unwrap();
    let long = "x".repeat(121);
    let body = format!(
        r#"{{"defaultCountryCode":"+1","contacts":[
            {{"phone":"4155552673","displayName":"{long}"}},
            {{"phone":"4155552673","customFields":{{"d":" s "}}}},
            {{"phone":"+1 415 555 2673"}}]}}"#
    );
    let out = e.respond(body.as_bytes(), &Existing::new());
    let statuses: Vec<RowStatus> = out.rows.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [RowStatus::Invalid, RowStatus::New, RowStatus::Duplicate]
    );
    assert_eq!(out.rows[2].duplicate_of, Some(1));
}
