//! The contact-book profile (seed 004, SPEC §4.5) through the public API.

use contact_batch::Node;
use contact_batch::{
    Action, Config, Engine, Existing, ImportRow, Importer, Limits, Outcome, Profile, RowStatus,
};
use proptest::prelude::*;
use serde_json::{json, Value};

use crate::support::engines::existing;

fn engine() -> Engine {
    engine_with(Config::builder(Profile::ContactBook).threads(1).build())
}

fn engine_with(config: Config) -> Engine {
    Engine::new(config).unwrap()
}

fn respond(e: &Engine, body: &str, existing: &Existing) -> (u16, Value, Outcome) {
    let out = e.respond(body.as_bytes(), existing);
    let v: Value = serde_json::from_str(&out.response.body).expect("body is JSON");
    (out.response.status, v, out)
}

/// Upload `contacts` with default code 91 and nothing existing; the results.
fn results(contacts: Value) -> Vec<Value> {
    let body = json!({"defaultCountryCode": "91", "contacts": contacts}).to_string();
    let (status, v, _) = respond(&engine(), &body, &Existing::new());
    assert_eq!(status, 200, "{v}");
    v["data"]["results"].as_array().unwrap().clone()
}

/// A request refused at the request level: its message.
fn refused(e: &Engine, body: &str) -> String {
    let (status, v, out) = respond(e, body, &Existing::new());
    assert_eq!(status, 400, "{v}");
    assert!(out.rejected && out.rows.is_empty());
    assert!(e.prepare(body.as_bytes()).rejection().is_some());
    assert!(e.prepare(body.as_bytes()).keys().phones.is_empty());
    // The members' order as rendered (a serde_json::Value's would be its own).
    let ordered = Node::parse(out.response.body.as_bytes()).unwrap();
    let keys: Vec<&str> = ordered
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, _)| &**k)
        .collect();
    assert_eq!(keys, ["success", "error"]);
    assert_eq!(v["success"], json!(false));
    assert_eq!(v["error"]["code"], json!("VALIDATION_FAILED"));
    assert_eq!(v["error"].as_object().unwrap().len(), 2);
    v["error"]["message"].as_str().unwrap().to_owned()
}

/// The response documented in the seed, verbatim.
const SEED_RESPONSE: &str = r#"{
"success": true,
"message": "Contacts uploaded",
"data": {
"contactBook": {
"contactBookUid": "grp_abc",
"name": "Retail Leads"
},
"summary": {
"total": 3,
"created": 1,
"updated": 1,
"skipped": 1,
"invalid": 0
},
"results": [
{
"row": 1,
"status": "UPDATED",
"contact": { "contactUid": "ct_existing", "phone": "917000782082" }
},
{
"row": 2,
"status": "CREATED",
"contact": { "contactUid": "ct_new", "phone": "917999999999" }
},
{
"row": 3,
"status": "SKIPPED",
"reason": "DUPLICATE_IN_REQUEST",
"phone": "917999999999"
}
]
}
}"#;

/// The seed's curl request, with the two rows that make its documented
/// response: a new phone, and the same phone again.
const SEED_REQUEST: &str = r#"{
"defaultCountryCode": "91",
"contacts": [
{
"phone": "7000782082",
"displayName": "Asha Rao",
"firstName": "Asha",
"lastName": "Rao",
"email": "asha@example.com",
"companyName": "Acme",
"customFields": {
"city": "Mumbai"
}
},
{"phone": "7999999999", "displayName": "New Lead"},
{"phone": "7999999999", "displayName": "New Lead again"}
]
}"#;

fn seed_existing() -> Existing {
    existing(json!({
        "phones": {"+917000782082": "ct_existing"},
        "contact_book": {"contactBookUid": "grp_abc", "name": "Retail Leads"}
    }))
}

