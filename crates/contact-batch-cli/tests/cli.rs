//! The `contact-batch` command as a user drives it (SPEC §5.1): every
//! profile through `respond`, stdin and `-`, every exit code, `import` in
//! each format with the CSV edge cases, and thread-count independence.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{json, Value};
use tempfile::TempDir;

fn cmd() -> Command {
    Command::new(env!("CARGO_BIN_EXE_contact-batch"))
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn example(rel: &str) -> String {
    examples().join(rel).to_str().unwrap().to_owned()
}

/// Runs `respond`; asserts exit 0 and one JSON line; returns (status, body).
fn respond(args: &[&str], stdin: Option<&[u8]>) -> (u64, Value) {
    let mut c = cmd();
    c.arg("respond").args(args);
    if let Some(input) = stdin {
        c.write_stdin(input.to_vec());
    }
    let out = c.assert().success().get_output().clone();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.ends_with('\n') && text.matches('\n').count() == 1,
        "{text}"
    );
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v.as_object().unwrap().len(), 2, "{v}");
    (v["status"].as_u64().unwrap(), v["body"].clone())
}

fn respond_example(profile: &str) -> (u64, Value) {
    respond(
        &[
            "--profile",
            profile,
            "--existing",
            &example("existing.json"),
            &example(&format!("requests/{profile}.json")),
        ],
        None,
    )
}

/// The result of an import run.
struct Import {
    lines: Vec<Value>,
    stdout: String,
    summary: Value,
}

fn import_ok(args: &[&str]) -> Import {
    let out = cmd()
        .args(["import", "--summary", "json"])
        .args(args)
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    // Not a terminal: no progress bar, only the summary, as the last line.
    assert_eq!(stderr.lines().count(), 1, "stderr: {stderr}");
    let mut summary: Value = serde_json::from_str(stderr.trim_end()).unwrap();
    // What was detected (the encoding; a CSV's delimiter) comes with the
    // counts; the counts are compared below.
    let found = summary.as_object_mut().unwrap();
    assert!(found.remove("encoding").unwrap().is_string());
    if let Some(d) = found.remove("delimiter") {
        assert!(d.is_string());
    }
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // One line per row, numbered in input order; the counts add up.
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["row"], json!(i + 1), "{l}");
    }
    assert_eq!(summary["total"], json!(lines.len()));
    let count = |s: &str| lines.iter().filter(|l| l["status"] == s).count();
    assert_eq!(
        summary,
        json!({
            "total": lines.len(),
            "new": count("new"),
            "existing": count("existing"),
            "duplicate": count("duplicate"),
            "invalid": count("invalid"),
        })
    );
    Import {
        lines,
        stdout,
        summary,
    }
}

fn write(dir: &TempDir, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_str().unwrap().to_owned()
}

/// Asserts exit 2 with one `contact-batch: error:` line containing `needle`.
fn fails(c: &mut Command, needle: &str) {
    let out = c.assert().code(2).get_output().clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("contact-batch: error: ") && last.contains(needle),
        "stderr: {stderr}"
    );
    assert!(out.stdout.is_empty(), "stdout: {:?}", out.stdout);
}

fn statuses(lines: &[Value]) -> Vec<&str> {
    lines
        .iter()
        .map(|l| l["status"].as_str().unwrap())
        .collect()
}

// ---------------------------------------------------------------- respond

#[test]
fn respond_rasl_create_example() {
    let (status, body) = respond_example("rasl-create");
    assert_eq!(status, 200);
    assert_eq!(body["success"], true);
    assert_eq!(
        body["summary"],
        json!({"total": 6, "created": 2, "skipped": 2, "failed": 2})
    );
    assert_eq!(body["created"][0]["phone"], "+442071838750");
    assert_eq!(body["created"][0]["email"], "Oliver.Smith@example.co.uk");
    assert_eq!(body["created"][0]["groups"], json!([4, 9]));
    assert_eq!(body["created"][1]["phone"], "+917000782082");
    assert_eq!(body["skipped"][0]["index"], 1);
    assert_eq!(body["skipped"][0]["reason"], "duplicate_phone");
    assert_eq!(body["skipped"][1]["reason"], "duplicate_in_request");
    assert_eq!(body["errors"][0]["index"], 4);
    assert!(body["errors"][0]["errors"]["email"].is_array());
    assert!(body["errors"][1]["errors"]["firstname"].is_array());
}

#[test]
fn respond_rasl_delete_example() {
    let (status, body) = respond_example("rasl-delete");
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"success": true, "summary": {"total": 5, "deleted": 3, "failed": 2}})
    );
}

#[test]
fn respond_rasl_update_example() {
    let (status, body) = respond_example("rasl-update");
    assert_eq!(status, 200);
    assert_eq!(body["success"], true);
    assert_eq!(body["message"], "Contact updated successfully");
    let data = &body["data"];
    assert_eq!(data["id"], 1001);
    assert_eq!(data["firstname"], "Ann");
    assert_eq!(data["lastname"], "Lee-Park");
    assert_eq!(data["phone"], "+14155550132");
    assert_eq!(data["email"], "Ann.Park@example.com");
    assert_eq!(data["company"], Value::Null);
    assert_eq!(data["city"], "San Francisco");
    assert_eq!(data["groups"], json!([3, 5]));
}

