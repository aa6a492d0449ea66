//! Engine configuration: the profile, the phone default, limits, threads.
//!
//! Every limit of the profiles is a field here with the API's documented
//! value as its default, so a host can tighten or relax it.

use crate::phone_file::{PhoneMetadataBytes, PhoneMetadataError};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::matching::MatchConfig;

pub use crate::options::contact_book::ContactBookLimits;
pub use crate::options::rasl::{RaslLimits, RaslOptions};
pub use crate::options::record_list::{RecordListLimits, RecordListOptions};

/// Generates [`Profile`] from the registry's entries.
macro_rules! profile_enum {
    ($( $(#[doc = $doc:literal])* $variant:ident: $api:path = $name:literal, $title:literal, $max:literal; )*) => {
        /// One API's wire format.
        ///
        /// Non-exhaustive: a later version may add APIs, so a `match` outside this
        /// crate needs a `_` arm; [`Profile::ALL`], [`Profile::name`] and
        /// [`Profile::title`] serve code that lists them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[non_exhaustive]
        pub enum Profile {
            $( $(#[doc = $doc])* #[serde(rename = $name)] $variant, )*
        }

        impl Profile {
            /// Every profile, in documentation order.
            pub const ALL: [Profile; [$($name),*].len()] = [$(Profile::$variant),*];

            /// The profile's name as used on the command line and in configs.
            pub fn name(self) -> &'static str {
                match self {
                    $(Profile::$variant => $name,)*
                }
            }

            /// The API's title and endpoint, for help texts.
            pub fn title(self) -> &'static str {
                match self {
                    $(Profile::$variant => $title,)*
                }
            }

            /// The documented batch limit of the API.
            pub fn default_max_batch(self) -> usize {
                match self {
                    $(Profile::$variant => $max,)*
                }
            }
        }
    };
}

crate::registry::registry!(profile_enum);

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Profile {
    type Err = ConfigError;
    fn from_str(s: &str) -> Result<Self, ConfigError> {
        Profile::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| ConfigError::UnknownProfile(s.to_owned()))
    }
}

/// Field limits, in characters unless named otherwise, one group per API.
/// Defaults are the documented limits of the APIs. In a config's JSON the
/// groups are flattened: `{"limits": {"rasl_text": 100, "book_name": 40}}`.
///
/// Non-exhaustive: start from `Limits::default()` and set fields
/// (`limits.rasl.text = 100`), so a later limit is not a breaking change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Limits {
    /// The rasl profiles' limits (`rasl_*`).
    #[serde(flatten)]
    pub rasl: RaslLimits,
    /// record-list's limits (`record_*`).
    #[serde(flatten)]
    pub record_list: RecordListLimits,
    /// contact-book's limits (`book_*`).
    #[serde(flatten)]
    pub contact_book: ContactBookLimits,
}