#[test]
fn seed_example_renders_the_documented_response() {
    let e = engine();
    let out = e.respond(SEED_REQUEST.as_bytes(), &seed_existing());
    assert_eq!(out.response.status, 200);
    // The seed's response, except that the host assigns the new contact's uid.
    let expected = Node::parse(SEED_RESPONSE.as_bytes()).unwrap().to_json();
    let expected = expected.replace(r#""contactUid":"ct_new""#, r#""contactUid":null"#);
    assert_eq!(out.response.body, expected);
    assert_eq!(
        out.response.body,
        concat!(
            r#"{"success":true,"message":"Contacts uploaded","data":{"#,
            r#""contactBook":{"contactBookUid":"grp_abc","name":"Retail Leads"},"#,
            r#""summary":{"total":3,"created":1,"updated":1,"skipped":1,"invalid":0},"#,
            r#""results":["#,
            r#"{"row":1,"status":"UPDATED","contact":{"contactUid":"ct_existing","phone":"917000782082"}},"#,
            r#"{"row":2,"status":"CREATED","contact":{"contactUid":null,"phone":"917999999999"}},"#,
            r#"{"row":3,"status":"SKIPPED","reason":"DUPLICATE_IN_REQUEST","phone":"917999999999"}"#,
            r#"]}}"#
        )
    );
    assert_eq!(
        out.response.to_json(),
        format!(r#"{{"status":200,"body":{}}}"#, out.response.body)
    );
}

#[test]
fn seed_example_typed_outcomes() {
    let e = engine();
    let out = e.respond(SEED_REQUEST.as_bytes(), &seed_existing());
    assert!(!out.rejected);
    let s = out.summary;
    assert_eq!(
        (s.total, s.new, s.existing, s.duplicate, s.invalid),
        (3, 1, 1, 1, 0)
    );
    let [updated, created, skipped] = &out.rows[..] else {
        panic!("three rows expected");
    };
    assert_eq!(
        (updated.index, updated.status, updated.action),
        (0, RowStatus::Existing, Action::Update)
    );
    assert_eq!(updated.existing_id, Some(Node::from("ct_existing")));
    assert_eq!(updated.key.as_deref(), Some("+917000782082"));
    let c = updated.contact.as_ref().unwrap();
    assert_eq!(c.display_name.as_deref(), Some("Asha Rao"));
    assert_eq!(c.first_name.as_deref(), Some("Asha"));
    assert_eq!(c.last_name.as_deref(), Some("Rao"));
    assert_eq!(c.email.as_deref(), Some("asha@example.com"));
    assert_eq!(c.company.as_deref(), Some("Acme"));
    assert_eq!(c.phones[0].e164, "+917000782082");
    assert_eq!(c.phones[0].region.as_deref(), Some("IN"));
    assert_eq!(c.custom_fields.to_json(), r#"{"city":"Mumbai"}"#);

    assert_eq!(
        (created.index, created.status, created.action),
        (1, RowStatus::New, Action::Create)
    );
    assert_eq!(created.existing_id, None);
    assert_eq!(created.key.as_deref(), Some("+917999999999"));

    assert_eq!(
        (skipped.status, skipped.action, skipped.duplicate_of),
        (RowStatus::Duplicate, Action::None, Some(1))
    );
    assert!(skipped.errors.is_empty());
    assert_eq!(out.to_create(), [1]);
    assert_eq!(out.to_update(), [0]);
    assert!(out.to_delete().is_empty());
}

#[test]
fn seed_curl_request_alone_creates_and_book_is_null_without_one() {
    let body = r#"{"defaultCountryCode": "91", "contacts": [{"phone": "7000782082",
        "displayName": "Asha Rao", "email": "Asha@Example.COM", "customFields": {"city": "Mumbai"}}]}"#;
    let (status, v, out) = respond(&engine(), body, &Existing::new());
    assert_eq!(status, 200);
    assert_eq!(
        v,
        json!({"success": true, "message": "Contacts uploaded", "data": {
            "contactBook": null,
            "summary": {"total": 1, "created": 1, "updated": 0, "skipped": 0, "invalid": 0},
            "results": [{"row": 1, "status": "CREATED",
                "contact": {"contactUid": null, "phone": "917000782082"}}]
        }})
    );
    // Domain lowercased, local part kept.
    let c = out.rows[0].contact.as_ref().unwrap();
    assert_eq!(c.email.as_deref(), Some("Asha@example.com"));
}

#[test]
fn stored_uid_is_rendered_as_the_host_gave_it() {
    let ex = existing(json!({"phones": {"+917000782082": 42}}));
    let body = r#"{"defaultCountryCode": "91", "contacts": [{"phone": "7000782082"}]}"#;
    let (_, v, out) = respond(&engine(), body, &ex);
    assert_eq!(
        v["data"]["results"][0],
        json!({"row": 1, "status": "UPDATED", "contact": {"contactUid": 42, "phone": "917000782082"}})
    );
    assert_eq!(out.rows[0].existing_id, Some(Node::from(42_i64)));
}

