//! Invariants of the whole pipeline, checked on generated batches.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use contact_batch::{Config, Engine, Existing, Profile, RowStatus};
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
        Engine::new(Config {
            default_region: Some("US".into()),
            threads: Some(threads),
            ..Config::new(Profile::RaslCreate)
        })
        .unwrap()
    })
}

/// Four threads, each with its own copy of the phone metadata.
fn engine_util_per_thread() -> &'static Engine {
    static OWN: OnceLock<Engine> = OnceLock::new();
    OWN.get_or_init(|| {
        Engine::new(Config {
            phone_util_per_thread: true,
            ..engine(4).config().clone()
        })
        .unwrap()
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

    #[test]
    fn counts_add_up_and_every_row_appears_once(rows in prop::collection::vec(row(), 1..200), skip: bool) {
        let e = engine(1);
        let out = e.respond(body(&rows, skip), &store());
        prop_assert_eq!(out.response.status, 200);
        prop_assert_eq!(out.rows.len(), rows.len());
        for (i, r) in out.rows.iter().enumerate() {
            prop_assert_eq!(r.index, i);
        }
        let s = out.summary;
        prop_assert_eq!(s.total, s.new + s.existing + s.duplicate + s.invalid);
        let v: Value = serde_json::from_str(&out.response.body).unwrap();
        let sum = &v["summary"];
        let (total, created, skipped, failed) = (
            sum["total"].as_u64().unwrap(),
            sum["created"].as_u64().unwrap(),
            sum["skipped"].as_u64().unwrap(),
            sum["failed"].as_u64().unwrap(),
        );
        prop_assert_eq!(total, created + skipped + failed);
        prop_assert_eq!(total as usize, rows.len());
        prop_assert_eq!(created as usize, v["created"].as_array().unwrap().len());
        prop_assert_eq!(skipped as usize, v["skipped"].as_array().unwrap().len());
        prop_assert_eq!(failed as usize, v["errors"].as_array().unwrap().len());
        // Every index appears in exactly one of the three lists.
        let mut seen = BTreeSet::new();
        for list in ["skipped", "errors"] {
            for item in v[list].as_array().unwrap() {
                prop_assert!(seen.insert(item["index"].as_u64().unwrap()));
            }
        }
        prop_assert_eq!(seen.len() + created as usize, rows.len());
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
                .respond(body(rows, true), &store())
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

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        static ENGINES: OnceLock<Vec<Engine>> = OnceLock::new();
        let engines = ENGINES.get_or_init(|| {
            Profile::ALL
                .iter()
                .map(|p| Engine::new(Config { threads: Some(1), ..Config::new(*p) }).unwrap())
                .collect()
        });
        for e in engines {
            let out = e.respond(&bytes, &Existing::new());
            prop_assert!(out.response.status >= 200 && out.response.status < 500);
            prop_assert!(serde_json::from_str::<Value>(&out.response.body).is_ok());
        }
    }
}
