//! The record-list profile (seed 003, SPEC §4.4) through the public API.

use std::sync::OnceLock;

use contact_batch::Node;
use contact_batch::{Action, Config, Engine, Existing, ImportRow, Importer, Profile, RowStatus};
use proptest::prelude::*;
use serde_json::{json, Value};

use crate::support::engines::{existing, respond};

fn config() -> Config {
    Config::builder(Profile::RecordList).threads(1).build()
}

fn engine() -> Engine {
    Engine::new(config()).unwrap()
}

fn engine_with(f: impl FnOnce(&mut Config)) -> Engine {
    let mut c = config();
    f(&mut c);
    Engine::new(c).unwrap()
}

fn records(list: Vec<Value>) -> String {
    json!({ "records": list }).to_string()
}

/// A valid record: a Portuguese mobile and two names.
fn rec(phone: &str) -> Value {
    json!({
        "phone_numbers": [{"phone_number": phone, "phone_type": "MOBILE"}],
        "first_name": "Joey",
        "last_name": "Tribbiani"
    })
}

/// `rec(phone)` with some members replaced or added (`null` removes one).
fn rec_with(phone: &str, changes: Value) -> Value {
    let mut r = rec(phone);
    let obj = r.as_object_mut().unwrap();
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            obj.remove(k);
        } else {
            obj.insert(k.clone(), v.clone());
        }
    }
    r
}

/// The error codes of every record of a batch.
fn all_codes(e: &Engine, list: Vec<Value>, store: &Existing) -> Vec<Vec<String>> {
    let (status, body) = respond(e, &records(list), store);
    assert_eq!(status, 201, "{body}");
    body["_embedded"]["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().to_owned())
                .collect()
        })
        .collect()
}

/// The error codes of a one-record batch.
fn codes_of(e: &Engine, record: Value) -> Vec<String> {
    all_codes(e, vec![record], &Existing::new()).remove(0)
}

const SEED: &str = r#"{
    "records": [
      {
        "phone_numbers": [{"phone_number": "+351929312319", "phone_type": "MOBILE"}],
        "first_name": "Joey",
        "last_name": "Tribbiani",
        "timezone": "Europe/Lisbon",
        "priority": 7,
        "extra_data": {"country": "USA", "state": "California", "job": "Actor"}
      },
      {
        "phone_numbers": [{"phone_number": "+351929312318", "phone_type": "MOBILE"}],
        "first_name": "Jane",
        "last_name": "Doe",
        "timezone": "GMT",
        "priority": 5,
        "extra_data": {"country": "USA", "state": "California", "job": "Actress"}
      }
    ]
  }"#;

#[test]
fn seed_example_creates_both_records() {
    let e = engine();
    let store = existing(json!({"record_list_id": "3f2c9a2e-1b7d-4c55-9d3e-0a1b2c3d4e5f"}));
    let out = e.respond(SEED.as_bytes(), &store);
    assert_eq!(out.response.status, 201);
    let body: Value = serde_json::from_str(&out.response.body).unwrap();
    let id = "3f2c9a2e-1b7d-4c55-9d3e-0a1b2c3d4e5f";
    assert_eq!(
        body,
        json!({
            "record_list_id": id,
            "has_error": false,
            "total_errors": 0,
            "total_created": 2,
            "_links": {
                "self": {"href": format!("/record-lists/{id}/records")},
                "record_list": {"href": format!("/record-lists/{id}")}
            },
            "_embedded": {"records": [
                {
                    "record_list_id": id,
                    "phone_numbers": [{"phone_number": "+351929312319", "phone_type": "MOBILE"}],
                    "first_name": "Joey",
                    "last_name": "Tribbiani",
                    "timezone": "Europe/Lisbon",
                    "priority": 7,
                    "extra_data": {"country": "USA", "state": "California", "job": "Actor"},
                    "errors": []
                },
                {
                    "record_list_id": id,
                    "phone_numbers": [{"phone_number": "+351929312318", "phone_type": "MOBILE"}],
                    "first_name": "Jane",
                    "last_name": "Doe",
                    "timezone": "GMT",
                    "priority": 5,
                    "extra_data": {"country": "USA", "state": "California", "job": "Actress"},
                    "errors": []
                }
            ]}
        })
    );
    // Members in the API's order, snake_case, extra_data in request order.
    assert!(out.response.body.starts_with(&format!(
        r#"{{"record_list_id":"{id}","has_error":false,"total_errors":0,"total_created":2,"_links":{{"self":"#
    )));
    assert!(out.response.body.contains(
        r#""extra_data":{"country":"USA","state":"California","job":"Actor"},"errors":[]}"#
    ));
    assert_eq!(out.to_create(), vec![0, 1]);
    assert!(!out.rejected);
    assert_eq!(out.summary.new, 2);
    assert_eq!(out.summary.total, 2);

    let c = out.rows[0].contact.as_ref().unwrap();
    assert_eq!(c.first_name.as_deref(), Some("Joey"));
    assert_eq!(c.timezone.as_deref(), Some("Europe/Lisbon"));
    assert_eq!(c.priority, Some(7));
    assert_eq!(c.phones.len(), 1);
    assert_eq!(c.phones[0].e164, "+351929312319");
    assert_eq!(c.phones[0].label.as_deref(), Some("MOBILE"));
    assert_eq!(c.phones[0].region.as_deref(), Some("PT"));
    assert_eq!(c.custom_fields["job"], Node::from("Actor"));
    assert_eq!(out.rows[1].key.as_deref(), Some("+351929312318"));
    assert_eq!(out.rows[1].action, Action::Create);
}

#[test]
fn without_a_list_id_the_id_is_null_and_links_are_left_out() {
    let (status, body) = respond(&engine(), SEED, &Existing::new());
    assert_eq!(status, 201);
    assert_eq!(body["record_list_id"], Value::Null);
    assert!(body.get("_links").is_none());
    assert!(body["_embedded"]["records"][0]
        .get("record_list_id")
        .is_none());
    assert_eq!(body["total_created"], 2);
}

#[test]
fn links_use_the_configured_base_and_encode_the_id() {
    let e = engine_with(|c| {
        c.record_list.link_base = "https://api.example.com/v1/record-lists/".into()
    });
    let (_, body) = respond(&e, SEED, &existing(json!({"record_list_id": "a b/c"})));
    assert_eq!(
        body["_links"],
        json!({
            "self": {"href": "https://api.example.com/v1/record-lists/a%20b%2Fc/records"},
            "record_list": {"href": "https://api.example.com/v1/record-lists/a%20b%2Fc"}
        })
    );
    assert_eq!(body["record_list_id"], "a b/c");
}