/// How an engine behaves. Plain data: build it with [`Config::builder`]
/// (`Config::builder(Profile::RaslCreate).default_region("US").build()`),
/// set fields of [`Config::new`]'s defaults, or deserialize it from JSON
/// (the C API does).
///
/// Non-exhaustive, so a new option is not a breaking change: outside this
/// crate a struct expression cannot build it (not even with
/// `..Config::new(profile)`); the builder and field assignment can.
///
/// ```
/// use contact_batch::{Config, Profile};
///
/// let config = Config::builder(Profile::RaslCreate)
///     .default_region("US")
///     .threads(2)
///     .plan_quota(500)
///     .build();
/// let mut same = Config::new(Profile::RaslCreate);
/// same.default_region = Some("US".into());
/// same.threads = Some(2);
/// same.rasl.plan_quota = Some(500);
/// assert_eq!(config, same);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Config {
    /// The API whose wire format requests use.
    pub profile: Profile,
    /// ISO 3166-1 alpha-2 region for phones written without `+` (rasl
    /// profiles and record-list; contact-book takes `defaultCountryCode` from
    /// the request). `None`: such phones are invalid.
    #[serde(default)]
    pub default_region: Option<String>,
    /// Most rows (contacts, records, ids) in one request; `None`: the
    /// profile's documented limit.
    #[serde(default)]
    pub max_batch: Option<usize>,
    /// Worker threads for one batch, 1 to [`MAX_THREADS`]; `None`: all
    /// cores (at most [`MAX_THREADS`]). Output never depends on it. Without
    /// the `parallel` feature every batch runs on the calling thread.
    #[serde(default)]
    pub threads: Option<usize>,
    /// No effect any more, accepted for compatibility: it gave each worker
    /// thread its own copy of the phone library's metadata, whose regular
    /// expressions compiled lazily per copy. The engine's phone parse is
    /// now precompiled tables shared by every thread (see the crate docs).
    /// Output never depended on it.
    #[serde(default)]
    pub phone_util_per_thread: bool,
    /// A phone metadata file made by the project's generator (newer
    /// libphonenumber metadata than the engine's built-in
    /// [`PHONE_METADATA_VERSION`](crate::PHONE_METADATA_VERSION)); `None`:
    /// the built-in tables. The host reads the file (the engine does no
    /// I/O) and the engine checks it whole at [`Engine::new`](crate::Engine::new):
    /// a bad file is [`ConfigError::PhoneMetadataFile`]. Not part of the
    /// config's JSON (the C API and the PHP extension take a path in their
    /// config, `phone_metadata`, and read it themselves).
    #[serde(skip)]
    pub phone_metadata: Option<PhoneMetadataBytes>,
    /// Largest request body accepted, in bytes; checked before parsing.
    #[serde(default = "default_max_body_bytes")]
    pub max_body_bytes: usize,
    /// Possible duplicates (off when `None`, the default, and then free):
    /// when set, each valid row of a batch is matched against the batch's
    /// other valid rows (and the stored candidates the host hands over) by
    /// the [`matching`](crate::matching) model, and each
    /// [`RowOutcome::possible_duplicates`](crate::RowOutcome::possible_duplicates)
    /// lists those at or above the threshold. The rendered response does
    /// not change. JSON: `{"possible_duplicates": {"threshold": 0.9}}`.
    #[serde(default)]
    pub possible_duplicates: Option<MatchConfig>,
    /// The rasl profiles' options (`plan_quota`), flattened into the
    /// config's JSON.
    #[serde(flatten)]
    pub rasl: RaslOptions,
    /// record-list's options (`require_timezone`, `link_base`), flattened
    /// into the config's JSON.
    #[serde(flatten)]
    pub record_list: RecordListOptions,
    /// Field limits.
    #[serde(default)]
    pub limits: Limits,
}

/// serde names an unknown key of a struct with flattened members without
/// the keys it expected (`` unknown field `x` ``); this puts back serde's
/// own `, expected one of ...` list, the config's or its limits' keys
/// (from the defaults' JSON, so the list cannot drift from the structs).
fn with_expected(json: &[u8], message: String) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message;
    };
    let Some((field, after)) = rest.split_once('`') else {
        return message;
    };
    if after.starts_with(',') {
        return message;
    }
    let keys = |value: Result<Vec<u8>, serde_json::Error>| -> Vec<String> {
        let bytes = value.unwrap_or_default();
        match crate::json::parse(&bytes) {
            Ok(crate::json::Node::Object(m)) => m.iter().map(|(k, _)| k.to_string()).collect(),
            _ => Vec::new(),
        }
    };
    let top = keys(serde_json::to_vec(&Config::new(Profile::ALL[0])));
    // Unknown at the top level, or else inside `limits`.
    let at_top = match crate::json::parse(json) {
        Ok(root) => root.get(field).is_some() && !top.iter().any(|k| k == field),
        Err(_) => true,
    };
    let expected = if at_top {
        top
    } else {
        keys(serde_json::to_vec(&Limits::default()))
    };
    if expected.len() < 3 {
        return message;
    }
    let list: Vec<String> = expected.iter().map(|k| format!("`{k}`")).collect();
    format!(
        "unknown field `{field}`, expected one of {}{after}",
        list.join(", ")
    )
}

