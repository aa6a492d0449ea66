//! `contact-batch match` (SPEC §5.6) as a user drives it: the NDJSON line
//! per row in input order with its cluster, score and possible duplicates;
//! the stderr report whose last line is the JSON summary; every input
//! format; --threshold, --model, --train, --out; exit codes.

use assert_cmd::Command;
use serde_json::{json, Value};
use tempfile::TempDir;

fn cmd() -> Command {
    Command::new(env!("CARGO_BIN_EXE_contact-batch"))
}

fn write(dir: &TempDir, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_str().unwrap().to_owned()
}

struct Run {
    lines: Vec<Value>,
    stdout: String,
    stderr: String,
    summary: Value,
}

fn match_ok(args: &[&str]) -> Run {
    let out = cmd()
        .arg("match")
        .args(args)
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let summary: Value = serde_json::from_str(stderr.lines().last().unwrap()).unwrap();
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    Run {
        lines,
        stdout,
        stderr,
        summary,
    }
}

const PEOPLE_CSV: &str = "\
First Name,Last Name,E-mail,Phone,Date of Birth,City,Notes
Rob,Allen,roberta25@smith.net,,,Leeds,first
Grace,Kelly,,+1 415 555 2671,1929-11-12,Monaco,
Robert,Alen,roberta25@smith.net,,,,
Grace,Kelly,,,1929-12-11,Monaco,again
Zoe,Quinn,zoe@example.org,020 7183 8750,1990-01-01,London,
Bobby,Allen,roberta25@smith.net,not a phone,,,
";

#[test]
fn clusters_a_csv_file() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "people.csv", PEOPLE_CSV);
    let run = match_ok(&[&input]);
    // One line per row, in input order, exactly these members.
    assert_eq!(run.lines.len(), 6);
    for (i, (l, text)) in run.lines.iter().zip(run.stdout.lines()).enumerate() {
        assert_eq!(l["row"], json!(i + 1));
        assert_eq!(l.as_object().unwrap().len(), 4, "{l}");
        // Members in this order, compact.
        let start = format!(r#"{{"row":{},"cluster":{},"score":"#, i + 1, l["cluster"]);
        assert!(text.starts_with(&start), "{text}");
        assert!(text.contains(r#","possible_duplicates":["#), "{text}");
    }
    let clusters: Vec<u64> = run
        .lines
        .iter()
        .map(|l| l["cluster"].as_u64().unwrap())
        .collect();
    assert_eq!(clusters, [1, 2, 1, 2, 5, 1]);
    // A row alone: its own cluster, score 0, nothing listed.
    assert_eq!(run.lines[4]["score"], json!(0.0));
    assert_eq!(run.lines[4]["possible_duplicates"], json!([]));
    // Row 3's best match is row 1 (or 6), with the reasons.
    let dups = run.lines[2]["possible_duplicates"].as_array().unwrap();
    let first = dups.iter().find(|d| d["row"] == 1).unwrap();
    assert_eq!(
        first["reasons"],
        json!({"first_name": "nickname", "last_name": "jw_0.92", "email": "exact"})
    );
    let score = first["score"].as_f64().unwrap();
    assert!(score > 0.99 && score <= 1.0, "{score}");
    assert_eq!(run.lines[2]["score"], dups[0]["score"]);
    let kelly = &run.lines[3]["possible_duplicates"][0];
    assert_eq!(kelly["row"], 2);
    assert_eq!(kelly["reasons"]["birth_date"], "transposed_day_month");
    assert_eq!(kelly["reasons"]["city"], "exact");
    // The summary is the last line of stderr; the report comes before it.
    assert_eq!(run.summary["rows"], 6);
    assert_eq!(run.summary["clusters"], 2);
    assert_eq!(run.summary["rows_in_clusters"], 5);
    assert_eq!(run.summary["largest_cluster"], 3);
    assert_eq!(run.summary["threshold"], 0.9);
    assert_eq!(run.summary["delimiter"], ",");
    assert!(run.stderr.contains("row 1: 3 rows"), "{}", run.stderr);
}

#[test]
fn output_does_not_depend_on_threads_or_format() {
    let dir = TempDir::new().unwrap();
    let csv = write(&dir, "people.csv", PEOPLE_CSV);
    let one = match_ok(&["--threads", "1", &csv]).stdout;
    let two = match_ok(&["--threads", "2", &csv]).stdout;
    assert_eq!(one, two);
    // The same people as NDJSON (API field names) and as a JSON array.
    let rows: Vec<Value> = PEOPLE_CSV
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            json!({"firstname": c[0], "lastName": c[1], "email": c[2], "phone_number": c[3],
                   "dob": c[4], "city": c[5], "notes": c[6]})
        })
        .collect();
    let ndjson: String = rows.iter().map(|r| format!("{r}\n")).collect();
    let nd = write(&dir, "people.ndjson", ndjson);
    assert_eq!(match_ok(&[&nd]).stdout, one);
    let arr = write(&dir, "people.json", Value::from(rows).to_string());
    assert_eq!(match_ok(&[&arr]).stdout, one);
    // --out writes the same lines to a file, nothing to stdout.
    let out = dir.path().join("out.ndjson");
    let run = match_ok(&["--out", out.to_str().unwrap(), &csv]);
    assert!(run.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), one);
}

