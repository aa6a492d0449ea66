//! What the test modules share: an engine as most of them configure it,
//! the host's existing keys from JSON, and a response read as JSON.

use contact_batch::{Config, Engine, Existing, Profile};
use serde_json::Value;

/// An engine for `profile` with `US` as the default region and one thread
/// (output never depends on the thread count; one keeps tests light).
pub fn engine(profile: Profile) -> Engine {
    Engine::new(Config {
        default_region: Some("US".into()),
        threads: Some(1),
        ..Config::new(profile)
    })
    .unwrap()
}

/// The host's existing keys, from their JSON form.
pub fn existing(json: Value) -> Existing {
    Existing::from_json(json.to_string().as_bytes()).unwrap()
}

/// The one-call respond: the status and the body read as JSON (for
/// members' values; a `serde_json::Value` does not keep their order).
pub fn respond(e: &Engine, body: &str, existing: &Existing) -> (u16, Value) {
    let out = e.respond(body.as_bytes(), existing);
    let v: Value = serde_json::from_str(&out.response.body).expect("body is JSON");
    (out.response.status, v)
}
