//! Phone normalization per number: the engine's `normalize_phone`,
//! `rlibphonenumber` called directly (parse → is_valid_number → format
//! E.164), and the `phonenumber` crate doing the same, side by side on the
//! same inputs.

use std::hint::black_box;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use contact_batch::{Config, Engine, Profile};
use contact_batch_benches::{mixed_phones, scaled, us_phones, PhoneCase};
use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use rlibphonenumber::{PhoneNumberFormat, PhoneNumberUtil, Region};

/// `rlibphonenumber` on its own: what a user of the crate would write.
fn rlib_once(util: &PhoneNumberUtil, raw: &str, region: Option<Region>) -> Option<String> {
    let n = util.parse(raw, region).ok()?;
    if !util.is_valid_number(&n) {
        return None;
    }
    Some(util.format(&n, PhoneNumberFormat::E164).into_owned())
}

/// The `phonenumber` crate (metadata 9.0.33) doing the same.
fn old_once(raw: &str, country: Option<phonenumber::country::Id>) -> Option<String> {
    let n = phonenumber::parse(country, raw).ok()?;
    if !phonenumber::is_valid(&n) {
        return None;
    }
    Some(n.format().mode(phonenumber::Mode::E164).to_string())
}

/// `old_limit`: the `phonenumber` crate is timed on the first this many
/// inputs only. On a set that cycles through many regions its regex cache
/// thrashes and each number costs milliseconds; the per-number figure stays
/// comparable, the bench run stays short.
fn bench_set(c: &mut Criterion, name: &str, cases: &[PhoneCase], old_limit: usize) {
    let engine =
        Engine::new(Config::builder(Profile::RaslCreate).threads(1).build()).expect("engine");
    let util = PhoneNumberUtil::new().expect("metadata");
    let rlib_cases: Vec<(&str, Option<Region>)> = cases
        .iter()
        .map(|c| {
            (
                c.raw.as_str(),
                c.region.map(|r| Region::from_code(r).unwrap()),
            )
        })
        .collect();
    // The old crate panics on some inputs: those are left out of its run
    // (and counted), so it is timed on what it can take.
    let old_cases: Vec<(&str, Option<phonenumber::country::Id>)> = cases
        [..old_limit.min(cases.len())]
        .iter()
        .map(|c| (c.raw.as_str(), c.region.map(|r| r.parse().unwrap())))
        .filter(|(raw, id)| catch_unwind(AssertUnwindSafe(|| old_once(raw, *id))).is_ok())
        .collect();

    // What each side says, for the report: valid counts and disagreements.
    let ours: Vec<Option<String>> = cases
        .iter()
        .map(|c| {
            engine
                .normalize_phone(&c.raw, c.region)
                .ok()
                .map(|v| v.e164)
        })
        .collect();
    let rlib: Vec<Option<String>> = rlib_cases
        .iter()
        .map(|(raw, r)| rlib_once(&util, raw, *r))
        .collect();
    let old_valid = old_cases
        .iter()
        .filter(|(raw, id)| old_once(raw, *id).is_some())
        .count();
    let ours_on_old = ours[..old_limit.min(cases.len())].iter().flatten().count();
    let differ = ours.iter().zip(&rlib).filter(|(a, b)| a != b).count();
    eprintln!(
        "phone/{name}: {} inputs; valid: ours {}, rlibphonenumber {}; ours vs rlibphonenumber \
         differ on {differ}; phonenumber crate timed on the first {} it does not panic on: \
         {old_valid} valid there (ours {ours_on_old})",
        cases.len(),
        ours.iter().flatten().count(),
        rlib.iter().flatten().count(),
        old_cases.len(),
    );

    let mut g = c.benchmark_group(format!("phone/{name}"));
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(cases.len() as u64));
    g.bench_function(BenchmarkId::from_parameter("engine.normalize_phone"), |b| {
        b.iter(|| {
            let mut valid = 0usize;
            for c in cases {
                valid += engine.normalize_phone(black_box(&c.raw), c.region).is_ok() as usize;
            }
            valid
        })
    });
    g.bench_function(BenchmarkId::from_parameter("rlibphonenumber"), |b| {
        b.iter(|| {
            let mut valid = 0usize;
            for (raw, region) in &rlib_cases {
                valid += rlib_once(&util, black_box(raw), *region).is_some() as usize;
            }
            valid
        })
    });
    g.throughput(Throughput::Elements(old_cases.len() as u64));
    if old_limit < cases.len() {
        g.sampling_mode(SamplingMode::Flat).sample_size(10);
    }
    g.bench_function(BenchmarkId::from_parameter("phonenumber-crate"), |b| {
        b.iter(|| {
            let mut valid = 0usize;
            for (raw, id) in &old_cases {
                valid += old_once(black_box(raw), *id).is_some() as usize;
            }
            valid
        })
    });
    g.finish();
}

fn phones(c: &mut Criterion) {
    let n = scaled(2000, 200);
    bench_set(c, "mixed-36-regions", &mixed_phones(n, 7), scaled(100, 20));
    bench_set(c, "one-country-US", &us_phones(n, 8), n);
}

criterion_group!(benches, phones);
criterion_main!(benches);
