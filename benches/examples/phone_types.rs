//! Instruction counts of the phone type + region lookup, the precompiled
//! tables against `rlibphonenumber`'s own, on the same parsed numbers of the
//! mixed-country set (`mixed_phones`), for callgrind:
//!
//! ```sh
//! cargo build --release -p contact-batch-benches --example phone_types --features fuzzing
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measured_pass*' \
//!     --callgrind-out-file=cg.types target/release/examples/phone_types 10000
//! callgrind_annotate --inclusive=yes cg.types | grep -E 'classify|get_number_type|get_region_for_number|is_valid_number|measured_pass'
//! ```
//!
//! A first pass over the numbers warms both sides (the library compiles its
//! patterns lazily); the second, `measured_pass`, is the one collected.
//! Every number is also checked: the two answers must agree.

use contact_batch::{Config, Engine, Profile};
use contact_batch_benches::mixed_phones;

#[inline(never)]
fn measured_pass(engine: &Engine, cases: &[contact_batch_benches::PhoneCase]) -> usize {
    pass(engine, cases)
}

#[inline(never)]
fn pass(engine: &Engine, cases: &[contact_batch_benches::PhoneCase]) -> usize {
    let mut agreed = 0;
    for c in cases {
        engine
            .fuzz_compare_phone_types(std::hint::black_box(&c.raw), c.region)
            .expect("the tables and the library agree");
        agreed += 1;
    }
    agreed
}

fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let cases = mixed_phones(n, 1);
    let engine =
        Engine::new(Config::builder(Profile::ContactBook).threads(1).build()).expect("engine");
    pass(&engine, &cases);
    let agreed = measured_pass(&engine, &cases);
    println!("{agreed} numbers, tables and library agree");
}