#[test]
fn phone_number_missing() {
    let e = engine();
    for record in [
        rec_with("+351929312319", json!({"phone_numbers": null})),
        rec_with("+351929312319", json!({"phone_numbers": []})),
        rec_with(
            "+351929312319",
            json!({"phone_numbers": [{"phone_number": "  ", "phone_type": "MOBILE"}]}),
        ),
        rec_with(
            "+351929312319",
            json!({"phone_numbers": [{"phone_type": "MOBILE"}]}),
        ),
        rec_with(
            "+351929312319",
            json!({"phone_numbers": null, "phone_number": ""}),
        ),
    ] {
        assert_eq!(
            codes_of(&e, record.clone()),
            ["PHONE_NUMBER_MISSING"],
            "{record}"
        );
    }
    // Explicit nulls count as absent too.
    let mut r = rec("+351929312319");
    r["phone_numbers"] = Value::Null;
    r["phone_number"] = Value::Null;
    assert_eq!(codes_of(&e, r), ["PHONE_NUMBER_MISSING"]);
}

#[test]
fn phone_number_invalid() {
    let e = engine();
    let entry = |number: Value, kind: Value| json!([{"phone_number": number, "phone_type": kind}]);
    let cases = [
        // not a valid number of its country / no country at all
        entry(json!("+1 555 555 5555"), json!("MOBILE")),
        entry(json!("929312319"), json!("MOBILE")),
        entry(json!("hello"), json!("MOBILE")),
        // over 20 characters, not a string, control characters
        entry(json!("+351 929 312 319 0000"), json!("MOBILE")),
        entry(json!(351929312319_u64), json!("MOBILE")),
        entry(json!("+351929\u{0}312319"), json!("MOBILE")),
        // bad phone_type
        entry(json!("+351929312319"), json!("mobile")),
        entry(json!("+351929312319"), json!("CELL")),
        entry(json!("+351929312319"), json!(3)),
        json!([{"phone_number": "+351929312319"}]),
        // repeated phone_type
        json!([
            {"phone_number": "+351929312319", "phone_type": "HOME"},
            {"phone_number": "+351929312318", "phone_type": "HOME"}
        ]),
        // wrong shapes
        json!(["+351929312319"]),
        json!("+351929312319"),
        json!({"phone_number": "+351929312319", "phone_type": "MOBILE"}),
    ];
    for list in cases {
        let record = rec_with("+351929312319", json!({ "phone_numbers": list }));
        assert_eq!(codes_of(&e, record), ["PHONE_NUMBER_INVALID"], "{list}");
    }
    // More entries than the limit (6).
    let seven: Vec<Value> = (0..7)
        .map(|i| json!({"phone_number": format!("+35192931231{i}"), "phone_type": "MOBILE"}))
        .collect();
    let record = rec_with("+351929312319", json!({ "phone_numbers": seven }));
    assert_eq!(codes_of(&e, record), ["PHONE_NUMBER_INVALID"]);
    // Six distinct types are fine.
    let six: Vec<Value> = ["HOME", "OFFICE", "MOBILE", "EXTRA_1", "EXTRA_2", "EXTRA_3"]
        .iter()
        .enumerate()
        .map(|(i, t)| json!({"phone_number": format!("+35192931231{i}"), "phone_type": t}))
        .collect();
    let record = rec_with("+351929312319", json!({ "phone_numbers": six }));
    assert!(codes_of(&e, record).is_empty());
    // A deprecated number that is not valid.
    let record = rec_with(
        "+351929312319",
        json!({"phone_numbers": null, "phone_number": "12"}),
    );
    assert_eq!(codes_of(&e, record), ["PHONE_NUMBER_INVALID"]);
    let record = rec_with(
        "+351929312319",
        json!({"phone_numbers": null, "phone_number": 351929312319_u64}),
    );
    assert_eq!(codes_of(&e, record), ["PHONE_NUMBER_INVALID"]);
}

#[test]
fn field_errors_name_the_offending_member() {
    let e = engine();
    let record = rec_with(
        "+351929312319",
        json!({"phone_numbers": [
            {"phone_number": "+351929312319", "phone_type": "MOBILE"},
            {"phone_number": "+351929312318", "phone_type": "WORK"}
        ]}),
    );
    let out = e.respond(records(vec![record]).as_bytes(), &Existing::new());
    let err = &out.rows[0].errors[0];
    assert_eq!(err.code, "PHONE_NUMBER_INVALID");
    assert_eq!(err.field, "phone_numbers.1.phone_type");
    assert!(err.message.contains("`WORK`"), "{}", err.message);
    assert!(
        err.message.contains("HOME, OFFICE, MOBILE"),
        "{}",
        err.message
    );
    assert_eq!(out.rows[0].status, RowStatus::Invalid);
    assert_eq!(out.rows[0].action, Action::None);
    assert!(out.rows[0].contact.is_none());
    // The valid number is still the row's key.
    assert_eq!(out.rows[0].key.as_deref(), Some("+351929312319"));
}

#[test]
fn phone_number_not_unique_within_a_record() {
    let e = engine_with(|c| c.default_region = Some("PT".into()));
    let record = rec_with(
        "+351929312319",
        json!({"phone_numbers": [
            {"phone_number": "+351929312319", "phone_type": "MOBILE"},
            {"phone_number": "929 312 319", "phone_type": "HOME"}
        ]}),
    );
    let out = e.respond(records(vec![record]).as_bytes(), &Existing::new());
    assert_eq!(out.rows[0].errors.len(), 1);
    assert_eq!(out.rows[0].errors[0].code, "PHONE_NUMBER_NOT_UNIQUE");
    assert_eq!(out.rows[0].errors[0].field, "phone_numbers.1.phone_number");
    assert_eq!(out.rows[0].status, RowStatus::Invalid);
    // Invalid on its own: its keys are not looked up.
    let prepared = e.prepare(records(vec![rec("+351929312319")]).as_bytes());
    assert_eq!(prepared.keys().phones, ["+351929312319"]);
}

