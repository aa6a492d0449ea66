//! The engine: the [`Rules`] (a configured profile, the phone metadata and
//! a thread pool) and the identity its prepared batches carry.

use std::fmt;
use std::sync::Arc;

use crate::config::{Config, ConfigError};
use crate::email::{validate_email, EmailError, ValidEmail};
use crate::existing::Existing;
use crate::keys::LookupKeys;
use crate::outcome::Outcome;
use crate::phone::{PhoneError, ValidPhone};
use crate::possible_duplicates;
use crate::profile::{self, PreparedBatch};
use crate::request_error::{RequestError, RequestErrorKind};
use crate::response::Response;
use crate::rules::Rules;

/// A validating, normalizing, deduping engine for one API profile.
///
/// Immutable once built: share it across threads (`&Engine` is `Sync`).
/// Building one loads the phone metadata (a few milliseconds); build it once
/// and reuse it for every request.
pub struct Engine {
    pub(crate) rules: Rules,
    /// This engine's identity, shared with the batches it prepares: one
    /// allocation per engine, compared by address (no global counter).
    identity: Arc<Identity>,
}

/// The token behind [`Engine`]'s identity; see [`Engine::try_resolve`].
#[derive(Debug)]
struct Identity;

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("config", &self.rules.config)
            .finish_non_exhaustive()
    }
}

/// A batch after phase one: validated, normalized, deduped inside itself,
/// waiting for the host to say which keys exist. See [`Engine::prepare`].
#[derive(Debug, Clone)]
pub struct Prepared {
    pub(crate) inner: Result<PreparedBatch, Refused>,
    keys: LookupKeys,
    prepared_by: Arc<Identity>,
}

/// A request refused as a whole: why, and the API's response (rendered
/// once, by the profile, when phase one ends).
#[derive(Debug, Clone)]
pub(crate) struct Refused {
    kind: RequestErrorKind,
    response: Response,
}

impl Refused {
    fn of(config: &Config, error: &RequestError) -> Refused {
        Refused {
            kind: error.kind,
            response: profile::render(config.profile, error),
        }
    }

    /// The outcome of the refused request.
    fn outcome(self) -> Outcome {
        Outcome::refused(self.response, Some(self.kind))
    }
}

/// [`Engine::try_resolve`] was given a batch another engine prepared.
///
/// A prepared batch holds the checks of the engine (profile, limits,
/// defaults) that made it; resolving it with another engine would render
/// it under rules it was not checked with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ForeignPrepared;

impl fmt::Display for ForeignPrepared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the batch was prepared by another engine")
    }
}

impl std::error::Error for ForeignPrepared {}

impl Prepared {
    /// The keys the host must look up (empty when the request was refused).
    pub fn keys(&self) -> &LookupKeys {
        &self.keys
    }

    /// Whether `engine` prepared this batch (a clone of a batch is its
    /// engine's too). [`Engine::try_resolve`] refuses a batch for which
    /// this is false.
    pub fn is_from(&self, engine: &Engine) -> bool {
        Arc::ptr_eq(&self.prepared_by, &engine.identity)
    }

    /// The request-level error response, when the request itself was refused
    /// (not JSON, wrong shape, over the batch limit, ...).
    pub fn rejection(&self) -> Option<&Response> {
        self.inner.as_ref().err().map(|r| &r.response)
    }

    /// Why the request itself was refused, when it was
    /// ([`Prepared::rejection`] is then the API's response).
    pub fn refusal(&self) -> Option<RequestErrorKind> {
        self.inner.as_ref().err().map(|r| r.kind)
    }
}

impl Engine {
    /// Builds an engine. Fails only for a config it cannot run with (see
    /// [`Config::validate`]).
    pub fn new(config: Config) -> Result<Engine, ConfigError> {
        Ok(Engine {
            rules: Rules::new(config)?,
            identity: Arc::new(Identity),
        })
    }

    /// The engine's configuration.
    pub fn config(&self) -> &Config {
        &self.rules.config
    }

