//! `contact-batch-cluster import`: see the crate docs.

use std::process::ExitCode;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    contact_batch_ballista::cli::main()
}
