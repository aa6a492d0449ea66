//! Parity with `contact-batch import`: 20,000 generated rows through
//! `contact-batch-cluster import --local` and through a Ballista cluster of
//! a contact-batch-scheduler and two contact-batch-executors on 127.0.0.1,
//! byte for byte; and an executor without the UDFs failing clearly.
//!
//! Needs the main command line (`contact-batch`): `CONTACT_BATCH_BIN`, or
//! the repository's `target/release` or `target/debug` build (ci.sh builds
//! it). Every process started here is killed when its guard drops, and
//! every wait is bounded.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const ROWS: usize = 20_000;
const RUN_TIMEOUT: Duration = Duration::from_secs(300);

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn contact_batch() -> PathBuf {
    if let Some(p) = std::env::var_os("CONTACT_BATCH_BIN") {
        return PathBuf::from(p);
    }
    for profile in ["release", "debug"] {
        let p = repo().join("target").join(profile).join("contact-batch");
        if p.exists() {
            return p;
        }
    }
    panic!("no contact-batch binary: run `cargo build -p contact-batch-cli` at the repository root or set CONTACT_BATCH_BIN");
}

fn bin(name: &str) -> PathBuf {
    match name {
        "contact-batch-cluster" => PathBuf::from(env!("CARGO_BIN_EXE_contact-batch-cluster")),
        "contact-batch-scheduler" => PathBuf::from(env!("CARGO_BIN_EXE_contact-batch-scheduler")),
        _ => PathBuf::from(env!("CARGO_BIN_EXE_contact-batch-executor")),
    }
}

/// Kills its process when dropped.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `cmd` to its end, killed past [`RUN_TIMEOUT`]; its output goes
/// through files (no pipe to fill up while we wait).
fn run(cmd: &mut Command) -> Output {
    let logs = tempfile::tempdir().unwrap();
    let (out, err) = (logs.path().join("stdout"), logs.path().join("stderr"));
    let child = cmd
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .expect("spawn");
    let mut guard = Guard(child);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = guard.0.try_wait().expect("wait") {
            break status;
        }
        assert!(
            started.elapsed() < RUN_TIMEOUT,
            "{cmd:?} ran past {RUN_TIMEOUT:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: std::fs::read(out).unwrap(),
        stderr: std::fs::read(err).unwrap(),
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn wait_for_port(port: u16, what: &str, child: &mut Child) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited early: {status}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{what} did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A scheduler and `executors` executors on 127.0.0.1, own ports; `env`
/// is set on the executors.
struct Cluster {
    url: String,
    _procs: Vec<Guard>,
}

fn cluster(dir: &Path, executors: usize, env: &[(&str, &str)]) -> Cluster {
    let port = free_port();
    let mut procs = Vec::new();
    let mut scheduler = Command::new(bin("contact-batch-scheduler"))
        .args(["--bind-host", "127.0.0.1", "--external-host", "127.0.0.1"])
        .args(["--bind-port", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("scheduler");
    wait_for_port(port, "the scheduler", &mut scheduler);
    procs.push(Guard(scheduler));
    for i in 0..executors {
        let (flight, grpc, health) = (free_port(), free_port(), free_port());
        let work = dir.join(format!("executor-{i}"));
        std::fs::create_dir_all(&work).unwrap();
        let mut executor = Command::new(bin("contact-batch-executor"))
            .args([
                "--scheduler-host",
                "127.0.0.1",
                "--scheduler-port",
                &port.to_string(),
            ])
            .args(["--bind-host", "127.0.0.1", "--external-host", "127.0.0.1"])
            .args(["--bind-port", &flight.to_string()])
            .args(["--bind-grpc-port", &grpc.to_string()])
            .args(["--bind-health-port", &health.to_string()])
            .args(["--vcores", "1", "--work-dir"])
            .arg(&work)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("executor");
        wait_for_port(flight, "an executor", &mut executor);
        procs.push(Guard(executor));
    }
    // Registration follows the executor's start by one heartbeat at most.
    std::thread::sleep(Duration::from_secs(2));
    Cluster {
        url: format!("df://127.0.0.1:{port}"),
        _procs: procs,
    }
}

/// The generated input, the reference output and an existing-keys file.
struct Fixture {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    input: PathBuf,
    halves: [PathBuf; 2],
    existing: PathBuf,
    reference: Vec<u8>,
    reference_with_existing: Vec<u8>,
}

fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let input = dir.join("contacts.csv");
    let out = Command::new("python3")
        .arg(repo().join("benches/gen_contacts.py"))
        .args([
            "--rows",
            &ROWS.to_string(),
            "--format",
            "csv",
            "--seed",
            "19",
        ])
        .output()
        .expect("python3");
    assert!(out.status.success());
    std::fs::write(&input, &out.stdout).unwrap();
    // The same rows as two files, the header in each.
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let halves = [dir.join("a.csv"), dir.join("b.csv")];
    for (path, part) in halves.iter().zip(rows.chunks(rows.len().div_ceil(2))) {
        std::fs::write(path, format!("{header}\n{}\n", part.join("\n"))).unwrap();
    }
    let reference = import_reference(&input, None, &dir);
    // Existing keys: every 7th new row's phone.
    let phones: Vec<String> = String::from_utf8(reference.clone())
        .unwrap()
        .lines()
        .filter(|l| l.contains("\"status\":\"new\""))
        .step_by(7)
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["phone"].as_str().unwrap().to_owned()
        })
        .collect();
    assert!(phones.len() > 100);
    let existing = dir.join("existing.json");
    let map: serde_json::Map<String, serde_json::Value> =
        phones.iter().map(|p| (p.clone(), "x".into())).collect();
    std::fs::write(&existing, serde_json::json!({ "phones": map }).to_string()).unwrap();
    let reference_with_existing = import_reference(&input, Some(&existing), &dir);
    assert_ne!(reference, reference_with_existing);
    Fixture {
        _dir: tmp,
        dir,
        input,
        halves,
        existing,
        reference,
        reference_with_existing,
    }
}

fn import_reference(input: &Path, existing: Option<&Path>, dir: &Path) -> Vec<u8> {
    let out = dir.join("reference.ndjson");
    let mut cmd = Command::new(contact_batch());
    cmd.args([
        "import",
        "--profile",
        "rasl-create",
        "--summary",
        "json",
        "--out",
    ])
    .arg(&out)
    .arg(input);
    if let Some(e) = existing {
        cmd.arg("--existing").arg(e);
    }
    let o = run(&mut cmd);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read(out).unwrap()
}

fn cluster_import(
    target: &[&str],
    inputs: &[&Path],
    existing: Option<&Path>,
    dir: &Path,
) -> (Output, Vec<u8>) {
    let out = dir.join("cluster.ndjson");
    let _ = std::fs::remove_file(&out);
    let mut cmd = Command::new(bin("contact-batch-cluster"));
    cmd.arg("import")
        .args(target)
        .args(["--profile", "rasl-create", "--out"])
        .arg(&out)
        .args(inputs)
        // Several staged files, so the scan has several partitions.
        .env("CONTACT_BATCH_STAGE_ROWS", "3000");
    if let Some(e) = existing {
        cmd.arg("--existing").arg(e);
    }
    let o = run(&mut cmd);
    let bytes = std::fs::read(&out).unwrap_or_default();
    (o, bytes)
}

/// The first differing line, for a readable failure.
fn assert_same(got: &[u8], want: &[u8], what: &str) {
    if got == want {
        return;
    }
    let (g, w) = (String::from_utf8_lossy(got), String::from_utf8_lossy(want));
    let at = g.lines().zip(w.lines()).position(|(a, b)| a != b);
    match at {
        Some(i) => panic!(
            "{what}: line {} differs\n got: {}\nwant: {}",
            i + 1,
            g.lines().nth(i).unwrap(),
            w.lines().nth(i).unwrap()
        ),
        None => panic!(
            "{what}: {} lines, want {}",
            g.lines().count(),
            w.lines().count()
        ),
    }
}

#[test]
fn local_and_two_executor_cluster_match_contact_batch_import() {
    let f = fixture();
    assert_eq!(f.reference.iter().filter(|&&b| b == b'\n').count(), ROWS);
    // Every status occurs, so each branch of the dedupe is compared.
    for status in ["new", "duplicate", "invalid"] {
        let needle = format!("\"status\":\"{status}\"");
        assert!(String::from_utf8_lossy(&f.reference).contains(&needle));
    }

    let (o, got) = cluster_import(&["--local"], &[&f.input], None, &f.dir);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_same(&got, &f.reference, "--local");
    let summary: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&o.stderr).trim()).unwrap();
    assert_eq!(summary["total"], ROWS);

    let halves: Vec<&Path> = f.halves.iter().map(PathBuf::as_path).collect();
    let (o, got) = cluster_import(&["--local"], &halves, Some(&f.existing), &f.dir);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_same(
        &got,
        &f.reference_with_existing,
        "--local, two inputs, --existing",
    );

    let c = cluster(&f.dir, 2, &[]);
    let (o, got) = cluster_import(&["--scheduler", &c.url], &[&f.input], None, &f.dir);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_same(&got, &f.reference, "2 executors");
    let (o, got) = cluster_import(&["--scheduler", &c.url], &halves, Some(&f.existing), &f.dir);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_same(
        &got,
        &f.reference_with_existing,
        "2 executors, two inputs, --existing",
    );
}

