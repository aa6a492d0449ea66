//! Bad files against `contact-batch import` (issues 32 and 33): endless
//! lines, byte order marks in odd places, text that cannot be decoded,
//! spreadsheet blank rows, and CSV outputs laid out as their input was.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_contact-batch"))
}

/// Runs `import ARGS`, killing it after a generous `guard`: a guard against
/// a hang only (the test fails instead of never ending), not a timing.
fn import_guarded(args: &[&str], stdin: Option<&[u8]>, guard: Duration) -> Output {
    let mut child = bin()
        .arg("import")
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let bytes = bytes.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        });
    }
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > guard {
            child.kill().unwrap();
            panic!("`import {args:?}` still running after {guard:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

fn import(args: &[&str], stdin: Option<&[u8]>) -> Output {
    import_guarded(args, stdin, Duration::from_secs(300))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn summary(out: &Output) -> Value {
    let err = stderr(out);
    serde_json::from_str(err.lines().last().expect("a summary line")).unwrap()
}

fn ndjson(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn endless_input_is_refused_at_the_record_limit() {
    // Issue 33.7: `/dev/zero` as CSV or NDJSON spun at 100% CPU forever.
    // As CSV, its first line is the header: refused at the 4 MiB limit.
    let out = import(
        &["--profile", "rasl-create", "--format", "csv", "/dev/zero"],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("INPUT `/dev/zero`: the CSV header (line 1) is too long"),
        "{}",
        stderr(&out)
    );
    // As NDJSON, the first row is invalid at the limit; the rest of its
    // line is skipped up to 64 MiB, then the run stops with an error.
    let out = import(
        &[
            "--profile",
            "rasl-create",
            "--format",
            "ndjson",
            "/dev/zero",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let rows = ndjson(&out);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["status"], "invalid");
    assert_eq!(
        rows[0]["errors"]["row"][0],
        "line 1: the row is longer than 4 MiB"
    );
    assert!(
        stderr(&out).contains("the row on line 1 goes on for more than 64 MiB"),
        "{}",
        stderr(&out)
    );
    // A bounded stream (`head -c 50M /dev/zero`): the same first answers;
    // 50 MB is within the skip budget, so the run ends normally.
    let zeros = vec![0u8; 50 << 20];
    let out = import(
        &["--profile", "rasl-create", "--format", "csv", "-"],
        Some(&zeros),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("(line 1) is too long"));
    let out = import(
        &[
            "--profile",
            "rasl-create",
            "--format",
            "ndjson",
            "--summary",
            "json",
            "-",
        ],
        Some(&zeros),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(summary(&out)["invalid"], 1);
}

#[test]
fn endless_blank_space_is_refused() {
    // `yes ''` as NDJSON, spaces forever in a JSON array: read forever
    // before (no row ever came). Here 70 MiB of it after one row: the row
    // is imported, then the run stops with exit 2 at 64 MiB of blank space.
    let mut ndjson_input = b"{\"firstname\":\"Ann\",\"phone\":\"+14155552671\"}\n".to_vec();
    ndjson_input.resize(ndjson_input.len() + (70 << 20), b'\n');
    let mut array_input = b"[{\"firstname\":\"Ann\",\"phone\":\"+14155552671\"},".to_vec();
    array_input.resize(array_input.len() + (70 << 20), b' ');
    for (format, input) in [("ndjson", ndjson_input), ("json", array_input)] {
        let out = import(
            &["--profile", "rasl-create", "--format", format, "-"],
            Some(&input),
        );
        assert_eq!(out.status.code(), Some(2), "{format}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("more than 64 MiB of blank space from line"),
            "{format}: {}",
            stderr(&out)
        );
        if format == "ndjson" {
            assert_eq!(ndjson(&out).len(), 1, "the row before the run is imported");
        }
    }
}

#[test]
fn a_wide_header_is_refused_with_its_column_count() {
    // Issue 33.2: a 690k-column header ran for ~10 minutes.
    let mut header: Vec<String> = (0..20_000).map(|i| format!("c{i}")).collect();
    header[0] = "firstname".into();
    header[1] = "phone".into();
    let input = format!("{}\n", header.join(","));
    let out = import(
        &["--profile", "rasl-create", "--format", "csv", "-"],
        Some(input.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has 20000 columns; at most 16384 are read"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_mark_after_blank_lines_is_no_part_of_the_header() {
    // Issues 32 and 33.4: the mark stayed in the first header name, and
    // `--output-format csv` wrote it into its header line.
    let input = b"\n\n\xEF\xBB\xBFfirstname,phone\nAda,+14155552671\n";
    let out = import(
        &[
            "--profile",
            "rasl-create",
            "--format",
            "csv",
            "--output-format",
            "csv",
            "--summary",
            "json",
            "-",
        ],
        Some(input),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(!text.contains('\u{feff}'), "{text:?}");
    assert!(
        text.starts_with("firstname,phone,status,duplicate_of,errors,phone_e164,"),
        "{text:?}"
    );
    assert_eq!(summary(&out)["new"], 1);
}

#[test]
fn undecodable_text_is_one_rule_and_rejects_keep_the_cells() {
    // Issue 33.6: a lone UTF-16 surrogate became U+FFFD and the row was
    // new; invalid UTF-8 was invalid with empty cells in the rejects.
    let dir = TempDir::new().unwrap();
    let le = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let utf16 = [
        &[0xFF, 0xFE][..],
        &le("firstname\tphone\r\nAda\t+14155552671\r\nB"),
        &[0x00, 0xD8], // a lone high surrogate
        &le("ob\t+14155552672\r\n"),
    ]
    .concat();
    let utf8 = b"firstname,phone\r\nAda,+14155552671\r\nB\xFFob,+14155552672\r\n".to_vec();
    // (Named UTF-8: detected, a byte that is not UTF-8 in the first 64 KiB
    // makes the file Windows-1252, where every byte is a character.)
    for (name, bytes, delimiter, encoding) in [
        ("utf16.txt", utf16, "\t", "auto"),
        ("utf8.csv", utf8, ",", "utf-8"),
    ] {
        let input = dir.path().join(name);
        std::fs::write(&input, bytes).unwrap();
        let rejects = dir.path().join(format!("{name}.rejects.csv"));
        let out = import(
            &[
                "--profile",
                "rasl-create",
                "--summary",
                "json",
                "--encoding",
                encoding,
                "--rejects",
                rejects.to_str().unwrap(),
                input.to_str().unwrap(),
            ],
            None,
        );
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let rows = ndjson(&out);
        assert_eq!(rows[0]["status"], "new", "{name}");
        assert_eq!(rows[1]["status"], "invalid", "{name}");
        let message = rows[1]["errors"]["row"][0].as_str().unwrap();
        assert!(
            message.starts_with("line 3: not valid UTF-8 text"),
            "{name}: {message}"
        );
        // The rejected row keeps its cells (the bad bytes as U+FFFD), so a
        // person can fix it and import the file again.
        let text = std::fs::read_to_string(&rejects).unwrap();
        let line = text.lines().nth(1).unwrap();
        assert!(
            line.starts_with(&format!("B\u{FFFD}ob{delimiter}+14155552672{delimiter}")),
            "{name}: {line}"
        );
        assert!(line.contains("line 3: not valid UTF-8 text"), "{line}");
    }
}

#[test]
fn blank_rows_are_no_rows() {
    // Issue 32: Excel's `;;;;` rows became invalid rows ("firstname is
    // required") and landed in the rejects file.
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("excel.csv");
    std::fs::write(
        &input,
        "\u{feff}firstname;phone;email;city\r\nAda;+14155552671;;\r\n;;;\r\n; ;;\r\nBob;;;\r\n;;;\r\n",
    )
    .unwrap();
    let rejects = dir.path().join("rejects.csv");
    let args = [
        "--profile",
        "rasl-create",
        "--rejects",
        rejects.to_str().unwrap(),
        input.to_str().unwrap(),
    ];
    let json = [&["--summary", "json"][..], &args].concat();
    let out = import(&json, None);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = ndjson(&out);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[1]["row"].as_u64(), &rows[1]["status"]),
        (Some(2), &"invalid".into())
    );
    let s = summary(&out);
    assert_eq!(
        (s["total"].as_u64(), s["blank"].as_u64()),
        (Some(2), Some(3))
    );
    let out = import(&args, None);
    assert!(
        stderr(&out).contains("blank rows skipped: 3 (every cell empty; not counted as rows)"),
        "{}",
        stderr(&out)
    );
    // The rejects hold Bob only, laid out as the input was (mark, CRLF).
    let text = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(
        text,
        "\u{feff}firstname;phone;email;city;errors\r\nBob;;;;phone: The phone field is required.\r\n"
    );
    // A plain UTF-8 file with `\n` gets a plain output.
    std::fs::write(&input, "firstname,phone\nBob,\n,\n").unwrap();
    let out = import(&args, None);
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(&rejects).unwrap(),
        "firstname,phone,errors\nBob,,phone: The phone field is required.\n"
    );
}

#[test]
fn the_existing_file_is_bounded() {
    // Issue 33.3: no limit; read whole at ~400 bytes a phone.
    let dir = TempDir::new().unwrap();
    let existing = dir.path().join("existing.json");
    std::fs::write(
        &existing,
        r#"{"phones": {"+14155552671": "ct_1", "+14155552672": "ct_2"}, "ids": [1]}"#,
    )
    .unwrap();
    let input = b"firstname,phone\nAda,+14155552671\nBob,+14155552673\n";
    let args = |max: &'static str| {
        vec![
            "--profile".to_owned(),
            "rasl-create".into(),
            "--format".into(),
            "csv".into(),
            "--summary".into(),
            "json".into(),
            "--existing".into(),
            existing.to_str().unwrap().to_owned(),
            "--existing-max-keys".into(),
            max.into(),
            "-".into(),
        ]
    };
    let run = |max| {
        let args = args(max);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        import(&args, Some(input))
    };
    let out = run("3");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(summary(&out)["existing"], 1);
    let out = run("2");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    // (serde_json adds where in the file the limit was crossed.)
    assert!(
        err.contains(
            "more than 2 keys (phones, ids and external refs together): the limit of existing keys"
        ) && err.contains("(raise it with --existing-max-keys, now 2)"),
        "{err}"
    );
}