/// 32 MiB: far above 1000 contacts of documented size, far below harm.
pub const DEFAULT_MAX_BODY_BYTES: usize = 32 << 20;

/// Most worker threads an engine starts ([`Config::threads`]): past the
/// cores of any machine this runs on, and a pool this size starts in a
/// fraction of a second (3000 threads took 23 s). More is a config error.
pub const MAX_THREADS: usize = 256;

fn default_max_body_bytes() -> usize {
    DEFAULT_MAX_BODY_BYTES
}

impl Config {
    /// The defaults for a profile.
    pub fn new(profile: Profile) -> Config {
        Config {
            profile,
            default_region: None,
            max_batch: None,
            threads: None,
            phone_util_per_thread: false,
            phone_metadata: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            possible_duplicates: None,
            rasl: RaslOptions::default(),
            record_list: RecordListOptions::default(),
            limits: Limits::default(),
        }
    }

    /// A builder starting from the defaults for `profile`
    /// ([`Config::new`]).
    pub fn builder(profile: Profile) -> ConfigBuilder {
        ConfigBuilder {
            config: Config::new(profile),
        }
    }

    /// Reads a config from JSON, e.g. `{"profile": "rasl-create", "default_region": "US"}`.
    pub fn from_json(json: &[u8]) -> Result<Config, ConfigError> {
        serde_json::from_slice(json)
            .map_err(|e| ConfigError::Json(with_expected(json, e.to_string())))
    }

    /// Checks the values a config cannot run with: `threads` and
    /// `max_batch` of 0, `threads` over [`MAX_THREADS`], a
    /// `max_body_bytes` of 0 and any limit of 0 (each would refuse every
    /// request). [`Engine::new`](crate::Engine::new) calls it.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |m: String| Err(ConfigError::Invalid(m));
        match self.threads {
            Some(0) => return invalid("threads must be at least 1".into()),
            Some(n) if n > MAX_THREADS => {
                return invalid(format!("threads is {n}; at most {MAX_THREADS} are allowed"))
            }
            _ => {}
        }
        if self.max_batch == Some(0) {
            return invalid("max_batch must be at least 1".into());
        }
        if self.max_body_bytes == 0 {
            return invalid("max_body_bytes must be at least 1".into());
        }
        if let Some(matching) = &self.possible_duplicates {
            if let Err(e) = matching.validate() {
                return invalid(format!("possible_duplicates: {e}"));
            }
        }
        // Every limit by its name, as the config JSON spells it.
        // Read back as a Node, members in declaration order (the first zero
        // named is the first in the docs, whatever serde_json's features).
        let limits = serde_json::to_vec(&self.limits).unwrap_or_default();
        if let Ok(crate::json::Node::Object(limits)) = crate::json::parse(&limits) {
            let zero = |v: &crate::json::Node<'_>| matches!(v, crate::json::Node::Number(n) if n.as_u64() == Some(0));
            if let Some((name, _)) = limits.iter().find(|(_, v)| zero(v)) {
                return invalid(format!("limits.{name} must be at least 1"));
            }
        }
        Ok(())
    }

    /// The effective batch limit.
    pub fn batch_limit(&self) -> usize {
        self.max_batch
            .unwrap_or_else(|| self.profile.default_max_batch())
    }
}

/// Builds a [`Config`] one option at a time; see [`Config::builder`].
/// Each setter names the field it sets; [`ConfigBuilder::build`] hands the
/// config over (checked later by [`Engine::new`](crate::Engine::new)).
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ConfigBuilder {
    config: Config,
}

