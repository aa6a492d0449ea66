//! SPEC §5.7: `contact-batch respond|import --phone-metadata FILE` loads a
//! phone metadata file made by the project's generator; a bad file is a
//! clear error. The file here is libphonenumber 9.0.42's
//! (`crates/contact-batch/tests/data/phone-9.0.42.cbpm`, written by
//! `scripts/update-phone-metadata.sh 9.0.42 --out FILE`), one release before
//! the built-in one: Georgia's mobile range 508 is valid in the built-in
//! release only.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_contact-batch"))
}

fn old_file() -> String {
    format!(
        "{}/../contact-batch/tests/data/phone-9.0.42.cbpm",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Valid in the built-in 9.0.43, not in 9.0.42.
const GEORGIA_NEW: &str = "+995508887752";

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A run that refuses its arguments may exit before reading stdin.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn body() -> String {
    format!(
        r#"{{"contacts":[{{"firstname":"Nino","lastname":"B","phone":"{GEORGIA_NEW}","type":"lead"}}]}}"#
    )
}

#[test]
fn respond_validates_with_the_file() {
    let built_in = run(&["respond", "--profile", "rasl-create"], &body());
    let old = run(
        &[
            "respond",
            "--profile",
            "rasl-create",
            "--phone-metadata",
            &old_file(),
        ],
        &body(),
    );
    assert_eq!(built_in.status.code(), Some(0));
    assert_eq!(
        old.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&old.stderr)
    );
    let (a, b) = (
        String::from_utf8(built_in.stdout).unwrap(),
        String::from_utf8(old.stdout).unwrap(),
    );
    assert!(
        a.contains(r#""status":201"#) || a.contains(r#""status":200"#),
        "{a}"
    );
    assert_ne!(a, b);
    assert!(b.contains("phone"), "{b}");
}

#[test]
fn import_validates_with_the_file() {
    let dir = TempDir::new().unwrap();
    let csv = dir.path().join("in.csv");
    std::fs::write(
        &csv,
        format!("firstname,lastname,phone\nNino,B,{GEORGIA_NEW}\n"),
    )
    .unwrap();
    let csv = csv.to_str().unwrap();
    let summary = |out: &Output| {
        let stderr = String::from_utf8(out.stderr.clone()).unwrap();
        stderr.lines().last().unwrap().to_owned()
    };
    let built_in = run(
        &[
            "import",
            "--profile",
            "rasl-create",
            "--summary",
            "json",
            csv,
        ],
        "",
    );
    let old = run(
        &[
            "import",
            "--profile",
            "rasl-create",
            "--summary",
            "json",
            "--phone-metadata",
            &old_file(),
            csv,
        ],
        "",
    );
    assert!(
        summary(&built_in).contains(r#""invalid":0"#),
        "{}",
        summary(&built_in)
    );
    assert!(
        summary(&old).contains(r#""invalid":1"#),
        "{}",
        summary(&old)
    );
    let line = String::from_utf8(old.stdout).unwrap();
    assert!(
        line.contains("not a valid number for its country"),
        "{line}"
    );
}

/// Exit 2 with one `contact-batch: error:` line containing each needle.
fn assert_error(out: &Output, needles: &[&str]) {
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    for needle in needles {
        assert!(stderr.contains(needle), "{needle:?} not in {stderr}");
    }
}

#[test]
fn a_bad_file_is_a_clear_error() {
    let dir = TempDir::new().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let good = std::fs::read(old_file()).unwrap();
    std::fs::write(path("truncated"), &good[..good.len() / 2]).unwrap();
    let mut damaged = good.clone();
    damaged[good.len() / 3] ^= 1;
    std::fs::write(path("damaged"), &damaged).unwrap();
    std::fs::write(path("text"), "phone metadata\n").unwrap();
    for (name, why) in [
        ("truncated", "truncated or extended"),
        ("damaged", "corrupted: its checksum"),
        ("text", "not a contact-batch phone metadata file"),
    ] {
        for command in ["respond", "import"] {
            let mut args = vec![command, "--profile", "rasl-create", "--phone-metadata"];
            let file = path(name);
            args.push(&file);
            if command == "import" {
                args.extend(["--format", "csv", "-"]);
            }
            let out = run(&args, "phone\n+14155552671\n");
            assert_error(&out, &["--phone-metadata", name, why]);
        }
    }
    let out = run(
        &[
            "respond",
            "--profile",
            "rasl-create",
            "--phone-metadata",
            &path("missing"),
        ],
        "{}",
    );
    assert_error(&out, &["cannot read --phone-metadata file", "missing"]);
}
