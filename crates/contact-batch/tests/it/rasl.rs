//! The rasl profiles (seeds 000–002) through the public API.

use contact_batch::Node;
use contact_batch::{Action, Config, Engine, Existing, Profile, RowStatus};
use serde_json::{json, Value};

use crate::support::engines::{engine, existing, respond};

/// The seed's request example, with a real phone instead of "string".
const SEED_CREATE: &str = r#"{
    "contacts": [{
        "firstname": "string", "lastname": "string", "phone": "+14155552671",
        "type": "lead", "source_id": 1, "status_id": 1, "email": "user@example.com",
        "company": "string", "description": "string", "city": "string",
        "state": "string", "zip": "string", "address": "string",
        "country_id": 1, "assigned_id": 1
    }],
    "options": {"continue_on_error": true, "skip_duplicates": false}
}"#;

#[test]
fn seed_create_example_creates_one_contact() {
    let e = engine(Profile::RaslCreate);
    let (status, body) = respond(&e, SEED_CREATE, &Existing::new());
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({
            "success": true,
            "summary": {"total": 1, "created": 1, "skipped": 0, "failed": 0},
            "created": [{
                "firstname": "string", "lastname": "string", "phone": "+14155552671",
                "type": "lead", "source_id": 1, "status_id": 1, "email": "user@example.com",
                "company": "string", "description": "string", "city": "string",
                "state": "string", "zip": "string", "address": "string",
                "country_id": 1, "assigned_id": 1
            }],
            "skipped": [],
            "errors": []
        })
    );
    // Member order is the API's, not alphabetical.
    let out = e.respond(SEED_CREATE.as_bytes(), &Existing::new());
    assert!(out
        .response
        .body
        .starts_with(r#"{"success":true,"summary":{"total":1,"created":1,"skipped":0,"failed":0},"created":[{"firstname""#));
    assert_eq!(out.to_create(), vec![0]);
}

#[test]
fn seed_placeholder_phone_string_is_an_error_on_phone() {
    let e = engine(Profile::RaslCreate);
    let body = SEED_CREATE.replace("+14155552671", "string");
    let (status, body) = respond(&e, &body, &Existing::new());
    assert_eq!(status, 200);
    assert_eq!(
        body["summary"],
        json!({"total": 1, "created": 0, "skipped": 0, "failed": 1})
    );
    assert_eq!(body["errors"][0]["index"], 0);
    assert_eq!(body["errors"][0]["data"]["phone"], "string");
    let msg = body["errors"][0]["errors"]["phone"][0].as_str().unwrap();
    assert!(
        msg.starts_with("The phone field must be a valid phone number"),
        "{msg}"
    );
}

#[test]
fn normalizes_defaults_and_nulls_absent_fields() {
    let e = engine(Profile::RaslCreate);
    let (_, body) = respond(
        &e,
        r#"{"contacts":[{"firstname":"  Ann ","phone":"(415) 555-2671","email":" Ann@EXAMPLE.com ","groups":[3,3,1]}]}"#,
        &Existing::new(),
    );
    let c = &body["created"][0];
    assert_eq!(c["firstname"], "Ann");
    assert_eq!(c["phone"], "+14155552671");
    assert_eq!(c["email"], "Ann@example.com");
    assert_eq!(c["type"], "lead");
    assert_eq!(c["lastname"], Value::Null);
    assert_eq!(c["source_id"], Value::Null);
    assert_eq!(c["groups"], json!([3, 1]));
}

#[test]
fn every_field_rule_reports_laravel_messages() {
    let e = engine(Profile::RaslCreate);
    let long = "x".repeat(256);
    let body = json!({"contacts": [{
        "firstname": long, "lastname": 5, "phone": "12", "type": "vip",
        "source_id": 0, "status_id": "3", "country_id": 1.5, "assigned_id": -2,
        "email": "Ann <a@b.com>", "company": "a\u{0}b", "zip": "1".repeat(21),
        "description": "d".repeat(65_536), "groups": [1, "x", 0]
    }]})
    .to_string();
    let (status, body) = respond(&e, &body, &Existing::new());
    assert_eq!(status, 200);
    let errs = &body["errors"][0]["errors"];
    assert_eq!(
        errs["firstname"][0],
        "The firstname field must not be greater than 255 characters."
    );
    assert_eq!(errs["lastname"][0], "The lastname field must be a string.");
    assert!(errs["phone"][0]
        .as_str()
        .unwrap()
        .contains("valid phone number"));
    assert_eq!(errs["type"][0], "The selected type is invalid.");
    assert_eq!(
        errs["source_id"][0],
        "The source id field must be at least 1."
    );
    assert_eq!(
        errs["status_id"][0],
        "The status id field must be an integer."
    );
    assert_eq!(
        errs["country_id"][0],
        "The country id field must be an integer."
    );
    assert_eq!(
        errs["assigned_id"][0],
        "The assigned id field must be at least 1."
    );
    assert_eq!(
        errs["email"][0],
        "The email field must be a valid email address."
    );
    assert_eq!(
        errs["company"][0],
        "The company field must not contain control characters."
    );
    assert_eq!(
        errs["zip"][0],
        "The zip field must not be greater than 20 characters."
    );
    assert_eq!(
        errs["description"][0],
        "The description field must not be greater than 65535 characters."
    );
    assert_eq!(
        errs["groups.1"][0],
        "The groups.1 field must be an integer."
    );
    assert_eq!(
        errs["groups.2"][0],
        "The groups.2 field must be at least 1."
    );
    let missing = respond(&e, r#"{"contacts":[{"lastname":"x"}]}"#, &Existing::new()).1;
    assert_eq!(
        missing["errors"][0]["errors"]["firstname"][0],
        "The firstname field is required."
    );
    assert_eq!(
        missing["errors"][0]["errors"]["phone"][0],
        "The phone field is required."
    );
}

#[test]
fn lengths_count_characters_not_bytes() {
    let e = engine(Profile::RaslCreate);
    let name = "é".repeat(255);
    let body = json!({"contacts": [{"firstname": name, "phone": "+14155552671"}]}).to_string();
    assert_eq!(
        respond(&e, &body, &Existing::new()).1["summary"]["created"],
        1
    );
}

const THREE: &str = r#"{"contacts":[
    {"firstname":"A","phone":"+1 415 555 2671"},
    {"firstname":"B","phone":"(415) 555-2671"},
    {"firstname":"C","phone":"+442071838750"}
], "options": {"skip_duplicates": SKIP}}"#;

