//! The files people actually have (issue 14): a CRM export in Windows-1252
//! with `;` and CRLF, the same as UTF-8 TSV and UTF-16 text, imported with
//! no flags; header names mapped; clear errors when nothing maps.

use std::process::{Command, Output};

use serde_json::{json, Value};
use tempfile::TempDir;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_contact-batch"))
}

fn example(name: &str) -> String {
    format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    bin().arg("import").args(args).output().unwrap()
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn the_crm_export_imports_with_no_flags_in_every_encoding() {
    // Before: 9 of 9 invalid (5 "not valid UTF-8", 4 "field is required").
    for (file, encoding, delimiter) in [
        ("crm-export.csv", "windows-1252", ";"),
        ("crm-export.tsv", "UTF-8", "\t"),
        ("crm-export-utf16.txt", "UTF-16LE", "\t"),
    ] {
        let out = run(&[
            "--profile",
            "rasl-create",
            "--summary",
            "json",
            &example(file),
        ]);
        assert!(out.status.success(), "{file}: {out:?}");
        let summary: Value = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(
            summary,
            json!({"total": 9, "new": 5, "existing": 0, "duplicate": 1, "invalid": 3,
                   "encoding": encoding, "delimiter": delimiter}),
            "{file}"
        );
        let rows = lines(&out);
        let statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
        assert_eq!(
            statuses,
            [
                "new",
                "new",
                "new",
                "new",
                "new",
                "duplicate",
                "invalid",
                "invalid",
                "invalid"
            ],
            "{file}"
        );
        // Decoded text, the country names read as regions.
        assert_eq!(rows[0]["contact"]["first_name"], "José", "{file}");
        assert_eq!(rows[1]["contact"]["last_name"], "Müller", "{file}");
        assert_eq!(rows[1]["phone"], "+4915123456789", "{file}");
        assert_eq!(rows[2]["phone"], "+442071838750", "{file}");
        assert_eq!(rows[5]["duplicate_of"], 3, "{file}");
        assert_eq!(
            rows[6]["errors"],
            json!({"firstname": ["The firstname field is required."]})
        );
        assert_eq!(
            rows[7]["errors"],
            json!({"phone": ["The phone field is required."]})
        );
    }
}

#[test]
fn the_human_report_says_what_was_found() {
    let out = run(&["--profile", "rasl-create", &example("crm-export.csv")]);
    assert!(out.status.success());
    let report = String::from_utf8(out.stderr).unwrap();
    assert!(
        report.contains("9 rows") && report.contains("5 new, 0 existing, 1 duplicate, 3 invalid"),
        "{report}"
    );
    assert!(
        report.contains("encoding: windows-1252 (detected)"),
        "{report}"
    );
    assert!(report.contains("delimiter: `;` (detected)"), "{report}");
    // The columns no field is read from are named (issue 28), once.
    assert_eq!(
        report
            .lines()
            .filter(|l| l.trim_start().starts_with("columns not used:"))
            .collect::<Vec<_>>(),
        ["  columns not used: `Notes`, `Created` (map one with --map COLUMN=FIELD)"],
        "{report}"
    );
    assert!(report.contains("rows/s"), "{report}");
    assert!(
        report.contains("1  firstname: The firstname field is required."),
        "{report}"
    );
}

#[test]
fn flags_override_detection() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("x.csv");
    // Pipes: neither `;` nor `,`; Latin-1 bytes named explicitly.
    // Header names no table knows (German words that are not the usual
    // ones), and one row: too few values to guess from.
    std::fs::write(&path, b"Rufname|Nummer|Gegend\nJ\xF6rg|030 1234567|DE\n").unwrap();
    let path = path.to_str().unwrap();
    let out = run(&["--profile", "rasl-create", path]);
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8(out.stderr).unwrap();
    assert!(
        e.contains("required fields firstname, phone")
            && e.contains("`Rufname`, `Nummer`, `Gegend`")
            && e.contains("--map"),
        "{e}"
    );
    let out = run(&[
        "--profile",
        "rasl-create",
        "--map",
        "Rufname=firstname,Nummer=phone",
        "--region-column",
        "Gegend",
        "--delimiter",
        "|",
        "--encoding",
        "latin1",
        "--summary",
        "json",
        path,
    ]);
    assert!(out.status.success(), "{out:?}");
    let rows = lines(&out);
    assert_eq!(rows[0]["status"], "new", "{rows:?}");
    assert_eq!(rows[0]["phone"], "+49301234567");
    assert_eq!(rows[0]["contact"]["first_name"], "Jörg");
    let summary: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(summary["delimiter"], "|");
    assert_eq!(summary["encoding"], "windows-1252");
}