impl ConfigBuilder {
    /// [`Config::default_region`]: ISO 3166-1 alpha-2, e.g. `"US"`.
    pub fn default_region(mut self, region: impl Into<String>) -> Self {
        self.config.default_region = Some(region.into());
        self
    }

    /// [`Config::max_batch`].
    pub fn max_batch(mut self, rows: usize) -> Self {
        self.config.max_batch = Some(rows);
        self
    }

    /// [`Config::threads`].
    pub fn threads(mut self, threads: usize) -> Self {
        self.config.threads = Some(threads);
        self
    }

    /// [`Config::phone_util_per_thread`].
    pub fn phone_util_per_thread(mut self, on: bool) -> Self {
        self.config.phone_util_per_thread = on;
        self
    }

    /// [`Config::phone_metadata`]: the bytes of a phone metadata file
    /// (`std::fs::read(path)?` or bytes the host already holds).
    pub fn phone_metadata(mut self, file: impl Into<PhoneMetadataBytes>) -> Self {
        self.config.phone_metadata = Some(file.into());
        self
    }

    /// [`Config::max_body_bytes`].
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.config.max_body_bytes = bytes;
        self
    }

    /// [`Config::possible_duplicates`]: turns matching on with `matching`
    /// (e.g. `MatchConfig::default()`: the untrained model, threshold 0.9).
    pub fn possible_duplicates(mut self, matching: MatchConfig) -> Self {
        self.config.possible_duplicates = Some(matching);
        self
    }

    /// [`RaslOptions::plan_quota`] (rasl-create).
    pub fn plan_quota(mut self, contacts: u64) -> Self {
        self.config.rasl.plan_quota = Some(contacts);
        self
    }

    /// [`RecordListOptions::require_timezone`] (record-list).
    pub fn require_timezone(mut self, on: bool) -> Self {
        self.config.record_list.require_timezone = on;
        self
    }

    /// [`RecordListOptions::link_base`] (record-list).
    pub fn link_base(mut self, base: impl Into<String>) -> Self {
        self.config.record_list.link_base = base.into();
        self
    }

    /// [`Config::limits`], whole.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.config.limits = limits;
        self
    }

    /// The config.
    pub fn build(self) -> Config {
        self.config
    }
}

/// A configuration the engine cannot run with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// Not one of the profile names.
    UnknownProfile(String),
    /// `default_region` is not a region with phone metadata.
    UnknownRegion(String),
    /// `threads` or `max_batch` is zero, or another value out of range.
    Invalid(String),
    /// The config JSON does not parse.
    Json(String),
    /// The built-in phone tables could not be read (a bug: the tests
    /// rule it out for the committed tables).
    PhoneMetadata(String),
    /// The phone metadata file of [`Config::phone_metadata`] was refused.
    PhoneMetadataFile(PhoneMetadataError),
    /// The thread pool could not be started.
    Threads(String),
}

/// A value from a config, as a message shows it: control characters
/// (NUL, ESC, ...) and bidi controls escaped as `\u{..}`, so a message
/// neither ends early as a C string nor drives a terminal; at most 80
/// characters, then `...`.
struct Shown<'a>(&'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.0.chars().enumerate() {
            if i == 80 {
                return f.write_str("...");
            }
            let bidi = matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            if c.is_control() || bidi {
                write!(f, "\\u{{{:x}}}", c as u32)?;
            } else {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::UnknownProfile(p) => write!(
                f,
                "unknown profile `{}` (expected one of {})",
                Shown(p),
                Profile::ALL.map(Profile::name).join(", ")
            ),
            ConfigError::UnknownRegion(r) => write!(
                f,
                "unknown default region `{}` (expected an ISO 3166-1 alpha-2 code such as US)",
                Shown(r)
            ),
            ConfigError::Invalid(m) => write!(f, "invalid config: {}", Shown(m)),
            // serde_json's messages quote the values they refuse.
            ConfigError::Json(m) => {
                write!(f, "config is not valid JSON for an engine: {}", Shown(m))
            }
            ConfigError::PhoneMetadata(m) => {
                write!(f, "phone metadata failed to load: {}", Shown(m))
            }
            ConfigError::PhoneMetadataFile(e) => {
                write!(f, "the phone metadata file is refused: {e}")
            }
            ConfigError::Threads(m) => write!(f, "thread pool failed to start: {}", Shown(m)),
        }
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_round_trip() {
        for p in Profile::ALL {
            assert_eq!(p.name().parse::<Profile>(), Ok(p));
        }
        assert!(matches!(
            "nope".parse::<Profile>(),
            Err(ConfigError::UnknownProfile(_))
        ));
    }