#[test]
fn two_phase_lists_distinct_valid_keys_in_order() {
    let e = engine();
    let body = r#"{"defaultCountryCode": "91", "contacts": [
        {"phone": "7999999999"},
        {"phone": "123"},
        {"phone": "7000782082", "email": "bad"},
        {"phone": "+91 70007 82082"},
        {"phone": "7999999999"},
        {}
    ]}"#;
    let prepared = e.prepare(body.as_bytes());
    assert!(prepared.rejection().is_none());
    // Row 3 is invalid (email), so its phone is first claimed by row 4.
    assert_eq!(prepared.keys().phones, ["+917999999999", "+917000782082"]);
    let nothing = e.resolve(&prepared, &Existing::new());
    let stored = e.resolve(
        &prepared,
        &existing(json!({"phones": {"+917000782082": "ct_1"}})),
    );
    let statuses = |o: &Outcome| o.rows.iter().map(|r| r.status).collect::<Vec<_>>();
    use RowStatus::{Duplicate, Invalid, New};
    assert_eq!(
        statuses(&nothing),
        [New, Invalid, Invalid, New, Duplicate, Invalid]
    );
    assert_eq!(
        statuses(&stored),
        [
            New,
            Invalid,
            Invalid,
            RowStatus::Existing,
            Duplicate,
            Invalid
        ]
    );
    assert_eq!(nothing, e.resolve(&prepared, &Existing::new()));
}

#[test]
fn every_reason() {
    let r = results(json!([
        {},
        {"phone": null},
        {"phone": "   "},
        {"phone": "123"},
        {"phone": "hello"},
        {"phone": true},
        {"phone": ["7000782082"]},
        {"phone": -7000782082i64},
        {"phone": 7000782082.5},
        {"phone": "70007\u{0}82082"},
        {"phone": "7000782082", "email": "not-an-email"},
        {"phone": "7000782083", "email": 5},
        {"phone": "7000782084", "email": "Asha <asha@example.com>"},
        {"phone": "7000782085", "displayName": "x".repeat(121)},
        {"phone": "7000782086", "firstName": "x".repeat(81)},
        {"phone": "7000782087", "lastName": 7},
        {"phone": "7000782088", "companyName": "x".repeat(121)},
        {"phone": "7000782089", "firstName": "A\u{1b}[31m"},
    ]));
    let reasons: Vec<(&str, &str)> = r
        .iter()
        .map(|x| (x["status"].as_str().unwrap(), x["reason"].as_str().unwrap()))
        .collect();
    let expect = |reason| ("INVALID", reason);
    assert_eq!(
        reasons,
        [
            expect("PHONE_REQUIRED"),
            expect("PHONE_REQUIRED"),
            expect("PHONE_REQUIRED"),
            expect("INVALID_PHONE"),
            expect("INVALID_PHONE"),
            expect("INVALID_PHONE"),
            expect("INVALID_PHONE"),
            expect("INVALID_PHONE"),
            expect("INVALID_PHONE"),
            expect("INVALID_PHONE"),
            expect("INVALID_EMAIL"),
            expect("INVALID_EMAIL"),
            expect("INVALID_EMAIL"),
            expect("INVALID_FIELD"),
            expect("INVALID_FIELD"),
            expect("INVALID_FIELD"),
            expect("INVALID_FIELD"),
            expect("INVALID_FIELD"),
        ]
    );
    // Exact shape; `phone` exactly as sent, null when absent.
    assert_eq!(
        r[0],
        json!({"row": 1, "status": "INVALID", "reason": "PHONE_REQUIRED", "phone": null})
    );
    assert_eq!(r[2]["phone"], json!("   "));
    assert_eq!(
        r[3],
        json!({"row": 4, "status": "INVALID", "reason": "INVALID_PHONE", "phone": "123"})
    );
    assert_eq!(r[5]["phone"], json!(true));
    assert_eq!(r[6]["phone"], json!(["7000782082"]));
    assert_eq!(r[7]["phone"], json!(-7000782082i64));
    assert_eq!(r[10]["phone"], json!("7000782082"));
}

