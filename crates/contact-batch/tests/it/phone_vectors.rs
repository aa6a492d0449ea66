//! Phone correctness vectors: the engine against Google libphonenumber.
//!
//! `tests/data/phone_vectors.jsonl` holds the answers of libphonenumber's
//! Python port `phonenumbers==9.0.42` (the metadata `rlibphonenumber` 2.2.15
//! embeds) for a few thousand inputs: every example number of the metadata in
//! many formats, IDD prefixes, `tel:` URIs, extensions, vanity letters, other
//! digit scripts, junk, and random mutations of valid numbers. Regenerate it
//! with `scripts/gen_phone_vectors.py` (the command is in its docstring).
//!
//! Every vector is checked and every mismatch is collected, so one run shows
//! the whole picture.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use contact_batch::{Config, Engine, PhoneError, Profile, ValidPhone};
use serde_json::Value;

const VECTORS: &str = include_str!("../data/phone_vectors.jsonl");

/// Inputs on which rlibphonenumber 2.2.15 is known to answer differently
/// from libphonenumber 9.0.42, as `(raw, region, reason)`. The vectors keep
/// libphonenumber's answer; these are excused, and the test fails if one of
/// them starts agreeing (so the list never goes stale).
///
/// Empty: none has been found (see the script's docstring). The engine's
/// deliberate differences (over 250 characters is `input_too_long`; the
/// text rule of single-line fields: whitespace-only input is `empty`, tabs
/// and line breaks read as spaces, other control characters are
/// `control_character`; a lower-case region is the region) are not listed
/// here: the script writes the engine's answer into those vectors, with a
/// `note` giving libphonenumber's.
const KNOWN_DIFFERENCES: &[(&str, Option<&str>, &str)] = &[];

/// The fields compared, in report order.
const FIELDS: &[&str] = &[
    "valid",
    "e164",
    "type",
    "number_region",
    "extension",
    "error",
];

struct Vector {
    line: usize,
    raw: String,
    region: Option<String>,
    expected: BTreeMap<&'static str, Option<String>>,
    note: Option<String>,
}

fn opt_str(v: &Value, key: &str, line: usize) -> Option<String> {
    match v.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => panic!("line {line}: `{key}` is not a string or null: {other}"),
    }
}

fn parse_vectors() -> Vec<Vector> {
    VECTORS
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let line = i + 1;
            let v: Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("line {line}: bad JSON: {e}"));
            let raw = match v.get("raw") {
                Some(Value::String(s)) => s.clone(),
                _ => panic!("line {line}: `raw` missing"),
            };
            let valid = match v.get("valid") {
                Some(Value::Bool(b)) => *b,
                _ => panic!("line {line}: `valid` missing"),
            };
            let mut expected = BTreeMap::new();
            expected.insert("valid", Some(valid.to_string()));
            for field in &FIELDS[1..] {
                expected.insert(*field, opt_str(&v, field, line));
            }
            Vector {
                line,
                region: opt_str(&v, "region", line),
                note: opt_str(&v, "note", line),
                raw,
                expected,
            }
        })
        .collect()
}

fn actual(result: &Result<ValidPhone, PhoneError>) -> BTreeMap<&'static str, Option<String>> {
    let mut m = BTreeMap::new();
    match result {
        Ok(p) => {
            m.insert("valid", Some("true".to_owned()));
            m.insert("e164", Some(p.e164.clone()));
            m.insert("type", Some(p.number_type.as_str().to_owned()));
            m.insert("number_region", p.region.clone());
            m.insert("extension", p.extension.clone());
            m.insert("error", None);
        }
        Err(e) => {
            m.insert("valid", Some("false".to_owned()));
            for field in ["e164", "type", "number_region", "extension"] {
                m.insert(field, None);
            }
            m.insert("error", Some(e.code().to_owned()));
        }
    }
    m
}

fn show(v: &Option<String>) -> String {
    match v {
        Some(s) => format!("{s:?}"),
        None => "null".to_owned(),
    }
}

#[test]
fn phone_vectors_agree_with_libphonenumber() {
    let vectors = parse_vectors();
    assert!(
        vectors.len() >= 1000,
        "only {} vectors; regenerate the file",
        vectors.len()
    );
    let engine = Engine::new({
        let mut c = Config::new(Profile::RaslCreate);
        c.threads = Some(1);
        c.default_region = None;
        c
    })
    .expect("engine");

    let mut mismatches: Vec<String> = Vec::new();
    let mut per_field: BTreeMap<&str, usize> = BTreeMap::new();
    let mut excused = vec![false; KNOWN_DIFFERENCES.len()];
    let mut agreeing = 0usize;

    for v in &vectors {
        let result = engine.normalize_phone(&v.raw, v.region.as_deref());
        let got = actual(&result);
        let diffs: Vec<&str> = FIELDS
            .iter()
            .copied()
            .filter(|f| got[f] != v.expected[f])
            .collect();
        if diffs.is_empty() {
            agreeing += 1;
            continue;
        }
        if let Some(k) = KNOWN_DIFFERENCES
            .iter()
            .position(|(raw, region, _)| *raw == v.raw && *region == v.region.as_deref())
        {
            excused[k] = true;
            continue;
        }
        for f in &diffs {
            *per_field.entry(f).or_default() += 1;
        }
        let mut msg = format!(
            "line {}: normalize_phone({:?}, {})",
            v.line,
            v.raw,
            show(&v.region)
        );
        for f in &diffs {
            let _ = write!(
                msg,
                "\n    {f}: expected {}, got {}",
                show(&v.expected[f]),
                show(&got[f])
            );
        }
        if let Some(note) = &v.note {
            let _ = write!(msg, "\n    note: {note}");
        }
        mismatches.push(msg);
    }

    let stale: Vec<String> = KNOWN_DIFFERENCES
        .iter()
        .zip(&excused)
        .filter(|(_, used)| !**used)
        .map(|((raw, region, why), _)| format!("{raw:?} ({region:?}): {why}"))
        .collect();

    let total = vectors.len();
    let pct = 100.0 * agreeing as f64 / total as f64;
    eprintln!(
        "phone vectors: {agreeing}/{total} agree ({pct:.2}%), {} known differences, {} mismatches",
        KNOWN_DIFFERENCES.len() - stale.len(),
        mismatches.len()
    );

    if mismatches.is_empty() && stale.is_empty() {
        return;
    }
    let mut report = format!(
        "{} of {total} phone vectors disagree with libphonenumber ({pct:.2}% agree)\n",
        mismatches.len()
    );
    if !mismatches.is_empty() {
        report.push_str("mismatches per field:\n");
        for (f, n) in &per_field {
            let _ = writeln!(report, "  {f}: {n}");
        }
        let _ = writeln!(report, "first {} mismatches:", mismatches.len().min(50));
        for m in mismatches.iter().take(50) {
            let _ = writeln!(report, "  {m}");
        }
    }
    if !stale.is_empty() {
        let _ = writeln!(
            report,
            "KNOWN_DIFFERENCES entries that no longer differ (remove them):"
        );
        for s in &stale {
            let _ = writeln!(report, "  {s}");
        }
    }
    panic!("{report}");
}