#[test]
fn skip_duplicates_true_skips_with_reasons() {
    let e = engine(Profile::RaslCreate);
    let store = existing(json!({"phones": {"+442071838750": 9}}));
    let (status, body) = respond(&e, &THREE.replace("SKIP", "true"), &store);
    assert_eq!(status, 200);
    assert_eq!(
        body["summary"],
        json!({"total": 3, "created": 1, "skipped": 2, "failed": 0})
    );
    assert_eq!(body["skipped"][0]["index"], 1);
    assert_eq!(body["skipped"][0]["reason"], "duplicate_in_request");
    assert_eq!(body["skipped"][0]["data"]["phone"], "(415) 555-2671");
    assert_eq!(body["skipped"][1]["index"], 2);
    assert_eq!(body["skipped"][1]["reason"], "duplicate_phone");
}

#[test]
fn skip_duplicates_false_makes_them_phone_errors() {
    let e = engine(Profile::RaslCreate);
    let store = existing(json!({"phones": {"+442071838750": 9}}));
    let out = e.respond(THREE.replace("SKIP", "false").as_bytes(), &store);
    let body: Value = serde_json::from_str(&out.response.body).unwrap();
    assert_eq!(
        body["summary"],
        json!({"total": 3, "created": 1, "skipped": 0, "failed": 2})
    );
    // Laravel's `distinct` wording; the typed outcome says which contact.
    assert_eq!(
        body["errors"][0]["errors"]["phone"][0],
        "The phone field has a duplicate value."
    );
    assert_eq!(
        body["errors"][1]["errors"]["phone"][0],
        "The phone has already been taken."
    );
    assert_eq!(out.rows[1].status, RowStatus::Duplicate);
    assert_eq!(out.rows[1].duplicate_of, Some(0));
    assert_eq!(out.rows[2].status, RowStatus::Existing);
    assert_eq!(out.rows[2].existing_id, Some(Node::from(9_i64)));
}