#[test]
fn reason_precedence_and_all_errors_kept() {
    let body = json!({"defaultCountryCode": "91", "contacts": [
        {"email": "bad", "firstName": 1},
        {"phone": "123", "email": "bad", "firstName": 1},
        {"phone": "7000782082", "email": "bad", "firstName": 1, "customFields": {}},
        {"phone": "7000782082", "firstName": 1, "lastName": "x".repeat(81)},
    ]})
    .to_string();
    let (_, v, out) = respond(&engine(), &body, &Existing::new());
    let reasons: Vec<&str> = v["data"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        [
            "PHONE_REQUIRED",
            "INVALID_PHONE",
            "INVALID_EMAIL",
            "INVALID_FIELD"
        ]
    );
    let fields = |i: usize| {
        out.rows[i]
            .errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        fields(1),
        [
            ("phone", "INVALID_PHONE"),
            ("email", "INVALID_EMAIL"),
            ("firstName", "INVALID_FIELD")
        ]
    );
    assert_eq!(
        fields(3),
        [
            ("firstName", "INVALID_FIELD"),
            ("lastName", "INVALID_FIELD")
        ]
    );
    assert!(out.rows[3].errors[1].message.contains("80 characters"));
    for r in &out.rows {
        assert_eq!((r.status, r.action), (RowStatus::Invalid, Action::None));
        assert!(r.key.is_none() && r.contact.is_none());
    }
}

#[test]
fn invalid_rows_claim_no_key() {
    let r = results(json!([
        {"phone": "7000782082", "email": "bad"},
        {"phone": "7000782082"},
        {"phone": "+917000782082"},
    ]));
    assert_eq!(r[0]["status"], "INVALID");
    assert_eq!(r[1]["status"], "CREATED");
    assert_eq!(
        r[2],
        json!({"row": 3, "status": "SKIPPED", "reason": "DUPLICATE_IN_REQUEST", "phone": "917000782082"})
    );
}

#[test]
fn text_limits_count_characters_and_blank_is_absent() {
    let e = engine();
    let body = json!({"defaultCountryCode": "91", "contacts": [{
        "phone": " 7000782082 ",
        "displayName": "é".repeat(120),
        "firstName": "名".repeat(80),
        "lastName": "  ",
        "companyName": format!("  {}  ", "c".repeat(120)),
        "email": "",
        "unknownField": {"ignored": [1, 2]}
    }]})
    .to_string();
    let (_, v, out) = respond(&e, &body, &Existing::new());
    assert_eq!(v["data"]["results"][0]["status"], "CREATED", "{v}");
    let c = out.rows[0].contact.as_ref().unwrap();
    assert_eq!(c.display_name.as_ref().unwrap().chars().count(), 120);
    assert_eq!(c.last_name, None);
    assert_eq!(c.email, None);
    assert_eq!(c.company.as_deref(), Some("c".repeat(120).as_str()));
}

#[test]
fn limits_are_configurable() {
    let mut limits = Limits::default();
    limits.contact_book.name = 3;
    limits.contact_book.display_name = 4;
    let e = engine_with(
        Config::builder(Profile::ContactBook)
            .threads(1)
            .limits(limits)
            .build(),
    );
    let body = r#"{"defaultCountryCode": "91", "contacts": [
        {"phone": "7000782082", "firstName": "Ann", "displayName": "Anna"},
        {"phone": "7000782083", "firstName": "Anne"},
        {"phone": "7000782084", "companyName": "Acme!"}
    ]}"#;
    let (_, v, _) = respond(&e, body, &Existing::new());
    let statuses: Vec<&str> = v["data"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["CREATED", "INVALID", "INVALID"]);
}

#[test]
fn number_already_starting_with_the_code_is_read_as_libphonenumber_does() {
    // libphonenumber strips a leading country code when the rest is a valid
    // national number and the whole is not: all of these are one number.
    let r = results(json!([
        {"phone": "917000782082"},
        {"phone": "7000782082"},
        {"phone": "+91 70007 82082"},
        {"phone": "07000782082"},
        {"phone": "0091 7000782082"},
        {"phone": 7000782082u64},
        {"phone": "(+91) 70007-82082"},
    ]));
    assert_eq!(
        r[0],
        json!({"row": 1, "status": "CREATED", "contact": {"contactUid": null, "phone": "917000782082"}})
    );
    for x in &r[1..] {
        assert_eq!(x["status"], "SKIPPED", "{x}");
        assert_eq!(x["phone"], "917000782082", "{x}");
    }
}

#[test]
fn default_country_code_forms_and_other_countries() {
    for code in [json!("91"), json!("+91"), json!(91), json!(" 91 ")] {
        let body = json!({"defaultCountryCode": code, "contacts": [{"phone": "7000782082"}]});
        let (status, v, _) = respond(&engine(), &body.to_string(), &Existing::new());
        assert_eq!(status, 200, "{code}: {v}");
        assert_eq!(v["data"]["results"][0]["contact"]["phone"], "917000782082");
    }
    // Calling code 1 covers Canada as well as the US.
    let body = r#"{"defaultCountryCode": "1", "contacts": [
        {"phone": "(415) 555-2671"}, {"phone": "204-234-5678"}, {"phone": "+44 20 7183 8750"}
    ]}"#;
    let (_, v, out) = respond(&engine(), body, &Existing::new());
    let phones: Vec<&str> = v["data"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["contact"]["phone"].as_str().unwrap())
        .collect();
    assert_eq!(phones, ["14155552671", "12042345678", "442071838750"]);
    let regions: Vec<_> = out
        .rows
        .iter()
        .map(|r| {
            r.contact.as_ref().unwrap().phones[0]
                .region
                .clone()
                .unwrap()
        })
        .collect();
    assert_eq!(regions, ["US", "CA", "GB"]);
}