#[test]
fn respond_record_list_example() {
    let (status, body) = respond_example("record-list");
    assert_eq!(status, 201);
    assert_eq!(body["record_list_id"], "rl_8f14e45f");
    assert_eq!(body["has_error"], true);
    assert_eq!(body["total_created"], 2);
    assert_eq!(body["total_errors"], 3);
    assert!(body["_links"]["self"]["href"]
        .as_str()
        .unwrap()
        .contains("rl_8f14e45f"));
    let records = body["_embedded"]["records"].as_array().unwrap();
    assert_eq!(records.len(), 5);
    assert_eq!(
        records[0]["phone_numbers"][1]["phone_number"],
        "+351213456789"
    );
    assert_eq!(records[0]["errors"], json!([]));
    assert_eq!(records[1]["errors"], json!([]));
    // +1 415 555 2671 is in the store.
    assert_eq!(records[2]["errors"], json!(["PHONE_NUMBER_NOT_UNIQUE"]));
    let chandler: Vec<&str> = records[3]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(chandler.contains(&"TIMEZONE_UNMATCHED"), "{chandler:?}");
    assert!(chandler.contains(&"PRIORITY_INVALID"), "{chandler:?}");
    assert_eq!(records[4]["errors"], json!(["EXTERNAL_REF_MISSING"]));
}

#[test]
fn respond_contact_book_example() {
    let (status, body) = respond_example("contact-book");
    assert_eq!(status, 200);
    assert_eq!(body["success"], true);
    assert_eq!(body["message"], "Contacts uploaded");
    let data = &body["data"];
    assert_eq!(
        data["contactBook"],
        json!({"contactBookUid": "grp_abc", "name": "Retail Leads"})
    );
    assert_eq!(
        data["summary"],
        json!({"total": 6, "created": 1, "updated": 1, "skipped": 1, "invalid": 3})
    );
    let r = &data["results"];
    assert_eq!(
        r[0],
        json!({"row": 1, "status": "CREATED", "contact": {"contactUid": null, "phone": "917000782082"}})
    );
    assert_eq!(r[1]["status"], "UPDATED");
    assert_eq!(r[1]["contact"]["contactUid"], "ct_1001");
    assert_eq!(r[2]["reason"], "DUPLICATE_IN_REQUEST");
    assert_eq!(r[3]["reason"], "INVALID_PHONE");
    assert_eq!(r[4]["reason"], "INVALID_EMAIL");
    assert_eq!(r[5]["reason"], "PHONE_REQUIRED");
}

#[test]
fn respond_without_existing_creates_everything_valid() {
    let (status, body) = respond(
        &[
            "--profile",
            "rasl-create",
            &example("requests/rasl-create.json"),
        ],
        None,
    );
    assert_eq!(status, 200);
    assert_eq!(
        body["summary"],
        json!({"total": 6, "created": 3, "skipped": 1, "failed": 2})
    );
}

#[test]
fn respond_reads_stdin_when_request_is_absent_or_dash() {
    let file = std::fs::read(example("requests/rasl-create.json")).unwrap();
    let from_file = respond(
        &[
            "--profile",
            "rasl-create",
            &example("requests/rasl-create.json"),
        ],
        None,
    );
    let absent = respond(&["--profile", "rasl-create"], Some(&file));
    let dash = respond(&["--profile", "rasl-create", "-"], Some(&file));
    assert_eq!(from_file, absent);
    assert_eq!(from_file, dash);
}

#[test]
fn respond_default_region_and_max_batch() {
    let body = br#"{"contacts": [{"firstname": "Ann", "phone": "(415) 555-2671"},
                                 {"firstname": "Bob", "phone": "020 7183 8750"}]}"#;
    let (_, b) = respond(&["--profile", "rasl-create"], Some(body));
    assert_eq!(b["summary"]["failed"], 2);
    let (_, b) = respond(
        &["--profile", "rasl-create", "--default-region", "US"],
        Some(body),
    );
    assert_eq!(b["summary"]["created"], 1);
    assert_eq!(b["created"][0]["phone"], "+14155552671");
    let (_, b) = respond(
        &[
            "--profile",
            "rasl-create",
            "--default-region",
            "GB",
            "--threads",
            "1",
        ],
        Some(body),
    );
    assert_eq!(b["created"][0]["phone"], "+442071838750");
    let (status, b) = respond(
        &["--profile", "rasl-create", "--max-batch", "1"],
        Some(body),
    );
    assert_eq!(status, 422);
    assert_eq!(b["error"]["code"], "VALIDATION_ERROR");
}