#[test]
fn threshold_changes_what_matches() {
    let dir = TempDir::new().unwrap();
    let csv = write(&dir, "people.csv", PEOPLE_CSV);
    let strict = match_ok(&["--threshold", "1", &csv]);
    // Nothing reaches a probability of exactly 1 at six decimals... or
    // rounds to it: every row alone or with perfect pairs only.
    for l in &strict.lines {
        for d in l["possible_duplicates"].as_array().unwrap() {
            assert_eq!(d["score"], json!(1.0));
        }
    }
    let strict = match_ok(&["--threshold", "0.9999", &csv]);
    let listed = |r: &Run| -> usize {
        r.lines
            .iter()
            .map(|l| l["possible_duplicates"].as_array().unwrap().len())
            .sum()
    };
    assert!(listed(&strict) < listed(&match_ok(&[&csv])));
    assert!(listed(&strict) > 0);
}

#[test]
fn train_writes_a_model_that_match_reads() {
    let dir = TempDir::new().unwrap();
    let csv = write(&dir, "people.csv", PEOPLE_CSV);
    let model = dir.path().join("model.json");
    let run = match_ok(&["--train", "--out", model.to_str().unwrap(), &csv]);
    assert!(run.stdout.is_empty());
    assert_eq!(run.summary["rows"], 6);
    assert!(run.summary["iterations"].is_u64());
    let text = std::fs::read_to_string(&model).unwrap();
    let m: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(m["version"], 1);
    assert!(m["fields"]["first_name"]["exact"]["m"].is_f64());
    let again = match_ok(&["--model", model.to_str().unwrap(), &csv]);
    assert_eq!(again.lines.len(), 6);
}

/// Asserts exit 2 with a `contact-batch: error:` line containing `needle`.
fn fails(args: &[&str], needle: &str) {
    let out = cmd()
        .arg("match")
        .args(args)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.lines().last().unwrap_or("").contains(needle),
        "stderr: {stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn errors_exit_2() {
    let dir = TempDir::new().unwrap();
    let csv = write(&dir, "people.csv", PEOPLE_CSV);
    fails(&["--threshold", "1.5", &csv], "threshold");
    fails(&["--threads", "0", &csv], "threads");
    fails(&[dir.path().join("nope.csv").to_str().unwrap()], "nope.csv");
    fails(&["--model", "/nonexistent/model.json", &csv], "--model");
    let bad = write(
        &dir,
        "bad.json",
        r#"{"version": 1, "fields": {"shoe": {}}}"#,
    );
    fails(&["--model", &bad, &csv], "unknown field `shoe`");
    fails(&["--map", "First Name=shoe", &csv], "not a field");
    let odd = write(&dir, "odd.csv", "a,b\n1,2\n");
    fails(&[&odd], "no column holds a field");
    fails(&[&write(&dir, "x.xlsx", "")], "cannot tell the format");
    fails(&["-"], "--format");
    fails(&["--out", &csv, &csv], "INPUT itself");
    // No output file is left behind by a failed run.
    assert!(!dir.path().join("out.ndjson").exists());
}

#[test]
fn map_and_full_names_and_stdin() {
    let input =
        "Vorname;Name;Geburtstag\nAnna;Anna Schmidt;1970-02-03\nAnne;Anne Schmidt;03.02.1970\n";
    let out = cmd()
        .args([
            "match",
            "--format",
            "csv",
            "--map",
            "Vorname=first_name,Geburtstag=birth_date",
            "-",
        ])
        .write_stdin(input)
        .assert()
        .success()
        .get_output()
        .clone();
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[1]["cluster"], 1, "{lines:?}");
    let reasons = &lines[1]["possible_duplicates"][0]["reasons"];
    assert_eq!(reasons["last_name"], "exact");
    assert_eq!(reasons["birth_date"], "exact");
}

#[test]
fn unreadable_rows_are_people_alone() {
    let dir = TempDir::new().unwrap();
    let nd = write(
        &dir,
        "p.ndjson",
        "{\"firstname\":\"Ann\",\"lastname\":\"Lee\",\"email\":\"a@lee.com\"}\nnot json\n[1]\n{\"firstname\":\"Ann\",\"lastname\":\"Lee\",\"email\":\"a@lee.com\"}\n",
    );
    let run = match_ok(&[&nd]);
    let clusters: Vec<u64> = run
        .lines
        .iter()
        .map(|l| l["cluster"].as_u64().unwrap())
        .collect();
    assert_eq!(clusters, [1, 2, 3, 1]);
    assert_eq!(run.summary["unreadable"], 2);
}
