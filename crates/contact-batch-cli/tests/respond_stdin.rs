//! `respond` on a huge standard input (issue 28): the body is read in
//! bounded steps and refused at 32 MiB + 1 byte, so a stream far over the
//! limit costs about the limit in memory. Before: the read grew one buffer
//! by doubling, and its last step asked for 64 MiB: 1 GB of stdin peaked
//! at 111 MB.
//!
//! The child's peak resident set is read from the kernel's own account of
//! that one child (`wait4`'s `ru_maxrss`), not timed.

#![cfg(target_os = "linux")]

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

/// The engine's default body limit (SPEC: 32 MiB).
const LIMIT: usize = contact_batch::DEFAULT_MAX_BODY_BYTES;

/// Runs `respond` with `bytes` bytes of spaces piped to its stdin (as a
/// stream: no size known), waits for it with `wait4`; its stdout and its
/// peak RSS in KiB.
// The child is reaped by `wait4` below, which std's `wait` cannot replace:
// only `wait4` reports that one child's rusage.
#[allow(clippy::zombie_processes)]
fn respond_piped(bytes: usize) -> (Vec<u8>, i64, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_contact-batch"))
        .args(["respond", "--profile", "rasl-create"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let block = vec![b' '; 1 << 20];
        let mut left = bytes;
        while left > 0 {
            let n = left.min(block.len());
            // The child stops reading at the limit and exits: a broken
            // pipe here is expected.
            if stdin.write_all(&block[..n]).is_err() {
                return;
            }
            left -= n;
        }
    });
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut out).unwrap();
        out
    });
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value to be overwritten.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; `status` and `usage` are valid for
    // writes. std's Child is not waited on afterwards.
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(got, pid);
    feeder.join().unwrap();
    let out = reader.join().unwrap();
    assert!(libc::WIFEXITED(status), "status {status}");
    (out, usage.ru_maxrss, libc::WEXITSTATUS(status))
}

#[test]
fn a_stream_far_over_the_limit_is_refused_in_bounded_memory() {
    // Twice the limit: the child never reads past limit + 1, so any more
    // would only wait for the pipe.
    let (out, max_rss_kib, code) = respond_piped(2 * LIMIT + 12345);
    assert_eq!(code, 0);
    let response: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(response["status"], 422);
    assert_eq!(
        response["body"]["error"]["message"],
        format!("The request body is more than {LIMIT} bytes; at most {LIMIT} bytes are accepted.")
    );
    // The limit plus one block (4 MiB), the program's own ~20 MB, and room;
    // the doubling read took 64 MiB for its buffer alone (111 MB for 1 GB).
    let bound_kib = (LIMIT / 1024) as i64 + 40 * 1024;
    eprintln!("peak RSS {max_rss_kib} KiB (bound {bound_kib} KiB)");
    assert!(
        max_rss_kib < bound_kib,
        "peak RSS {max_rss_kib} KiB, bound {bound_kib} KiB"
    );
}

#[test]
fn a_stream_at_the_limit_is_read_whole() {
    // Exactly the limit, in spaces: read whole, answered by the engine (an
    // empty body), so the bounded read keeps every byte up to the limit.
    let (out, _, code) = respond_piped(LIMIT);
    assert_eq!(code, 0);
    let response: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(response["status"], 422);
    assert_eq!(
        response["body"]["error"]["message"],
        "The request body is empty; a JSON object is expected."
    );
}