#[test]
fn without_default_code_digits_are_international() {
    let e = engine();
    let body = r#"{"contacts": [
        {"phone": "917000782082"},
        {"phone": "+917000782082"},
        {"phone": "14155552671"},
        {"phone": "7000782082"},
        {"phone": 442071838750}
    ]}"#;
    let (status, v, _) = respond(&e, body, &Existing::new());
    assert_eq!(status, 200);
    let r = v["data"]["results"].as_array().unwrap();
    assert_eq!(r[0]["contact"]["phone"], "917000782082");
    assert_eq!(r[1]["status"], "SKIPPED");
    assert_eq!(r[2]["contact"]["phone"], "14155552671");
    // Read as +7 000 782082: not a valid number.
    assert_eq!(r[3]["reason"], "INVALID_PHONE");
    assert_eq!(r[4]["contact"]["phone"], "442071838750");
    // A null or blank code is no code, too.
    for code in ["null", r#""""#, r#""  ""#] {
        let body = format!(
            r#"{{"defaultCountryCode": {code}, "contacts": [{{"phone": "917000782082"}}]}}"#
        );
        let (status, v, _) = respond(&e, &body, &Existing::new());
        assert_eq!(status, 200);
        assert_eq!(v["data"]["results"][0]["status"], "CREATED");
    }
}

#[test]
fn config_default_region_does_not_replace_the_requests_code() {
    let e = engine_with(
        Config::builder(Profile::ContactBook)
            .default_region("US")
            .threads(1)
            .build(),
    );
    let (_, v, _) = respond(
        &e,
        r#"{"contacts": [{"phone": "14155552671"}]}"#,
        &Existing::new(),
    );
    assert_eq!(v["data"]["results"][0]["contact"]["phone"], "14155552671");
}

#[test]
fn extension_is_kept_apart_from_the_key() {
    let body = r#"{"defaultCountryCode": "1", "contacts": [
        {"phone": "415-555-2671 ext. 12"}, {"phone": "+1 415 555 2671"}
    ]}"#;
    let (_, v, out) = respond(&engine(), body, &Existing::new());
    assert_eq!(v["data"]["results"][0]["contact"]["phone"], "14155552671");
    assert_eq!(v["data"]["results"][1]["status"], "SKIPPED");
    let c = out.rows[0].contact.as_ref().unwrap();
    assert_eq!(c.phones[0].extension.as_deref(), Some("12"));
}

