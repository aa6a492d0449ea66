//! SPEC §5.1: "the last line of stderr is always this JSON line" (issue 28:
//! the human report used to be last unless `--summary json` was given, and
//! every script that read the last line broke). Every mode of `import`
//! that runs: with and without the human report, 1 and 2 threads, invalid
//! rows, `--out`, `--rejects`, and a run that fails half way.

use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_contact-batch"))
}

fn example(name: &str) -> String {
    format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The summary members SPEC §5.1 names, first and in this order.
const MEMBERS: [&str; 5] = ["total", "new", "existing", "duplicate", "invalid"];

/// The last line of stderr, parsed: a JSON object whose first members are
/// [`MEMBERS`], in order, all counts.
fn last_line_summary(out: &Output) -> serde_json::Map<String, Value> {
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(stderr.ends_with('\n'), "{stderr:?}");
    let last = stderr.lines().last().expect("stderr is empty");
    let Value::Object(summary) = serde_json::from_str::<Value>(last)
        .unwrap_or_else(|e| panic!("last stderr line is not JSON ({e}): {stderr}"))
    else {
        panic!("last stderr line is not an object: {stderr}");
    };
    // serde_json's map here keeps the text's order (preserve_order is off:
    // a BTreeMap), so the order is checked on the text itself.
    let mut at = 0;
    for m in MEMBERS {
        let key = format!("\"{m}\":");
        let found = last[at..]
            .find(&key)
            .unwrap_or_else(|| panic!("{m} missing or out of order: {last}"));
        at += found + key.len();
        assert!(summary[m].is_u64(), "{m}: {last}");
    }
    let s = &summary;
    let sum: u64 = MEMBERS[1..].iter().map(|m| s[*m].as_u64().unwrap()).sum();
    assert_eq!(s["total"].as_u64().unwrap(), sum, "{last}");
    summary
}

/// Counts of each status among NDJSON outcome lines.
fn counts(ndjson: &str) -> [u64; 5] {
    let mut c = [0u64; 5];
    for line in ndjson.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        c[0] += 1;
        let i = MEMBERS
            .iter()
            .position(|m| v["status"] == *m)
            .expect("status");
        c[i] += 1;
    }
    c
}

fn assert_counts(summary: &serde_json::Map<String, Value>, ndjson: &str) {
    let c = counts(ndjson);
    for (i, m) in MEMBERS.iter().enumerate() {
        assert_eq!(summary[*m], c[i], "{m}");
    }
}

#[test]
fn the_last_stderr_line_is_the_json_summary_in_every_mode() {
    let dir = TempDir::new().unwrap();
    let input = example("contacts.csv");
    let existing = example("existing.json");
    for style in ["human", "json", "default"] {
        for threads in ["1", "2"] {
            for variant in ["stdout", "out", "rejects", "both"] {
                let out_path = dir
                    .path()
                    .join(format!("out-{style}-{threads}-{variant}.ndjson"));
                let rejects_path = dir
                    .path()
                    .join(format!("rej-{style}-{threads}-{variant}.csv"));
                let mut c = bin();
                c.args([
                    "import",
                    "--profile",
                    "rasl-create",
                    "--existing",
                    &existing,
                ]);
                c.args(["--threads", threads]);
                if style != "default" {
                    c.args(["--summary", style]);
                }
                if matches!(variant, "out" | "both") {
                    c.arg("--out").arg(&out_path);
                }
                if matches!(variant, "rejects" | "both") {
                    c.arg("--rejects").arg(&rejects_path);
                }
                c.arg(&input);
                let out = c.output().unwrap();
                let what = format!("{style} {threads} {variant}");
                assert_eq!(out.status.code(), Some(0), "{what}: {out:?}");
                let summary = last_line_summary(&out);
                // The bundled example has invalid, duplicate and existing rows.
                for m in MEMBERS {
                    assert_ne!(summary[m], 0, "{what}: {m}");
                }
                assert_eq!(summary["encoding"], "UTF-8", "{what}");
                assert_eq!(summary["delimiter"], ",", "{what}");
                let ndjson = if matches!(variant, "out" | "both") {
                    assert!(out.stdout.is_empty(), "{what}");
                    std::fs::read_to_string(&out_path).unwrap()
                } else {
                    String::from_utf8(out.stdout.clone()).unwrap()
                };
                assert_counts(&summary, &ndjson);
                if matches!(variant, "rejects" | "both") {
                    let rejects = std::fs::read_to_string(&rejects_path).unwrap();
                    let rows = summary["invalid"].as_u64().unwrap()
                        + summary["duplicate"].as_u64().unwrap();
                    assert_eq!(rejects.lines().count() as u64, rows + 1, "{what}");
                }
                let stderr = String::from_utf8(out.stderr).unwrap();
                let lines: Vec<&str> = stderr.lines().collect();
                if style == "json" {
                    // Only the JSON line.
                    assert_eq!(lines.len(), 1, "{what}: {stderr}");
                } else {
                    // The human report (kept), then the JSON line.
                    assert!(lines.len() > 3, "{what}: {stderr}");
                    assert!(lines[0].starts_with("import: 22 rows"), "{what}: {stderr}");
                    assert!(
                        stderr.contains("top reasons for invalid rows:"),
                        "{what}: {stderr}"
                    );
                }
            }
        }
    }
}