    /// Possible duplicates: off by default; on from JSON (members
    /// optional, a model in its file form) or the builder; a threshold
    /// that is not a probability and a model that cannot score refused.
    #[test]
    fn possible_duplicates_config() {
        assert_eq!(Config::new(Profile::RaslCreate).possible_duplicates, None);
        let on =
            Config::from_json(br#"{"profile":"rasl-create","possible_duplicates":{}}"#).unwrap();
        assert_eq!(on.possible_duplicates, Some(MatchConfig::default()));
        assert_eq!(
            on,
            Config::builder(Profile::RaslCreate)
                .possible_duplicates(MatchConfig::default())
                .build()
        );
        let c = Config::from_json(
            br#"{"profile":"rasl-create","possible_duplicates":{"threshold":0.5,
                 "model":{"version":1,"fields":{"email":{"exact":{"m":0.5,"u":0.001}}}}}}"#,
        )
        .unwrap();
        let m = c.possible_duplicates.as_ref().unwrap();
        assert_eq!(m.threshold, 0.5);
        assert_eq!(
            m.model.fields[crate::matching::Field::Email.index()][0].m,
            0.5
        );
        assert!(c.validate().is_ok());
        // The JSON form reads back as the same config.
        let json = serde_json::to_vec(&c).unwrap();
        assert_eq!(Config::from_json(&json).unwrap(), c);
        let bad = Config::from_json(
            br#"{"profile":"rasl-create","possible_duplicates":{"threshold":1.5}}"#,
        )
        .unwrap();
        assert_eq!(
            bad.validate().unwrap_err().to_string(),
            "invalid config: possible_duplicates: the threshold must be a probability from 0 \
             to 1, not 1.5"
        );
        let mut zero = MatchConfig::default();
        zero.model.fields[0][0].m = 0.0;
        let bad = Config::builder(Profile::RaslCreate)
            .possible_duplicates(zero)
            .build();
        assert!(bad
            .validate()
            .unwrap_err()
            .to_string()
            .contains("first_name.exact.m must be a probability"));
        let e = Config::from_json(
            br#"{"profile":"rasl-create","possible_duplicates":{"model":{"version":2}}}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("model version 2"), "{e}");
        assert!(Config::from_json(
            br#"{"profile":"rasl-create","possible_duplicates":{"treshold":0.5}}"#
        )
        .is_err());
    }