#[test]
fn default_region_uk_points_to_gb() {
    let out = run(&[
        "--profile",
        "rasl-create",
        "--default-region",
        "UK",
        &example("crm-export.csv"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8(out.stderr).unwrap();
    assert!(e.contains("did you mean `--default-region GB`?"), "{e}");
    assert!(out.stdout.is_empty());
}

#[test]
fn rejects_round_trip_and_csv_output() {
    let dir = TempDir::new().unwrap();
    let rejects = dir.path().join("rejects.csv");
    let out = dir.path().join("out.csv");
    let run1 = run(&[
        "--profile",
        "rasl-create",
        "--summary",
        "json",
        "--output-format",
        "csv",
        "--out",
        out.to_str().unwrap(),
        "--rejects",
        rejects.to_str().unwrap(),
        &example("crm-export.csv"),
    ]);
    assert!(run1.status.success(), "{run1:?}");
    // The CSV output: the input's columns as they were, then the outcome;
    // laid out as the input was for Excel (issue 32): the input is
    // Windows-1252 with CRLF, so the output is UTF-8 with a byte order mark
    // (Excel then reads it as UTF-8) and CRLF.
    let out = std::fs::read_to_string(&out).unwrap();
    let out = out.strip_prefix('\u{feff}').expect("a byte order mark");
    assert!(out.ends_with("\r\n") && out.matches("\r\n").count() == out.lines().count());
    let mut out_lines = out.lines();
    assert_eq!(
        out_lines.next().unwrap(),
        "First Name;Last Name;Phone Number;E-mail;Company;Country;Notes;Created;\
         status;duplicate_of;errors;phone_e164;email_normalized"
    );
    assert_eq!(
        out_lines.next().unwrap(),
        "José;García;+34 612 345 678;jose@example.es;Acme S.L.;Spain;Café owner;2024-01-05;\
         new;;;+34612345678;jose@example.es"
    );
    assert_eq!(out_lines.count(), 8);
    // The rejects: the duplicate and the invalid rows, every column kept.
    let text = std::fs::read_to_string(&rejects).unwrap();
    assert!(text.starts_with('\u{feff}') && text.ends_with("\r\n"));
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines,
        [
            "First Name;Last Name;Phone Number;E-mail;Company;Country;Notes;Created;errors",
            "Olly;Smith;+44 20 7183 8750;;;United Kingdom;same person as Oliver?;2024-01-10;\
             duplicate: the phone of row 3",
            ";Nobody;+1 415 555 2672;;;US;first name missing;2024-01-11;\
             firstname: The firstname field is required.",
            "Björn;Ek;;bjorn@example.se;;Sweden;no phone;2024-01-12;\
             phone: The phone field is required.",
            "Kim;Park;12345;kim@example.kr;;KR;phone too short;2024-01-13;phone: The phone field \
             must be a valid phone number (the phone number is not a valid number for its country).",
        ]
    );
    // Fixed by hand, imported again: the fixed rows are new; the rest come
    // back as rejects, with one `errors` column.
    let fixed = text
        .replace(";Nobody;", "Noah;Nobody;")
        .replace("Björn;Ek;;", "Björn;Ek;+46 70 123 45 67;")
        .replace(";12345;", ";+82 10 1234 5678;");
    let fixed_path = dir.path().join("fixed.csv");
    std::fs::write(&fixed_path, fixed).unwrap();
    let rejects2 = dir.path().join("rejects2.csv");
    let run2 = run(&[
        "--profile",
        "rasl-create",
        "--summary",
        "json",
        "--rejects",
        rejects2.to_str().unwrap(),
        fixed_path.to_str().unwrap(),
    ]);
    assert!(run2.status.success(), "{run2:?}");
    let statuses: Vec<String> = lines_of(&run2);
    assert_eq!(statuses, ["new", "new", "new", "new"]);
    let again = std::fs::read_to_string(&rejects2).unwrap();
    // The fixed file is UTF-8 with the mark and CRLF: so are its rejects.
    assert_eq!(
        again,
        "\u{feff}First Name;Last Name;Phone Number;E-mail;Company;Country;Notes;Created;errors\r\n"
    );
}

fn lines_of(out: &Output) -> Vec<String> {
    lines(out)
        .iter()
        .map(|l| l["status"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_report_lists_no_unused_columns_when_every_column_is_read() {
    let out = run(&["--profile", "rasl-create", &example("contacts.csv")]);
    assert!(out.status.success());
    let report = String::from_utf8(out.stderr).unwrap();
    assert!(!report.contains("columns not used"), "{report}");
}

/// Many rows without a country for their phone: the report names the
/// fix, and the unused column whose name says it holds countries (issue 28).
#[test]
fn rows_without_a_country_get_a_hint_naming_the_fix() {
    let dir = std::env::temp_dir().join(format!("cb-country-hint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("contacts.csv");
    std::fs::write(
        &file,
        "firstname,phone,Land des Kontakts\nAnn,020 7183 8750,x\nBob,030 123456,y\nCy,+14155552671,z\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let report = |args: &[&str]| {
        let out = run(args);
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    let r = report(&["--profile", "rasl-create", file]);
    assert!(
        r.contains(
            "  hint: 2 rows have a phone without a country code; give --region-column \
             'Land des Kontakts' (its values are each row's country), or --default-region CC\n"
        ),
        "{r}"
    );
    // The hint comes before the summary line, which stays last.
    assert!(
        r.trim_end()
            .lines()
            .last()
            .unwrap()
            .starts_with("{\"total\":3"),
        "{r}"
    );
    // With a default region there is nothing to hint.
    let r = report(&["--profile", "rasl-create", "--default-region", "GB", file]);
    assert!(!r.contains("hint:"), "{r}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 28: where no header name says what a column holds, its values
/// may: a column of phone numbers under a name no table knows (`Durchwahl`)
/// is the phone, a column of country names or codes (`Herkunft`) the
/// region; the report names both, with how many values looked it.
#[test]
fn columns_are_read_by_their_values_when_their_names_do_not_say() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("kontakte.csv");
    let mut csv = String::from("Vorname,Durchwahl,Herkunft,Notiz\n");
    let rows = [
        ("Anna", "030 1234567", "Deutschland", "Kundin seit 2019"),
        ("Ben", "0151 23456789", "DE", "ruft abends an"),
        ("Chloé", "01 42 68 53 00", "France", "Paris"),
        ("Dan", "020 7183 8750", "United Kingdom", ""),
        ("Eva", "06 12345678", "NL", "neu"),
        ("Finn", "089 9876543", "Germany", "x"),
    ];
    for (name, phone, country, note) in rows {
        csv.push_str(&format!("{name},{phone},{country},{note}\n"));
    }
    std::fs::write(&path, &csv).unwrap();
    let out = run(&["--profile", "rasl-create", path.to_str().unwrap()]);
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(out.status.success(), "{stderr}");
    let statuses: Vec<String> = lines(&out)
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(statuses, ["new"; 6], "{stderr}");
    assert!(
        stderr.contains("`Durchwahl` as phone (6 of the first 6 values look like one)")
            && stderr.contains("`Herkunft` as region (6 of the first 6 values look like one)"),
        "{stderr}"
    );
    assert!(stderr.contains("columns not used: `Notiz`"), "{stderr}");
    // The rows read ahead to decide are every row still, in order.
    assert_eq!(lines(&out)[5]["row"], 6);

    // Two columns of phone numbers: which one is meant cannot be told, so
    // neither is taken and the run says which field is missing.
    let two = "Vorname,Privat,Arbeit\nAnna,030 1234567,030 7654321\nBen,030 1111111,030 2222222\n\
               Cem,030 3333333,030 4444444\nDia,030 5555555,030 6666666\nEd,030 7777777,030 8888888\n";
    std::fs::write(&path, two).unwrap();
    let out = run(&["--profile", "rasl-create", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("required field phone"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
