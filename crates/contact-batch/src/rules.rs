//! The rules a profile checks a batch with: the engine's configuration, its
//! phone parser and default, and its thread pool.
//!
//! A leaf the profiles depend on instead of [`Engine`](crate::Engine): the
//! engine owns one [`Rules`] and adds the identity its prepared batches
//! carry; the profiles see only this.

use std::sync::Arc;

use crate::config::{Config, ConfigError, MAX_THREADS};
use crate::matching::{MatchConfig, Matcher};
use crate::par::Pool;
use crate::phone::{PhoneDefault, PhoneParser};

/// What every profile reads while it checks and renders a batch.
pub(crate) struct Rules {
    pub(crate) config: Config,
    pub(crate) phones: PhoneParser,
    pub(crate) phone_default: PhoneDefault,
    /// The possible duplicates' matcher, when the config turns them on.
    pub(crate) matcher: Option<Matcher>,
    pool: Option<Arc<Pool>>,
}

impl Rules {
    /// Validates `config`, starts its thread pool and loads the phone
    /// metadata.
    pub(crate) fn new(config: Config) -> Result<Rules, ConfigError> {
        config.validate()?;
        let threads = config.threads.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
                .min(MAX_THREADS)
        });
        let pool = start_pool(threads)?;
        let phones = match &config.phone_metadata {
            None => PhoneParser::new().map_err(ConfigError::PhoneMetadata)?,
            Some(file) => PhoneParser::from_file(file).map_err(ConfigError::PhoneMetadataFile)?,
        };
        let phone_default = match &config.default_region {
            None => PhoneDefault::None,
            Some(code) => PhoneDefault::Region(
                phones
                    .region(code)
                    .ok_or_else(|| ConfigError::UnknownRegion(code.clone()))?,
            ),
        };
        // Scored on the engine's pool (`Matcher::pairs_on`): the matcher
        // starts no threads of its own.
        let matcher = match &config.possible_duplicates {
            None => None,
            Some(matching) => Some(
                Matcher::new(MatchConfig {
                    threads: Some(1),
                    ..matching.clone()
                })
                .map_err(|e| ConfigError::Invalid(format!("possible_duplicates: {e}")))?,
            ),
        };
        Ok(Rules {
            config,
            phones,
            phone_default,
            matcher,
            pool,
        })
    }

    /// The worker threads, when there is more than one.
    pub(crate) fn pool(&self) -> Option<&Pool> {
        self.pool.as_deref()
    }
}

/// The engine's pool of `threads` workers; none for one thread.
#[cfg(feature = "parallel")]
fn start_pool(threads: usize) -> Result<Option<Arc<Pool>>, ConfigError> {
    if threads < 2 {
        return Ok(None);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("contact-batch-{i}"))
        .build()
        .map_err(|e| ConfigError::Threads(e.to_string()))?;
    Ok(Some(Arc::new(pool)))
}

/// Without the `parallel` feature there are no workers: every batch runs
/// on the calling thread, whatever `threads` says (checked all the same).
#[cfg(not(feature = "parallel"))]
fn start_pool(_threads: usize) -> Result<Option<Arc<Pool>>, ConfigError> {
    Ok(None)
}