#[test]
fn every_input_format_ends_with_the_summary_line() {
    let dir = TempDir::new().unwrap();
    let ndjson = dir.path().join("c.ndjson");
    std::fs::write(
        &ndjson,
        "{\"firstname\":\"Ann\",\"phone\":\"+14155552671\"}\n{\"firstname\":\"Bob\"}\nnot json\n",
    )
    .unwrap();
    let json = dir.path().join("c.json");
    std::fs::write(
        &json,
        r#"[{"firstname":"Ann","phone":"+14155552671"},{"firstname":"Ann","phone":"+14155552671"}]"#,
    )
    .unwrap();
    for (path, expect) in [(&ndjson, [3, 1, 0, 0, 2]), (&json, [2, 1, 0, 1, 0])] {
        for style in ["human", "json"] {
            let out = bin()
                .args(["import", "--profile", "rasl-create", "--summary", style])
                .arg(path)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "{out:?}");
            let summary = last_line_summary(&out);
            for (i, m) in MEMBERS.iter().enumerate() {
                assert_eq!(summary[*m], expect[i], "{path:?} {style} {m}");
            }
            // No delimiter for JSON inputs.
            assert!(!summary.contains_key("delimiter"));
            assert_counts(&summary, &String::from_utf8(out.stdout).unwrap());
        }
    }
}

#[test]
fn a_run_that_fails_half_way_prints_its_error_then_the_summary_line() {
    let dir = TempDir::new().unwrap();
    let json = dir.path().join("t.json");
    std::fs::write(
        &json,
        r#"[{"firstname": "Ann", "phone": "+14155552671"}] {"firstname": "Bob"}"#,
    )
    .unwrap();
    for style in ["human", "json"] {
        for threads in ["1", "2"] {
            let out = bin()
                .args(["import", "--profile", "rasl-create", "--threads", threads])
                .args(["--summary", style])
                .arg(&json)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2));
            let summary = last_line_summary(&out);
            assert_eq!(summary["total"], 1);
            let stderr = String::from_utf8(out.stderr).unwrap();
            let lines: Vec<&str> = stderr.lines().collect();
            let error = lines[lines.len() - 2];
            assert!(
                error.starts_with("contact-batch: error: ")
                    && error.contains("after the end of the JSON array"),
                "{stderr}"
            );
        }
    }
}

#[test]
fn a_run_refused_before_it_starts_ends_with_its_error_line() {
    // Nothing was read, so there is nothing to count: the error line is the
    // last line, exit 2 (documented in `import --help`).
    let out = bin()
        .args(["import", "--profile", "rasl-create", "/no/such/file.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("contact-batch: error: "), "{stderr}");
}
