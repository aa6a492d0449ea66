//! Golden files: every request under `tests/data/golden/<profile>/` answered
//! by an engine built from that folder's `config.json`, the response
//! compared byte for byte with the file beside it.
//!
//! A case is `<case>.request.json`, an optional `<case>.existing.json` (what
//! the host's store holds; none: an empty store) and `<case>.response.json`
//! (`{"status": ..., "body": ...}` as `Response::to_json` writes it, then a
//! newline). The one-call `respond` and the two phases must both give it.
//!
//! To add a case, write its request (and store), then regenerate the
//! responses with `CONTACT_BATCH_BLESS=1 cargo test -p contact-batch --test
//! it golden` and review the diff: a blessed file is a claim about the API.

use std::fs;
use std::path::{Path, PathBuf};

use contact_batch::{Config, Engine, Existing, Profile};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/golden")
}

fn bless() -> bool {
    std::env::var_os("CONTACT_BATCH_BLESS").is_some_and(|v| v == "1")
}

/// The cases of one profile's folder, by name, in name order.
fn cases(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".request.json").map(str::to_owned)
        })
        .collect();
    names.sort();
    names
}

#[test]
fn every_profile_has_golden_cases() {
    for profile in Profile::ALL {
        let dir = golden_dir().join(profile.name());
        assert!(!cases(&dir).is_empty(), "{}: no golden case", dir.display());
    }
}

#[test]
fn responses_match_the_golden_files() {
    let mut checked = 0;
    let mut failed = Vec::new();
    for profile in Profile::ALL {
        let dir = golden_dir().join(profile.name());
        let config = Config::from_json(&fs::read(dir.join("config.json")).unwrap()).unwrap();
        assert_eq!(config.profile, profile, "{}/config.json", dir.display());
        let engine = Engine::new(config).unwrap();
        for case in cases(&dir) {
            let request = fs::read(dir.join(format!("{case}.request.json"))).unwrap();
            let existing = match fs::read(dir.join(format!("{case}.existing.json"))) {
                Ok(json) => Existing::from_json(&json).unwrap(),
                Err(_) => Existing::new(),
            };
            let once = engine.respond(&request, &existing);
            let two = engine.resolve(&engine.prepare(&request), &existing);
            assert_eq!(once, two, "{}/{case}: respond and the two phases", profile);
            let got = format!("{}\n", once.response.to_json());
            let path = dir.join(format!("{case}.response.json"));
            if bless() {
                fs::write(&path, &got).unwrap();
            } else {
                match fs::read_to_string(&path) {
                    Ok(want) if want == got => {}
                    Ok(want) => failed.push(format!(
                        "{}:\n  want {}\n  got  {}",
                        path.display(),
                        want.trim_end(),
                        got.trim_end()
                    )),
                    Err(e) => failed.push(format!("{}: {e}", path.display())),
                }
            }
            checked += 1;
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {checked} golden responses differ (CONTACT_BATCH_BLESS=1 regenerates them):\n{}",
        failed.len(),
        failed.join("\n")
    );
}
