//! The rasl profiles' messages against Laravel's own English templates.
//!
//! `tests/data/laravel_messages.json` holds what Laravel's validator says
//! for each case, rendered from the framework's `validation.php` with its
//! attribute naming by `scripts/gen_laravel_messages.php` (the command is in
//! its header). Each test sends a request that fails that rule and reads
//! the message where the API puts it.

use std::collections::BTreeMap;

use contact_batch::{Existing, Node, Profile};
use serde_json::{json, Value};

use crate::support::engines::engine;

const MESSAGES: &str = include_str!("../data/laravel_messages.json");

fn laravel(id: &str) -> String {
    let all: BTreeMap<String, String> = serde_json::from_str(MESSAGES).expect("vector JSON");
    all.get(id)
        .unwrap_or_else(|| panic!("no vector {id}; regenerate the file"))
        .clone()
}

/// The response body's text, members in the order rendered.
fn respond_body(profile: Profile, body: &Value, existing: &Existing) -> String {
    engine(profile)
        .respond(body.to_string().as_bytes(), existing)
        .response
        .body
}

fn respond(profile: Profile, body: &Value, existing: &Existing) -> (u16, Value) {
    let out = engine(profile).respond(body.to_string().as_bytes(), existing);
    let v = serde_json::from_str(&out.response.body).expect("JSON body");
    (out.response.status, v)
}

const P1: &str = "+14155552671";
const P2: &str = "+14155552672";
const P3: &str = "+14155552673";
const P4: &str = "+14155552674";

#[test]
fn per_row_messages_are_laravels() {
    let ok = || json!({"firstname": "Ann", "phone": P1});
    let with = |key: &str, value: Value| {
        let mut c = ok();
        c[key] = value;
        c
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        ("row.firstname.required", json!({"phone": P1}), "firstname"),
        (
            "row.lastname.string",
            with("lastname", json!(5)),
            "lastname",
        ),
        (
            "row.firstname.max",
            with("firstname", json!("a".repeat(256))),
            "firstname",
        ),
        ("row.zip.max", with("zip", json!("1".repeat(21))), "zip"),
        (
            "row.description.max",
            with("description", json!("d".repeat(65_536))),
            "description",
        ),
        (
            "row.source_id.integer",
            with("source_id", json!("x")),
            "source_id",
        ),
        (
            "row.assigned_id.min",
            with("assigned_id", json!(0)),
            "assigned_id",
        ),
        ("row.type.in", with("type", json!("vip")), "type"),
        ("row.email.email", with("email", json!("nope")), "email"),
        ("row.groups.array", with("groups", json!("x")), "groups"),
        (
            "row.groups.max",
            with("groups", json!(vec![1; 1001])),
            "groups",
        ),
        (
            "row.groups.1.integer",
            with("groups", json!([1, "a"])),
            "groups.1",
        ),
        ("row.groups.0.min", with("groups", json!([0])), "groups.0"),
        ("row.phone.required", json!({"firstname": "Ann"}), "phone"),
    ];
    for (id, contact, field) in cases {
        let (status, v) = respond(
            Profile::RaslCreate,
            &json!({"contacts": [contact]}),
            &Existing::new(),
        );
        assert_eq!(status, 200, "{id}");
        assert_eq!(v["errors"][0]["errors"][field][0], laravel(id), "{id}");
    }
    // In the store, and repeated in the request: unique and distinct.
    let store = Existing::from_json(json!({"phones": {P2: 7}}).to_string().as_bytes()).unwrap();
    let body = json!({"contacts": [
        {"firstname": "A", "phone": P1},
        {"firstname": "B", "phone": P1},
        {"firstname": "C", "phone": P2},
    ]});
    let (_, v) = respond(Profile::RaslCreate, &body, &store);
    assert_eq!(
        v["errors"][0]["errors"]["phone"][0],
        laravel("row.phone.distinct")
    );
    assert_eq!(
        v["errors"][1]["errors"]["phone"][0],
        laravel("row.phone.unique")
    );

    // rasl-update validates the one contact the same way.
    let stored = Existing::from_json(
        br#"{"contact": {"id": 1, "firstname": "Old"}, "phones": {"+14155552672": 2}}"#,
    )
    .unwrap();
    for (id, body, field) in [
        (
            "row.firstname.required",
            json!({"firstname": null}),
            "firstname",
        ),
        ("row.type.in", json!({"type": "vip"}), "type"),
        (
            "row.source_id.integer",
            json!({"source_id": "x"}),
            "source_id",
        ),
        ("row.phone.unique", json!({"phone": P2}), "phone"),
    ] {
        let (status, v) = respond(Profile::RaslUpdate, &body, &stored);
        assert_eq!(status, 422, "{id}");
        assert_eq!(v["error"]["details"][field][0], laravel(id), "{id}");
        assert_eq!(v["error"]["message"], laravel(id), "{id}");
    }
}