#[test]
fn phone_number_not_unique_in_the_batch_first_valid_record_wins() {
    let e = engine();
    let batch = vec![
        // 0: invalid on its own: claims nothing
        rec_with("+351929312319", json!({"first_name": ""})),
        // 1: first valid holder of ...319
        rec("+351929312319"),
        // 2: repeat of 1
        rec("+351 929 312 319"),
        // 3: holds ...318 and repeats ...319 of 1: a duplicate, claims neither
        rec_with(
            "+351929312319",
            json!({"phone_numbers": [
                {"phone_number": "+351929312318", "phone_type": "HOME"},
                {"phone_number": "+351929312319", "phone_type": "MOBILE"}
            ]}),
        ),
        // 4: ...318 is free since 3 was not created
        rec("+351929312318"),
    ];
    let out = e.respond(records(batch).as_bytes(), &Existing::new());
    let statuses: Vec<RowStatus> = out.rows.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            RowStatus::Invalid,
            RowStatus::New,
            RowStatus::Duplicate,
            RowStatus::Duplicate,
            RowStatus::New
        ]
    );
    assert_eq!(out.rows[2].duplicate_of, Some(1));
    assert_eq!(out.rows[3].duplicate_of, Some(1));
    assert_eq!(out.rows[2].errors[0].code, "PHONE_NUMBER_NOT_UNIQUE");
    assert_eq!(out.rows[3].errors[0].field, "phone_numbers.1.phone_number");
    assert!(out.rows[3].errors[0].message.contains("records.1"));
    assert_eq!(out.to_create(), vec![1, 4]);
    // A duplicate still carries its normalized contact.
    assert_eq!(
        out.rows[2].contact.as_ref().unwrap().phones[0].e164,
        "+351929312319"
    );
    let body: Value = serde_json::from_str(&out.response.body).unwrap();
    assert_eq!(body["total_errors"], 3);
    assert_eq!(body["total_created"], 2);
    assert_eq!(body["has_error"], true);
    assert_eq!(
        body["_embedded"]["records"][2]["errors"],
        json!(["PHONE_NUMBER_NOT_UNIQUE"])
    );
    assert_eq!(
        body["_embedded"]["records"][2]["phone_numbers"][0]["phone_number"],
        "+351929312319"
    );
    // Only records that may be created are looked up.
    let prepared = e.prepare(
        records(vec![
            rec_with("+351929312317", json!({"first_name": ""})),
            rec("+351929312319"),
            rec("+351929312319"),
        ])
        .as_bytes(),
    );
    assert_eq!(prepared.keys().phones, ["+351929312319"]);
}

#[test]
fn phone_number_not_unique_in_the_store() {
    let e = engine();
    let store = existing(json!({"phones": {"+351929312318": "rec_9"}}));
    let batch = vec![
        rec("+351929312319"),
        rec_with(
            "+351929312319",
            json!({"phone_numbers": [
                {"phone_number": "+351929312317", "phone_type": "HOME"},
                {"phone_number": "+351929312318", "phone_type": "MOBILE"}
            ]}),
        ),
        // Repeats a record that is in the store: still a duplicate of it.
        rec("+351929312317"),
    ];
    let out = e.respond(records(batch).as_bytes(), &store);
    assert_eq!(out.rows[0].status, RowStatus::New);
    assert_eq!(out.rows[1].status, RowStatus::Existing);
    assert_eq!(out.rows[1].existing_id, Some(Node::from("rec_9")));
    assert_eq!(out.rows[1].errors[0].code, "PHONE_NUMBER_NOT_UNIQUE");
    assert_eq!(out.rows[1].errors[0].field, "phone_numbers.1.phone_number");
    assert_eq!(out.rows[1].action, Action::None);
    assert_eq!(out.rows[2].status, RowStatus::Duplicate);
    assert_eq!(out.rows[2].duplicate_of, Some(1));
    assert_eq!(out.summary.existing, 1);
    assert_eq!(out.summary.duplicate, 1);
    assert_eq!(out.to_create(), vec![0]);

    // Two-phase: the host is asked for every number of the candidates.
    let prepared = e.prepare(
        records(vec![
            rec("+351929312319"),
            rec_with(
                "+351929312319",
                json!({"phone_numbers": [
                    {"phone_number": "+351929312317", "phone_type": "HOME"},
                    {"phone_number": "+351929312318", "phone_type": "MOBILE"}
                ]}),
            ),
        ])
        .as_bytes(),
    );
    assert_eq!(
        prepared.keys().phones,
        ["+351929312319", "+351929312317", "+351929312318"]
    );
    let two_phase = e.resolve(&prepared, &store);
    assert_eq!(two_phase.rows[1].status, RowStatus::Existing);
}

#[test]
fn names_missing_and_invalid() {
    let e = engine();
    let long = "é".repeat(81);
    let ok80 = "é".repeat(80);
    for (name, missing, invalid) in [
        ("first_name", "FIRST_NAME_MISSING", "FIRST_NAME_INVALID"),
        ("last_name", "LAST_NAME_MISSING", "LAST_NAME_INVALID"),
    ] {
        for v in [Value::Null, json!(""), json!("   ")] {
            let mut r = rec("+351929312319");
            if v.is_null() {
                r.as_object_mut().unwrap().remove(name);
            } else {
                r[name] = v;
            }
            assert_eq!(codes_of(&e, r), [missing]);
        }
        let mut r = rec("+351929312319");
        r[name] = Value::Null;
        assert_eq!(codes_of(&e, r), [missing]);
        for v in [json!(long), json!(42), json!(["Ann"]), json!("A\u{1b}[31m")] {
            let mut r = rec("+351929312319");
            r[name] = v.clone();
            assert_eq!(codes_of(&e, r), [invalid], "{v}");
        }
        let mut r = rec("+351929312319");
        r[name] = json!(ok80);
        assert!(codes_of(&e, r).is_empty());
    }
}

#[test]
fn timezone_missing_only_when_required() {
    let e = engine();
    assert!(codes_of(&e, rec("+351929312319")).is_empty());
    let strict = engine_with(|c| c.record_list.require_timezone = true);
    assert_eq!(
        codes_of(&strict, rec("+351929312319")),
        ["TIMEZONE_MISSING"]
    );
    assert_eq!(
        codes_of(&strict, rec_with("+351929312319", json!({"timezone": " "}))),
        ["TIMEZONE_MISSING"]
    );
    assert!(codes_of(
        &strict,
        rec_with("+351929312319", json!({"timezone": "Europe/Lisbon"}))
    )
    .is_empty());
}

#[test]
fn timezone_invalid() {
    let e = engine();
    for tz in [
        json!("Mars/Olympus"),
        json!("europe/lisbon"),
        json!("Europe"),
        json!("America/Argentina/ComodRivadavia/X"),
        json!("A".repeat(36)),
        json!(1),
        json!({"name": "UTC"}),
    ] {
        let r = rec_with("+351929312319", json!({ "timezone": tz }));
        assert_eq!(codes_of(&e, r), ["TIMEZONE_INVALID"], "{tz}");
    }
    // Long real names fit the 35-character limit (an Argentine zone, so
    // unmatched for a Portuguese number, but not invalid).
    let r = rec_with(
        "+351929312319",
        json!({"timezone": "America/Argentina/ComodRivadavia"}),
    );
    assert_eq!(codes_of(&e, r), ["TIMEZONE_UNMATCHED"]);
}

