//! Possible duplicates in a batch's outcome (`Config::possible_duplicates`):
//! found among the valid rows, with scores and reasons, in addition to the
//! API's own duplicates; off by default; the same at any thread count and
//! in one call or two phases. The golden test holds the rendered responses
//! unchanged with it on.

use contact_batch::matching::{MatchConfig, DEFAULT_THRESHOLD, MAX_LISTED};
use contact_batch::{Config, Engine, Existing, Outcome, Profile, RowStatus};
use serde_json::{json, Value};

use crate::support::engines::config;

fn matching(profile: Profile, threads: usize) -> Engine {
    let mut c = config(profile, threads);
    c.possible_duplicates = Some(MatchConfig::default());
    Engine::new(c).unwrap()
}

/// `{"row": .., "score": .., "reasons": ..}` of each of row `i`'s
/// possible duplicates, as the outcome serializes them.
fn listed(outcome: &Outcome, i: usize) -> Vec<Value> {
    outcome.rows[i]
        .possible_duplicates
        .iter()
        .map(|d| serde_json::to_value(d).unwrap())
        .collect()
}

const ROB: &str = r#"{"contacts": [
    {"firstname": "Rob", "lastname": "Allen", "email": "roberta25@smith.net", "phone": "+1 415 555 2671"},
    {"firstname": "Grace", "lastname": "Kelly", "phone": "+1 415 555 2672"},
    {"firstname": "Robert", "lastname": "Alen", "email": "roberta25@smith.net", "phone": "+1 415 555 2699"},
    {"firstname": "Rob", "lastname": "Allen", "email": "roberta25@smith.net", "phone": "12"}
]}"#;

#[test]
fn rob_allen_and_robert_alen_are_possible_duplicates() {
    let engine = matching(Profile::RaslCreate, 1);
    let out = engine.respond(ROB, &Existing::new());
    // The API's own answer: three new rows, the bad phone invalid.
    assert_eq!(out.summary.new, 3);
    assert_eq!(out.summary.invalid, 1);
    let rob = listed(&out, 0);
    assert_eq!(rob.len(), 1, "{rob:?}");
    assert_eq!(rob[0]["row"], 2);
    assert!(rob[0].get("id").is_none());
    let score = rob[0]["score"].as_f64().unwrap();
    assert!((DEFAULT_THRESHOLD..1.0).contains(&score), "{score}");
    assert_eq!(
        rob[0]["reasons"],
        json!({"first_name": "nickname", "last_name": "jw_0.92", "email": "exact",
               "phone": "else"})
    );
    // The pair is listed on both sides, with the same score and reasons.
    let robert = listed(&out, 2);
    assert_eq!(robert.len(), 1);
    assert_eq!(robert[0]["row"], 0);
    assert_eq!(robert[0]["score"], rob[0]["score"]);
    assert_eq!(robert[0]["reasons"], rob[0]["reasons"]);
    // A stranger and an invalid row list none.
    assert!(listed(&out, 1).is_empty());
    assert!(listed(&out, 3).is_empty());
    // The typed outcome serializes the list only where there is one.
    let row = serde_json::to_value(&out.rows[0]).unwrap();
    assert_eq!(row["possible_duplicates"][0]["row"], 2);
    let row = serde_json::to_value(&out.rows[1]).unwrap();
    assert!(row.get("possible_duplicates").is_none());
    // The response is the one without matching.
    let plain = Engine::new(config(Profile::RaslCreate, 1)).unwrap();
    assert_eq!(plain.respond(ROB, &Existing::new()).response, out.response);
}

#[test]
fn off_by_default() {
    let c = Config::new(Profile::RaslCreate);
    assert!(c.possible_duplicates.is_none());
    let engine = Engine::new(config(Profile::RaslCreate, 1)).unwrap();
    let out = engine.respond(ROB, &Existing::new());
    assert!(out.rows.iter().all(|r| r.possible_duplicates.is_empty()));
    let out = engine.resolve(&engine.prepare(ROB), &Existing::new());
    assert!(out.rows.iter().all(|r| r.possible_duplicates.is_empty()));
}

/// The API's duplicates stay as they were: a repeat of a phone is still a
/// duplicate of the first row, a stored phone still existing; matching
/// adds the pair beside it (the same phone is strong evidence).
#[test]
fn exact_duplicates_stay_and_possible_ones_are_added() {
    let body = r#"{"contacts": [
        {"firstname": "Ann", "lastname": "Lee", "phone": "+1 415 555 2671"},
        {"firstname": "Anne", "lastname": "Lee", "phone": "(415) 555-2671"},
        {"firstname": "Zed", "lastname": "Stored", "phone": "+1 415 555 2673"}
    ], "options": {"skip_duplicates": true}}"#;
    let store = Existing::from_json(r#"{"phones": {"+14155552673": "ct_9"}}"#).unwrap();
    let on = matching(Profile::RaslCreate, 1).respond(body, &store);
    let off = Engine::new(config(Profile::RaslCreate, 1))
        .unwrap()
        .respond(body, &store);
    assert_eq!(on.rows[1].status, RowStatus::Duplicate);
    assert_eq!(on.rows[1].duplicate_of, Some(0));
    assert_eq!(on.rows[2].status, RowStatus::Existing);
    assert_eq!(on.summary, off.summary);
    assert_eq!(on.response, off.response);
    assert_eq!(listed(&on, 1)[0]["row"], 0);
    assert_eq!(listed(&on, 1)[0]["reasons"]["phone"], "exact");
    assert_eq!(listed(&on, 0)[0]["row"], 1);
    assert!(listed(&on, 2).is_empty());
}