#[test]
fn request_level_errors_are_400_validation_failed() {
    let e = engine();
    let cases: Vec<(String, &str)> = vec![
        ("{}".into(), "contacts is required"),
        (r#"{"contacts": null}"#.into(), "contacts is required"),
        (r#"{"contacts": {}}"#.into(), "contacts must be an array of contacts, not an object"),
        (r#"{"contacts": "x"}"#.into(), "not a string"),
        (r#"{"contacts": []}"#.into(), "contacts is empty"),
        (
            r#"{"contacts": [{"phone": "917000782082"}, 5]}"#.into(),
            "contacts[1] (row 2) must be an object, not a number.",
        ),
        (
            r#"{"defaultCountryCode": "999", "contacts": [{"phone": "1"}]}"#.into(),
            r#"defaultCountryCode must be a country calling code such as "91", not "999"."#,
        ),
        (
            r#"{"defaultCountryCode": "IN", "contacts": [{"phone": "1"}]}"#.into(),
            "defaultCountryCode must be",
        ),
        (
            r#"{"defaultCountryCode": true, "contacts": [{"phone": "1"}]}"#.into(),
            "not a boolean",
        ),
        (
            r#"{"contacts": [{"phone": "1"}, {"phone": "2", "customFields": [1]}]}"#.into(),
            "contacts[1].customFields (row 2) must be an object, not an array.",
        ),
        (
            r#"{"contacts": [{"customFields": {"": 1}}]}"#.into(),
            "contacts[0].customFields (row 1) has an empty key; keys must be 1 to 64 characters.",
        ),
        (
            r#"{"contacts": [{"customFields": {"a": {"b": 1}}}]}"#.into(),
            "contacts[0].customFields.a (row 1) must be a string, number, boolean or null, not an object.",
        ),
        (
            json!({"contacts": [{"customFields": {"note": "x".repeat(1001)}}]}).to_string(),
            "contacts[0].customFields.note (row 1) is longer than 1000 characters.",
        ),
        (
            json!({"contacts": [{"customFields": {"k".repeat(65): 1}}]}).to_string(),
            "keys must be 1 to 64 characters",
        ),
        ("[]".into(), "must be a JSON object, not an array"),
        ("{".into(), "not valid JSON"),
        ("".into(), "empty"),
        (r#"{"contacts": [], "contacts": []}"#.into(), "duplicate key"),
    ];
    for (body, needle) in cases {
        let m = refused(&e, &body);
        assert!(m.contains(needle), "{body}: {m}");
    }
}

#[test]
fn custom_fields_limits() {
    let e = engine();
    let fields = |n: usize| {
        (0..n)
            .map(|i| (format!("f{i}"), json!(i)))
            .collect::<serde_json::Map<_, _>>()
    };
    let at = |custom: Value| {
        json!({"defaultCountryCode": "91", "contacts": [
            {"phone": "7000782082"},
            {"phone": "7000782083"},
            {"phone": "7000782084"},
            {"phone": "7000782085", "customFields": custom}
        ]})
        .to_string()
    };
    // At the limits: accepted.
    let ok = json!({
        "k".repeat(64): "v".repeat(1000),
        "n": 1.5, "b": false, "z": null, "é": " padded "
    });
    let (status, v, out) = respond(&e, &at(ok), &Existing::new());
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        out.rows[3].contact.as_ref().unwrap().custom_fields["é"],
        Node::from("padded")
    );
    let (status, _, _) = respond(&e, &at(Value::Object(fields(50))), &Existing::new());
    assert_eq!(status, 200);
    // Over them: the request is refused, naming the row.
    assert_eq!(
        refused(&e, &at(Value::Object(fields(51)))),
        "contacts[3].customFields (row 4) has 51 keys; at most 50 are allowed."
    );
    let m = refused(&e, &at(json!({"k".repeat(65): 1})));
    assert!(
        m.starts_with("contacts[3].customFields (row 4) has the key"),
        "{m}"
    );
    let m = refused(&e, &at(json!({"v": "x".repeat(1001)})));
    assert!(m.contains("longer than 1000 characters"), "{m}");
    let m = refused(&e, &at(json!({"v": "a\u{7}b"})));
    assert!(m.contains("control character"), "{m}");
    let m = refused(&e, &at(json!({" ": 1})));
    assert!(m.contains("blank key"), "{m}");
    let m = refused(&e, &at(json!("city=Pune")));
    assert!(m.contains("must be an object, not a string"), "{m}");
    // The limits come from the config.
    let mut limits = Limits::default();
    limits.contact_book.custom_fields = 2;
    limits.contact_book.custom_key = 3;
    limits.contact_book.custom_value = 4;
    let small = engine_with(
        Config::builder(Profile::ContactBook)
            .threads(1)
            .limits(limits)
            .build(),
    );
    assert!(refused(&small, &at(Value::Object(fields(3)))).contains("at most 2"));
    assert!(refused(&small, &at(json!({"abcd": 1}))).contains("1 to 3 characters"));
    assert!(refused(&small, &at(json!({"a": "12345"}))).contains("longer than 4"));
    let (status, _, _) = respond(
        &small,
        &at(json!({"abc": "1234", "x": 1})),
        &Existing::new(),
    );
    assert_eq!(status, 200);
}

#[test]
fn several_request_problems_are_counted_in_the_message() {
    let m = refused(
        &engine(),
        r#"{"defaultCountryCode": "0", "contacts": [1, {"customFields": 2}, 3]}"#,
    );
    assert!(m.starts_with("defaultCountryCode must be"), "{m}");
    assert!(m.ends_with("(and 3 more problems)"), "{m}");
}

#[test]
fn batch_limit_1000_and_configurable() {
    let e = engine();
    let contacts = |n: usize| {
        let rows: Vec<Value> = (0..n)
            .map(|i| json!({"phone": format!("70{:08}", i)}))
            .collect();
        json!({"defaultCountryCode": "91", "contacts": rows}).to_string()
    };
    let (status, v, _) = respond(&e, &contacts(1000), &Existing::new());
    assert_eq!(status, 200);
    assert_eq!(v["data"]["summary"]["total"], 1000);
    assert_eq!(
        refused(&e, &contacts(1001)),
        "contacts has 1001 items; at most 1000 are allowed."
    );
    let small = engine_with(
        Config::builder(Profile::ContactBook)
            .max_batch(2)
            .threads(1)
            .build(),
    );
    assert!(refused(&small, &contacts(3)).contains("at most 2 are allowed"));
    assert_eq!(respond(&small, &contacts(2), &Existing::new()).0, 200);
}

#[test]
fn oversized_body_is_refused_before_parsing() {
    let e = engine_with(
        Config::builder(Profile::ContactBook)
            .max_body_bytes(64)
            .build(),
    );
    let body = format!(r#"{{"contacts": [{{"phone": "{}"}}]}}"#, "1".repeat(100));
    assert!(refused(&e, &body).contains("at most 64 bytes"));
}

#[test]
fn import_rows_use_the_same_rules_and_custom_fields_are_row_errors() {
    let e = engine();
    let ex = existing(json!({"phones": {"+917000782082": "ct_1"}}));
    let mut imp = Importer::new(&e, &ex, false).unwrap();
    let rows = [
        r#"{"phone": "917000782082", "customFields": {"city": "Pune"}}"#,
        r#"{"phone": "+917999999999", "customFields": {"a": [1]}}"#,
        r#"{"phone": "917999999999"}"#,
        r#"{"phone": "+91 7999999999"}"#,
        r#"{"email": "bad"}"#,
    ];
    let nodes: Vec<ImportRow<'_>> = rows
        .iter()
        .map(|r| ImportRow {
            fields: Node::parse(r.as_bytes()).map_err(|e| e.to_string()),
            region: None,
        })
        .collect();
    let lines = imp.push(&nodes);
    use RowStatus::{Duplicate, Invalid, New};
    assert_eq!(
        lines.iter().map(|l| l.status).collect::<Vec<_>>(),
        [RowStatus::Existing, Invalid, New, Duplicate, Invalid]
    );
    assert_eq!(lines[0].phone.as_deref(), Some("+917000782082"));
    let c = lines[0].contact.as_ref().unwrap();
    assert_eq!(c.custom_fields.get("city"), Some(&Node::from("Pune")));
    assert_eq!(lines[1].errors[0].field, "customFields.a");
    assert_eq!(lines[1].errors[0].code, "INVALID_FIELD");
    assert_eq!(lines[3].duplicate_of, Some(3));
    assert_eq!(
        lines[4]
            .errors
            .iter()
            .map(|e| e.code.as_str())
            .collect::<Vec<_>>(),
        ["PHONE_REQUIRED", "INVALID_EMAIL"]
    );

    // A text source (CSV): customFields is a JSON object in its cell.
    let nothing = Existing::new();
    let mut csv = Importer::new(&e, &nothing, true).unwrap();
    let cells = [
        r#"{"phone": "917000782082", "customFields": "{\"tier\": 2}", "email": ""}"#,
        r#"{"phone": "917000782083", "customFields": "tier=2"}"#,
    ];
    let nodes: Vec<ImportRow<'_>> = cells
        .iter()
        .map(|r| ImportRow {
            fields: Node::parse(r.as_bytes()).map_err(|e| e.to_string()),
            region: Some("IN".into()),
        })
        .collect();
    let lines = csv.push(&nodes);
    assert_eq!(lines[0].status, New);
    assert_eq!(
        lines[0].contact.as_ref().unwrap().custom_fields.get("tier"),
        Some(&Node::from(2_i64))
    );
    assert_eq!(lines[1].status, Invalid);
    assert_eq!(lines[1].errors[0].field, "customFields");
}

fn mixed_batch(n: usize) -> String {
    let rows: Vec<Value> = (0..n)
        .map(|i| match i % 7 {
            0 => json!({"phone": format!("70{:08}", i % 300), "displayName": format!("C {i}")}),
            1 => json!({"phone": format!("+91 79{:08}", i % 50), "email": format!("u{i}@Example.com")}),
            2 => json!({"phone": "12", "firstName": "x"}),
            3 => json!({"email": "nope"}),
            4 => json!({"phone": format!("91 70{:08}", i % 300), "customFields": {"i": i}}),
            5 => json!({"phone": format!("70{:08}", i), "lastName": "y".repeat(81)}),
            _ => json!({"phone": i as u64 + 7_000_000_000u64, "companyName": "Acme"}),
        })
        .collect();
    json!({"defaultCountryCode": "91", "contacts": rows}).to_string()
}

#[test]
fn parallel_and_single_thread_give_identical_bodies() {
    let body = mixed_batch(1000);
    let mut phones = serde_json::Map::new();
    for i in (0..300).step_by(3) {
        phones.insert(format!("+9170{:08}", i), json!(format!("ct_{i}")));
    }
    let ex = existing(json!({"phones": phones,
        "contact_book": {"contactBookUid": "grp_x", "name": "X"}}));
    let one = engine_with(Config::builder(Profile::ContactBook).threads(1).build());
    let many = engine_with(Config::builder(Profile::ContactBook).threads(8).build());
    let a = one.respond(body.as_bytes(), &ex);
    let b = many.respond(body.as_bytes(), &ex);
    assert_eq!(a.response.status, 200);
    assert_eq!(a.response.body, b.response.body);
    assert_eq!(a, b);
    assert_eq!(
        one.prepare(body.as_bytes()).keys(),
        many.prepare(body.as_bytes()).keys()
    );
    let s = a.summary;
    assert!(
        s.new > 0 && s.existing > 0 && s.duplicate > 0 && s.invalid > 0,
        "{s:?}"
    );
}

fn row_strategy() -> impl Strategy<Value = Value> {
    let phone = prop_oneof![
        (0u32..20).prop_map(|i| json!(format!("70000820{:02}", i))),
        (0u32..20).prop_map(|i| json!(format!("+91 70000 820{:02}", i))),
        (0u32..20).prop_map(|i| json!(7_000_082_000u64 + u64::from(i))),
        Just(json!("123")),
        Just(json!("")),
        Just(Value::Null),
        Just(json!(true)),
        "[0-9+() -]{0,16}".prop_map(Value::from),
    ];
    let email = prop_oneof![
        Just(Value::Null),
        Just(json!("a@b.co")),
        Just(json!("bad")),
        Just(json!(3)),
    ];
    let name = prop_oneof![
        Just(Value::Null),
        Just(json!("Asha")),
        Just(json!("x".repeat(81))),
        Just(json!(["x"])),
    ];
    (phone, email, name, any::<bool>()).prop_map(|(phone, email, name, omit_phone)| {
        let mut row = serde_json::Map::new();
        if !omit_phone {
            row.insert("phone".into(), phone);
        }
        row.insert("email".into(), email);
        row.insert("firstName".into(), name);
        Value::Object(row)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn summary_counts_add_up(
        rows in prop::collection::vec(row_strategy(), 1..40),
        stored in prop::collection::vec(0u32..20, 0..10),
        code in prop_oneof![Just(json!("91")), Just(Value::Null)],
    ) {
        let e = engine();
        let body = json!({"defaultCountryCode": code, "contacts": rows}).to_string();
        let mut phones = serde_json::Map::new();
        for i in stored {
            phones.insert(format!("+9170000820{:02}", i), json!(i));
        }
        let ex = existing(json!({"phones": phones}));
        let (status, v, out) = respond(&e, &body, &ex);
        prop_assert_eq!(status, 200);
        let s = &v["data"]["summary"];
        let n = |k: &str| s[k].as_u64().unwrap() as usize;
        prop_assert_eq!(n("total"), rows.len());
        prop_assert_eq!(n("created") + n("updated") + n("skipped") + n("invalid"), n("total"));
        prop_assert_eq!(
            (n("created"), n("updated"), n("skipped"), n("invalid")),
            (out.summary.new, out.summary.existing, out.summary.duplicate, out.summary.invalid)
        );
        let results = v["data"]["results"].as_array().unwrap();
        prop_assert_eq!(results.len(), rows.len());
        let mut keys = std::collections::HashSet::new();
        for (i, (r, o)) in results.iter().zip(&out.rows).enumerate() {
            prop_assert_eq!(r["row"].as_u64(), Some(i as u64 + 1));
            prop_assert_eq!(o.index, i);
            // A created or updated phone is never repeated among them.
            if o.status == RowStatus::New || o.status == RowStatus::Existing {
                prop_assert!(keys.insert(o.key.clone().unwrap()));
            }
            if o.status == RowStatus::Duplicate {
                prop_assert!(out.rows[o.duplicate_of.unwrap()].key == o.key);
            }
        }
        let prepared = e.prepare(body.as_bytes());
        prop_assert_eq!(prepared.keys().phones.len(), keys.len());
    }
}