#[test]
fn timezone_unmatched_and_matched() {
    let e = engine();
    let tz = |phone: &str, tz: &str| codes_of(&e, rec_with(phone, json!({ "timezone": tz })));
    // Geographic zones must be a zone of the number's country.
    assert_eq!(
        tz("+351929312319", "America/New_York"),
        ["TIMEZONE_UNMATCHED"]
    );
    assert_eq!(tz("+14155552671", "Europe/Lisbon"), ["TIMEZONE_UNMATCHED"]);
    assert_eq!(
        tz("+14155552671", "America/Toronto"),
        ["TIMEZONE_UNMATCHED"]
    );
    assert!(tz("+351929312319", "Atlantic/Azores").is_empty());
    assert!(tz("+14155552671", "America/Los_Angeles").is_empty());
    // Links carry their target's countries.
    assert!(tz("+14155552671", "US/Eastern").is_empty());
    assert_eq!(tz("+351929312319", "US/Eastern"), ["TIMEZONE_UNMATCHED"]);
    // Non-geographic zones match any number (the seed's own example).
    for zone in ["GMT", "UTC", "Etc/GMT+5", "Etc/UTC", "EST5EDT", "CET"] {
        assert!(tz("+351929312319", zone).is_empty(), "{zone}");
    }
    // Regions the tz tables file elsewhere, and non-geographic numbers.
    assert!(tz("+38344123456", "Europe/Belgrade").is_empty());
    assert!(tz("+80012345678", "Europe/Lisbon").is_empty());
    // Guernsey numbers are GG, which London lists.
    assert!(tz("+447911123456", "Europe/London").is_empty());

    // The first *valid* number decides.
    let r = rec_with(
        "+351929312319",
        json!({"timezone": "America/New_York", "phone_numbers": [
            {"phone_number": "+351929312319", "phone_type": "MOBILE"},
            {"phone_number": "+14155552671", "phone_type": "HOME"}
        ]}),
    );
    assert_eq!(codes_of(&e, r), ["TIMEZONE_UNMATCHED"]);
    let r = rec_with(
        "+351929312319",
        json!({"timezone": "America/New_York", "phone_numbers": [
            {"phone_number": "+1 555", "phone_type": "MOBILE"},
            {"phone_number": "+14155552671", "phone_type": "HOME"}
        ]}),
    );
    assert_eq!(codes_of(&e, r), ["PHONE_NUMBER_INVALID"]);
    // No valid number: nothing to match against.
    let r = rec_with(
        "+351929312319",
        json!({"timezone": "America/New_York", "phone_numbers": [
            {"phone_number": "+1 555", "phone_type": "MOBILE"}
        ]}),
    );
    assert_eq!(codes_of(&e, r), ["PHONE_NUMBER_INVALID"]);
}

#[test]
fn priority_invalid() {
    let e = engine();
    for p in [
        json!(0),
        json!(11),
        json!(-3),
        json!(5.5),
        json!("5"),
        json!(true),
        json!([5]),
    ] {
        let r = rec_with("+351929312319", json!({ "priority": p }));
        assert_eq!(codes_of(&e, r), ["PRIORITY_INVALID"], "{p}");
    }
    for p in [1, 10] {
        assert!(codes_of(&e, rec_with("+351929312319", json!({ "priority": p }))).is_empty());
    }
    // 5.0 is the integer 5.
    let (_, body) = respond(
        &e,
        &records(vec![rec_with("+351929312319", json!({"priority": 5.0}))]),
        &Existing::new(),
    );
    assert_eq!(body["_embedded"]["records"][0]["priority"], json!(5));
    assert!(body["_embedded"]["records"][0]["priority"].is_i64());
}

#[test]
fn external_ref_missing() {
    let e = engine();
    let r = rec_with("+351929312319", json!({"external_provider": "hubspot"}));
    assert_eq!(codes_of(&e, r), ["EXTERNAL_REF_MISSING"]);
    let r = rec_with("+351929312319", json!({"external_id": "42"}));
    assert_eq!(codes_of(&e, r), ["EXTERNAL_REF_MISSING"]);
    let r = rec_with(
        "+351929312319",
        json!({"external_id": "42", "external_provider": "  "}),
    );
    assert_eq!(codes_of(&e, r), ["EXTERNAL_REF_MISSING"]);
    let r = rec_with(
        "+351929312319",
        json!({"external_id": "42", "external_provider": "hubspot"}),
    );
    assert!(codes_of(&e, r).is_empty());
    // An id of the wrong type is OTHER, not also a missing reference.
    let r = rec_with(
        "+351929312319",
        json!({"external_id": 42, "external_provider": "hubspot"}),
    );
    assert_eq!(codes_of(&e, r), ["OTHER"]);
}

#[test]
fn external_id_and_provider_not_unique() {
    let e = engine();
    let ext = |phone: &str, provider: &str, id: &str| {
        rec_with(
            phone,
            json!({"external_provider": provider, "external_id": id}),
        )
    };
    let store = existing(json!({"external_refs": [["crm", "7"]]}));
    let batch = vec![
        ext("+351929312319", "hubspot", "42"),
        ext("+351929312318", "hubspot", "42"),
        ext("+351929312317", "hubspot", "43"),
        ext("+351929312316", "salesforce", "42"),
        ext("+351929312315", "crm", "7"),
        // repeats both the phone and the pair of record 0
        ext("+351929312319", "hubspot", "42"),
    ];
    let out = e.respond(records(batch.clone()).as_bytes(), &store);
    let got: Vec<Vec<&str>> = out
        .rows
        .iter()
        .map(|r| r.errors.iter().map(|e| e.code.as_str()).collect())
        .collect();
    assert_eq!(
        got,
        vec![
            vec![],
            vec!["EXTERNAL_ID_AND_PROVIDER_NOT_UNIQUE"],
            vec![],
            vec![],
            vec!["EXTERNAL_ID_AND_PROVIDER_NOT_UNIQUE"],
            vec![
                "PHONE_NUMBER_NOT_UNIQUE",
                "EXTERNAL_ID_AND_PROVIDER_NOT_UNIQUE"
            ],
        ]
    );
    assert_eq!(out.rows[1].status, RowStatus::Duplicate);
    assert_eq!(out.rows[1].duplicate_of, Some(0));
    assert_eq!(out.rows[4].status, RowStatus::Existing);
    assert_eq!(out.rows[4].existing_id, None);
    assert_eq!(out.rows[5].duplicate_of, Some(0));
    let prepared = e.prepare(records(batch).as_bytes());
    assert_eq!(
        prepared.keys().external_refs,
        vec![
            ("hubspot".to_owned(), "42".to_owned()),
            ("hubspot".to_owned(), "43".to_owned()),
            ("salesforce".to_owned(), "42".to_owned()),
            ("crm".to_owned(), "7".to_owned()),
        ]
    );
    let c = out.rows[0].contact.as_ref().unwrap();
    let r = c.external_ref.as_ref().unwrap();
    assert_eq!((r.provider.as_str(), r.id.as_str()), ("hubspot", "42"));
}