    #[test]
    fn config_json_defaults_and_errors() {
        let c = Config::from_json(br#"{"profile":"record-list","default_region":"PT"}"#).unwrap();
        assert_eq!(c.batch_limit(), 100);
        assert_eq!(c.default_region.as_deref(), Some("PT"));
        assert_eq!(c.limits.record_list.name, 80);
        let c =
            Config::from_json(br#"{"profile":"contact-book","limits":{"book_name":10}}"#).unwrap();
        assert_eq!(c.limits.contact_book.name, 10);
        assert_eq!(c.limits.contact_book.display_name, 120);
        assert!(!c.phone_util_per_thread);
        let c = Config::from_json(br#"{"profile":"rasl-create","phone_util_per_thread":true}"#)
            .unwrap();
        assert!(c.phone_util_per_thread);
        assert!(Config::from_json(br#"{"default_region":"US"}"#).is_err());
        assert!(Config::from_json(br#"{"profile":"x"}"#).is_err());
        assert!(Config::from_json(br#"{"profile":"rasl-create","bogus":1}"#).is_err());
    }

    /// An unknown key is named with the keys expected where it stands, as
    /// serde says it for a struct without flattened members.
    #[test]
    fn unknown_keys_list_the_expected_ones() {
        let message = |json: &str| match Config::from_json(json.as_bytes()) {
            Err(ConfigError::Json(m)) => m,
            other => panic!("{other:?}"),
        };
        let m = message(r#"{"profile":"rasl-create","bogus":1}"#);
        assert!(
            m.starts_with(
                "unknown field `bogus`, expected one of `profile`, `default_region`, \
                 `max_batch`, `threads`, `phone_util_per_thread`, `max_body_bytes`, \
                 `possible_duplicates`, `plan_quota`, `require_timezone`, `link_base`, `limits` at line 1"
            ),
            "{m}"
        );
        let m = message(r#"{"profile":"rasl-create","limits":{"rasl_text":5,"nope":1}}"#);
        assert!(
            m.starts_with("unknown field `nope`, expected one of `rasl_text`, `rasl_zip`, "),
            "{m}"
        );
        assert!(m.contains("`book_custom_value` at line 1"), "{m}");
        // A top-level key inside `limits` is unknown there.
        let m = message(r#"{"profile":"rasl-create","limits":{"threads":1}}"#);
        assert!(
            m.starts_with("unknown field `threads`, expected one of `rasl_text`"),
            "{m}"
        );
    }

    #[test]
    fn zero_limits_and_too_many_threads_are_refused() {
        let base = || Config::new(Profile::RaslCreate);
        assert_eq!(base().validate(), Ok(()));
        let refused = |c: Config| match c.validate() {
            Err(ConfigError::Invalid(m)) => m,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            refused(Config {
                max_body_bytes: 0,
                ..base()
            }),
            "max_body_bytes must be at least 1"
        );
        assert_eq!(
            refused(Config {
                threads: Some(MAX_THREADS + 1),
                ..base()
            }),
            "threads is 257; at most 256 are allowed"
        );
        assert_eq!(
            refused(Config {
                threads: Some(usize::MAX),
                ..base()
            }),
            format!("threads is {}; at most 256 are allowed", usize::MAX)
        );
        assert!(Config {
            threads: Some(MAX_THREADS),
            ..base()
        }
        .validate()
        .is_ok());
        // Every limit, by the name the config JSON gives it.
        let names = serde_json::to_value(Limits::default()).unwrap();
        let names = names.as_object().unwrap();
        assert_eq!(names.len(), 14);
        for name in names.keys() {
            let json = format!(r#"{{"profile":"rasl-create","limits":{{"{name}":0}}}}"#);
            let c = Config::from_json(json.as_bytes()).unwrap();
            assert_eq!(refused(c), format!("limits.{name} must be at least 1"));
        }
    }

    #[test]
    fn config_errors_escape_the_values_they_quote() {
        let e = Config::from_json(b"{\"profile\":\"a\\u0000b\\u001b[31mred\"}").unwrap_err();
        let m = e.to_string();
        assert!(m.contains(r"a\u{0}b\u{1b}[31mred"), "{m}");
        assert!(!m.chars().any(char::is_control), "{m:?}");
        let m = ConfigError::UnknownRegion("U\u{202e}S".into()).to_string();
        assert!(m.contains(r"`U\u{202e}S`"), "{m}");
        let m = ConfigError::UnknownProfile("x".repeat(1000)).to_string();
        assert!(m.contains(&format!("`{}...`", "x".repeat(80))), "{m}");
        assert!(m.len() < 300);
    }
}