#[test]
fn invalid_rows_claim_no_key() {
    let e = engine(Profile::RaslCreate);
    let body = r#"{"contacts":[
        {"phone":"+14155552671"},
        {"firstname":"B","phone":"+14155552671"}
    ]}"#;
    let out = e.respond(body.as_bytes(), &Existing::new());
    assert_eq!(out.rows[0].status, RowStatus::Invalid);
    assert_eq!(out.rows[1].status, RowStatus::New);
    assert_eq!(out.to_create(), vec![1]);
}

#[test]
fn continue_on_error_false_creates_nothing_and_reports_all() {
    let e = engine(Profile::RaslCreate);
    let body = r#"{"contacts":[
        {"firstname":"A","phone":"+14155552671"},
        {"firstname":"","phone":"+14155552672"},
        {"firstname":"C","phone":"nope"}
    ], "options": {"continue_on_error": false}}"#;
    let out = e.respond(body.as_bytes(), &Existing::new());
    assert_eq!(out.response.status, 422);
    assert!(out.rejected);
    assert!(out.to_create().is_empty());
    let v: Value = serde_json::from_str(&out.response.body).unwrap();
    assert_eq!(v["success"], false);
    assert_eq!(v["error"]["code"], "VALIDATION_ERROR");
    // Laravel's summary of a whole-request validation, attributes named
    // by their full path.
    assert_eq!(
        v["error"]["message"],
        "The contacts.1.firstname field is required. (and 1 more error)"
    );
    assert_eq!(
        v["error"]["details"]["contacts.1.firstname"][0],
        "The contacts.1.firstname field is required."
    );
    assert!(v["error"]["details"]["contacts.2.phone"][0].is_string());
    // With every row valid, continue_on_error: false changes nothing.
    let ok = r#"{"contacts":[{"firstname":"A","phone":"+14155552671"}], "options": {"continue_on_error": false}}"#;
    assert_eq!(
        e.respond(ok.as_bytes(), &Existing::new()).response.status,
        200
    );
}

#[test]
fn plan_quota_refuses_with_403() {
    let mut config = Config::builder(Profile::RaslCreate).threads(1).build();
    config.rasl.plan_quota = Some(1);
    let e = Engine::new(config).unwrap();
    let two = r#"{"contacts":[{"firstname":"A","phone":"+14155552671"},{"firstname":"B","phone":"+14155552672"}]}"#;
    let out = e.respond(two.as_bytes(), &Existing::new());
    assert_eq!(out.response.status, 403);
    let v: Value = serde_json::from_str(&out.response.body).unwrap();
    assert_eq!(v["error"]["code"], "FEATURE_LIMIT_EXCEEDED");
    assert!(out.to_create().is_empty());
    // One of them already exists and is skipped: only one is created, within quota.
    let store = existing(json!({"phones": {"+14155552672": 1}}));
    let two_skip = two.replace("]}", "], \"options\": {\"skip_duplicates\": true}}");
    assert_eq!(e.respond(two_skip.as_bytes(), &store).response.status, 200);
}

