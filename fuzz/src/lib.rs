//! Invariant checks shared by the fuzz targets.
//!
//! Every check is an `assert!`: a violated invariant is a crash that
//! libFuzzer reports and minimizes, exactly like a panic of the engine.
//! Engines are built once per process (building one loads the phone
//! metadata, which costs milliseconds).

use std::collections::HashSet;
use std::sync::OnceLock;

use contact_batch::{
    Action, Config, Engine, Existing, Node, Outcome, PhoneKey, Prepared, Profile, RowStatus,
    Summary,
};
use serde_json::Value;

/// The engine config each profile is fuzzed with: a default region where
/// the profile uses one, and a plan quota for rasl-create so the 403 path
/// is reachable.
pub fn config(profile: Profile, threads: usize) -> Config {
    let mut c = Config::new(profile);
    c.threads = Some(threads);
    match profile {
        Profile::RaslCreate => {
            c.default_region = Some("US".into());
            c.rasl.plan_quota = Some(40);
        }
        Profile::RaslUpdate => c.default_region = Some("GB".into()),
        Profile::RecordList => c.default_region = Some("PT".into()),
        _ => {}
    }
    c
}

fn index(profile: Profile) -> usize {
    Profile::ALL
        .iter()
        .position(|p| *p == profile)
        .unwrap_or_else(|| unreachable!("every profile is in Profile::ALL"))
}

/// The profile's engines: sequential (`threads: Some(1)`) and parallel
/// (`threads: Some(2)`), built on first use and kept for the process.
pub fn engines(profile: Profile) -> (&'static Engine, &'static Engine) {
    static ENGINES: OnceLock<Vec<(Engine, Engine)>> = OnceLock::new();
    let all = ENGINES.get_or_init(|| {
        Profile::ALL
            .iter()
            .map(|&p| {
                (
                    Engine::new(config(p, 1)).expect("sequential engine"),
                    Engine::new(config(p, 2)).expect("parallel engine"),
                )
            })
            .collect()
    });
    let (seq, par) = &all[index(profile)];
    (seq, par)
}

/// The existing data the one-call targets resolve against: a few phones of
/// the seed examples, ids 1..3, one external ref, a stored contact, a book
/// and a list.
pub fn fixed_existing() -> &'static Existing {
    static EXISTING: OnceLock<Existing> = OnceLock::new();
    EXISTING.get_or_init(|| {
        Existing::from_json(
            br#"{"phones": {"+14155552671": "ct_1", "+351929312319": 7,
                 "+917000782082": "ct_9", "+442071838750": "ct_gb"},
               "ids": [1, 2, 3],
               "external_refs": [["crm", "42"]],
               "contact": {"id": 7, "firstname": "Ann", "phone": "+442071838750"},
               "contact_book": {"contactBookUid": "grp_abc", "name": "Retail Leads"},
               "record_list_id": "rl_1"}"#,
        )
        .expect("fixed existing data")
    })
}

/// Parses JSON we produced, without serde_json's depth limit: a body may
/// echo a row nested 126 levels deep inside a few levels of its own.
pub fn parse_output(s: &str) -> Value {
    let mut de = serde_json::Deserializer::from_str(s);
    de.disable_recursion_limit();
    let v = serde::Deserialize::deserialize(&mut de)
        .unwrap_or_else(|e| panic!("output is not valid JSON ({e}): {s}"));
    de.end()
        .unwrap_or_else(|e| panic!("output has trailing data ({e}): {s}"));
    v
}

/// The number of rows a request holds, read the way the profile reads them;
/// `None` when the body is not an object with that array.
pub fn request_rows(profile: Profile, body: &[u8]) -> Option<usize> {
    // The engine accepts a UTF-8 byte order mark before the body.
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let root = Node::parse(body).ok()?;
    let member = match profile {
        Profile::RaslCreate | Profile::ContactBook => "contacts",
        Profile::RaslDelete => "ids",
        Profile::RecordList => "records",
        Profile::RaslUpdate => return root.as_object().map(|_| 1),
        other => unimplemented!("request_rows: where are the rows of {other:?}?"),
    };
    root.get(member).and_then(Node::as_array).map(<[_]>::len)
}