    /// The libphonenumber metadata release this engine validates phones
    /// with, e.g. `"9.0.43"`: the built-in tables'
    /// ([`crate::PHONE_METADATA_VERSION`]), or the version recorded in the
    /// file of [`Config::phone_metadata`].
    pub fn phone_metadata_version(&self) -> &str {
        self.rules.phones.version()
    }

    /// Phase one: parse and check the request, normalize and dedupe its rows,
    /// and list the keys to look up. Never fails: a malformed request gives
    /// a prepared batch whose [`Prepared::rejection`] is the API's error
    /// response.
    ///
    /// `body` is the request's bytes: a `&str`, `String`, `&[u8]` or
    /// `Vec<u8>` (invalid UTF-8 is the API's own 4xx answer, not a panic).
    pub fn prepare(&self, body: impl AsRef<[u8]>) -> Prepared {
        let inner = profile::prepare(&self.rules, body.as_ref(), None)
            .map_err(|e| Refused::of(&self.rules.config, &e));
        let keys = match &inner {
            Ok(batch) => batch.keys(),
            Err(_) => LookupKeys::default(),
        };
        Prepared {
            inner,
            keys,
            prepared_by: Arc::clone(&self.identity),
        }
    }

    /// Phase two: classify the prepared rows against the keys that exist and
    /// render the response. May be called more than once.
    ///
    /// `prepared` must come from this engine's [`Engine::prepare`]; a batch
    /// of another engine is refused with a `500` response whose body is
    /// `{"error":"the batch was prepared by another engine"}` (a host bug,
    /// never an answer of the API). [`Engine::try_resolve`] reports it as an
    /// error instead.
    pub fn resolve(&self, prepared: &Prepared, existing: &Existing) -> Outcome {
        self.try_resolve(prepared, existing).unwrap_or_else(|e| {
            Outcome::refused(
                Response {
                    status: 500,
                    body: serde_json::json!({ "error": e.to_string() }).to_string(),
                },
                None,
            )
        })
    }

    /// [`Engine::resolve`], with a batch prepared by another engine reported
    /// as [`ForeignPrepared`].
    pub fn try_resolve(
        &self,
        prepared: &Prepared,
        existing: &Existing,
    ) -> Result<Outcome, ForeignPrepared> {
        if !prepared.is_from(self) {
            return Err(ForeignPrepared);
        }
        Ok(match &prepared.inner {
            Ok(batch) => {
                let mut outcome = batch.resolve(&self.rules, existing);
                if let Some(found) = possible_duplicates::find(&self.rules, batch) {
                    possible_duplicates::attach(&mut outcome, found);
                }
                outcome
            }
            Err(refused) => refused.clone().outcome(),
        })
    }

    /// Both phases in one call, with the existing keys known up front.
    /// Equal to [`Engine::prepare`] then [`Engine::resolve`]; knowing the
    /// existing keys up front lets it skip work the two-phase form must do
    /// for every row (a property test holds the two to the same outcome).
    /// `body` as in [`Engine::prepare`] (text or bytes).
    pub fn respond(&self, body: impl AsRef<[u8]>, existing: &Existing) -> Outcome {
        match profile::prepare(&self.rules, body.as_ref(), Some(existing)) {
            Ok(batch) => {
                // Found before the batch is consumed (its contacts move
                // into the outcome).
                let found = possible_duplicates::find(&self.rules, &batch);
                let mut outcome = batch.resolve_once(&self.rules, existing);
                if let Some(found) = found {
                    possible_duplicates::attach(&mut outcome, found);
                }
                outcome
            }
            Err(e) => Refused::of(&self.rules.config, &e).outcome(),
        }
    }

    /// The response to a body larger than [`Config::max_body_bytes`] that
    /// the host did not read to its end: read at most `max_body_bytes + 1`
    /// bytes, and when there were more, answer with this instead of
    /// [`Engine::respond`]. `bytes`: the body's size when known (a file's),
    /// `None` when not (a stream's); the refusal is the one `respond` gives.
    pub fn refuse_oversized(&self, bytes: Option<u64>) -> Outcome {
        Refused::of(
            &self.rules.config,
            &profile::oversized(&self.rules.config, bytes),
        )
        .outcome()
    }