#[test]
fn request_level_errors_are_422_validation_error() {
    let e = engine(Profile::RaslCreate);
    let many = json!({"contacts": vec![json!({"firstname": "A", "phone": "+14155552671"}); 1001]})
        .to_string();
    let cases: Vec<(String, &str, &str)> = vec![
        ("[]".into(), "body", "must be a JSON object"),
        ("{".into(), "body", "not valid JSON"),
        ("".into(), "body", "empty"),
        (r#"{"a":1,"a":2}"#.into(), "body", "duplicate key"),
        ("{}".into(), "contacts", "The contacts field is required."),
        (
            r#"{"contacts":[]}"#.into(),
            "contacts",
            "The contacts field is required.",
        ),
        (
            r#"{"contacts":{}}"#.into(),
            "contacts",
            "The contacts field must be an array.",
        ),
        (many, "contacts", "must not have more than 1000 items"),
        (
            r#"{"contacts":[1]}"#.into(),
            "contacts.0",
            "The contacts.0 field must be an array.",
        ),
        (
            r#"{"contacts":[{}],"options":[]}"#.into(),
            "options",
            "The options field must be an array.",
        ),
        (
            r#"{"contacts":[{}],"options":{"skip_duplicates":"yes"}}"#.into(),
            "options.skip_duplicates",
            "The options.skip duplicates field must be true or false.",
        ),
    ];
    for (body, field, needle) in cases {
        let (status, v) = respond(&e, &body, &Existing::new());
        assert_eq!(status, 422, "{body}");
        assert_eq!(v["success"], false);
        assert_eq!(v["error"]["code"], "VALIDATION_ERROR");
        let detail = v["error"]["details"][field][0].as_str().unwrap_or_default();
        assert!(detail.contains(needle), "{body}: {v}");
        assert!(!v["error"]["message"].as_str().unwrap().is_empty());
    }
}

#[test]
fn oversized_body_is_refused_before_parsing() {
    let e = Engine::new(
        Config::builder(Profile::RaslCreate)
            .max_body_bytes(1024)
            .build(),
    )
    .unwrap();
    let body = format!(r#"{{"contacts":[{{"firstname":"{}"}}]}}"#, "x".repeat(2000));
    let (status, v) = respond(&e, &body, &Existing::new());
    assert_eq!(status, 422);
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("at most 1024 bytes"));
}

#[test]
fn two_phase_lists_keys_and_can_resolve_twice() {
    let e = engine(Profile::RaslCreate);
    let p = e.prepare(THREE.replace("SKIP", "true").as_bytes());
    assert!(p.rejection().is_none());
    assert_eq!(p.keys().phones, ["+14155552671", "+442071838750"]);
    let none = e.resolve(&p, &Existing::new());
    let some = e.resolve(&p, &existing(json!({"phones": {"+14155552671": "x"}})));
    assert_eq!(none.summary.new, 2);
    assert_eq!(some.summary.new, 1);
    assert_eq!(some.summary.existing, 1);
    assert_eq!(
        e.respond(THREE.replace("SKIP", "true").as_bytes(), &Existing::new()),
        none
    );
    let bad = e.prepare(b"nope");
    assert!(bad.keys().phones.is_empty());
    assert_eq!(bad.rejection().unwrap().status, 422);
}

// ---- rasl-delete (seed 001) ----

#[test]
fn seed_delete_example_and_counting() {
    let e = engine(Profile::RaslDelete);
    let (status, body) = respond(&e, r#"{"ids":[1]}"#, &existing(json!({"ids": [1]})));
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"success": true, "summary": {"total": 1, "deleted": 1, "failed": 0}})
    );
    let out = e.respond(br#"{"ids":[1,2,1,3,2]}"#, &existing(json!({"ids": [1, 2]})));
    let v: Value = serde_json::from_str(&out.response.body).unwrap();
    assert_eq!(v["summary"], json!({"total": 5, "deleted": 2, "failed": 3}));
    assert_eq!(out.to_delete(), vec![0, 1]);
    assert_eq!(e.prepare(br#"{"ids":[1,2,1]}"#).keys().ids, [1, 2]);
}

#[test]
fn delete_request_errors() {
    let e = engine(Profile::RaslDelete);
    for (body, field) in [
        ("{}", "ids"),
        (r#"{"ids":[]}"#, "ids"),
        (r#"{"ids":"1"}"#, "ids"),
        (r#"{"ids":[1,"2"]}"#, "ids.1"),
        (r#"{"ids":[0]}"#, "ids.0"),
        (r#"{"ids":[1.5]}"#, "ids.0"),
    ] {
        let (status, v) = respond(&e, body, &Existing::new());
        assert_eq!(status, 422, "{body}");
        assert!(v["error"]["details"][field].is_array(), "{body}: {v}");
    }
    let many = json!({"ids": (1..=1001).collect::<Vec<_>>()}).to_string();
    assert_eq!(respond(&e, &many, &Existing::new()).0, 422);
}

// ---- rasl-update (seed 002) ----

fn stored() -> Existing {
    existing(json!({
        "contact": {"id": 7, "firstname": "Old", "lastname": "Name", "phone": "+14155552671",
                    "email": "old@example.com", "type": "lead", "groups": [1]},
        "phones": {"+14155552671": 7, "+14155552672": 8}
    }))
}

#[test]
fn update_merges_only_present_fields() {
    let e = engine(Profile::RaslUpdate);
    let (status, v) = respond(
        &e,
        r#"{"firstname":" New ","lastname":null,"groups":[2,2,3],"type":"customer"}"#,
        &stored(),
    );
    assert_eq!(status, 200);
    assert_eq!(
        v,
        json!({"success": true, "message": "Contact updated successfully", "data": {
            "id": 7, "firstname": "New", "lastname": null, "phone": "+14155552671",
            "email": "old@example.com", "type": "customer", "groups": [2, 3]
        }})
    );
}

#[test]
fn update_own_phone_is_not_a_conflict_but_another_is() {
    let e = engine(Profile::RaslUpdate);
    let (status, _) = respond(&e, r#"{"phone":"(415) 555-2671"}"#, &stored());
    assert_eq!(status, 200);
    let (status, v) = respond(&e, r#"{"phone":"(415) 555-2672"}"#, &stored());
    assert_eq!(status, 422);
    assert_eq!(
        v["error"]["details"]["phone"][0],
        "The phone has already been taken."
    );
    assert_eq!(v["error"]["message"], "The phone has already been taken.");
}

#[test]
fn update_cannot_clear_required_fields() {
    let e = engine(Profile::RaslUpdate);
    let out = e.respond(br#"{"firstname":null,"phone":"","email":"bad"}"#, &stored());
    assert_eq!(out.response.status, 422);
    assert!(out.rejected);
    assert_eq!(out.rows[0].action, Action::None);
    let v: Value = serde_json::from_str(&out.response.body).unwrap();
    assert_eq!(
        v["error"]["details"]["firstname"][0],
        "The firstname field is required."
    );
    assert_eq!(
        v["error"]["details"]["phone"][0],
        "The phone field is required."
    );
    assert_eq!(
        v["error"]["message"],
        "The firstname field is required. (and 2 more errors)"
    );
}

#[test]
fn update_of_seed_example_body() {
    let e = engine(Profile::RaslUpdate);
    let body = r#"{"firstname":"string","lastname":"string","phone":"+14155552673","type":"lead",
        "source_id":1,"status_id":1,"email":"user@example.com","company":"string",
        "description":"string","city":"string","state":"string","zip":"string",
        "address":"string","country_id":1,"assigned_id":1,"groups":[1]}"#;
    let out = e.respond(body.as_bytes(), &stored());
    assert_eq!(out.response.status, 200);
    assert_eq!(out.to_update(), vec![0]);
    let v: Value = serde_json::from_str(&out.response.body).unwrap();
    assert_eq!(v["data"]["phone"], "+14155552673");
    assert_eq!(v["data"]["id"], 7);
}