#[test]
fn other_wrong_types() {
    let e = engine();
    for changes in [
        json!({"extra_data": "country=USA"}),
        json!({"extra_data": [1, 2]}),
        json!({"external_url": 5}),
        json!({"external_url": "x".repeat(256)}),
        json!({"sync_external_id": "yes"}),
        json!({"sync_external_id": 1}),
        json!({"external_provider": ["a"], "external_id": "1"}),
    ] {
        let r = rec_with("+351929312319", changes.clone());
        assert_eq!(codes_of(&e, r), ["OTHER"], "{changes}");
    }
    let ok = rec_with(
        "+351929312319",
        json!({"external_url": "https://crm.example/1", "sync_external_id": false,
               "extra_data": {}, "unknown_member": [1, {"x": 2}]}),
    );
    assert!(codes_of(&e, ok).is_empty());
}

#[test]
fn codes_are_reported_in_order_each_once() {
    let e = engine();
    let record = json!({
        "extra_data": [],
        "external_provider": "crm",
        "priority": 0,
        "timezone": "America/New_York",
        "last_name": 5,
        "first_name": "",
        "phone_numbers": [
            {"phone_number": "+351929312319", "phone_type": "MOBILE"},
            {"phone_number": "+351 929 312 319", "phone_type": "HOME"},
            {"phone_number": "123", "phone_type": "HOME"},
            {"phone_number": "456", "phone_type": "OFFICE"},
            {"phone_type": "EXTRA_1"},
            {"phone_number": "", "phone_type": "EXTRA_2"}
        ]
    });
    assert_eq!(
        codes_of(&e, record),
        [
            "PHONE_NUMBER_MISSING",
            "PHONE_NUMBER_INVALID",
            "PHONE_NUMBER_NOT_UNIQUE",
            "FIRST_NAME_MISSING",
            "LAST_NAME_INVALID",
            "TIMEZONE_UNMATCHED",
            "PRIORITY_INVALID",
            "EXTERNAL_REF_MISSING",
            "OTHER"
        ]
    );
    let strict = engine_with(|c| c.record_list.require_timezone = true);
    let record = json!({
        "sync_external_id": "no",
        "external_id": "1",
        "priority": 99,
        "last_name": "",
        "first_name": "x".repeat(81),
    });
    assert_eq!(
        codes_of(&strict, record),
        [
            "PHONE_NUMBER_MISSING",
            "FIRST_NAME_INVALID",
            "LAST_NAME_MISSING",
            "TIMEZONE_MISSING",
            "PRIORITY_INVALID",
            "EXTERNAL_REF_MISSING",
            "OTHER"
        ]
    );
    let record = rec_with(
        "+351929312319",
        json!({"timezone": "Nowhere/Town", "first_name": 1, "last_name": null}),
    );
    assert_eq!(
        codes_of(&e, record),
        [
            "FIRST_NAME_INVALID",
            "LAST_NAME_MISSING",
            "TIMEZONE_INVALID"
        ]
    );
    // FieldErrors follow the same order.
    let out = e.respond(
        records(vec![json!({"last_name": "", "first_name": ""})]).as_bytes(),
        &Existing::new(),
    );
    let fields: Vec<&str> = out.rows[0]
        .errors
        .iter()
        .map(|e| e.field.as_str())
        .collect();
    assert_eq!(fields, ["phone_numbers", "first_name", "last_name"]);
}

