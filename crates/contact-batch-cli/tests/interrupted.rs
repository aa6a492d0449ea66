//! Runs that stop early (issue 33, items 5 and 8): a closed standard
//! output (`import ... | head -1`) and SIGINT/SIGTERM.
//!
//! The rule (src/staged.rs, `import --help`): once a run has started, each
//! of `--out` and `--rejects` is afterwards this run's complete output or
//! absent; the partial files are removed, and so is the file an earlier
//! run left at that name, and stderr says so. A closed pipe exits 2 with a
//! message, and the summary line still comes last. Before: exit 0, no
//! message, no summary, and the earlier run's rejects file left in place.

#![cfg(unix)]

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;
use tempfile::TempDir;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_contact-batch"))
}

/// `rows` CSV rows (no header): every third invalid, every fifth a
/// duplicate of an earlier phone.
fn rows(from: usize, rows: usize) -> String {
    let mut s = String::new();
    for i in from..from + rows {
        let phone = if i % 5 == 4 { i - 1 } else { i };
        if i % 3 == 0 {
            s.push_str(&format!(",+1415{:07}\n", phone % 10_000_000));
        } else {
            s.push_str(&format!("Ann{i},+1415{:07}\n", phone % 10_000_000));
        }
    }
    s
}

const HEADER: &str = "firstname,phone\n";

/// Names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_closed_stdout_exits_2_says_so_and_leaves_no_earlier_rejects_looking_current() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in.csv");
    // Far more output than a pipe holds (64 KiB): the writer meets the
    // closed pipe whatever the timing.
    std::fs::write(&input, format!("{HEADER}{}", rows(0, 60_000))).unwrap();
    let rejects = dir.path().join("rejects.csv");
    for threads in ["1", "2"] {
        std::fs::write(&rejects, "firstname,phone,errors\nfrom,an earlier,run\n").unwrap();
        let mut child = bin()
            .args(["import", "--profile", "rasl-create", "--threads", threads])
            .arg("--rejects")
            .arg(&rejects)
            .arg(&input)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // `| head -1`: one line read, then the pipe closed.
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{threads}: {stderr}");
        let first: Value = serde_json::from_str(&first).unwrap();
        assert_eq!(first["row"], 1);
        let lines: Vec<&str> = stderr.lines().collect();
        let error = lines[lines.len() - 2];
        assert!(
            error.starts_with(
                "contact-batch: error: standard output was closed by its reader (broken pipe)"
            ),
            "{stderr}"
        );
        assert!(
            error.contains(&format!(
                "removed --rejects file `{}`, left by an earlier run",
                rejects.display()
            )),
            "{stderr}"
        );
        // The summary, last: it counts what reached the pipe.
        let summary: Value = serde_json::from_str(lines[lines.len() - 1]).unwrap();
        let total = summary["total"].as_u64().unwrap();
        assert!((1..60_000).contains(&total), "{stderr}");
        // Nothing left that looks like this run's rejects, and no partial file.
        assert_eq!(names(dir.path()), ["in.csv"], "{threads}");
    }
}

#[test]
fn a_complete_run_replaces_the_earlier_files() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, format!("{HEADER}{}", rows(0, 30))).unwrap();
    let out = dir.path().join("out.ndjson");
    let rejects = dir.path().join("rejects.csv");
    std::fs::write(&out, "old\n").unwrap();
    std::fs::write(&rejects, "old\n").unwrap();
    let run = bin()
        .args(["import", "--profile", "rasl-create", "--summary", "json"])
        .arg("--out")
        .arg(&out)
        .arg("--rejects")
        .arg(&rejects)
        .arg(&input)
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 30);
    assert!(std::fs::read_to_string(&rejects)
        .unwrap()
        .starts_with("firstname,phone,errors\n"));
    assert_eq!(names(dir.path()), ["in.csv", "out.ndjson", "rejects.csv"]);
}

/// Starts an import reading CSV from a pipe this test holds open (so the
/// child is surely mid-run), with --out and --rejects over files of an
/// earlier run; waits until both partial files exist, sends `signal`, and
/// checks that the child died by it and left nothing behind.
fn signal_mid_run(signal: i32, threads: &str) {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out.ndjson");
    let rejects = dir.path().join("rejects.csv");
    std::fs::write(&out, "from an earlier run\n").unwrap();
    std::fs::write(&rejects, "from an earlier run\n").unwrap();
    let mut child = bin()
        .args(["import", "--profile", "rasl-create", "--format", "csv"])
        .args(["--threads", threads, "-"])
        .arg("--out")
        .arg(&out)
        .arg("--rejects")
        .arg(&rejects)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // A large file's worth of rows, more than one chunk (2048 rows): the
    // partial files have content when the signal comes.
    stdin
        .write_all(format!("{HEADER}{}", rows(0, 50_000)).as_bytes())
        .unwrap();
    stdin.flush().unwrap();
    let partial = |prefix: &str| {
        names(dir.path())
            .iter()
            .any(|n| n.starts_with(prefix) && n.ends_with(".partial"))
    };
    while !(partial(".out.ndjson.") && partial(".rejects.csv.")) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended early"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, signal) }, 0);
    let done = child.wait_with_output().unwrap();
    drop(stdin);
    let stderr = String::from_utf8(done.stderr).unwrap();
    assert_eq!(done.status.signal(), Some(signal), "{stderr}");
    for file in [&out, &rejects] {
        assert!(
            stderr.contains(&format!("`{}`, left by an earlier run", file.display())),
            "{stderr}"
        );
    }
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
}

#[test]
fn sigterm_removes_the_partial_files_and_the_earlier_outputs() {
    signal_mid_run(libc::SIGTERM, "1");
    signal_mid_run(libc::SIGTERM, "2");
}

#[test]
fn sigint_removes_the_partial_files_and_the_earlier_outputs() {
    signal_mid_run(libc::SIGINT, "2");
}
