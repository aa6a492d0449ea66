//! Object members come out in the engine's own order (the API's order, the
//! request's, the host's), whatever serde_json's `preserve_order` feature
//! says: this crate is built and tested with it off, where a
//! `serde_json::Map` sorts its keys, so a member order taken from one would
//! come out alphabetical and fail here.

use contact_batch::{Config, Engine, Existing, Node, Profile};

fn respond(profile: Profile, body: &str, existing: &str) -> String {
    let engine = Engine::new(
        Config::builder(profile)
            .threads(1)
            .default_region("US")
            .build(),
    )
    .unwrap();
    let existing = Existing::from_json(existing.as_bytes()).unwrap();
    engine.respond(body.as_bytes(), &existing).response.body
}

/// The premise: in this build serde_json's maps sort their keys. Should a
/// dependency turn `preserve_order` on for the workspace, the tests below
/// would no longer prove anything, and this one says so.
#[test]
fn serde_json_maps_sort_in_this_build() {
    let map: serde_json::Map<String, serde_json::Value> =
        [("b".to_owned(), 1.into()), ("a".to_owned(), 2.into())]
            .into_iter()
            .collect();
    assert_eq!(
        serde_json::Value::Object(map).to_string(),
        r#"{"a":2,"b":1}"#
    );
}

#[test]
fn rasl_error_groups_keep_rule_order() {
    let body = respond(
        Profile::RaslCreate,
        r#"{"contacts":[{"phone":"x","firstname":"A","source_id":0,"email":"nope"}]}"#,
        "{}",
    );
    // phone before source_id before email: the rules' order, not a-z. The
    // keys are read inside the row's `errors` object (the echoed `data`
    // holds `source_id` too, and a missing key must fail, not compare as
    // `None`).
    assert_eq!(error_keys(&body), ["phone", "source_id", "email"], "{body}");
}

/// The keys of the first row's `errors` object, in the order sent.
fn error_keys(body: &str) -> Vec<String> {
    let root = Node::parse(body.as_bytes()).expect("the body is JSON");
    let row = &root.get("errors").and_then(Node::as_array).expect("errors")[0];
    let errors = row
        .get("errors")
        .and_then(Node::as_object)
        .expect("a row's errors");
    errors.iter().map(|(k, _)| k.to_string()).collect()
}

/// The check above fails when the order is not the rules' (its premise:
/// `error_keys` reads the `errors` object, not the echoed `data`).
#[test]
fn error_keys_reads_the_errors_object() {
    let body = r#"{"errors":[{"index":0,"data":{"source_id":0,"email":"x","phone":"x"},"errors":{"email":["m"],"phone":["m"]}}]}"#;
    assert_eq!(error_keys(body), ["email", "phone"]);
}

#[test]
fn rasl_update_keeps_the_stored_contacts_order() {
    let body = respond(
        Profile::RaslUpdate,
        r#"{"firstname":"Bo"}"#,
        r#"{"contact":{"zip":"1","id":7,"firstname":"Al","city":"x"}}"#,
    );
    assert!(
        body.contains(r#""data":{"zip":"1","id":7,"firstname":"Bo","city":"x"}"#),
        "{body}"
    );
}

#[test]
fn custom_fields_and_extra_data_keep_the_requests_order() {
    let engine = Engine::new(Config::new(Profile::ContactBook)).unwrap();
    let out = engine.respond(
        br#"{"defaultCountryCode":"1","contacts":[{"phone":"4155552671","customFields":{"z":1,"a":"x"}}]}"#,
        &Existing::new(),
    );
    let contact = out.rows[0].contact.as_ref().unwrap();
    assert_eq!(contact.custom_fields.to_json(), r#"{"z":1,"a":"x"}"#);
    assert!(serde_json::to_string(contact)
        .unwrap()
        .contains(r#""custom_fields":{"z":1,"a":"x"}"#));
    let body = respond(
        Profile::RecordList,
        r#"{"records":[{"first_name":"A","last_name":"B","phone_numbers":[{"phone_number":"+14155552671","phone_type":"MOBILE"}],"extra_data":{"z":1,"a":{"y":2,"b":3}}}]}"#,
        "{}",
    );
    assert!(
        body.contains(r#""extra_data":{"z":1,"a":{"y":2,"b":3}}"#),
        "{body}"
    );
}

#[test]
fn existing_ids_keep_their_members_order() {
    let body = respond(
        Profile::ContactBook,
        r#"{"defaultCountryCode":"1","contacts":[{"phone":"4155552671"}]}"#,
        r#"{"phones":{"+14155552671":{"z":1,"a":2}}}"#,
    );
    assert!(body.contains(r#""contactUid":{"z":1,"a":2}"#), "{body}");
}