/// record-list (names, several phones) and contact-book (a display name,
/// or only a phone and an email).
#[test]
fn other_profiles() {
    let body = r#"{"records": [
        {"phone_number": "+351929312319", "first_name": "Joey", "last_name": "Tribbiani",
         "email": "joey@friends.tv", "timezone": "GMT"},
        {"phone_number": "+351929312318", "first_name": "Joseph", "last_name": "Tribiani",
         "email": "joey@friends.tv", "timezone": "GMT"}
    ]}"#;
    let out = matching(Profile::RecordList, 1).respond(body, &Existing::new());
    assert_eq!(listed(&out, 0)[0]["row"], 1, "{:?}", out.rows[0]);
    assert_eq!(listed(&out, 0)[0]["reasons"]["first_name"], "nickname");

    let body = r#"{"defaultCountryCode": "1", "contacts": [
        {"phone": "4155552671", "displayName": "Asha Rao", "email": "asha@example.com"},
        {"phone": "4155552672", "displayName": "Asha Roa", "email": "asha@example.com"},
        {"phone": "4155552673", "email": "ops@example.com"},
        {"phone": "4155552674", "email": "ops@example.com"}
    ]}"#;
    let out = matching(Profile::ContactBook, 1).respond(body, &Existing::new());
    let asha = listed(&out, 0);
    assert_eq!(asha.len(), 1, "{asha:?}");
    assert_eq!(asha[0]["row"], 1);
    assert_eq!(asha[0]["reasons"]["first_name"], "exact");
    // No names at all: the same email and nearly the same phone.
    let ops = listed(&out, 2);
    assert_eq!(ops.len(), 1, "{ops:?}");
    assert_eq!(ops[0]["row"], 3);
    assert_eq!(
        ops[0]["reasons"],
        json!({"email": "exact", "phone": "one_digit_off"})
    );
}

/// A batch with many people written several ways: the same outcome on one
/// thread and four, in one call and in two phases; each list sorted best
/// first and at most MAX_LISTED long; pairs symmetric.
#[test]
fn independent_of_threads_and_phases() {
    let firsts = ["Rob", "Robert", "Bob", "Ann", "Anne", "Liz", "Elizabeth"];
    let lasts = ["Allen", "Alen", "Allan", "Lee", "Li"];
    let mut contacts = Vec::new();
    for i in 0..600 {
        contacts.push(json!({
            "firstname": firsts[i % firsts.len()],
            "lastname": lasts[(i / 7) % lasts.len()],
            "email": format!("p{}@example.com", i % 40),
            "phone": format!("+1 415 555 {:04}", 1000 + i),
            "city": if i % 3 == 0 { "Springfield" } else { "Shelbyville" },
        }));
    }
    let body = json!({"contacts": contacts, "options": {"skip_duplicates": true}}).to_string();
    let mut c = config(Profile::RaslCreate, 1);
    c.max_batch = Some(1000);
    c.possible_duplicates = Some(MatchConfig::default());
    let one = Engine::new(c.clone()).unwrap();
    c.threads = Some(4);
    let four = Engine::new(c).unwrap();
    let a = one.respond(&body, &Existing::new());
    let b = four.respond(&body, &Existing::new());
    let t = four.resolve(&four.prepare(&body), &Existing::new());
    assert_eq!(a, b);
    assert_eq!(a, t);
    let mut total = 0;
    for row in &a.rows {
        let list = &row.possible_duplicates;
        total += list.len();
        assert!(list.len() <= MAX_LISTED);
        assert!(list.windows(2).all(|w| w[0].score >= w[1].score));
        for d in list {
            let other = &a.rows[d.row.unwrap()];
            assert_ne!(other.index, row.index);
            // Symmetric, unless the other row's list was cut at MAX_LISTED.
            let back = other
                .possible_duplicates
                .iter()
                .find(|x| x.row == Some(row.index));
            match back {
                Some(x) => assert_eq!((x.score, &x.reasons), (d.score, &d.reasons)),
                None => assert_eq!(other.possible_duplicates.len(), MAX_LISTED),
            }
        }
    }
    assert!(total > 600, "{total} listed");
}
