//! The rasl-delete profile's one-call `respond` on arbitrary request bytes,
//! against a fixed set of existing keys: sequential and parallel engines
//! agree, every row is accounted for once, the summary and the body's own
//! counts add up, every E.164 output normalizes to itself, and the rendered
//! body is valid JSON.
#![no_main]

use contact_batch::Profile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    fuzz_checks::respond_and_check(Profile::RaslDelete, body, fuzz_checks::fixed_existing());
});
