//! Invariants of the whole pipeline, checked on generated batches.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use contact_batch::{Config, Engine, Existing, Profile, RowStatus};

use crate::support::engines::{batch_key, config};
use proptest::prelude::*;
use serde_json::{json, Value};

/// The same few numbers written many ways (US default region), plus junk.
const PHONES: &[&str] = &[
    "+1 415 555 2671",
    "(415) 555-2671",
    "415.555.2671",
    "+14155552672",
    "011 44 20 7183 8750",
    "+44 20 7183 8750",
    "+351 929 312 319",
    "+91 70007 82082",
    "+49 30 901820",
    "tel:+1-415-555-2673;ext=12",
    "+1 415 555 2673 x 99",
    "12",
    "+",
    "not a phone",
    "",
    "+999 1234567",
];

fn row() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(PHONES),
        prop::option::of(prop::sample::select(&["Ann", "  Bob ", "", "Ça\u{0}"][..])),
        prop::option::of(prop::sample::select(
            &["a@b.co", "A@Example.COM", "bad", ""][..],
        )),
    )
        .prop_map(|(phone, name, email)| {
            let mut o = serde_json::Map::new();
            o.insert("phone".into(), json!(phone));
            if let Some(n) = name {
                o.insert("firstname".into(), json!(n));
            }
            if let Some(e) = email {
                o.insert("email".into(), json!(e));
            }
            Value::Object(o)
        })
}

/// Engines are built once per thread count: building one loads the phone
/// metadata, which would dominate the run.
fn engine(threads: usize) -> &'static Engine {
    static ONE: OnceLock<Engine> = OnceLock::new();
    static FOUR: OnceLock<Engine> = OnceLock::new();
    let cell = if threads == 1 { &ONE } else { &FOUR };
    cell.get_or_init(|| {
        Engine::new(
            Config::builder(Profile::RaslCreate)
                .default_region("US")
                .threads(threads)
                .build(),
        )
        .unwrap()
    })
}

/// Four threads, each with its own copy of the phone metadata.
fn engine_util_per_thread() -> &'static Engine {
    static OWN: OnceLock<Engine> = OnceLock::new();
    OWN.get_or_init(|| {
        Engine::new({
            let mut c = engine(4).config().clone();
            c.phone_util_per_thread = true;
            c
        })
        .unwrap()
    })
}

/// Any JSON value, a few levels deep, with text of any characters.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::from),
        prop::sample::select(PHONES).prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-z_]{1,12}", inner), 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn body(rows: &[Value], skip: bool) -> Vec<u8> {
    json!({"contacts": rows, "options": {"skip_duplicates": skip}})
        .to_string()
        .into_bytes()
}

