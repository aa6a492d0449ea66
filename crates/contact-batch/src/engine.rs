//! The engine: a configured profile, the phone metadata and a thread pool.

use std::fmt;
use std::sync::Arc;

use crate::config::{Config, ConfigError};
use crate::email::{validate_email, EmailError, ValidEmail};
use crate::outcome::{LookupKeys, Outcome, Response};
use crate::phone::{PhoneDefault, PhoneError, PhoneParser, ValidPhone};
use crate::profile::{self, PreparedBatch};
use crate::store::Existing;

/// A validating, normalizing, deduping engine for one API profile.
///
/// Immutable once built: share it across threads (`&Engine` is `Sync`).
/// Building one loads the phone metadata (a few milliseconds); build it once
/// and reuse it for every request.
pub struct Engine {
    pub(crate) config: Config,
    pub(crate) phones: PhoneParser,
    pub(crate) phone_default: PhoneDefault,
    pool: Option<Arc<rayon::ThreadPool>>,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// A batch after phase one: validated, normalized, deduped inside itself,
/// waiting for the host to say which keys exist. See [`Engine::prepare`].
#[derive(Debug, Clone)]
pub struct Prepared {
    pub(crate) inner: Result<PreparedBatch, Response>,
    keys: LookupKeys,
}

impl Prepared {
    /// The keys the host must look up (empty when the request was refused).
    pub fn keys(&self) -> &LookupKeys {
        &self.keys
    }

    /// The request-level error response, when the request itself was refused
    /// (not JSON, wrong shape, over the batch limit, ...).
    pub fn rejection(&self) -> Option<&Response> {
        self.inner.as_ref().err()
    }
}

impl Engine {
    /// Builds an engine. Fails only for a config it cannot run with.
    pub fn new(config: Config) -> Result<Engine, ConfigError> {
        if config.threads == Some(0) {
            return Err(ConfigError::Invalid("threads must be at least 1".into()));
        }
        if config.max_batch == Some(0) {
            return Err(ConfigError::Invalid("max_batch must be at least 1".into()));
        }
        let threads = config.threads.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        });
        let pool = if threads > 1 {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .thread_name(|i| format!("contact-batch-{i}"))
                .build()
                .map_err(|e| ConfigError::Threads(e.to_string()))?;
            Some(Arc::new(pool))
        } else {
            None
        };
        let phones = PhoneParser::new(pool.as_deref().filter(|_| config.phone_util_per_thread))
            .map_err(ConfigError::PhoneMetadata)?;
        let phone_default = match &config.default_region {
            None => PhoneDefault::None,
            Some(code) => PhoneDefault::Region(
                phones
                    .region(code)
                    .ok_or_else(|| ConfigError::UnknownRegion(code.clone()))?,
            ),
        };
        Ok(Engine {
            config,
            phones,
            phone_default,
            pool,
        })
    }

    /// The engine's configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    pub(crate) fn pool(&self) -> Option<&rayon::ThreadPool> {
        self.pool.as_deref()
    }

    /// Phase one: parse and check the request, normalize and dedupe its rows,
    /// and list the keys to look up. Never fails: a malformed request gives
    /// a prepared batch whose [`Prepared::rejection`] is the API's error
    /// response.
    pub fn prepare(&self, body: &[u8]) -> Prepared {
        let inner = profile::prepare(self, body, None);
        let keys = match &inner {
            Ok(batch) => batch.keys(),
            Err(_) => LookupKeys::default(),
        };
        Prepared { inner, keys }
    }

    /// Phase two: classify the prepared rows against the keys that exist and
    /// render the response. May be called more than once.
    pub fn resolve(&self, prepared: &Prepared, existing: &Existing) -> Outcome {
        match &prepared.inner {
            Ok(batch) => batch.resolve(self, existing),
            Err(response) => Outcome::refused(response.clone()),
        }
    }

    /// Both phases in one call, with the existing keys known up front.
    /// Equal to [`Engine::prepare`] then [`Engine::resolve`]; knowing the
    /// existing keys up front lets it skip work the two-phase form must do
    /// for every row (a property test holds the two to the same outcome).
    pub fn respond(&self, body: &[u8], existing: &Existing) -> Outcome {
        match profile::prepare(self, body, Some(existing)) {
            Ok(batch) => batch.resolve_once(self, existing),
            Err(response) => Outcome::refused(response),
        }
    }

    /// Normalizes one phone. `region` (ISO alpha-2) overrides the
    /// configured default region for this call.
    pub fn normalize_phone(
        &self,
        raw: &str,
        region: Option<&str>,
    ) -> Result<ValidPhone, PhoneError> {
        let default = match region {
            Some(code) => match self.phones.region(code) {
                Some(r) => PhoneDefault::Region(r),
                None => return Err(PhoneError::InvalidCountryCode),
            },
            None => self.phone_default,
        };
        self.phones.normalize(raw, default)
    }

    /// Validates and normalizes one email address.
    pub fn validate_email(&self, raw: &str) -> Result<ValidEmail, EmailError> {
        validate_email(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Profile;

    #[test]
    fn config_errors() {
        let bad_region = Config {
            default_region: Some("XX".into()),
            ..Config::new(Profile::RaslCreate)
        };
        assert!(matches!(
            Engine::new(bad_region),
            Err(ConfigError::UnknownRegion(_))
        ));
        let zero = Config {
            threads: Some(0),
            ..Config::new(Profile::RaslCreate)
        };
        assert!(matches!(Engine::new(zero), Err(ConfigError::Invalid(_))));
    }

    #[test]
    fn single_value_helpers() {
        let e = Engine::new(Config {
            default_region: Some("GB".into()),
            threads: Some(1),
            ..Config::new(Profile::RaslCreate)
        })
        .unwrap();
        assert_eq!(
            e.normalize_phone("020 7183 8750", None).unwrap().e164,
            "+442071838750"
        );
        assert_eq!(
            e.normalize_phone("(555) 555-5555", Some("US")).unwrap_err(),
            PhoneError::InvalidNumber
        );
        assert_eq!(
            e.normalize_phone("(415) 555-2671", Some("US"))
                .unwrap()
                .e164,
            "+14155552671"
        );
        assert_eq!(
            e.normalize_phone("1", Some("ZZ")).unwrap_err(),
            PhoneError::InvalidCountryCode
        );
        assert!(e.validate_email("a@b.co").is_ok());
    }
}