/// A memory budget (below the rows' size in Arrow) gives byte-identical
/// output; a budget too small for one batch fails with advice; a size that
/// is not one is refused.
#[test]
fn local_with_a_memory_limit_matches() {
    let f = fixture();
    let (o, got) = cluster_import(
        &["--local", "--memory-limit", "64MiB"],
        &[&f.input],
        Some(&f.existing),
        &f.dir,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_same(
        &got,
        &f.reference_with_existing,
        "--local --memory-limit 64MiB",
    );
    // Nothing is left beside --out (stage and spill files are removed).
    let left: Vec<_> = std::fs::read_dir(&f.dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "left beside --out: {left:?}");

    let (o, _) = cluster_import(
        &["--local", "--memory-limit", "64KiB"],
        &[&f.input],
        None,
        &f.dir,
    );
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("raise --memory-limit"), "{stderr}");

    let (o, _) = cluster_import(
        &["--local", "--memory-limit", "lots"],
        &[&f.input],
        None,
        &f.dir,
    );
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("invalid size `lots`"), "{stderr}");
}

#[test]
fn an_executor_without_the_udfs_fails_with_advice() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("c.csv");
    std::fs::write(&input, "firstname,phone\nAnn,+14155552671\n").unwrap();
    let c = cluster(
        tmp.path(),
        1,
        &[("CONTACT_BATCH_EXECUTOR_WITHOUT_UDFS", "1")],
    );
    let (o, _) = cluster_import(&["--scheduler", &c.url], &[&input], None, tmp.path());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("check_contact"), "{stderr}");
    assert!(
        stderr.contains("every executor contact-batch-executor"),
        "{stderr}"
    );
    assert!(!tmp.path().join("cluster.ndjson").exists());
}
