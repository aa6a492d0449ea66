//! The one text rule of every profile, the import and the single-value
//! calls: single-line fields turn every whitespace run (line breaks and tabs
//! included) into one space, multi-line fields keep line breaks (CRLF and
//! CR become LF) and tabs, other control characters are invalid. And the
//! phone rules that go with it: one verdict for a row and a single-value
//! call, libphonenumber's 250 characters, unknown and lower-case regions.

use std::borrow::Cow;

use contact_batch::{
    Config, Contact, Engine, Existing, ImportRow, Importer, Node, PhoneError, Profile,
};
use serde_json::{json, Value};

use crate::support::engines::engine;

/// The first row's contact, or its errors as `field: code`.
fn first_row(profile: Profile, body: Value) -> Result<Contact, Vec<String>> {
    let out = engine(profile).respond(body.to_string().as_bytes(), &Existing::new());
    let row = &out.rows[0];
    if row.errors.is_empty() {
        Ok(row.contact.clone().expect("a valid row's contact"))
    } else {
        Err(row
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.code))
            .collect())
    }
}

fn rasl(contact: Value) -> Result<Contact, Vec<String>> {
    first_row(Profile::RaslCreate, json!({ "contacts": [contact] }))
}

#[test]
fn rasl_single_line_fields_collapse_multi_line_fields_keep_lines() {
    let c = rasl(json!({
        "firstname": "Ann\nMarie", "lastname": " Lee\t\tJones ", "phone": "+14155552671",
        "company": "Acme\r\nInc.", "city": "San\u{a0}\u{a0}Francisco", "state": "C\nA",
        "zip": "94\t105", "description": "Met at the fair.\r\nCall back\tMonday.\rThanks",
        "address": "1 Main St\r\n\tApt 2"
    }))
    .expect("valid");
    assert_eq!(c.first_name.as_deref(), Some("Ann Marie"));
    assert_eq!(c.last_name.as_deref(), Some("Lee Jones"));
    assert_eq!(c.company.as_deref(), Some("Acme Inc."));
    assert_eq!(c.city.as_deref(), Some("San Francisco"));
    assert_eq!(c.state.as_deref(), Some("C A"));
    assert_eq!(c.zip.as_deref(), Some("94 105"));
    assert_eq!(
        c.description.as_deref(),
        Some("Met at the fair.\nCall back\tMonday.\nThanks")
    );
    assert_eq!(c.address.as_deref(), Some("1 Main St\n\tApt 2"));

    // Other control characters stay invalid, in both shapes.
    for (field, value) in [
        ("firstname", "Ann\u{1b}[31m"),
        ("company", "Acme\u{0}"),
        ("description", "note\u{7f}"),
        ("address", "1 Main\u{85}St"),
        ("city", "a\u{0b}b"),
    ] {
        let mut contact = json!({"firstname": "Ann", "phone": "+14155552671"});
        contact[field] = json!(value);
        assert_eq!(
            rasl(contact),
            Err(vec![format!("{field}: control_characters")]),
            "{field}"
        );
    }

    // The limits count the cleaned value: 255 letters and a line break
    // collapsed away fit; a zip of 20 with a CRLF inside becomes 21.
    let long = format!("{}\r\n", "a".repeat(255));
    assert!(rasl(json!({"firstname": long, "phone": "+14155552671"})).is_ok());
    assert_eq!(
        rasl(json!({"firstname": "A", "phone": "+14155552671", "zip": "1234567890\r\n1234567890"})),
        Err(vec!["zip: max".to_owned()])
    );

    // rasl-update: the same rules on the fields sent.
    let store = Existing::from_json(br#"{"contact": {"id": 1, "firstname": "Old"}}"#).unwrap();
    let out = engine(Profile::RaslUpdate).respond(
        json!({"firstname": "New\nName", "description": "a\r\nb"})
            .to_string()
            .as_bytes(),
        &store,
    );
    let body: Value = serde_json::from_str(&out.response.body).unwrap();
    assert_eq!(body["data"]["firstname"], "New Name");
    assert_eq!(body["data"]["description"], "a\nb");
}

#[test]
fn record_list_and_contact_book_follow_the_same_rule() {
    let c = first_row(
        Profile::RecordList,
        json!({"records": [{
            "phone_numbers": [{"phone_number": "+351 929\t312 319", "phone_type": "MOBILE"}],
            "first_name": "Jo\r\nEy", "last_name": "Silva\tSantos", "external_provider": "crm\nx",
            "external_id": "1"
        }]}),
    )
    .expect("valid");
    assert_eq!(c.first_name.as_deref(), Some("Jo Ey"));
    assert_eq!(c.last_name.as_deref(), Some("Silva Santos"));
    assert_eq!(c.phones[0].e164, "+351929312319");
    assert_eq!(
        c.external_ref.as_ref().map(|r| r.provider.as_str()),
        Some("crm x")
    );

    let c = first_row(
        Profile::ContactBook,
        json!({"contacts": [{
            "phone": "+1 415 555 2671", "firstName": "Ann\nMarie", "companyName": "Acme\r\n\r\nInc",
            "displayName": "Ann\t(work)", "customFields": {"notes": "line 1\r\nline 2\tend", "n": 3}
        }]}),
    )
    .expect("valid");
    assert_eq!(c.first_name.as_deref(), Some("Ann Marie"));
    assert_eq!(c.company.as_deref(), Some("Acme Inc"));
    assert_eq!(c.display_name.as_deref(), Some("Ann (work)"));
    assert_eq!(c.custom_fields["notes"], Node::from("line 1\nline 2\tend"));

    // A control character in a free-text custom field is refused; a line
    // break in a custom field's key too (a key is a name, not text).
    for fields in [json!({"notes": "a\u{0}b"}), json!({"no\ntes": "a"})] {
        let out = engine(Profile::ContactBook).respond(
            json!({"contacts": [{"phone": "+14155552671", "customFields": fields}]})
                .to_string()
                .as_bytes(),
            &Existing::new(),
        );
        assert_eq!(out.response.status, 400, "{fields}");
    }
}

fn import_one(profile: Profile, cells: &[(&str, &str)], region: Option<&str>) -> Value {
    let e = engine(profile);
    let existing = Existing::new();
    let mut importer = Importer::new(&e, &existing, true).unwrap();
    let row = ImportRow {
        fields: Ok(Node::Object(
            cells
                .iter()
                .map(|(k, v)| (Cow::Borrowed(*k), Node::Str(Cow::Borrowed(*v))))
                .collect(),
        )),
        region: region.map(str::to_owned),
    };
    let lines = importer.push(&[row]);
    serde_json::from_str(&lines[0].to_json()).unwrap()
}

#[test]
fn an_imported_crm_row_with_line_breaks_is_kept() {
    // A quoted CSV cell with a line break in the first name and the
    // company, and a two-line address: the contact is kept, not refused.
    let line = import_one(
        Profile::RaslCreate,
        &[
            ("firstname", "Ann\r\nMarie"),
            ("company", "Acme\nInc."),
            ("address", "1 Main St\r\nApt 2"),
            ("phone", "(415) 555-2671\text. 12"),
        ],
        None,
    );
    assert_eq!(line["status"], "new", "{line}");
    assert_eq!(line["contact"]["first_name"], "Ann Marie");
    assert_eq!(line["contact"]["company"], "Acme Inc.");
    assert_eq!(line["contact"]["address"], "1 Main St\nApt 2");
    assert_eq!(line["contact"]["phones"][0]["extension"], "12");
}

/// The verdict of a phone alone and in a row of each profile.
fn phone_everywhere(raw: &str) -> Vec<(String, Result<String, ()>)> {
    let single = engine(Profile::RaslCreate)
        .normalize_phone(raw, None)
        .map(|p| p.e164)
        .map_err(|_| ());
    let mut out = vec![("single".to_owned(), single)];
    let rows = [
        (
            Profile::RaslCreate,
            json!({"contacts": [{"firstname": "A", "phone": raw}]}),
        ),
        (
            Profile::ContactBook,
            json!({"defaultCountryCode": "1", "contacts": [{"phone": raw}]}),
        ),
    ];
    for (p, body) in rows {
        let got = first_row(p, body)
            .map(|c| c.phones[0].e164.clone())
            .map_err(|_| ());
        out.push((p.to_string(), got));
    }
    let line = import_one(
        Profile::RaslCreate,
        &[("firstname", "A"), ("phone", raw)],
        None,
    );
    let got = line["phone"].as_str().map(str::to_owned).ok_or(());
    out.push(("import".to_owned(), got));
    out
}

#[test]
fn a_phone_has_one_verdict_alone_and_in_a_row() {
    let cyrillic = format!("{}+1 415 555 2671", "Ж".repeat(200));
    for (raw, want) in [
        ("+1 415 555 2671\text. 123", Ok("+14155552671")),
        ("(415) 555-2671\tx9", Ok("+14155552671")),
        ("+1 415\n555\r\n2671", Ok("+14155552671")),
        ("+1 415 555 2671\u{0}", Err(())),
        ("+1 415 555 2671\u{1b}", Err(())),
        (cyrillic.as_str(), Ok("+14155552671")),
    ] {
        for (who, got) in phone_everywhere(raw) {
            assert_eq!(got.as_deref().map_err(|_| ()), want, "{who} {raw:?}");
        }
    }
    let e = engine(Profile::RaslCreate);
    assert_eq!(
        e.normalize_phone("+1 415 555 2671\u{0}", None),
        Err(PhoneError::ControlCharacter)
    );
    // 250 characters of the text as sent, surrounding whitespace included
    // (libphonenumber's count): 250 pass, 251 do not, whatever the bytes.
    let at_limit = format!("{}+1 415 555 2671", "д".repeat(235));
    assert_eq!(at_limit.chars().count(), 250);
    assert!(e.normalize_phone(&at_limit, None).is_ok());
    let over = format!("д{at_limit}");
    assert_eq!(
        e.normalize_phone(&over, None),
        Err(PhoneError::InputTooLong)
    );
    let padded = format!("{}+1 415 555 2671", " ".repeat(236));
    assert_eq!(
        e.normalize_phone(&padded, None),
        Err(PhoneError::InputTooLong)
    );
    assert_eq!(
        PhoneError::InputTooLong.to_string(),
        "the phone number is longer than 250 characters"
    );
}

#[test]
fn unknown_and_lower_case_regions() {
    let e = engine(Profile::RaslCreate);
    // A region the phone library does not know hides no valid +CC number.
    for region in ["ZZ", "001", "XX", "zz"] {
        assert_eq!(
            e.normalize_phone("+44 20 7183 8750", Some(region))
                .map(|p| p.e164),
            Ok("+442071838750".to_owned()),
            "{region}"
        );
        assert_eq!(
            e.normalize_phone("020 7183 8750", Some(region)),
            Err(PhoneError::InvalidCountryCode),
            "{region}"
        );
    }
    // Lower case is the region.
    assert_eq!(
        e.normalize_phone("020 7183 8750", Some("gb"))
            .map(|p| p.e164),
        Ok("+442071838750".to_owned())
    );
    // The import's region column: the same, and the unknown region is named
    // when it is why a national number was not read.
    let ok = import_one(
        Profile::RaslCreate,
        &[("firstname", "A"), ("phone", "+44 20 7183 8750")],
        Some("ZZ"),
    );
    assert_eq!(ok["status"], "new", "{ok}");
    let national = import_one(
        Profile::RaslCreate,
        &[("firstname", "A"), ("phone", "020 7183 8750")],
        Some("ZZ"),
    );
    assert_eq!(national["status"], "invalid");
    assert!(national["errors"]["region"][0]
        .as_str()
        .is_some_and(|m| m.contains("`ZZ` is not a known")));
    assert!(national["errors"]["phone"].is_array());
    let lower = import_one(
        Profile::RaslCreate,
        &[("firstname", "A"), ("phone", "020 7183 8750")],
        Some("gb"),
    );
    assert_eq!(lower["phone"], "+442071838750");
    // An unknown configured region is still a config error.
    assert!(Engine::new(
        Config::builder(Profile::RaslCreate)
            .default_region("ZZ")
            .build()
    )
    .is_err());
}
