//! Engines as the tests configure them, the host's existing keys from
//! JSON, a response read as JSON, and the golden files' folder.

use std::path::{Path, PathBuf};

use contact_batch::{Config, Engine, Existing, Node, Profile};
use serde_json::Value;

/// `profile`'s defaults with `US` as the default region and `threads`
/// worker threads (output never depends on the count; one keeps tests
/// light).
pub fn config(profile: Profile, threads: usize) -> Config {
    Config::builder(profile)
        .default_region("US")
        .threads(threads)
        .build()
}

/// An engine of [`config`] with one thread.
pub fn engine(profile: Profile) -> Engine {
    Engine::new(config(profile, 1)).unwrap()
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

/// `tests/data/golden`: a folder per profile.
pub fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/golden")
}

/// The top-level array of a profile's requests (`None`: a request is one
/// row, its batch limit is 1), read from its golden `example.request.json`
/// (its first array member), so a new profile needs no entry here.
pub fn batch_key(profile: Profile) -> Option<String> {
    if profile.default_max_batch() == 1 {
        return None;
    }
    let path = golden_dir()
        .join(profile.name())
        .join("example.request.json");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let root = Node::parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let members = root.as_object().expect("an example request is an object");
    members
        .iter()
        .find(|(_, v)| v.as_array().is_some())
        .map(|(k, _)| k.to_string())
}