    /// Normalizes one phone. `region` (ISO alpha-2, any case) overrides the
    /// configured default region for this call; a region the phone library
    /// does not know (`ZZ`, `001`) reads the number with no default region,
    /// as libphonenumber does: a `+CC` number is still valid.
    pub fn normalize_phone(
        &self,
        raw: &str,
        region: Option<&str>,
    ) -> Result<ValidPhone, PhoneError> {
        let default = match region {
            Some(code) => self.rules.phones.default_for_region(code),
            None => self.rules.phone_default,
        };
        self.rules.phones.normalize(raw, default)
    }

    /// Checks that `regions` (ISO 3166-1 alpha-2 codes, e.g. `["US", "GB"]`)
    /// have phone metadata. Nothing else: the phone tables are precompiled
    /// and read in place, so a fresh engine's first batch already runs as
    /// fast as later ones (this call once compiled each region's patterns,
    /// and stays for the hosts that call it).
    ///
    /// Changes no result. Fails with [`ConfigError::UnknownRegion`] for a
    /// code that has no metadata.
    ///
    /// ```
    /// use contact_batch::{Config, Engine, Profile};
    /// let engine = Engine::new(Config::new(Profile::RaslCreate)).unwrap();
    /// engine.warm(&["US", "GB"]).unwrap();
    /// assert!(engine.warm(&["XX"]).is_err());
    /// ```
    pub fn warm<S: AsRef<str>>(&self, regions: &[S]) -> Result<(), ConfigError> {
        self.rules
            .phones
            .warm_codes(regions)
            .map_err(ConfigError::UnknownRegion)
    }

    /// Validates and normalizes one email address.
    pub fn validate_email(&self, raw: &str) -> Result<ValidEmail, EmailError> {
        validate_email(raw)
    }
}

#[cfg(feature = "fuzzing")]
impl Engine {
    /// Reads `raw` as [`Engine::normalize_phone`] does (the text rule
    /// first) and compares everything the engine reads of the parse
    /// (calling code, national significant number, extension, type, region,
    /// possible-length verdict, E.164 form, or the parse error) with
    /// `rlibphonenumber` at the same metadata. `Err` describes the
    /// disagreement; text the engine refuses before parsing, and defaults
    /// that are not a region or none, have nothing to compare (`Ok`).
    /// For the `phone` fuzz target only (feature `fuzzing`).
    #[doc(hidden)]
    pub fn fuzz_compare_phone_types(&self, raw: &str, region: Option<&str>) -> Result<(), String> {
        let default = match region {
            Some(code) => self.rules.phones.default_for_region(code),
            None => self.rules.phone_default,
        };
        self.rules.phones.fuzz_compare(raw, default)
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
        // An unknown region reads the number with none, as libphonenumber.
        assert_eq!(
            e.normalize_phone("(415) 555-2671", Some("ZZ")).unwrap_err(),
            PhoneError::InvalidCountryCode
        );
        assert_eq!(
            e.normalize_phone("+1 415 555 2671", Some("ZZ"))
                .unwrap()
                .e164,
            "+14155552671"
        );
        assert!(e.validate_email("a@b.co").is_ok());
    }

    #[test]
    fn a_foreign_prepared_batch_is_refused() {
        let config = Config {
            threads: Some(1),
            ..Config::new(Profile::RaslCreate)
        };
        let a = Engine::new(config.clone()).unwrap();
        let b = Engine::new(config).unwrap();
        let body = br#"{"contacts":[{"firstname":"Ann","phone":"+14155552671"}]}"#;
        let prepared = a.prepare(body);
        let none = Existing::default();
        assert!(a.try_resolve(&prepared, &none).is_ok());
        assert_eq!(
            b.try_resolve(&prepared, &none).unwrap_err(),
            ForeignPrepared
        );
        let refused = b.resolve(&prepared, &none);
        assert_eq!(refused.response.status, 500);
        assert_eq!(
            refused.response.body,
            r#"{"error":"the batch was prepared by another engine"}"#
        );
        assert!(refused.rows.is_empty());
        // The same engine's clone of a batch is still its own.
        assert_eq!(a.resolve(&prepared.clone(), &none).response.status, 200);
    }
}
