//! Validates, normalizes and dedupes one batch of contact records exactly as
//! a bulk-contacts HTTP API receives it, and renders that API's response,
//! with no I/O of its own.
//!
//! # Overview
//!
//! A host application (a PHP API, a C service, a Rust crate) receives a
//! `POST /contacts/batch` body and hands the raw bytes to an [`Engine`]
//! configured for one API [`Profile`]. The engine:
//!
//! 1. checks the request's shape and limits before any expensive work;
//! 2. validates every field of every row with the API's own rules and error
//!    codes, normalizing phones to E.164 (Google libphonenumber's rules,
//!    through `rlibphonenumber`) and emails (domain lowercased);
//! 3. marks rows that repeat an earlier valid row's key (first valid row
//!    wins; invalid rows claim no key);
//! 4. asks the host once which keys already exist ([`Prepared::keys`]) and,
//!    given them ([`Existing`]), decides created / updated / skipped;
//! 5. renders the HTTP status and body of the API ([`Response`]), beside
//!    typed per-row outcomes ([`RowOutcome`]).
//!
//! The engine never reads a clock, a file, the network or an environment
//! variable, and holds no global mutable state: everything comes in through
//! [`Config`] and the request, which is why the two-phase protocol exists.
//!
//! # Example
//!
//! ```
//! use contact_batch::{Config, Engine, Existing, Profile};
//!
//! let engine = Engine::new(Config {
//!     default_region: Some("US".into()),
//!     ..Config::new(Profile::RaslCreate)
//! })?;
//! let body = br#"{"contacts": [
//!     {"firstname": "Ann", "phone": "(415) 555-2671"},
//!     {"firstname": "Bob", "phone": "+1 415 555 2671"},
//!     {"firstname": "", "phone": "12"}
//! ], "options": {"skip_duplicates": true}}"#;
//!
//! // Phase one: validate, normalize, dedupe; learn which keys to look up.
//! let prepared = engine.prepare(body);
//! assert_eq!(prepared.keys().phones, ["+14155552671"]);
//!
//! // The host looks them up in its store; none exists here.
//! let outcome = engine.resolve(&prepared, &Existing::new());
//! assert_eq!(outcome.response.status, 200);
//! assert_eq!(outcome.summary.new, 1);
//! assert_eq!(outcome.summary.duplicate, 1);
//! assert_eq!(outcome.summary.invalid, 1);
//! assert!(outcome.response.body.contains(r#""reason":"duplicate_in_request""#));
//! # Ok::<(), contact_batch::ConfigError>(())
//! ```
//!
//! # Input safety
//!
//! Requests are untrusted bytes. The body size is checked first
//! ([`Config::max_body_bytes`]); JSON nesting is limited to 128 levels;
//! duplicate object keys, invalid UTF-8 and lone surrogates are request
//! errors; the batch size is checked before any row is looked at; phone
//! strings over 250 bytes are refused unparsed and text lengths are counted
//! with an early exit. No input makes the engine panic: a bad row is that
//! row's outcome, a bad request is the API's 4xx response.
//!
//! # Error reporting
//!
//! [`Engine::new`] fails with a [`ConfigError`] for a config it cannot run
//! with; that is the only `Err` of the request path. Everything about the
//! request is data: field errors per row ([`FieldError`]), request-level
//! errors as the API's own error response.
//!
//! # Determinism
//!
//! Rows are checked in parallel on the engine's own rayon pool
//! ([`Config::threads`]); results are collected in request order and dedupe
//! runs sequentially, so the output is byte-identical for any thread count.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod batch;
mod config;
mod contact;
mod dedupe;
mod email;
mod engine;
mod import;
mod json;
mod outcome;
mod phone;
mod profile;
mod store;
mod text;

pub use config::{Config, ConfigError, Limits, Profile, DEFAULT_MAX_BODY_BYTES};
pub use contact::{Contact, ContactPhone, ExternalRef};
pub use dedupe::FirstWins;
pub use email::{validate_email, EmailError, ValidEmail, MAX_EMAIL_CHARS, MAX_LOCAL_PART_CHARS};
pub use engine::{Engine, Prepared};
pub use import::{ImportLine, ImportRow, ImportUnsupported, Importer};
pub use json::{parse as parse_json, JsonError, Node};
pub use outcome::{
    Action, FieldError, LookupKeys, Outcome, Response, RowOutcome, RowStatus, Summary,
};
pub use phone::{NumberType, PhoneError, PhoneKey, ValidPhone, MAX_PHONE_INPUT_BYTES};
pub use store::{ContactBookInfo, Existing, ExistingError};
pub use text::{clean as clean_text, TextError};
