//! Peak RSS and time of the worst bodies within `max_body_bytes` (issue 16):
//! each case runs in a child process of its own (peak RSS is per process),
//! which builds the body, responds once and prints its figures.
//!
//! `cargo bench -p contact-batch-benches --bench hostile` (32 MiB bodies);
//! under `cargo test --benches` the bodies are 1 MiB. Target: peak RSS
//! <= 4x the body + 32 MB, time <= 0.5 s.

use std::process::Command;
use std::time::Instant;

use contact_batch::{Config, Engine, Existing, Profile, DEFAULT_MAX_BODY_BYTES};

const CASES: [&str; 7] = [
    "rasl-create: 16.7 M zeros in groups",
    "rasl-create: 11 M [] in firstname",
    "rasl-create: 3.76 M distinct keys in a row",
    "rasl-delete: 16.7 M ids",
    "record-list: 16.7 M records",
    "contact-book: 11 M {} contacts",
    "rasl-create: a root array of 16.7 M zeros",
];

fn key(mut i: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut k = String::new();
    loop {
        k.push(DIGITS[i % 62] as char);
        i /= 62;
        if i == 0 {
            return k;
        }
    }
}

/// `head`, then `unit(i)` joined by `,` while they fit in `size`, then `tail`.
fn fill(size: usize, head: &str, unit: impl Fn(usize) -> String, tail: &str) -> Vec<u8> {
    let mut b = Vec::with_capacity(size);
    b.extend_from_slice(head.as_bytes());
    for i in 0.. {
        let u = unit(i);
        if b.len() + 1 + u.len() + tail.len() > size {
            break;
        }
        if i > 0 {
            b.push(b',');
        }
        b.extend_from_slice(u.as_bytes());
    }
    b.extend_from_slice(tail.as_bytes());
    b
}

fn body(case: usize, size: usize) -> (Profile, Vec<u8>) {
    let zero = |_| "0".to_owned();
    match case {
        0 => (
            Profile::RaslCreate,
            fill(
                size,
                r#"{"contacts":[{"firstname":"A","phone":"+14155552671","groups":["#,
                zero,
                "]}]}",
            ),
        ),
        1 => (
            Profile::RaslCreate,
            fill(
                size,
                r#"{"contacts":[{"phone":"+14155552671","firstname":["#,
                |_| "[]".into(),
                "]}]}",
            ),
        ),
        2 => (
            Profile::RaslCreate,
            fill(
                size,
                r#"{"contacts":[{"phone":"+14155552671","#,
                |i| format!(r#""{}":0"#, key(i)),
                "}]}",
            ),
        ),
        3 => (Profile::RaslDelete, fill(size, r#"{"ids":["#, zero, "]}")),
        4 => (
            Profile::RecordList,
            fill(size, r#"{"records":["#, zero, "]}"),
        ),
        5 => (
            Profile::ContactBook,
            fill(size, r#"{"contacts":["#, |_| "{}".into(), "]}"),
        ),
        _ => (Profile::RaslCreate, fill(size, "[", zero, "]")),
    }
}

/// Peak resident set of this process, in kB (Linux).
fn vm_hwm_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn child(case: usize, size: usize) {
    let engine = Engine::new(
        Config::builder(body(case, 0).0)
            .default_region("US")
            .build(),
    )
    .expect("engine");
    let (_, body) = body(case, size);
    let start = Instant::now();
    let out = engine.respond(&body, &Existing::new());
    let took = start.elapsed();
    let peak_mb = vm_hwm_kb() as f64 / 1024.0;
    let body_mb = body.len() as f64 / (1 << 20) as f64;
    let target = 4.0 * body_mb + 32.0;
    let message: String = out.response.body.chars().take(110).collect();
    println!(
        "{:<44} body {body_mb:5.1} MiB  peak RSS {peak_mb:6.1} MiB (target {target:5.1})  {:6.3} s  {} {message}...",
        CASES[case],
        took.as_secs_f64(),
        out.response.status,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--child") {
        let case = args[pos + 1].parse().expect("case");
        let size = args[pos + 2].parse().expect("size");
        return child(case, size);
    }
    let size = match args.iter().any(|a| a == "--bench") {
        true => DEFAULT_MAX_BODY_BYTES,
        false => 1 << 20,
    };
    let me = std::env::current_exe().expect("this binary");
    for (case, name) in CASES.iter().enumerate() {
        let status = Command::new(&me)
            .args(["--child", &case.to_string(), &size.to_string()])
            .status()
            .expect("child");
        assert!(status.success(), "{name}");
    }
}
