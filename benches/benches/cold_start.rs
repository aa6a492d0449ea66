//! Cold start: `Engine::new` plus the first 1000-row rasl-create batch,
//! and each part alone. Inside one process the phone library's lazily
//! compiled regexes may stay warm between iterations if they are global;
//! `benches/baseline/run.sh` also times a whole `contact-batch respond`
//! process for the truly cold figure.

use std::hint::black_box;
use std::time::Duration;

use contact_batch::{Config, Engine, Existing, Profile};
use contact_batch_benches::{request, scaled};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn cold_start(c: &mut Criterion) {
    let (body, _) = request(Profile::RaslCreate, scaled(1000, 100), 21);
    let existing = Existing::new();
    let mut g = c.benchmark_group("cold_start");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for (label, threads) in [("1-thread", Some(1)), ("all-threads", None)] {
        let config = {
            let mut c = Config::new(Profile::RaslCreate);
            c.threads = threads;
            c
        };
        g.bench_function(BenchmarkId::new("engine_new", label), |b| {
            b.iter(|| Engine::new(black_box(config.clone())).expect("engine"))
        });
        g.bench_function(
            BenchmarkId::new("engine_new+first_1000_rasl_create", label),
            |b| {
                b.iter(|| {
                    let engine = Engine::new(config.clone()).expect("engine");
                    let out = engine.respond(black_box(&body), &existing);
                    out.response.body.len()
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, cold_start);
criterion_main!(benches);
