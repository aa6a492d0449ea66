//! `Engine::respond` (JSON in → JSON out) on a 1000-row request of each
//! profile, with one thread, with all threads sharing one phone util (the
//! default), and with all threads each with its own
//! (`Config::phone_util_per_thread`). rasl-update is a PATCH of one contact
//! (its API takes one), timed per request.

use std::hint::black_box;
use std::time::Duration;

use contact_batch::{Config, Engine, Existing, Profile};
use contact_batch_benches::{request, scaled};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn respond(c: &mut Criterion) {
    let rows = scaled(1000, 100);
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut g = c.benchmark_group("respond");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for profile in Profile::ALL {
        let (body, existing) = request(profile, rows, 11);
        let existing =
            Existing::from_json(&serde_json::to_vec(&existing).expect("json")).expect("existing");
        let n = if profile == Profile::RaslUpdate {
            1
        } else {
            rows
        };
        g.throughput(Throughput::Elements(n as u64));
        for (label, threads, phone_util_per_thread) in [
            ("1-thread", Some(1), false),
            ("all-threads", None, false),
            ("all-threads-util-per-thread", None, true),
        ] {
            let engine = Engine::new({
                let mut c = Config::new(profile);
                c.threads = threads;
                c.phone_util_per_thread = phone_util_per_thread;
                // record-list's documented limit is 100; the bench wants 1000.
                c.max_batch = Some(rows.max(1));
                c
            })
            .expect("engine");
            let first = engine.respond(&body, &existing);
            assert!(first.response.status < 300, "{profile}: refused");
            if label == "all-threads" {
                eprintln!(
                    "respond/{profile}: {} rows, {} request bytes, {} response bytes, status {}, {all} threads",
                    n,
                    body.len(),
                    first.response.body.len(),
                    first.response.status
                );
            }
            g.bench_with_input(BenchmarkId::new(profile.name(), label), &body, |b, body| {
                b.iter(|| {
                    let out = engine.respond(black_box(body), &existing);
                    out.response.body.len()
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, respond);
criterion_main!(benches);