fn store() -> Existing {
    Existing::from_json(br#"{"phones": {"+442071838750": "ct_1"}}"#).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Every row's status and the response's lists, against a model that
    /// does not share the batch's code: a row's validity is its verdict
    /// sent alone (and agrees with the single-value calls), its key the
    /// single-value phone call's; then the first valid row of a key wins
    /// and the store says which keys exist.
    #[test]
    fn rows_are_classified_as_a_first_wins_model_says(rows in prop::collection::vec(row(), 1..120), skip: bool) {
        let e = engine(1);
        let stored = ["+442071838750"];
        let out = e.respond(&body(&rows, skip), &store());
        prop_assert_eq!(out.response.status, 200);
        prop_assert_eq!(out.rows.len(), rows.len());
        let mut claimed = BTreeSet::new();
        let mut want = Vec::new();
        for row in &rows {
            let alone = e.respond(&body(std::slice::from_ref(row), skip), &Existing::new());
            let valid = alone.rows[0].status != RowStatus::Invalid;
            // The single-value calls agree where they decide alone.
            let phone = e.normalize_phone(row["phone"].as_str().unwrap(), None);
            let name_ok = matches!(row.get("firstname").and_then(Value::as_str), Some("Ann" | "  Bob "));
            let email_bad = row.get("email").and_then(Value::as_str) == Some("bad");
            if phone.is_err() || !name_ok || email_bad {
                prop_assert!(!valid, "{row} is valid alone");
            }
            let key = phone.ok().map(|p| p.e164);
            want.push(match key {
                _ if !valid => RowStatus::Invalid,
                Some(k) if !claimed.insert(k.clone()) => RowStatus::Duplicate,
                Some(k) if stored.contains(&k.as_str()) => RowStatus::Existing,
                _ => RowStatus::New,
            });
        }
        let got: Vec<RowStatus> = out.rows.iter().map(|r| r.status).collect();
        prop_assert_eq!(&got, &want);
        let count = |s: RowStatus| want.iter().filter(|w| **w == s).count();
        let s = out.summary;
        prop_assert_eq!(
            (s.new, s.existing, s.duplicate, s.invalid),
            (count(RowStatus::New), count(RowStatus::Existing), count(RowStatus::Duplicate), count(RowStatus::Invalid))
        );
        // The response: created in request order; the rows kept out are
        // skipped (with `skip_duplicates`) or failed (without).
        let v: Value = serde_json::from_str(&out.response.body).unwrap();
        let indices = |list: &str| -> Vec<usize> {
            v[list].as_array().unwrap().iter().map(|i| i["index"].as_u64().unwrap() as usize).collect()
        };
        let which = |f: &dyn Fn(RowStatus) -> bool| -> Vec<usize> {
            (0..want.len()).filter(|&i| f(want[i])).collect()
        };
        let kept_out = |w: RowStatus| matches!(w, RowStatus::Duplicate | RowStatus::Existing);
        prop_assert_eq!(indices("skipped"), which(&|w| skip && kept_out(w)));
        prop_assert_eq!(
            indices("errors"),
            which(&|w| w == RowStatus::Invalid || (!skip && kept_out(w)))
        );
        let created: Vec<String> = v["created"].as_array().unwrap().iter().map(|c| c["phone"].as_str().unwrap().to_owned()).collect();
        let new_keys: Vec<String> = which(&|w| w == RowStatus::New).into_iter().map(|i| out.rows[i].key.clone().unwrap()).collect();
        prop_assert_eq!(created, new_keys);
    }

    #[test]
    fn one_call_equals_two_phases_and_echoes_rows_as_sent(
        rows in prop::collection::vec(row(), 1..150),
        skip: bool,
        stored in prop::collection::vec(prop::sample::select(PHONES), 0..4),
    ) {
        let mut phones = serde_json::Map::new();
        for (i, raw) in stored.iter().enumerate() {
            if let Ok(p) = engine(1).normalize_phone(raw, None) {
                phones.insert(p.e164, json!(format!("ct_{i}")));
            }
        }
        let existing = Existing::from_json(json!({"phones": phones}).to_string().as_bytes()).unwrap();
        let all_or_nothing = json!({"contacts": rows, "options": {"continue_on_error": false}});
        for (b, threads) in [
            (body(&rows, skip), 1),
            (body(&rows, skip), 4),
            (all_or_nothing.to_string().into_bytes(), 1),
        ] {
            let e = engine(threads);
            let one = e.respond(&b, &existing);
            let two = e.resolve(&e.prepare(&b), &existing);
            prop_assert_eq!(&one, &two);
            prop_assert_eq!(one.rejected, one.response.status != 200);
            // New rows carry their contact, also in a refused request.
            for r in &one.rows {
                prop_assert_eq!(r.contact.is_some(), r.status == RowStatus::New);
            }
            let v: Value = serde_json::from_str(&one.response.body).unwrap();
            // A refused request (422) lists errors by field, without rows.
            for list in ["skipped", "errors"].into_iter().filter(|_| !one.rejected) {
                for item in v[list].as_array().unwrap() {
                    let i = item["index"].as_u64().unwrap() as usize;
                    prop_assert_eq!(&item["data"], &rows[i]);
                }
            }
        }
    }

    #[test]
    fn parallel_output_is_byte_identical(rows in prop::collection::vec(row(), 60..400), skip: bool) {
        let b = body(&rows, skip);
        let one = engine(1).respond(&b, &store());
        let four = engine(4).respond(&b, &store());
        let own = engine_util_per_thread().respond(&b, &store());
        prop_assert_eq!(&one, &four);
        prop_assert_eq!(&one, &own);
    }

    #[test]
    fn shuffling_rows_keeps_the_accepted_keys(
        rows in prop::collection::vec(row(), 1..120),
        seed in any::<u64>(),
    ) {
        let accepted = |rows: &[Value]| -> BTreeSet<String> {
            engine(1)
                .respond(&body(rows, true), &store())
                .rows
                .iter()
                .filter(|r| matches!(r.status, RowStatus::New | RowStatus::Existing))
                .filter_map(|r| r.key.clone())
                .collect()
        };
        let mut shuffled = rows.clone();
        // Fisher-Yates with a small deterministic generator.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(accepted(&rows), accepted(&shuffled));
    }

    #[test]
    fn phone_normalization_is_idempotent(raw in prop::sample::select(PHONES), region in prop::sample::select(&["US", "GB", "IN", "PT", "DE"][..])) {
        let e = engine(1);
        if let Ok(first) = e.normalize_phone(raw, Some(region)) {
            let again = e.normalize_phone(&first.e164, None).unwrap();
            prop_assert_eq!(&again.e164, &first.e164);
            let again_region = e.normalize_phone(&first.e164, Some(region)).unwrap();
            prop_assert_eq!(&again_region.e164, &first.e164);
        }
    }

    #[test]
    fn arbitrary_digits_normalize_idempotently(digits in "[0-9]{4,17}", region in prop::sample::select(&["US", "GB", "IN", "BR", "JP", "NG"][..])) {
        let e = engine(1);
        if let Ok(first) = e.normalize_phone(&digits, Some(region)) {
            // libphonenumber accepts some numbers past E.164's 15 digits
            // (see PhoneKey); never past 3 + 17.
            prop_assert!(first.e164.len() <= 21);
            prop_assert_eq!(e.normalize_phone(&first.e164, None).unwrap().e164, first.e164);
        }
    }

    #[test]
    fn email_normalization_is_idempotent(local in "[A-Za-z0-9._%+-]{1,20}", domain in "[A-Za-z0-9-]{1,12}\\.[A-Za-z]{2,6}") {
        let e = engine(1);
        let raw = format!("{local}@{domain}");
        if let Ok(first) = e.validate_email(&raw) {
            let again = e.validate_email(&first.normalized).unwrap();
            prop_assert_eq!(&again, &first);
            prop_assert_eq!(first.key, raw.to_lowercase());
        }
    }

    /// Requests that are objects with the profile's batch array (or its
    /// fields at the top, for a one-row API) whose rows hold the profile's
    /// own fields with values of every JSON kind: the row checks run on
    /// them (not only the parser, as with random bytes), and each gives a
    /// verdict per row.
    #[test]
    fn rows_of_any_values_get_a_verdict_each(
        profile in prop::sample::select(Profile::ALL.to_vec()),
        rows in prop::collection::vec(prop::collection::vec((any::<prop::sample::Index>(), value()), 0..8), 1..6),
    ) {
        static ENGINES: OnceLock<Vec<Engine>> = OnceLock::new();
        let engines = ENGINES.get_or_init(|| {
            Profile::ALL.iter().map(|p| Engine::new(config(*p, 1)).unwrap()).collect()
        });
        let e = &engines[Profile::ALL.iter().position(|p| *p == profile).unwrap()];
        let fields = profile.import_fields();
        let rows: Vec<Value> = rows
            .into_iter()
            .map(|members| {
                let mut o = serde_json::Map::new();
                for (at, v) in members {
                    if !fields.is_empty() {
                        o.insert(fields[at.index(fields.len())].to_owned(), v);
                    }
                }
                Value::Object(o)
            })
            .collect();
        let key = batch_key(profile);
        let request = match &key {
            Some(k) => json!({ k.as_str(): rows }),
            None => rows[0].clone(),
        };
        let out = e.respond(request.to_string().as_bytes(), &Existing::new());
        prop_assert!(out.response.status >= 200 && out.response.status < 500, "{}", out.response.body);
        prop_assert!(serde_json::from_str::<Value>(&out.response.body).is_ok());
        if !out.rows.is_empty() {
            prop_assert_eq!(out.rows.len(), if key.is_some() { rows.len() } else { 1 });
            for r in &out.rows {
                prop_assert_eq!(r.errors.is_empty(), r.status != RowStatus::Invalid, "{:?}", r);
            }
        }
    }
}
