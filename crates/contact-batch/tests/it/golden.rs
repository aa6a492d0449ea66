//! Golden files: every request under `tests/data/golden/<profile>/` answered
//! by an engine built from that folder's `config.json`, the response
//! compared byte for byte with the file beside it.
//!
//! A case is `<case>.request.json`, an optional `<case>.existing.json` (what
//! the host's store holds; none: an empty store) and `<case>.response.json`
//! (`{"status": ..., "body": ...}` as `Response::to_json` writes it,
//! pretty-printed by [`pretty`], then a newline). The one-call `respond` and
//! the two phases must both give it.
//!
//! Pretty-printed so a diff of a blessed file can be reviewed line by line,
//! and still exact: [`pretty`] only adds whitespace between tokens (strings
//! and numbers are copied byte for byte), and the test first checks that
//! the rendered response has no whitespace between tokens of its own
//! ([`compact`] gives it back unchanged). So `pretty` is one-to-one on what
//! the engine renders, and equal pretty forms mean equal rendered bytes.
//!
//! `examples/requests/<profile>.json` are copies of each profile's
//! `example.request.json`; a test holds them equal.
//!
//! To add a case, write its request (and store), then regenerate the
//! responses with `CONTACT_BATCH_BLESS=1 cargo test -p contact-batch --test
//! it golden` and review the diff: a blessed file is a claim about the API.

use std::fs;
use std::path::Path;

use contact_batch::matching::MatchConfig;
use contact_batch::{Config, Engine, Existing, Profile};

use crate::support::engines::golden_dir;

/// `json` with a line break and two spaces of indent per level after each
/// `{`, `[` and `,`, before each closing bracket of a non-empty container,
/// and a space after each `:`; strings and numbers as they are. Expects
/// JSON without whitespace between tokens (see [`compact`]).
fn pretty(json: &str) -> String {
    let mut out = String::with_capacity(json.len() * 2);
    let mut depth = 0usize;
    let mut chars = json.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push('"');
                while let Some(c) = chars.next() {
                    out.push(c);
                    match c {
                        '\\' => out.extend(chars.next()),
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '{' | '[' => {
                out.push(c);
                if matches!(chars.peek(), Some('}' | ']')) {
                    out.extend(chars.next());
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c => out.push(c),
        }
    }
    out
}

/// `json` without whitespace between tokens (strings as they are): the
/// inverse of [`pretty`].
fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut chars = json.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push('"');
                while let Some(c) = chars.next() {
                    out.push(c);
                    match c {
                        '\\' => out.extend(chars.next()),
                        '"' => break,
                        _ => {}
                    }
                }
            }
            ' ' | '\n' | '\r' | '\t' => {}
            c => out.push(c),
        }
    }
    out
}

#[test]
fn pretty_is_undone_by_compact() {
    let json = r#"{"a":[],"b":{},"c":[1,{"d":"x, \\\"{y}\": ","e":null}],"f":-1.5e3}"#;
    let p = pretty(json);
    assert_eq!(
        p,
        "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    1,\n    {\n      \"d\": \"x, \\\\\\\"{y}\\\": \",\n      \"e\": null\n    }\n  ],\n  \"f\": -1.5e3\n}"
    );
    assert_eq!(compact(&p), json);
    // Whitespace inside strings is the string's.
    assert_eq!(compact(r#"{ "a b" : " " }"#), r#"{"a b":" "}"#);
}

#[test]
fn example_requests_are_the_golden_ones() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/requests");
    for profile in Profile::ALL {
        let copy = examples.join(format!("{}.json", profile.name()));
        let golden = golden_dir()
            .join(profile.name())
            .join("example.request.json");
        let read = |p: &Path| fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(
            read(&copy) == read(&golden),
            "{} differs from {} (copy the golden request over it)",
            copy.display(),
            golden.display()
        );
    }
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
    let mut listed = 0;
    let mut failed = Vec::new();
    for profile in Profile::ALL {
        let dir = golden_dir().join(profile.name());
        let config = Config::from_json(&fs::read(dir.join("config.json")).unwrap()).unwrap();
        assert_eq!(config.profile, profile, "{}/config.json", dir.display());
        let engine = Engine::new(config.clone()).unwrap();
        // With possible duplicates on (every blocked pair listed, at
        // threshold 0) the rendered response is the same, and so is every
        // row apart from its possible duplicates.
        let mut on = config;
        on.possible_duplicates = Some(MatchConfig {
            threshold: 0.0,
            ..MatchConfig::default()
        });
        let matching = Engine::new(on).unwrap();
        for case in cases(&dir) {
            let request = fs::read(dir.join(format!("{case}.request.json"))).unwrap();
            let existing = match fs::read(dir.join(format!("{case}.existing.json"))) {
                Ok(json) => Existing::from_json(&json).unwrap(),
                Err(_) => Existing::new(),
            };
            let once = engine.respond(&request, &existing);
            let two = engine.resolve(&engine.prepare(&request), &existing);
            assert_eq!(once, two, "{}/{case}: respond and the two phases", profile);
            let with = matching.respond(&request, &existing);
            assert_eq!(
                with,
                matching.resolve(&matching.prepare(&request), &existing),
                "{profile}/{case}: possible duplicates, respond and the two phases"
            );
            assert_eq!(
                with.response, once.response,
                "{profile}/{case}: matching on"
            );
            let mut without = with.clone();
            for row in &mut without.rows {
                row.possible_duplicates.clear();
            }
            assert_eq!(without, once, "{profile}/{case}: matching on");
            assert!(once.rows.iter().all(|r| r.possible_duplicates.is_empty()));
            listed += with
                .rows
                .iter()
                .filter(|r| !r.possible_duplicates.is_empty())
                .count();
            let rendered = once.response.to_json();
            assert_eq!(
                compact(&rendered),
                rendered,
                "{profile}/{case}: whitespace between tokens"
            );
            let got = format!("{}\n", pretty(&rendered));
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
    // The check above is not vacuous: some golden rows have possible
    // duplicates.
    assert!(listed > 0, "no golden row has a possible duplicate");
}
