//! Email validation per address (`contact_batch::validate_email`).

use std::hint::black_box;
use std::time::Duration;

use contact_batch::validate_email;
use contact_batch_benches::{emails, scaled};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn email(c: &mut Criterion) {
    let list = emails(scaled(2000, 200), 3);
    let valid = list.iter().filter(|e| validate_email(e).is_ok()).count();
    eprintln!("email: {} addresses, {valid} valid", list.len());
    let mut g = c.benchmark_group("email");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    g.throughput(Throughput::Elements(list.len() as u64));
    g.bench_function("validate_email", |b| {
        b.iter(|| {
            list.iter()
                .filter(|e| validate_email(black_box(e)).is_ok())
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, email);
criterion_main!(benches);