#[test]
fn deprecated_phone_number_is_a_mobile_number() {
    let e = engine_with(|c| c.default_region = Some("PT".into()));
    let record =
        json!({"phone_number": " 929 312 319 ", "first_name": " Ann ", "last_name": "Lee"});
    let out = e.respond(records(vec![record]).as_bytes(), &Existing::new());
    let body: Value = serde_json::from_str(&out.response.body).unwrap();
    assert_eq!(
        body["_embedded"]["records"][0],
        json!({
            "phone_number": "+351929312319",
            "phone_numbers": [{"phone_number": "+351929312319", "phone_type": "MOBILE"}],
            "first_name": "Ann",
            "last_name": "Lee",
            "errors": []
        })
    );
    assert!(out
        .response
        .body
        .contains(r#"{"phone_number":"+351929312319","phone_numbers":"#));
    let c = out.rows[0].contact.as_ref().unwrap();
    assert_eq!(c.phones[0].label.as_deref(), Some("MOBILE"));
    assert_eq!(out.rows[0].status, RowStatus::New);

    // phone_numbers: [] falls back to the deprecated field.
    let record = json!({"phone_numbers": [], "phone_number": "+351929312318",
                        "first_name": "A", "last_name": "B"});
    assert!(codes_of(&e, record).is_empty());

    // Beside a list it must be one of the list's numbers.
    let both = |legacy: &str| {
        json!({"phone_number": legacy, "first_name": "A", "last_name": "B",
               "phone_numbers": [{"phone_number": "+351929312319", "phone_type": "HOME"}]})
    };
    assert!(codes_of(&e, both("929312319")).is_empty());
    assert_eq!(
        codes_of(&e, both("+351929312318")),
        ["PHONE_NUMBER_INVALID"]
    );
    assert_eq!(codes_of(&e, both("nope")), ["PHONE_NUMBER_INVALID"]);
    let (_, body) = respond(&e, &records(vec![both("929312319")]), &Existing::new());
    let shown = &body["_embedded"]["records"][0];
    assert_eq!(shown["phone_number"], "+351929312319");
    assert_eq!(shown["phone_numbers"][0]["phone_type"], "HOME");
}

#[test]
fn national_numbers_need_the_default_region() {
    let r = rec("929 312 319");
    assert_eq!(codes_of(&engine(), r.clone()), ["PHONE_NUMBER_INVALID"]);
    let pt = engine_with(|c| c.default_region = Some("PT".into()));
    assert!(codes_of(&pt, r).is_empty());
    let out = pt.respond(
        records(vec![rec("929 312 319")]).as_bytes(),
        &Existing::new(),
    );
    assert_eq!(out.rows[0].key.as_deref(), Some("+351929312319"));
}

#[test]
fn records_are_echoed_normalized_or_as_sent() {
    let e = engine();
    // Written as text: the members' order is part of what is checked (a
    // `json!` object's order would be serde_json's).
    let request = r#"{"records": [{
        "unknown": "dropped",
        "sync_external_id": true,
        "external_url": " https://crm.example/p/1 ",
        "external_id": " 42 ",
        "external_provider": "hubspot",
        "extra_data": {"z": 1, "a": {"nested": [true, null]}},
        "priority": 3,
        "timezone": " UTC ",
        "last_name": "  Doe ",
        "first_name": "\tJane",
        "phone_numbers": [{"phone_type": " OFFICE ", "phone_number": "+351 929-312-319", "x": 1}]
    }]}"#;
    let (_, body) = respond(&e, request, &Existing::new());
    let shown = &body["_embedded"]["records"][0];
    assert_eq!(
        *shown,
        json!({
            "phone_numbers": [{"phone_number": "+351929312319", "phone_type": "OFFICE"}],
            "first_name": "Jane",
            "last_name": "Doe",
            "timezone": "UTC",
            "priority": 3,
            "extra_data": {"z": 1, "a": {"nested": [true, null]}},
            "external_provider": "hubspot",
            "external_id": "42",
            "external_url": "https://crm.example/p/1",
            "sync_external_id": true,
            "errors": []
        })
    );
    // The order as rendered, read from the body's text.
    let raw = e
        .respond(request.as_bytes(), &Existing::new())
        .response
        .body;
    let raw = Node::parse(raw.as_bytes()).unwrap();
    let text = raw
        .get("_embedded")
        .and_then(|v| v.get("records"))
        .and_then(|v| v.as_array())
        .unwrap()[0]
        .to_json();
    assert!(
        text.contains(r#""extra_data":{"z":1,"a":{"nested":[true,null]}}"#),
        "{text}"
    );
    let order = [
        "phone_numbers",
        "first_name",
        "last_name",
        "timezone",
        "priority",
        "extra_data",
        "external_provider",
        "external_id",
        "external_url",
        "sync_external_id",
        "errors",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|k| text.find(&format!("\"{k}\":")).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");

    // Invalid values come back as sent.
    let record = json!({
        "phone_numbers": [{"phone_number": "+1 555", "phone_type": "cell"}, 7],
        "first_name": 12,
        "last_name": "   ",
        "timezone": "Mars/Base",
        "priority": "high",
        "extra_data": "oops",
        "sync_external_id": "maybe"
    });
    let (_, body) = respond(&e, &records(vec![record]), &Existing::new());
    let shown = &body["_embedded"]["records"][0];
    assert_eq!(
        shown["phone_numbers"],
        json!([{"phone_number": "+1 555", "phone_type": "cell"}, 7])
    );
    assert_eq!(shown["first_name"], 12);
    assert_eq!(shown["last_name"], "   ");
    assert_eq!(shown["timezone"], "Mars/Base");
    assert_eq!(shown["priority"], "high");
    assert_eq!(shown["extra_data"], "oops");
    assert_eq!(shown["sync_external_id"], "maybe");
    assert!(shown.get("unknown").is_none());
}

fn assert_invalid_request(e: &Engine, body: &[u8], field: &str) -> Value {
    let out = e.respond(body, &Existing::new());
    assert_eq!(out.response.status, 400, "{}", out.response.body);
    assert!(out.rejected);
    assert!(out.rows.is_empty());
    assert!(out.to_create().is_empty());
    let v: Value = serde_json::from_str(&out.response.body).unwrap();
    assert_eq!(v["code"], "INVALID_REQUEST");
    assert!(!v["message"].as_str().unwrap().is_empty());
    assert!(!v["description"].as_str().unwrap().is_empty());
    assert_eq!(v["fields"][0]["name"], field, "{v}");
    assert!(!v["fields"][0]["description"].as_str().unwrap().is_empty());
    assert!(out
        .response
        .body
        .starts_with(r#"{"code":"INVALID_REQUEST","message":"#));
    // Nothing to look up for a refused request.
    let prepared = e.prepare(body);
    assert!(prepared.rejection().is_some());
    assert!(prepared.keys().phones.is_empty());
    v
}

#[test]
fn request_level_errors_are_400_invalid_request() {
    let e = engine();
    assert_invalid_request(&e, br#"{}"#, "records");
    assert_invalid_request(&e, br#"{"records": null}"#, "records");
    assert_invalid_request(&e, br#"{"records": {"first_name": "A"}}"#, "records");
    assert_invalid_request(&e, br#"{"records": "x"}"#, "records");
    let v = assert_invalid_request(&e, br#"{"records": []}"#, "records");
    assert!(v["message"].as_str().unwrap().contains("empty"));
    let many: Vec<Value> = (0..101).map(|_| rec("+351929312319")).collect();
    let v = assert_invalid_request(&e, records(many).as_bytes(), "records");
    assert!(v["message"].as_str().unwrap().contains("100"), "{v}");
    // Exactly 100 is accepted.
    let hundred: Vec<Value> = (0..100).map(|_| rec("+351929312319")).collect();
    let (status, body) = respond(&e, &records(hundred), &Existing::new());
    assert_eq!(status, 201);
    assert_eq!(body["total_created"], 1);
    assert_eq!(body["total_errors"], 99);

    let v = assert_invalid_request(
        &e,
        records(vec![rec("+351929312319"), json!("x")]).as_bytes(),
        "records.1",
    );
    assert!(v["message"].as_str().unwrap().contains("a string"), "{v}");
    let v = assert_invalid_request(&e, br#"{"records": [1, {}, null]}"#, "records.0");
    assert_eq!(v["fields"][1]["name"], "records.2");
    assert_eq!(v["fields"].as_array().unwrap().len(), 2);

    for body in [
        &b"not json"[..],
        b"[]",
        b"",
        b"  ",
        b"{\"records\": [",
        b"\"x\"",
    ] {
        assert_invalid_request(&e, body, "body");
    }
    assert_invalid_request(&e, br#"{"records": [], "records": []}"#, "body");
}

#[test]
fn batch_limit_is_configurable() {
    let e = engine_with(|c| c.max_batch = Some(2));
    let three: Vec<Value> = (0..3).map(|_| rec("+351929312319")).collect();
    let v = assert_invalid_request(&e, records(three).as_bytes(), "records");
    assert!(v["message"].as_str().unwrap().contains('2'));
    let limits = engine_with(|c| {
        c.limits.record_list.phones = 1;
        c.limits.record_list.name = 3;
        c.limits.record_list.timezone = 3;
        c.limits.record_list.phone_chars = 13;
    });
    let r = rec_with(
        "+351929312319",
        json!({"first_name": "Joe", "last_name": "Tribbiani", "timezone": "GMT"}),
    );
    assert_eq!(codes_of(&limits, r), ["LAST_NAME_INVALID"]);
    let r = rec_with(
        "+351929312319",
        json!({"last_name": "Doe", "timezone": "UTC", "phone_numbers": [
            {"phone_number": "+351929312319", "phone_type": "HOME"},
            {"phone_number": "+351929312318", "phone_type": "MOBILE"}
        ]}),
    );
    assert_eq!(
        codes_of(&limits, r),
        ["PHONE_NUMBER_INVALID", "FIRST_NAME_INVALID"]
    );
    let r = rec_with(
        "+351 929312319",
        json!({"first_name": "Jo", "last_name": "Do"}),
    );
    assert_eq!(codes_of(&limits, r), ["PHONE_NUMBER_INVALID"]);
}

#[test]
fn an_all_failing_batch_is_still_201_with_has_error() {
    let e = engine();
    let (status, body) = respond(
        &e,
        &records(vec![json!({}), json!({"first_name": "A"})]),
        &Existing::new(),
    );
    assert_eq!(status, 201);
    assert_eq!(body["has_error"], true);
    assert_eq!(body["total_errors"], 2);
    assert_eq!(body["total_created"], 0);
    assert_eq!(
        body["_embedded"]["records"][1],
        json!({"phone_numbers": [], "first_name": "A",
               "errors": ["PHONE_NUMBER_MISSING", "LAST_NAME_MISSING"]})
    );
}

#[test]
fn hostile_input_does_not_panic_and_stays_bounded() {
    let e = engine();
    let many_phones: Vec<Value> = (0..50_000)
        .map(|_| json!({"phone_number": "+351929312319", "phone_type": "MOBILE"}))
        .collect();
    let r = rec_with("+351929312319", json!({ "phone_numbers": many_phones }));
    assert_eq!(codes_of(&e, r), ["PHONE_NUMBER_INVALID"]);
    let huge = "9".repeat(1_000_000);
    let r = rec_with(
        "+351929312319",
        json!({"first_name": huge, "timezone": huge, "phone_numbers": [
            {"phone_number": huge, "phone_type": huge}
        ]}),
    );
    let out = e.respond(records(vec![r]).as_bytes(), &Existing::new());
    assert_eq!(out.response.status, 201);
    // Messages quote at most a short prefix of a value.
    assert!(out.rows[0].errors.iter().all(|e| e.message.len() < 300));
    let mut deep = json!(1);
    for _ in 0..100 {
        deep = json!({ "d": deep });
    }
    let r = rec_with("+351929312319", json!({ "extra_data": deep }));
    assert!(codes_of(&e, r).is_empty());
}

fn row_json(i: usize) -> Value {
    // A mix: valid, repeats, invalid, store conflicts, external refs.
    let phone = format!("+3519120{:05}", i % 300);
    match i % 7 {
        0 => rec_with(&phone, json!({"first_name": ""})),
        1 => rec_with(
            &phone,
            json!({"external_provider": "crm", "external_id": format!("{}", i % 50)}),
        ),
        2 => rec_with(&phone, json!({"timezone": "America/New_York"})),
        3 => rec_with(&phone, json!({"priority": (i % 12) as i64})),
        _ => rec(&phone),
    }
}

#[test]
fn parallel_and_sequential_bodies_are_identical() {
    let list: Vec<Value> = (0..500).map(row_json).collect();
    let body = records(list);
    let store = existing(json!({
        "record_list_id": "rl",
        "phones": {"+351912000003": "a", "+351912000010": "b"},
        "external_refs": [["crm", "8"]]
    }));
    let one = Engine::new(
        Config::builder(Profile::RecordList)
            .threads(1)
            .max_batch(1000)
            .build(),
    )
    .unwrap();
    let many = Engine::new(
        Config::builder(Profile::RecordList)
            .threads(8)
            .max_batch(1000)
            .build(),
    )
    .unwrap();
    let a = one.respond(body.as_bytes(), &store);
    let b = many.respond(body.as_bytes(), &store);
    assert_eq!(a.response.status, 201);
    assert_eq!(a.response, b.response);
    assert_eq!(a.rows, b.rows);
    assert_eq!(
        one.prepare(body.as_bytes()).keys(),
        many.prepare(body.as_bytes()).keys()
    );
    // The mix exercises every status.
    assert!(a.summary.new > 0 && a.summary.duplicate > 0);
    assert!(a.summary.existing > 0 && a.summary.invalid > 0);
}

#[test]
fn import_checks_rows_without_batch_context() {
    let e = engine_with(|c| c.default_region = Some("PT".into()));
    let store = existing(json!({"phones": {"+351929312317": "x"}}));
    let mut importer = Importer::new(&e, &store, true).unwrap();
    let cells = [
        r#"{"phone_number": "929 312 319", "first_name": "A", "last_name": "B", "priority": "4", "sync_external_id": "true", "extra_data": "{\"k\": 1}"}"#,
        r#"{"phone_number": "+351929312319", "first_name": "C", "last_name": "D"}"#,
        r#"{"phone_number": "929312317", "first_name": "E", "last_name": "F"}"#,
        r#"{"phone_number": "", "first_name": "G", "last_name": "H"}"#,
        r#"{"phone_numbers": "[{\"phone_number\": \"2025550123\", \"phone_type\": \"HOME\"}]", "first_name": "I", "last_name": "J"}"#,
        r#"{"phone_number": "929312316", "first_name": "K", "last_name": "L", "timezone": "Asia/Tokyo"}"#,
    ];
    let nodes: Vec<_> = cells
        .iter()
        .map(|c| Node::parse(c.as_bytes()).unwrap())
        .collect();
    let mut rows: Vec<ImportRow<'_>> = nodes
        .iter()
        .map(|n| ImportRow {
            fields: Ok(n.clone()),
            region: None,
        })
        .collect();
    rows[4].region = Some("US".into());
    let lines = importer.push(&rows);
    let statuses: Vec<RowStatus> = lines.iter().map(|l| l.status).collect();
    assert_eq!(
        statuses,
        [
            RowStatus::New,
            RowStatus::Duplicate,
            RowStatus::Existing,
            RowStatus::Invalid,
            RowStatus::New,
            RowStatus::Invalid
        ]
    );
    assert_eq!(lines[0].phone.as_deref(), Some("+351929312319"));
    let c = lines[0].contact.as_ref().unwrap();
    assert_eq!(c.priority, Some(4));
    assert_eq!(c.custom_fields["k"], Node::from(1_i64));
    assert_eq!(lines[1].duplicate_of, Some(1));
    assert_eq!(lines[3].errors[0].code, "PHONE_NUMBER_MISSING");
    assert_eq!(lines[4].phone.as_deref(), Some("+12025550123"));
    assert_eq!(
        lines[4].contact.as_ref().unwrap().phones[0]
            .label
            .as_deref(),
        Some("HOME")
    );
    assert_eq!(lines[5].errors[0].code, "TIMEZONE_UNMATCHED");
    assert_eq!(importer.summary().total, 6);
}

// ---- properties -------------------------------------------------------

fn shared(threads: usize) -> &'static Engine {
    static ONE: OnceLock<Engine> = OnceLock::new();
    static MANY: OnceLock<Engine> = OnceLock::new();
    let cell = if threads == 1 { &ONE } else { &MANY };
    cell.get_or_init(|| {
        Engine::new(
            Config::builder(Profile::RecordList)
                .threads(threads)
                .max_batch(400)
                .build(),
        )
        .unwrap()
    })
}

const PHONES: &[&str] = &[
    "+351929312319",
    "+351 929 312 318",
    "+351929312317",
    "+14155552671",
    "+1 (212) 555-0123",
    "+442071838750",
    "+1 555",
    "12",
    "",
];
const TYPES: &[&str] = &["HOME", "MOBILE", "OFFICE", "EXTRA_1", "mobile"];
const ZONES: &[&str] = &["Europe/Lisbon", "GMT", "America/New_York", "Mars/X", ""];

fn arb_record() -> impl Strategy<Value = Value> {
    let entry = (prop::sample::select(PHONES), prop::sample::select(TYPES))
        .prop_map(|(p, t)| json!({"phone_number": p, "phone_type": t}));
    (
        prop::collection::vec(entry, 0..4),
        prop::option::of(prop::sample::select(&["Ann", "", " Bob "][..])),
        prop::option::of(prop::sample::select(&["Lee", ""][..])),
        prop::option::of(prop::sample::select(ZONES)),
        prop::option::of(-1i64..13),
        prop::option::of((0u8..3, 0u8..3)),
        any::<bool>(),
    )
        .prop_map(|(phones, first, last, tz, priority, ext, legacy)| {
            let mut r = serde_json::Map::new();
            if legacy && !phones.is_empty() {
                r.insert("phone_number".into(), phones[0]["phone_number"].clone());
            } else {
                r.insert("phone_numbers".into(), Value::Array(phones));
            }
            if let Some(f) = first {
                r.insert("first_name".into(), json!(f));
            }
            if let Some(l) = last {
                r.insert("last_name".into(), json!(l));
            }
            if let Some(z) = tz {
                r.insert("timezone".into(), json!(z));
            }
            if let Some(p) = priority {
                r.insert("priority".into(), json!(p));
            }
            match ext {
                Some((0, id)) => {
                    r.insert("external_id".into(), json!(id.to_string()));
                }
                Some((p, id)) => {
                    r.insert("external_provider".into(), json!(format!("p{p}")));
                    r.insert("external_id".into(), json!(id.to_string()));
                }
                None => {}
            }
            Value::Object(r)
        })
}

const ORDER: [&str; 14] = [
    "PHONE_NUMBER_MISSING",
    "PHONE_NUMBER_INVALID",
    "PHONE_NUMBER_NOT_UNIQUE",
    "FIRST_NAME_MISSING",
    "FIRST_NAME_INVALID",
    "LAST_NAME_MISSING",
    "LAST_NAME_INVALID",
    "TIMEZONE_MISSING",
    "TIMEZONE_INVALID",
    "TIMEZONE_UNMATCHED",
    "PRIORITY_INVALID",
    "EXTERNAL_REF_MISSING",
    "EXTERNAL_ID_AND_PROVIDER_NOT_UNIQUE",
    "OTHER",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn summary_adds_up(list in prop::collection::vec(arb_record(), 1..120), in_store in any::<bool>()) {
        let store = if in_store {
            existing(json!({"phones": {"+14155552671": 1}, "external_refs": [["p1", "1"]]}))
        } else {
            Existing::new()
        };
        let body = records(list.clone());
        let out = shared(1).respond(body.as_bytes(), &store);
        prop_assert_eq!(out.response.status, 201);
        let v: Value = serde_json::from_str(&out.response.body).unwrap();
        let shown = v["_embedded"]["records"].as_array().unwrap();
        prop_assert_eq!(shown.len(), list.len());
        let total_errors = v["total_errors"].as_u64().unwrap() as usize;
        let total_created = v["total_created"].as_u64().unwrap() as usize;
        prop_assert_eq!(total_errors + total_created, list.len());
        prop_assert_eq!(v["has_error"].as_bool().unwrap(), total_errors > 0);
        prop_assert_eq!(total_created, out.to_create().len());
        prop_assert_eq!(
            total_errors,
            shown.iter().filter(|r| !r["errors"].as_array().unwrap().is_empty()).count()
        );
        prop_assert_eq!(out.summary.total, list.len());
        prop_assert_eq!(out.summary.new, total_created);
        prop_assert_eq!(
            out.summary.existing + out.summary.duplicate + out.summary.invalid,
            total_errors
        );
        let mut created_keys = std::collections::HashSet::new();
        for (row, r) in out.rows.iter().zip(shown) {
            // Codes in the API's order, each once, the same as the FieldErrors.
            let codes: Vec<&str> = r["errors"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
            let ranks: Vec<usize> = codes.iter().map(|c| ORDER.iter().position(|o| o == c).unwrap()).collect();
            prop_assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{:?}", codes);
            let row_codes: Vec<&str> = row.errors.iter().map(|e| e.code.as_str()).collect();
            prop_assert_eq!(&row_codes, &codes);
            prop_assert_eq!(row.action == Action::Create, codes.is_empty());
            prop_assert_eq!(row.status == RowStatus::New, codes.is_empty());
            if row.status == RowStatus::Duplicate {
                let first = row.duplicate_of.unwrap();
                prop_assert!(first < row.index);
                prop_assert!(matches!(out.rows[first].status, RowStatus::New | RowStatus::Existing));
            }
            // Created records never share a phone.
            if let Some(c) = row.contact.as_ref().filter(|_| row.action == Action::Create) {
                for p in &c.phones {
                    prop_assert!(created_keys.insert(p.e164.clone()), "{} created twice", p.e164);
                }
            }
        }
        // The two-phase form with exactly the looked-up keys agrees.
        let prepared = shared(1).prepare(body.as_bytes());
        let keys = prepared.keys();
        let mut found = serde_json::Map::new();
        if in_store && keys.phones.iter().any(|p| p == "+14155552671") {
            found.insert("+14155552671".into(), json!(1));
        }
        let refs: Vec<Value> = keys.external_refs.iter()
            .filter(|(p, i)| in_store && p == "p1" && i == "1")
            .map(|(p, i)| json!([p, i]))
            .collect();
        let subset = existing(json!({"phones": found, "external_refs": refs}));
        prop_assert_eq!(shared(1).resolve(&prepared, &subset).response, out.response);
    }

    #[test]
    fn thread_count_does_not_change_output(list in prop::collection::vec(arb_record(), 60..300)) {
        let body = records(list);
        let a = shared(1).respond(body.as_bytes(), &Existing::new());
        let b = shared(4).respond(body.as_bytes(), &Existing::new());
        prop_assert_eq!(a.response, b.response);
        prop_assert_eq!(a.rows, b.rows);
    }
}