#[test]
fn respond_request_errors_are_responses_with_exit_0() {
    let cases: [(&str, &[u8], u64); 8] = [
        ("rasl-create", b"{}", 422),
        ("rasl-create", b"", 422),
        ("rasl-create", b"\xff\xfe{", 422),
        ("rasl-create", b"[1, 2]", 422),
        ("rasl-delete", br#"{"ids": []}"#, 422),
        ("rasl-update", b"not json", 422),
        ("record-list", br#"{"records": []}"#, 400),
        ("contact-book", br#"{"contacts": []}"#, 400),
    ];
    for (profile, body, want) in cases {
        let (status, b) = respond(&["--profile", profile], Some(body));
        assert_eq!(status, want, "{profile} {body:?}: {b}");
        match profile {
            "record-list" => assert_eq!(b["code"], "INVALID_REQUEST"),
            "contact-book" => assert_eq!(b["error"]["code"], "VALIDATION_FAILED"),
            _ => assert_eq!(b["error"]["code"], "VALIDATION_ERROR", "{b}"),
        }
    }
}

#[test]
fn respond_quota_is_not_a_cli_option_but_existing_members_are_optional() {
    let dir = TempDir::new().unwrap();
    let existing = write(&dir, "e.json", br#"{"ids": [7]}"#);
    let (_, b) = respond(
        &["--profile", "rasl-delete", "--existing", &existing],
        Some(br#"{"ids": [7, 8]}"#),
    );
    assert_eq!(b["summary"], json!({"total": 2, "deleted": 1, "failed": 1}));
}

// ------------------------------------------------------------ exit code 2

#[test]
fn usage_errors_exit_2() {
    cmd().assert().code(2);
    cmd().arg("bogus").assert().code(2);
    cmd().args(["respond"]).assert().code(2);
    cmd()
        .args(["respond", "--profile", "rasl-create", "--bogus"])
        .assert()
        .code(2);
    cmd()
        .args(["respond", "--profile", "rasl-create", "--max-batch", "x"])
        .assert()
        .code(2);
    cmd()
        .args(["import", "--profile", "rasl-create"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("<INPUT>"));
    cmd()
        .args([
            "import",
            "--profile",
            "rasl-create",
            "--format",
            "xml",
            "a.csv",
        ])
        .assert()
        .code(2);
}

#[test]
fn unknown_profile_exits_2_listing_the_profiles() {
    for sub in ["respond", "import"] {
        cmd()
            .args([sub, "--profile", "rasl-creat", "x.csv"])
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains("rasl-creat")
                    .and(predicate::str::contains("contact-book")),
            )
            .stdout(predicate::str::is_empty());
    }
}

#[test]
fn bad_config_exits_2() {
    let req = example("requests/rasl-create.json");
    fails(
        cmd().args([
            "respond",
            "--profile",
            "rasl-create",
            "--default-region",
            "XX",
            &req,
        ]),
        "unknown default region `XX`",
    );
    fails(
        cmd().args([
            "respond",
            "--profile",
            "rasl-create",
            "--threads",
            "0",
            &req,
        ]),
        "threads",
    );
    fails(
        cmd().args([
            "respond",
            "--profile",
            "rasl-create",
            "--max-batch",
            "0",
            &req,
        ]),
        "max_batch",
    );
    fails(
        cmd().args([
            "import",
            "--profile",
            "rasl-create",
            "--default-region",
            "ZZ",
            &example("contacts.csv"),
        ]),
        "unknown default region",
    );
}

#[test]
fn unreadable_files_exit_2() {
    let dir = TempDir::new().unwrap();
    let missing = dir.path().join("nope.json");
    let missing = missing.to_str().unwrap();
    fails(
        cmd().args(["respond", "--profile", "rasl-create", missing]),
        "cannot read REQUEST",
    );
    fails(
        cmd().args([
            "respond",
            "--profile",
            "rasl-create",
            dir.path().to_str().unwrap(),
        ]),
        "cannot read REQUEST",
    );
    fails(
        cmd().args([
            "respond",
            "--profile",
            "rasl-create",
            "--existing",
            missing,
            &example("requests/rasl-create.json"),
        ]),
        "cannot read --existing file",
    );
    let csv = dir.path().join("nope.csv");
    fails(
        cmd().args(["import", "--profile", "rasl-create", csv.to_str().unwrap()]),
        "cannot read INPUT",
    );
    fails(
        cmd().args([
            "import",
            "--profile",
            "rasl-create",
            "--existing",
            missing,
            &example("contacts.csv"),
        ]),
        "cannot read --existing file",
    );
}

#[test]
fn malformed_existing_exits_2() {
    let dir = TempDir::new().unwrap();
    for (i, bad) in [
        "{",
        r#"{"phones": {"4155552671": "ct_1"}}"#,
        r#"{"ids": "1"}"#,
        r#"{"unknown": 1}"#,
        "[]",
    ]
    .iter()
    .enumerate()
    {
        let existing = write(&dir, &format!("e{i}.json"), bad);
        fails(
            cmd().args([
                "respond",
                "--profile",
                "rasl-create",
                "--existing",
                &existing,
                &example("requests/rasl-create.json"),
            ]),
            "malformed existing data",
        );
        fails(
            cmd().args([
                "import",
                "--profile",
                "rasl-create",
                "--existing",
                &existing,
                &example("contacts.csv"),
            ]),
            "malformed existing data",
        );
    }
}

#[test]
fn import_with_rasl_delete_exits_2() {
    fails(
        cmd().args([
            "import",
            "--profile",
            "rasl-delete",
            &example("contacts.csv"),
        ]),
        "rasl-delete profile has no contact rows",
    );
}

#[test]
fn import_format_problems_exit_2() {
    let dir = TempDir::new().unwrap();
    let xlsx = write(&dir, "contacts.xlsx", "firstname,phone\n");
    fails(
        cmd().args(["import", "--profile", "rasl-create", &xlsx]),
        "cannot tell the format",
    );
    fails(
        cmd()
            .args(["import", "--profile", "rasl-create", "-"])
            .write_stdin("firstname,phone\n"),
        "needs --format",
    );
    let obj = write(&dir, "request.json", r#"{"contacts": []}"#);
    fails(
        cmd().args(["import", "--profile", "rasl-create", &obj]),
        "a JSON array of contact objects",
    );
    let dup = write(&dir, "dup.csv", "phone,firstname,phone\n1,2,3\n");
    fails(
        cmd().args(["import", "--profile", "rasl-create", &dup]),
        "names the column `phone` twice",
    );
}

#[test]
fn unwritable_out_exits_2_and_bad_input_keeps_old_out() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("no/such/dir/out.ndjson");
    fails(
        cmd().args([
            "import",
            "--profile",
            "rasl-create",
            &example("contacts.csv"),
            "--out",
            out.to_str().unwrap(),
        ]),
        "cannot create --out file",
    );
    // An input that is wrong from the start does not clobber --out.
    let keep = write(&dir, "keep.ndjson", "previous results\n");
    let obj = write(&dir, "request.json", r#"{"contacts": []}"#);
    cmd()
        .args(["import", "--profile", "rasl-create", &obj, "--out", &keep])
        .assert()
        .code(2);
    assert_eq!(
        std::fs::read_to_string(&keep).unwrap(),
        "previous results\n"
    );
    // Nor does --out naming INPUT itself.
    let csv = write(&dir, "in.csv", CSV);
    fails(
        cmd().args(["import", "--profile", "rasl-create", &csv, "--out", &csv]),
        "is INPUT itself",
    );
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), CSV);
}

// ------------------------------------------------------------------- help

#[test]
fn help_is_written_for_newcomers() {
    let top = cmd().arg("--help").assert().success().get_output().clone();
    let top = String::from_utf8(top.stdout).unwrap();
    for needle in [
        "rasl-create",
        "rasl-delete",
        "rasl-update",
        "record-list",
        "contact-book",
        "EXISTING FILE",
        "\"phones\"",
        "EXIT CODES",
        "EXAMPLES",
    ] {
        assert!(top.contains(needle), "top --help lacks {needle}");
    }
    for sub in ["respond", "import"] {
        let h = cmd()
            .args([sub, "--help"])
            .assert()
            .success()
            .get_output()
            .clone();
        let h = String::from_utf8(h.stdout).unwrap();
        for needle in [
            "rasl-create",
            "contact-book",
            "--existing",
            "--default-region",
            "--threads",
            "EXIT CODES",
            "EXAMPLES",
        ] {
            assert!(h.contains(needle), "{sub} --help lacks {needle}");
        }
    }
    let h = cmd()
        .args(["import", "--help"])
        .assert()
        .success()
        .get_output()
        .clone();
    let h = String::from_utf8(h.stdout).unwrap();
    for needle in ["ndjson", "region", "\"duplicate_of\"", "summary", "--out"] {
        assert!(h.contains(needle), "import --help lacks {needle}");
    }
    // --version names the phone metadata release (SPEC §5.7).
    let v = cmd()
        .arg("--version")
        .assert()
        .success()
        .get_output()
        .clone();
    let v = String::from_utf8(v.stdout).unwrap();
    assert_eq!(
        v.trim(),
        format!(
            "contact-batch {} (libphonenumber metadata {})",
            env!("CARGO_PKG_VERSION"),
            contact_batch::PHONE_METADATA_VERSION
        )
    );
}

// ----------------------------------------------------------------- import

#[test]
fn import_bundled_example() {
    let r = import_ok(&[
        "--profile",
        "rasl-create",
        "--existing",
        &example("existing.json"),
        &example("contacts.csv"),
    ]);
    assert_eq!(
        r.summary,
        json!({"total": 22, "new": 13, "existing": 3, "duplicate": 3, "invalid": 3})
    );
    let l = &r.lines;
    assert_eq!(l[0]["status"], "existing");
    assert_eq!(l[0]["phone"], "+14155552671");
    assert_eq!(l[1]["contact"]["company"], "Smith, Jones & Co");
    assert_eq!(l[1]["phone"], "+442071838750");
    assert_eq!(l[9]["status"], "duplicate");
    assert_eq!(l[9]["duplicate_of"], 2);
    assert_eq!(l[12]["status"], "invalid");
    assert!(l[12]["errors"]["email"].is_array());
    assert!(l[12].get("phone").is_none());
    assert_eq!(l[15]["errors"]["firstname"].as_array().unwrap().len(), 1);
    assert_eq!(l[20]["duplicate_of"], 6, "00 34 ... dialled from GB");
    assert_eq!(l[21]["contact"]["company"], "Rossi, Bianchi e Figli");
}

const CSV: &str = "firstname,lastname,phone,email,region
Ann,Lee,+1 415 555 2671,ann@example.com,
Bob,Ray,020 7183 8750,bob@example.co.uk,GB
Cat,Day,+44 20 7183 8750,,
Dan,Eve,12345,dan@example.com,US
";

#[test]
fn import_formats_agree() {
    let dir = TempDir::new().unwrap();
    let csv = write(&dir, "c.csv", CSV);
    let ndjson = write(
        &dir,
        "c.ndjson",
        r#"{"firstname": "Ann", "lastname": "Lee", "phone": "+1 415 555 2671", "email": "ann@example.com"}

{"firstname": "Bob", "lastname": "Ray", "phone": "020 7183 8750", "email": "bob@example.co.uk", "region": "GB"}
{"firstname": "Cat", "lastname": "Day", "phone": "+44 20 7183 8750", "region": null}
{"firstname": "Dan", "lastname": "Eve", "phone": "12345", "email": "dan@example.com", "region": "US"}
"#,
    );
    let json = write(
        &dir,
        "c.json",
        r#"[
  {"firstname": "Ann", "lastname": "Lee", "phone": "+1 415 555 2671", "email": "ann@example.com"},
  {"firstname": "Bob", "lastname": "Ray", "phone": "020 7183 8750", "email": "bob@example.co.uk", "region": "GB"},
  {"firstname": "Cat", "lastname": "Day", "phone": "+44 20 7183 8750"},
  {"firstname": "Dan", "lastname": "Eve", "phone": "12345", "email": "dan@example.com", "region": "US"}
]"#,
    );
    let jsonl = write(&dir, "c.jsonl", std::fs::read(&ndjson).unwrap());
    let upper = write(&dir, "C.CSV", CSV);
    let reference = import_ok(&["--profile", "rasl-create", &csv]);
    assert_eq!(
        statuses(&reference.lines),
        ["new", "new", "duplicate", "invalid"]
    );
    assert_eq!(reference.lines[2]["duplicate_of"], 2);
    for path in [&ndjson, &json, &jsonl, &upper] {
        let r = import_ok(&["--profile", "rasl-create", path]);
        assert_eq!(r.stdout, reference.stdout, "{path}");
    }
    // --format wins over the extension, and reads stdin.
    let txt = write(&dir, "c.txt", CSV);
    let r = import_ok(&["--profile", "rasl-create", "--format", "csv", &txt]);
    assert_eq!(r.stdout, reference.stdout);
    let r = cmd()
        .args([
            "import",
            "--profile",
            "rasl-create",
            "--format",
            "json",
            "-",
        ])
        .write_stdin(std::fs::read(&json).unwrap())
        .assert()
        .success()
        .get_output()
        .clone();
    assert_eq!(String::from_utf8(r.stdout).unwrap(), reference.stdout);
}

#[test]
fn import_existing_and_out_file() {
    let dir = TempDir::new().unwrap();
    let csv = write(&dir, "c.csv", CSV);
    let existing = write(&dir, "e.json", r#"{"phones": {"+442071838750": 99}}"#);
    let out = dir.path().join("out.ndjson");
    cmd()
        .args([
            "import",
            "--profile",
            "rasl-create",
            "--existing",
            &existing,
            &csv,
        ])
        .args(["--out", out.to_str().unwrap(), "--summary", "json"])
        .assert()
        .success()
        .stdout(predicate::str::is_empty())
        .stderr(
            "{\"total\":4,\"new\":1,\"existing\":1,\"duplicate\":1,\"invalid\":1,\
             \"encoding\":\"UTF-8\",\"delimiter\":\",\"}\n",
        );
    let written = std::fs::read_to_string(&out).unwrap();
    let statuses: Vec<String> = written
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["status"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(statuses, ["new", "existing", "duplicate", "invalid"]);
}

#[test]
fn region_column_overrides_default_region() {
    let dir = TempDir::new().unwrap();
    let csv = write(
        &dir,
        "r.csv",
        "firstname,phone,region\nA,(415) 555-2671,\nB,020 7183 8750,gb\nC,020 7183 8751,XX\nD,0412 345 678,AU\n",
    );
    let r = import_ok(&["--profile", "rasl-create", "--default-region", "US", &csv]);
    assert_eq!(statuses(&r.lines), ["new", "new", "invalid", "new"]);
    assert_eq!(r.lines[0]["phone"], "+14155552671");
    assert_eq!(r.lines[1]["phone"], "+442071838750");
    assert!(r.lines[2]["errors"]["region"].is_array(), "{}", r.lines[2]);
    assert_eq!(r.lines[3]["phone"], "+61412345678");
    // Without any region a national number is invalid.
    let r = import_ok(&["--profile", "rasl-create", &csv]);
    assert_eq!(r.lines[0]["status"], "invalid");
}

#[test]
fn csv_quoting_edge_cases() {
    let dir = TempDir::new().unwrap();
    let csv = write(
        &dir,
        "q.csv",
        "firstname,company,description,phone\n\
         \"Ann\",\"Smith, Jones & Co\",\"says \"\"hi\"\"\",+14155552671\n\
         Bob,\"multi\nline, with comma\",\"\",+442071838750\n\
         Cat,O'Brien \"Ltd\",plain,+33142685300\n\
         \"Dan\"\"\",,,+61412345678\n",
    );
    let r = import_ok(&["--profile", "rasl-create", &csv]);
    // Row 2 is read whole (its line break is inside quotes); company is a
    // single-line field, so the line break becomes a space.
    assert_eq!(statuses(&r.lines), ["new", "new", "new", "new"]);
    let c = |i: usize| &r.lines[i]["contact"];
    assert_eq!(c(0)["company"], "Smith, Jones & Co");
    assert_eq!(c(0)["description"], "says \"hi\"");
    assert_eq!(c(1)["company"], "multi line, with comma");
    assert!(c(3).get("company").is_none(), "empty cell is absent");
    assert_eq!(c(2)["company"], "O'Brien \"Ltd\"");
    assert_eq!(c(3)["first_name"], "Dan\"");
}

#[test]
fn csv_empty_file_and_header_only() {
    let dir = TempDir::new().unwrap();
    for (name, content) in [
        ("empty.csv", ""),
        ("header.csv", "firstname,phone"),
        ("header-nl.csv", "firstname,phone\r\n\r\n"),
        ("bom-only.csv", "\u{feff}"),
        ("empty.ndjson", ""),
        ("blank.ndjson", "\n\n"),
        ("empty.json", ""),
        ("empty-array.json", " [ ] "),
    ] {
        let path = write(&dir, name, content);
        let r = import_ok(&["--profile", "rasl-create", &path]);
        assert!(r.stdout.is_empty(), "{name}");
        assert_eq!(
            r.summary,
            json!({"total": 0, "new": 0, "existing": 0, "duplicate": 0, "invalid": 0}),
            "{name}"
        );
    }
}

#[test]
fn csv_crlf_bom_and_truncated_last_line_read_the_same() {
    let dir = TempDir::new().unwrap();
    let lf = write(&dir, "lf.csv", CSV);
    let crlf = write(&dir, "crlf.csv", CSV.replace('\n', "\r\n"));
    let bom = write(&dir, "bom.csv", format!("\u{feff}{CSV}"));
    let truncated = write(&dir, "trunc.csv", CSV.trim_end_matches('\n'));
    let both = write(
        &dir,
        "both.csv",
        format!("\u{feff}{}", CSV.replace('\n', "\r\n").trim_end()),
    );
    let reference = import_ok(&["--profile", "rasl-create", &lf]);
    assert_eq!(reference.lines.len(), 4);
    for path in [&crlf, &bom, &truncated, &both] {
        let r = import_ok(&["--profile", "rasl-create", path]);
        assert_eq!(r.stdout, reference.stdout, "{path}");
    }
}

#[test]
fn csv_unbalanced_quote_costs_one_row() {
    let dir = TempDir::new().unwrap();
    // Line 3 opens a quote that never closes.
    let csv = write(
        &dir,
        "u.csv",
        "firstname,phone\nAnn,+14155552671\n\"Bob,+442071838750\nCat,+33142685300\nDan,+61412345678\n",
    );
    let r = import_ok(&["--profile", "rasl-create", &csv]);
    assert_eq!(statuses(&r.lines), ["new", "invalid", "new", "new"]);
    let msg = r.lines[1]["errors"]["row"][0].as_str().unwrap();
    assert!(
        msg.contains("line 3") && msg.contains("unbalanced quote"),
        "{msg}"
    );
    // A quote that closes lines later, in another record, is caught too.
    let csv = write(
        &dir,
        "u2.csv",
        "firstname,phone\r\n\"Bob,+442071838750\r\nCat,+33142685300\r\n\"Dan\",+61412345678\r\n",
    );
    let r = import_ok(&["--profile", "rasl-create", &csv]);
    assert_eq!(statuses(&r.lines), ["invalid", "new", "new"]);
    assert_eq!(r.lines[2]["contact"]["first_name"], "Dan");
    // On the last line, without a newline.
    let csv = write(
        &dir,
        "u3.csv",
        "firstname,phone\nAnn,+14155552671\nBob,\"+4420",
    );
    let r = import_ok(&["--profile", "rasl-create", &csv]);
    assert_eq!(statuses(&r.lines), ["new", "invalid"]);
}

#[test]
fn malformed_rows_in_the_middle_do_not_stop_the_run() {
    let dir = TempDir::new().unwrap();
    let csv = write(
        &dir,
        "m.csv",
        b"firstname,phone\nAnn,+14155552671\nBob,+442071838750,extra\nCat\n\xff\xfe,+33142685300\nDan,+61412345678\n",
    );
    // Detected, the bytes that are not UTF-8 make the file Windows-1252
    // (`\xff\xfe` is `ÿþ`); named UTF-8, they make only their row invalid.
    let r = import_ok(&["--profile", "rasl-create", &csv]);
    assert_eq!(
        statuses(&r.lines),
        ["new", "invalid", "invalid", "new", "new"]
    );
    assert_eq!(r.lines[3]["contact"]["first_name"], "ÿþ");
    let r = import_ok(&["--profile", "rasl-create", "--encoding", "utf-8", &csv]);
    assert_eq!(
        statuses(&r.lines),
        ["new", "invalid", "invalid", "invalid", "new"]
    );
    assert!(r.lines[1]["errors"]["row"][0]
        .as_str()
        .unwrap()
        .contains("3 cells where the header has 2"));
    assert!(r.lines[3]["errors"]["row"][0]
        .as_str()
        .unwrap()
        .contains("UTF-8"));

    let ndjson = write(
        &dir,
        "m.ndjson",
        "{\"firstname\":\"Ann\",\"phone\":\"+14155552671\"}\n{\"firstname\": \n[1, 2]\n{\"firstname\":\"A\",\"firstname\":\"B\",\"phone\":\"+442071838750\"}\n{\"firstname\":\"X\",\"phone\":\"+33142685300\",\"region\":5}\n42\n{\"firstname\":\"Dan\",\"phone\":\"+61412345678\"}",
    );
    let r = import_ok(&["--profile", "rasl-create", &ndjson]);
    assert_eq!(
        statuses(&r.lines),
        ["new", "invalid", "invalid", "invalid", "invalid", "invalid", "new"]
    );
    assert!(r.lines[1]["errors"]["row"][0]
        .as_str()
        .unwrap()
        .starts_with("line 2: not valid JSON"));

    let json = write(
        &dir,
        "m.json",
        "[{\"firstname\":\"Ann\",\"phone\":\"+14155552671\"},\n {\"firstname\": oops},\n \"text\",\n {\"firstname\":\"Dan\",\"phone\":\"+61412345678\"}]",
    );
    let r = import_ok(&["--profile", "rasl-create", &json]);
    assert_eq!(statuses(&r.lines), ["new", "invalid", "invalid", "new"]);
}

#[test]
fn other_profiles_import() {
    let dir = TempDir::new().unwrap();
    let book = write(
        &dir,
        "b.csv",
        "phone,displayName,email,region\n7000782082,Asha Rao,asha@example.com,IN\n+91 70007 82082,Asha again,,\n+1 415 555 2671,Ann,,\n",
    );
    let r = import_ok(&[
        "--profile",
        "contact-book",
        "--existing",
        &example("existing.json"),
        &book,
    ]);
    assert_eq!(statuses(&r.lines), ["new", "duplicate", "existing"]);
    assert_eq!(r.lines[0]["phone"], "+917000782082");

    let list = write(
        &dir,
        "l.ndjson",
        "{\"first_name\":\"Joey\",\"last_name\":\"T\",\"phone_numbers\":[{\"phone_number\":\"+351929312319\",\"phone_type\":\"MOBILE\"}],\"timezone\":\"Europe/Lisbon\"}\n{\"first_name\":\"Jane\",\"last_name\":\"D\",\"phone_number\":\"929312319\",\"region\":\"PT\"}\n",
    );
    let r = import_ok(&["--profile", "record-list", &list]);
    assert_eq!(statuses(&r.lines), ["new", "duplicate"]);

    let update = write(
        &dir,
        "u.csv",
        "firstname,phone\nAnn,+14155552671\n,+442071838750\n",
    );
    let r = import_ok(&["--profile", "rasl-update", &update]);
    assert_eq!(r.lines[0]["status"], "new");
}

/// A deterministic mix of numbers, formats, repeats and junk.
fn generated_csv(rows: usize) -> String {
    let mut s = String::from("firstname,lastname,phone,email,region\n");
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let templates: [(&str, &str, &str, usize); 6] = [
        ("US", "+1", "415", 7),
        ("GB", "+44", "77", 8),
        ("FR", "+33", "6", 8),
        ("IN", "+91", "98", 8),
        ("DE", "+49", "151", 8),
        ("BR", "+55", "119", 8),
    ];
    let mut earlier: Vec<String> = Vec::new();
    for i in 0..rows {
        let r = next();
        let phone = if r % 10 == 0 && !earlier.is_empty() {
            // A repeat, written with spaces.
            let p = &earlier[(next() as usize) % earlier.len()];
            format!("{} {}", &p[..3], &p[3..])
        } else if r % 20 == 1 {
            "12345".to_owned()
        } else {
            let (_, cc, prefix, n) = templates[(next() as usize) % templates.len()];
            let mut p = format!("{cc}{prefix}");
            if cc == "+1" {
                p.push(char::from(b'2' + (next() % 8) as u8));
            }
            while p.len() < cc.len() + prefix.len() + n {
                p.push(char::from(b'0' + (next() % 10) as u8));
            }
            earlier.push(p.clone());
            p
        };
        let name = if r % 37 == 0 { "" } else { "Name" };
        let quote = if r % 11 == 0 { "\"Last, Jr\"" } else { "Last" };
        s.push_str(&format!("{name},{quote},{phone},u{i}@example.com,\n"));
    }
    s
}

#[test]
fn output_does_not_depend_on_threads() {
    let dir = TempDir::new().unwrap();
    let csv = write(&dir, "g.csv", generated_csv(5000));
    let one = import_ok(&["--profile", "rasl-create", "--threads", "1", &csv]);
    assert_eq!(one.lines.len(), 5000);
    let s = &one.summary;
    assert!(s["new"].as_u64().unwrap() > 3000, "{s}");
    assert!(s["duplicate"].as_u64().unwrap() > 100, "{s}");
    assert!(s["invalid"].as_u64().unwrap() > 100, "{s}");
    for threads in ["2", "3"] {
        let r = import_ok(&["--profile", "rasl-create", "--threads", threads, &csv]);
        assert_eq!(r.stdout, one.stdout, "--threads {threads}");
        assert_eq!(r.summary, one.summary);
    }
}

#[test]
fn chunk_boundaries_keep_dedupe_and_order() {
    // More rows than one chunk (CHUNK_ROWS, 2048): dedupe spans chunks.
    let mut csv = String::from("firstname,phone\n");
    for i in 0..9000 {
        csv.push_str(&format!("N{i},+1415555{:04}\n", 2000 + i % 5000));
    }
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "big.csv", csv);
    let r = import_ok(&["--profile", "rasl-create", "--threads", "2", &path]);
    assert_eq!(r.lines.len(), 9000);
    assert_eq!(r.summary["new"], 5000);
    assert_eq!(r.summary["duplicate"], 4000);
    assert_eq!(r.lines[8999]["duplicate_of"], 4000);
}

#[test]
fn data_after_a_json_array_is_an_error_after_the_rows() {
    let dir = TempDir::new().unwrap();
    let json = write(
        &dir,
        "t.json",
        r#"[{"firstname": "Ann", "phone": "+14155552671"}] {"firstname": "Bob"}"#,
    );
    for threads in ["1", "2"] {
        let out = cmd()
            .args([
                "import",
                "--profile",
                "rasl-create",
                "--threads",
                threads,
                "--summary",
                "json",
                &json,
            ])
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(stdout.lines().count(), 1, "{stdout}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 2, "{stderr}");
        // The error, then the summary line last (SPEC §5.1).
        assert!(
            lines[0].starts_with("contact-batch: error: ")
                && lines[0].contains("after the end of the JSON array")
        );
        assert_eq!(
            lines[1],
            r#"{"total":1,"new":1,"existing":0,"duplicate":0,"invalid":0,"encoding":"UTF-8"}"#
        );
    }
}

#[test]
fn respond_reads_no_more_than_one_byte_past_the_body_limit() {
    // Issue 16: 1 GB on stdin took 2.0 GB and 5.4 s before the 422. The
    // body is now read to one byte past the limit; a stream's size is then
    // unknown, a file's is its length.
    let limit = contact_batch::DEFAULT_MAX_BODY_BYTES;
    let big = vec![b' '; limit + 4096];
    let (status, body) = respond(&["--profile", "rasl-delete"], Some(&big));
    assert_eq!(status, 422);
    assert_eq!(
        body["error"]["message"],
        format!("The request body is more than {limit} bytes; at most {limit} bytes are accepted.")
    );
    let dir = TempDir::new().unwrap();
    let path = write(&dir, "big.json", &big);
    let (status, body) = respond(&["--profile", "record-list", &path], None);
    assert_eq!(status, 400);
    assert_eq!(
        body["message"],
        format!(
            "The request body is {} bytes; at most {limit} bytes are accepted.",
            limit + 4096
        )
    );
    // At the limit exactly: read whole, answered by the engine.
    let (status, body) = respond(&["--profile", "rasl-delete"], Some(&big[..limit]));
    assert_eq!(status, 422);
    assert_eq!(
        body["error"]["message"],
        "The request body is empty; a JSON object is expected."
    );
}

#[test]
fn threads_over_the_maximum_are_a_usage_error() {
    // Issue 16: --threads 3000 took 23.5 s to start.
    for sub in [
        &["respond", "--profile", "rasl-create"][..],
        &["import", "--profile", "rasl-create", "x.csv"],
    ] {
        fails(
            cmd()
                .args(sub)
                .args(["--threads", "3000"])
                .write_stdin("{}"),
            "invalid config: threads is 3000; at most 256 are allowed",
        );
    }
}