/// An E.164 string the engine produced: well-formed, a valid key, and
/// normalizing it again gives the same number.
pub fn check_e164(engine: &Engine, e164: &str) {
    let key = PhoneKey::from_e164(e164).unwrap_or_else(|| panic!("`{e164}` is not an E.164 key"));
    assert_eq!(key.to_string(), e164, "key round trip");
    let again = engine
        .normalize_phone(e164, None)
        .unwrap_or_else(|e| panic!("normalizing E.164 output `{e164}` failed: {e:?}"));
    assert_eq!(again.e164, e164, "normalizing E.164 output changed it");
}

fn count(
    rows: &[contact_batch::RowOutcome],
    f: impl Fn(&contact_batch::RowOutcome) -> bool,
) -> usize {
    rows.iter().filter(|r| f(r)).count()
}

fn num(v: &Value, path: &[&str]) -> usize {
    let mut cur = v;
    for p in path {
        cur = cur
            .get(*p)
            .unwrap_or_else(|| panic!("body has no {path:?}: {v}"));
    }
    cur.as_u64()
        .unwrap_or_else(|| panic!("body {path:?} is not a count: {v}")) as usize
}

fn arr<'v>(v: &'v Value, path: &[&str]) -> &'v Vec<Value> {
    let mut cur = v;
    for p in path {
        cur = cur
            .get(*p)
            .unwrap_or_else(|| panic!("body has no {path:?}: {v}"));
    }
    cur.as_array()
        .unwrap_or_else(|| panic!("body {path:?} is not an array: {v}"))
}

