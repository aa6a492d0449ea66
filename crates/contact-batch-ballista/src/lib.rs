//! contact-batch on Apache DataFusion Ballista: the pieces of
//! `contact-batch-scheduler`, `contact-batch-executor` and
//! `contact-batch-cluster`.
//!
//! Ballista ships no code to its executors: a query that calls our UDFs is
//! planned on the client, serialized by the scheduler and run by executors,
//! and each of the three must have the UDFs compiled in. The client
//! registers them after connecting (Ballista's `upgrade_for_ballista`
//! replaces a session's scalar functions); the scheduler builds its
//! sessions with [`session_state`]; the executors get
//! [`function_registry`]. An executor without them fails the query with
//! `PhysicalExtensionCodec is not provided for scalar function
//! check_contact`, which [`import::explain`] turns into advice.
//!
//! `contact-batch-cluster import` ([`import`]) reads each INPUT with the
//! command line's own reader (so every row reaches the UDFs exactly as
//! `contact-batch import` reads it), stages the rows as Parquet with their
//! row number beside `--out`, runs [`contact_batch_datafusion::dedupe_sql`]
//! over them in-process (`--local`) or on a cluster (`--scheduler`), and
//! writes the lines in row order.

pub mod cli;
pub mod import;

use ballista_core::object_store::session_state_with_s3_support;
use ballista_core::registry::BallistaFunctionRegistry;
use contact_batch::Profile;
use contact_batch_datafusion::{register_all, udfs, Settings};
use datafusion::common::Result;
use datafusion::execution::SessionState;
use datafusion::prelude::SessionConfig;

/// The UDFs' defaults in a scheduler or executor: every query our
/// `import` sends passes its own settings as an argument.
fn default_settings() -> Settings {
    Settings::new(Profile::RaslCreate)
}

/// The scheduler's session builder: Ballista's S3-enabled session plus the
/// contact-batch UDFs.
pub fn session_state(config: SessionConfig) -> Result<SessionState> {
    let mut state = session_state_with_s3_support(config)?;
    register_all(&mut state, &default_settings())?;
    Ok(state)
}

/// The executor's function registry: Ballista's defaults plus the
/// contact-batch UDFs.
pub fn function_registry() -> BallistaFunctionRegistry {
    let mut registry = BallistaFunctionRegistry::default();
    for udf in udfs(&default_settings()) {
        registry.scalar_functions.insert(udf.name().to_owned(), udf);
    }
    registry
}

/// Logs as Ballista's own binaries do: to stderr, or with `--log-dir` to
/// the file `prefix` there (not rotated); `RUST_LOG` overrides `level`.
pub fn init_logging(level: &str, thread_info: bool, log_dir: Option<(&str, &str)>) {
    use tracing_subscriber::EnvFilter;
    let filter = std::env::var(EnvFilter::DEFAULT_ENV).unwrap_or_else(|_| level.to_owned());
    let builder = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_thread_names(thread_info)
        .with_thread_ids(thread_info)
        .with_env_filter(EnvFilter::new(filter));
    let _ = match log_dir {
        Some((dir, prefix)) => builder
            .with_writer(tracing_appender::rolling::never(dir, prefix))
            .try_init(),
        None => builder.with_writer(std::io::stderr).try_init(),
    };
}
