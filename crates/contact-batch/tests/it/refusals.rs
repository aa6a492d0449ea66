//! Typed request errors (issue 31): every refusal of a request as a whole
//! carries its kind, in `Outcome::refusal` and `Prepared::refusal`, the
//! same through both phases and the one call; rows never carry one. (The
//! rendered responses are the golden files'.)

use contact_batch::{Config, Engine, Existing, Profile, RequestErrorKind as K};

fn engine(profile: Profile) -> Engine {
    Engine::new(
        Config::builder(profile)
            .threads(1)
            .max_body_bytes(1 << 20)
            .build(),
    )
    .unwrap()
}

/// The kind of `body`'s refusal, checked alike through both forms.
fn kind(profile: Profile, body: &str) -> Option<K> {
    let e = engine(profile);
    let one = e.respond(body, &Existing::new());
    let prepared = e.prepare(body);
    let two = e.resolve(&prepared, &Existing::new());
    assert_eq!(one.refusal, two.refusal, "{profile}: {body}");
    assert_eq!(prepared.refusal(), one.refusal, "{profile}: {body}");
    assert_eq!(prepared.rejection().is_some(), one.refusal.is_some());
    assert_eq!(one.response, two.response);
    if one.refusal.is_some() {
        assert!(one.rejected && one.rows.is_empty(), "{profile}: {body}");
        assert!(
            (400..500).contains(&one.response.status),
            "{profile}: {body}"
        );
    }
    one.refusal
}

#[test]
fn generic_refusals_have_their_kind_in_every_profile() {
    for profile in Profile::ALL {
        assert_eq!(kind(profile, ""), Some(K::Empty), "{profile}");
        assert_eq!(kind(profile, "  \n"), Some(K::Empty), "{profile}");
        assert_eq!(kind(profile, "{\"a\":"), Some(K::NotJson), "{profile}");
        assert_eq!(kind(profile, "\u{fffd}"), Some(K::NotJson), "{profile}");
        assert_eq!(kind(profile, "[]"), Some(K::NotAnObject), "{profile}");
        let big = format!("{{\"x\":\"{}\"}}", "a".repeat(2 << 20));
        assert_eq!(kind(profile, &big), Some(K::TooLarge), "{profile}");
        let e = engine(profile);
        assert_eq!(e.refuse_oversized(None).refusal, Some(K::TooLarge));
    }
}

#[test]
fn each_profile_names_its_batch_problems() {
    use Profile::*;
    let contact = r#"{"firstname":"Ann","phone":"+14155552671"}"#;
    let many = |key: &str, n: usize| format!("{{\"{key}\":[{}]}}", vec![contact; n].join(","));
    let cases: &[(Profile, String, Option<K>)] = &[
        (RaslCreate, format!("{{\"contacts\":[{contact}]}}"), None),
        (RaslCreate, "{}".into(), Some(K::BatchMissing)),
        (
            RaslCreate,
            r#"{"contacts":null}"#.into(),
            Some(K::BatchMissing),
        ),
        (RaslCreate, r#"{"contacts":[]}"#.into(), Some(K::BatchEmpty)),
        (RaslCreate, many("contacts", 1001), Some(K::BatchTooLong)),
        (
            RaslCreate,
            r#"{"contacts":5}"#.into(),
            Some(K::BatchNotAnArray),
        ),
        (
            RaslCreate,
            r#"{"contacts":[1]}"#.into(),
            Some(K::ElementInvalid),
        ),
        (
            RaslCreate,
            format!("{{\"contacts\":[{contact}],\"options\":{{\"skip_duplicates\":\"x\"}}}}"),
            Some(K::BadOptions),
        ),
        (
            RaslCreate,
            r#"{"contacts":[1],"options":7}"#.into(),
            Some(K::Invalid),
        ),
        (RaslDelete, r#"{"ids":[1,2]}"#.into(), None),
        (
            RaslDelete,
            r#"{"ids":["x"]}"#.into(),
            Some(K::ElementInvalid),
        ),
        (RaslDelete, r#"{"ids":[]}"#.into(), Some(K::BatchEmpty)),
        (RecordList, r#"{"records":[]}"#.into(), Some(K::BatchEmpty)),
        (RecordList, r#"{}"#.into(), Some(K::BatchMissing)),
        (
            RecordList,
            r#"{"records":[1,2]}"#.into(),
            Some(K::ElementInvalid),
        ),
        (RecordList, many("records", 101), Some(K::BatchTooLong)),
        (
            ContactBook,
            r#"{"contacts":[]}"#.into(),
            Some(K::BatchEmpty),
        ),
        (
            ContactBook,
            r#"{"contacts":"x"}"#.into(),
            Some(K::BatchNotAnArray),
        ),
        (
            ContactBook,
            r#"{"contacts":[1]}"#.into(),
            Some(K::ElementInvalid),
        ),
        (
            ContactBook,
            format!("{{\"defaultCountryCode\":\"x\",\"contacts\":[{contact}]}}"),
            Some(K::Invalid),
        ),
        (
            ContactBook,
            r#"{"defaultCountryCode":"x","contacts":[1]}"#.into(),
            Some(K::Invalid),
        ),
    ];
    for (profile, body, want) in cases {
        assert_eq!(kind(*profile, body), *want, "{profile}: {body}");
    }
    // A request with invalid rows is no refusal, rejected or not.
    let rows =
        r#"{"contacts":[{"firstname":"","phone":"12"}],"options":{"continue_on_error":false}}"#;
    let out = engine(RaslCreate).respond(rows, &Existing::new());
    assert!(out.rejected && out.refusal.is_none());
}

#[test]
fn kind_names_are_stable() {
    for (k, name) in [
        (K::TooLarge, "too_large"),
        (K::Empty, "empty"),
        (K::NotJson, "not_json"),
        (K::BudgetExceeded, "budget_exceeded"),
        (K::NotAnObject, "not_an_object"),
        (K::BatchMissing, "batch_missing"),
        (K::BatchEmpty, "batch_empty"),
        (K::BatchTooLong, "batch_too_long"),
        (K::BatchNotAnArray, "batch_not_an_array"),
        (K::ElementInvalid, "element_invalid"),
        (K::BadOptions, "bad_options"),
        (K::Invalid, "invalid"),
    ] {
        assert_eq!(k.as_str(), name);
        assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{name}\""));
    }
}