#[test]
fn whole_request_validation_names_full_paths_and_summarizes_like_laravel() {
    let store = Existing::from_json(json!({"phones": {P3: 9}}).to_string().as_bytes()).unwrap();
    let body = json!({
        "contacts": [
            {"firstname": "a".repeat(256), "phone": P1, "lastname": 5, "source_id": "x",
             "type": "vip", "email": "nope", "groups": [1, "a"]},
            {"phone": P2},
            {"firstname": "C", "phone": P3},
            {"firstname": "D", "phone": P4, "assigned_id": 0, "groups": "x"},
            {"firstname": "E", "phone": P3},
        ],
        "options": {"continue_on_error": false}
    });
    let (status, v) = respond(Profile::RaslCreate, &body, &store);
    assert_eq!(status, 422);
    assert_eq!(v["error"]["code"], "VALIDATION_ERROR");
    // Rule by rule, in the rules' order, each rule's contacts in order: the
    // order of Laravel's message bag for `contacts.*.firstname`, ...
    let expected: Vec<(&str, String)> = vec![
        ("contacts.0.firstname", laravel("request.firstname.max")),
        (
            "contacts.1.firstname",
            laravel("request.firstname.required"),
        ),
        ("contacts.0.lastname", laravel("request.lastname.string")),
        ("contacts.2.phone", laravel("request.phone.unique")),
        ("contacts.4.phone", laravel("request.phone.distinct")),
        ("contacts.0.type", laravel("request.type.in")),
        ("contacts.0.source_id", laravel("request.source_id.integer")),
        ("contacts.3.assigned_id", laravel("request.assigned_id.min")),
        ("contacts.0.email", laravel("request.email.email")),
        ("contacts.3.groups", laravel("request.groups.array")),
        ("contacts.0.groups.1", laravel("request.groups.1.integer")),
    ];
    // The members' order as rendered (a serde_json::Value's would be its own).
    let body = respond_body(Profile::RaslCreate, &body, &store);
    let ordered = Node::parse(body.as_bytes()).unwrap();
    let details = ordered
        .get("error")
        .and_then(|e| e.get("details"))
        .and_then(Node::as_object)
        .expect("details");
    let got: Vec<(&str, String)> = details
        .iter()
        .map(|(k, list)| {
            let list = list.as_array().unwrap();
            assert_eq!(list.len(), 1, "{k}");
            (&**k, list[0].as_str().unwrap_or_default().to_owned())
        })
        .collect();
    assert_eq!(got, expected);
    assert_eq!(
        v["error"]["message"],
        format!("{} {}", expected[0].1, laravel("summary.10"))
    );

    // One failed contact with one error: the message alone; two: "and 1 more".
    for (contacts, message) in [
        (
            json!([{"firstname": "A", "phone": P1}, {"phone": P2}]),
            laravel("request.firstname.required"),
        ),
        (
            json!([{"firstname": "A", "phone": P1}, {"phone": P2, "lastname": 5}]),
            format!(
                "{} {}",
                laravel("request.firstname.required"),
                laravel("summary.1")
            ),
        ),
    ] {
        let body = json!({"contacts": contacts, "options": {"continue_on_error": false}});
        let (status, v) = respond(Profile::RaslCreate, &body, &Existing::new());
        assert_eq!(status, 422);
        assert_eq!(v["error"]["message"], message);
    }
}

#[test]
fn request_level_messages_are_laravels() {
    let many = vec![json!({"firstname": "A", "phone": P1}); 1001];
    let cases: Vec<(Profile, Value, &str, &str)> = vec![
        (
            Profile::RaslCreate,
            json!({}),
            "contacts",
            "contacts.required",
        ),
        (
            Profile::RaslCreate,
            json!({"contacts": {}}),
            "contacts",
            "contacts.array",
        ),
        (
            Profile::RaslCreate,
            json!({"contacts": many}),
            "contacts",
            "contacts.max",
        ),
        (
            Profile::RaslCreate,
            json!({"contacts": [1]}),
            "contacts.0",
            "contacts.0.array",
        ),
        (
            Profile::RaslCreate,
            json!({"contacts": [{}], "options": []}),
            "options",
            "options.array",
        ),
        (
            Profile::RaslCreate,
            json!({"contacts": [{}], "options": {"skip_duplicates": "yes"}}),
            "options.skip_duplicates",
            "options.skip_duplicates.boolean",
        ),
        (Profile::RaslDelete, json!({}), "ids", "ids.required"),
        (
            Profile::RaslDelete,
            json!({"ids": ["a"]}),
            "ids.0",
            "ids.0.integer",
        ),
        (
            Profile::RaslDelete,
            json!({"ids": [1, 0]}),
            "ids.1",
            "ids.1.min",
        ),
    ];
    for (profile, body, field, id) in cases {
        let (status, v) = respond(profile, &body, &Existing::new());
        assert_eq!(status, 422, "{id}");
        assert_eq!(v["error"]["details"][field][0], laravel(id), "{id}");
        assert_eq!(v["error"]["message"], laravel(id), "{id}");
    }
}