/// Every invariant of one prepared request and its outcome. `existing` is
/// what the outcome was resolved against.
pub fn check_outcome(
    engine: &Engine,
    body: &[u8],
    prepared: &Prepared,
    outcome: &Outcome,
    existing: &Existing,
) {
    let profile = engine.config().profile;
    let status = outcome.response.status;

    // The rendered body and the {"status", "body"} object are valid JSON.
    let rendered = parse_output(&outcome.response.body);
    let wrapped = parse_output(&outcome.response.to_json());
    assert_eq!(wrapped["status"], Value::from(status));
    assert_eq!(wrapped["body"], rendered);
    assert!((200..600).contains(&status), "status {status}");

    // The summary adds up and matches the rows.
    let s = outcome.summary;
    assert_eq!(
        s.total,
        s.new + s.existing + s.duplicate + s.invalid,
        "{s:?}"
    );
    assert_eq!(s, Summary::of(&outcome.rows));

    // Keys to look up: distinct, well-formed phones.
    let keys = prepared.keys();
    let mut distinct = HashSet::new();
    for p in &keys.phones {
        assert!(distinct.insert(p.as_str()), "key {p} listed twice");
        check_e164(engine, p);
    }
    let ids: HashSet<i64> = keys.ids.iter().copied().collect();
    assert_eq!(ids.len(), keys.ids.len(), "ids listed twice");
    let refs: HashSet<&(String, String)> = keys.external_refs.iter().collect();
    assert_eq!(
        refs.len(),
        keys.external_refs.len(),
        "external refs listed twice"
    );

    if let Some(rejection) = prepared.rejection() {
        // Refused before any row: the API's 4xx envelope and nothing else.
        assert_eq!(&outcome.response, rejection);
        assert!((400..500).contains(&status), "refusal with {status}");
        assert!(outcome.rejected && outcome.rows.is_empty());
        assert_eq!(s, Summary::default());
        assert!(keys.phones.is_empty() && keys.ids.is_empty() && keys.external_refs.is_empty());
        let code = match profile {
            Profile::RecordList => &rendered["code"],
            _ => {
                assert_eq!(rendered["success"], Value::Bool(false));
                &rendered["error"]["code"]
            }
        };
        let expected = match profile {
            Profile::RecordList => "INVALID_REQUEST",
            Profile::ContactBook => "VALIDATION_FAILED",
            _ => "VALIDATION_ERROR",
        };
        assert_eq!(code, expected, "{rendered}");
        return;
    }

    // Accepted: every row accounted for exactly once, in request order.
    let n = request_rows(profile, body).expect("an accepted request has its rows");
    assert_eq!(outcome.rows.len(), n, "rows lost or invented");
    for (i, r) in outcome.rows.iter().enumerate() {
        assert_eq!(r.index, i, "row indices out of order");
        match r.status {
            RowStatus::Invalid => assert!(!r.errors.is_empty(), "row {i} invalid without a reason"),
            RowStatus::New => assert!(r.errors.is_empty(), "row {i} new with errors"),
            _ => {}
        }
        if outcome.rejected {
            assert_eq!(r.action, Action::None, "rejected outcome with an action");
        } else if profile != Profile::RaslDelete && profile != Profile::RaslUpdate {
            assert_eq!(
                r.status == RowStatus::New,
                r.action == Action::Create,
                "row {i}: new and create go together"
            );
        }
        if let Some(j) = r.duplicate_of {
            assert_eq!(r.status, RowStatus::Duplicate);
            assert!(j < i, "row {i} duplicates a later row {j}");
            let first = &outcome.rows[j];
            if profile == Profile::RaslDelete {
                assert_eq!(first.key, r.key);
            } else {
                assert!(
                    matches!(first.status, RowStatus::New | RowStatus::Existing),
                    "row {i} duplicates row {j}, which holds no key ({:?})",
                    first.status
                );
            }
            if matches!(profile, Profile::RaslCreate | Profile::ContactBook) {
                assert_eq!(first.key, r.key, "duplicate of a different key");
            }
        } else {
            assert_ne!(
                r.status,
                RowStatus::Duplicate,
                "row {i}: duplicate of nothing"
            );
        }
        if profile != Profile::RaslDelete {
            if let Some(k) = &r.key {
                check_e164(engine, k);
                if matches!(r.status, RowStatus::New | RowStatus::Existing) {
                    assert!(keys.phones.contains(k), "row {i}'s key {k} not looked up");
                }
            }
            if let Some(c) = &r.contact {
                for p in &c.phones {
                    check_e164(engine, &p.e164);
                }
            }
        }
        // The store decides new versus existing.
        match profile {
            Profile::RaslCreate | Profile::ContactBook => {
                let in_store = r
                    .key
                    .as_deref()
                    .and_then(PhoneKey::from_e164)
                    .and_then(|k| existing.phone(k));
                match r.status {
                    RowStatus::New => assert!(in_store.is_none(), "row {i} new but in the store"),
                    RowStatus::Existing => {
                        assert!(in_store.is_some(), "row {i} existing but not in the store");
                        assert_eq!(r.existing_id.as_ref(), in_store);
                    }
                    _ => {}
                }
            }
            Profile::RaslDelete => {
                let id: Option<i64> = r.key.as_deref().and_then(|k| k.parse().ok());
                let id = id.expect("a delete row's key is its id");
                if r.status == RowStatus::Existing {
                    assert!(existing.has_id(id));
                    assert_eq!(r.action, Action::Delete);
                }
                if r.status == RowStatus::Invalid {
                    assert!(!existing.has_id(id));
                }
            }
            Profile::RecordList => {
                if r.status == RowStatus::New {
                    let c = r.contact.as_ref().expect("a new record has its contact");
                    for p in &c.phones {
                        let k = PhoneKey::from_e164(&p.e164).expect("E.164");
                        assert!(
                            existing.phone(k).is_none(),
                            "row {i} new but a phone is stored"
                        );
                    }
                    if let Some(x) = &c.external_ref {
                        assert!(!existing.has_external_ref(&x.provider, &x.id));
                    }
                }
            }
            _ => {}
        }
    }

    // The body's own arithmetic.
    let rows = &outcome.rows;
    match profile {
        Profile::RaslCreate if status == 200 => {
            assert!(!outcome.rejected);
            let total = num(&rendered, &["summary", "total"]);
            let created = num(&rendered, &["summary", "created"]);
            let skipped = num(&rendered, &["summary", "skipped"]);
            let failed = num(&rendered, &["summary", "failed"]);
            assert_eq!(total, n);
            assert_eq!(total, created + skipped + failed, "{rendered}");
            assert_eq!(arr(&rendered, &["created"]).len(), created);
            assert_eq!(arr(&rendered, &["skipped"]).len(), skipped);
            assert_eq!(arr(&rendered, &["errors"]).len(), failed);
            assert_eq!(created, count(rows, |r| r.action == Action::Create));
            assert_eq!(failed, count(rows, |r| !r.errors.is_empty()));
            let mut seen = HashSet::new();
            for item in arr(&rendered, &["skipped"])
                .iter()
                .chain(arr(&rendered, &["errors"]))
            {
                let i = item["index"].as_u64().expect("index") as usize;
                assert!(
                    i < n && seen.insert(i),
                    "index {i} reported twice or out of range"
                );
            }
            for c in arr(&rendered, &["created"]) {
                check_e164(engine, c["phone"].as_str().expect("created phone"));
            }
        }
        Profile::RaslCreate => {
            assert!(outcome.rejected);
            assert!(matches!(status, 403 | 422), "{status}");
            assert!(outcome.to_create().is_empty());
        }
        Profile::RaslDelete => {
            assert_eq!(status, 200);
            let total = num(&rendered, &["summary", "total"]);
            let deleted = num(&rendered, &["summary", "deleted"]);
            let failed = num(&rendered, &["summary", "failed"]);
            assert_eq!(total, n);
            assert_eq!(total, deleted + failed);
            assert_eq!(deleted, outcome.to_delete().len());
            assert!(deleted <= keys.ids.len());
        }
        Profile::RaslUpdate => {
            assert_eq!(n, 1);
            if status == 200 {
                assert!(!outcome.rejected);
                assert_eq!(rows[0].action, Action::Update);
                assert!(rendered["data"].is_object());
                if let Some(k) = &rows[0].key {
                    assert_eq!(rendered["data"]["phone"].as_str(), Some(k.as_str()));
                }
            } else {
                assert_eq!(status, 422);
                assert!(outcome.rejected);
            }
        }
        Profile::RecordList => {
            assert_eq!(status, 201);
            let records = arr(&rendered, &["_embedded", "records"]);
            assert_eq!(records.len(), n);
            let errors = num(&rendered, &["total_errors"]);
            let created = num(&rendered, &["total_created"]);
            assert_eq!(errors + created, n, "{rendered}");
            assert_eq!(rendered["has_error"], Value::Bool(errors > 0));
            let with_errors = records
                .iter()
                .filter(|r| r["errors"].as_array().is_some_and(|e| !e.is_empty()))
                .count();
            assert_eq!(with_errors, errors);
            assert_eq!(created, count(rows, |r| r.action == Action::Create));
        }
        Profile::ContactBook => {
            assert_eq!(status, 200);
            let total = num(&rendered, &["data", "summary", "total"]);
            let created = num(&rendered, &["data", "summary", "created"]);
            let updated = num(&rendered, &["data", "summary", "updated"]);
            let skipped = num(&rendered, &["data", "summary", "skipped"]);
            let invalid = num(&rendered, &["data", "summary", "invalid"]);
            assert_eq!(total, n);
            assert_eq!(total, created + updated + skipped + invalid);
            assert_eq!(
                (created, updated, skipped, invalid),
                (s.new, s.existing, s.duplicate, s.invalid)
            );
            let results = arr(&rendered, &["data", "results"]);
            assert_eq!(results.len(), n);
            for (i, r) in results.iter().enumerate() {
                assert_eq!(
                    r["row"].as_u64(),
                    Some(i as u64 + 1),
                    "results out of order"
                );
                let expected = match rows[i].status {
                    RowStatus::New => "CREATED",
                    RowStatus::Existing => "UPDATED",
                    RowStatus::Duplicate => "SKIPPED",
                    RowStatus::Invalid => "INVALID",
                    other => unreachable!("no contact-book status for {other:?}"),
                };
                assert_eq!(r["status"], expected);
            }
        }
        _ => {}
    }
}

/// The whole one-call check: sequential two-phase and parallel one-call
/// outcomes are identical, and the invariants hold.
pub fn respond_and_check(profile: Profile, body: &[u8], existing: &Existing) -> Outcome {
    let (seq, par) = engines(profile);
    let prepared = seq.prepare(body);
    let outcome = seq.resolve(&prepared, existing);
    let parallel = par.respond(body, existing);
    assert_eq!(outcome, parallel, "sequential and parallel outcomes differ");
    check_outcome(seq, body, &prepared, &outcome, existing);
    outcome
}
