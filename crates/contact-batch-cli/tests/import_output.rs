//! An import's output is whole or absent (issue 16, "partial output passed
//! off as whole"): `--out` is staged beside its final name and renamed at
//! the end, the summary counts the lines written, and a write error exits
//! non-zero.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_contact-batch"))
}

const CSV: &str = "firstname,phone\nAda,+14155552671\nBob,+14155552672\n";

/// Files in `dir` other than `keep`.
fn others(dir: &Path, keep: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect();
    names.sort();
    names
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_exits_2_and_the_summary_counts_what_was_written() {
    // Before: exit 0 would not happen here, but the summary said `total 2`
    // although nothing reached the output.
    let dir = TempDir::new().unwrap();
    let csv = dir.path().join("in.csv");
    std::fs::write(&csv, CSV).unwrap();
    let out = bin()
        .args(["import", "--profile", "rasl-create", "--summary", "json"])
        .arg(&csv)
        .args(["--out", "/dev/full"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    // The error, then the summary line last (SPEC §5.1).
    let mut lines = stderr.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .contains("cannot write --out file `/dev/full`"),
        "{stderr}"
    );
    let summary: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(summary["total"], 0, "{stderr}");
    assert!(lines.next().is_none(), "{stderr}");
}

#[test]
fn a_finished_run_leaves_only_its_output() {
    let dir = TempDir::new().unwrap();
    let csv = dir.path().join("in.csv");
    std::fs::write(&csv, CSV).unwrap();
    let status = bin()
        .args(["import", "--profile", "rasl-create", "--summary", "json"])
        .arg(&csv)
        .arg("--out")
        .arg(dir.path().join("out.ndjson"))
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(others(dir.path(), &["in.csv"]), ["out.ndjson"]);
    let written = std::fs::read_to_string(dir.path().join("out.ndjson")).unwrap();
    assert_eq!(written.lines().count(), 2);
}

#[test]
fn a_killed_run_leaves_the_old_output_as_it_was() {
    // Before: --out was truncated at the start and filled as rows came, so a
    // killed run left a file that looked complete.
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out.ndjson");
    std::fs::write(&out, "previous results\n").unwrap();
    let mut child = bin()
        .args([
            "import",
            "--profile",
            "rasl-create",
            "--format",
            "csv",
            "--threads",
            "1",
            "-",
        ])
        .arg("--out")
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"firstname,phone\n").unwrap();
    // Enough rows for a few chunks to be written, then the input stays open.
    for i in 0..10_000 {
        writeln!(stdin, "A{i},+1415555{:04}", i % 10_000).unwrap();
    }
    stdin.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let staged = loop {
        let staged = others(dir.path(), &["out.ndjson"]);
        let size = staged
            .first()
            .and_then(|n| std::fs::metadata(dir.path().join(n)).ok())
            .map_or(0, |m| m.len());
        if size > 0 {
            break staged;
        }
        assert!(Instant::now() < deadline, "nothing staged");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(staged.len(), 1);
    assert!(
        staged[0].starts_with(".out.ndjson.") && staged[0].ends_with(".partial"),
        "{staged:?}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous results\n");
}
