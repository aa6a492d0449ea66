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
//!    codes, normalizing phones to E.164 (Google libphonenumber's rules, on
//!    the engine's own parse over tables precompiled from its metadata) and
//!    emails (domain lowercased);
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
//! let engine = Engine::new(Config::builder(Profile::RaslCreate).default_region("US").build())?;
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
//! # Profiles
//!
//! One short example each; `Existing` stands for what the host's store
//! holds.
//!
//! `rasl-create` (Batch Create Contacts): Laravel-style errors per row,
//! `skip_duplicates`, `continue_on_error`.
//!
//! ```
//! # use contact_batch::*;
//! let e = Engine::new(Config::builder(Profile::RaslCreate).default_region("US").build())?;
//! let out = e.respond(br#"{"contacts":[{"firstname":"Ann","phone":"415-555-2671"}]}"#, &Existing::new());
//! assert_eq!(out.response.status, 200);
//! assert!(out.response.body.contains(r#""created":[{"firstname":"Ann","lastname":null,"phone":"+14155552671""#));
//! # Ok::<(), ConfigError>(())
//! ```
//!
//! `rasl-delete` (Batch Delete Contacts): missing ids and repeats are failed.
//!
//! ```
//! # use contact_batch::*;
//! let e = Engine::new(Config::new(Profile::RaslDelete))?;
//! let store = Existing::from_json(br#"{"ids": [1, 2]}"#).unwrap();
//! let out = e.respond(br#"{"ids":[1,2,2,3]}"#, &store);
//! assert_eq!(out.response.body, r#"{"success":true,"summary":{"total":4,"deleted":2,"failed":2}}"#);
//! # Ok::<(), ConfigError>(())
//! ```
//!
//! `rasl-update` (Update Contact, PATCH): only the fields sent are checked
//! and merged onto the stored contact.
//!
//! ```
//! # use contact_batch::*;
//! let e = Engine::new(Config::new(Profile::RaslUpdate))?;
//! let store = Existing::from_json(br#"{"contact": {"id": 7, "firstname": "Old"}}"#).unwrap();
//! let out = e.respond(br#"{"firstname":" New "}"#, &store);
//! assert_eq!(out.response.body, r#"{"success":true,"message":"Contact updated successfully","data":{"id":7,"firstname":"New"}}"#);
//! # Ok::<(), ConfigError>(())
//! ```
//!
//! `record-list` (Create Multiple Records): error codes per record, 201.
//!
//! ```
//! # use contact_batch::*;
//! let e = Engine::new(Config::new(Profile::RecordList))?;
//! let out = e.respond(br#"{"records":[{"phone_number":"+351929312319","first_name":"Joey"}]}"#, &Existing::new());
//! assert_eq!(out.response.status, 201);
//! assert!(out.response.body.contains(r#""errors":["LAST_NAME_MISSING"]"#));
//! # Ok::<(), ConfigError>(())
//! ```
//!
//! `contact-book` (Upload Contacts): a default calling code, phones as digits.
//!
//! ```
//! # use contact_batch::*;
//! let e = Engine::new(Config::new(Profile::ContactBook))?;
//! let out = e.respond(br#"{"defaultCountryCode":"91","contacts":[{"phone":"7000782082"}]}"#, &Existing::new());
//! assert!(out.response.body.contains(r#"{"row":1,"status":"CREATED","contact":{"contactUid":null,"phone":"917000782082"}}"#));
//! # Ok::<(), ConfigError>(())
//! ```
//!
//! # Possible duplicates
//!
//! Beside the API's own dedupe (the same normalized phone), [`matching`]
//! finds people entered twice under different spellings: blocking keys
//! (email, phone, phonetic surname with the first initial, combined with
//! birth date, postcode, city or company) choose the pairs to compare; a
//! Fellegi-Sunter model scores them field by field (names exact, nickname,
//! Jaro-Winkler bands, initial; email; phone; birth date exact, transposed,
//! one field off; places) into a match probability with the reasons; the
//! pairs at or above a threshold are clustered. It works untrained and can
//! be trained on a host's own data by expectation maximisation. The
//! `contact-batch match` command runs it over a file (SPEC 5.6): a row
//! alone has `score` 0.0; each row lists at most [`matching::MAX_LISTED`]
//! possible duplicates (its best), while its cluster uses every pair.
//!
//! Inside a batch it is off by default and costs nothing then; with
//! [`Config::possible_duplicates`] on, every valid row is matched against
//! the batch's other valid rows and [`RowOutcome::possible_duplicates`]
//! lists them, with score and reasons, beside the API's own duplicates
//! (which do not change, nor does the rendered response):
//!
//! ```
//! use contact_batch::{matching::MatchConfig, Config, Engine, Existing, Profile};
//!
//! let config = Config::builder(Profile::RaslCreate)
//!     .default_region("US")
//!     .possible_duplicates(MatchConfig::default())
//!     .build();
//! let engine = Engine::new(config)?;
//! let out = engine.respond(br#"{"contacts": [
//!     {"firstname": "Rob", "lastname": "Allen", "email": "roberta25@smith.net", "phone": "415-555-2671"},
//!     {"firstname": "Robert", "lastname": "Alen", "email": "roberta25@smith.net", "phone": "415-555-2699"}
//! ]}"#, &Existing::new());
//! assert_eq!(out.summary.new, 2);
//! let dup = &out.rows[1].possible_duplicates[0];
//! assert_eq!(dup.row, Some(0));
//! assert!(dup.score > 0.99);
//! assert_eq!(
//!     serde_json::to_string(&dup.reasons).unwrap(),
//!     r#"{"first_name":"nickname","last_name":"jw_0.92","email":"exact","phone":"else"}"#
//! );
//! # Ok::<(), contact_batch::ConfigError>(())
//! ```
//!
//! # Where this crate chooses one reading
//!
//! The API documents leave some choices open; [`decisions`] lists every
//! one, profile by profile. The ones a host notices first:
//!
//! - Phone keys: libphonenumber's metadata accepts some numbers longer than
//!   E.164's 15 digits (a valid Nigerian number has 16), so [`PhoneKey`] is
//!   a `u128`, which holds every one.
//! - rasl-create with `continue_on_error: false` and a failed row answers
//!   like Laravel validating the whole request up front: 422
//!   `VALIDATION_ERROR` with every error under `details["contacts.{i}.{field}"]`.
//! - Duplicate keys in a JSON object are a request-level error, not "last
//!   one wins".
//! - contact-book takes its default calling code from the request only;
//!   `Config::default_region` is used by its streaming imports.
//! - Imports ([`Importer`]) dedupe each row on its primary (first valid)
//!   phone; record-list's other numbers and external references are checked
//!   by the batch endpoint only. An import's per-row checks
//!   ([`ImportChecker`]) and its in-order dedupe ([`Importer::record`]) can
//!   run on different threads, one chunk apart, as the command line does.
//!
//! # Text fields
//!
//! One rule for request rows, imports and the single-value calls
//! (`Engine::normalize_phone`, `validate_email`): a value is trimmed of
//! surrounding whitespace, then
//!
//! - in a **single-line** field every run of whitespace inside, line breaks
//!   and tabs included, becomes one space (a CRM export whose first name
//!   holds a line break gives `Ann Marie`, not a refused row). Single-line:
//!   names (`firstname`, `lastname`, `first_name`, `last_name`, `firstName`,
//!   `lastName`, `displayName`), `company`/`companyName`, `city`, `state`,
//!   `zip`, `phone`/`phone_number`, `timezone`, `external_provider`,
//!   `external_id`, `external_url`;
//! - an **email** is one token: trimmed, nothing inside rewritten, and a
//!   control character anywhere inside it (CR, LF and TAB included, quoted
//!   parts included) makes it invalid;
//! - in a **multi-line** field line breaks are kept (CRLF and a lone CR
//!   become LF) and tabs are kept. Multi-line: rasl `description` and
//!   `address`, and the string values of contact-book `customFields`.
//!   Record-list `extra_data` is the developer's own JSON, kept exactly as
//!   sent; a custom field's *key* takes no control character at all.
//!
//! Any other control character (C0 other than TAB, LF and CR, DEL, C1) is
//! invalid everywhere, and so are the bidirectional overrides and isolates
//! (U+202A..U+202E, U+2066..U+2069) except in a phone, which is stored as
//! E.164 digits only. Lengths count Unicode scalar values of the cleaned
//! value.
//!
//! # Differences from the references
//!
//! Tests hold the engine to vectors generated by running reference
//! implementations: libphonenumber's Python port `phonenumbers` 9.0.43 (the
//! metadata the engine embeds, [`PHONE_METADATA_VERSION`]), the Python `idna` package (IDNA 2008
//! with the UTS #46 mapping), and Laravel's English `validation.php`
//! templates with its validator's attribute naming (the generators are in
//! `scripts/`). Every deliberate difference, and why:
//!
//! Phones
//! - The text rule above comes first: a tab or a line break inside a number
//!   is a space (`+1 415 555 2671<TAB>ext. 12` is valid alone and in a row),
//!   where libphonenumber ends the number at a tab or line break inside it
//!   and may answer not-a-number; a control character other than TAB, LF
//!   and CR is [`PhoneError::ControlCharacter`], where libphonenumber may
//!   read past it. Both keep one verdict for a value wherever it is sent.
//! - Nothing but whitespace is [`PhoneError::Empty`] (libphonenumber: not a
//!   number), so a required phone reads as missing.
//! - Over 250 characters (libphonenumber's own count, of the text as sent)
//!   is [`PhoneError::InputTooLong`]; libphonenumber says TOO_LONG. Only
//!   the code differs.
//! - A region in lower case (`us`) is that region: libphonenumber knows no
//!   lower-case region code, and a user who writes `us` in a CSV column
//!   means the United States. A region the phone library does not know
//!   (`ZZ`, `001`), per single-value call or per import row, reads the
//!   number with no default region, exactly as libphonenumber does: a `+CC`
//!   number is valid, a national one `invalid_country_code` (an import row
//!   then also names the unknown region). An unknown *configured* region
//!   is a [`ConfigError`].
//!
//! Emails
//! - Domains pass strict UTS #46 (STD3 ASCII rules, hyphen checks, DNS
//!   lengths on the A-label) on the lowercased domain. Python `idna` also
//!   applies IDNA 2008's own code point table and refuses symbols and
//!   emoji that UTS #46 maps as valid (`☃.net`, `i❤.ws`): the engine
//!   accepts those, since mail clients and browsers resolve them through
//!   UTS #46 and refusing would drop real addresses.
//! - A domain without a dot, with a trailing dot, or an IP literal is
//!   refused, and so is a display name (`Ann <a@b.com>`): a field that holds
//!   a public address takes only that.
//! - An address is trimmed and otherwise kept as sent: any control
//!   character inside it, TAB, CR and LF included and inside quotes too
//!   (`"a<TAB>b"@x.com`, `"test<CR><LF> blah"@iana.org`), is
//!   [`EmailError::ControlCharacter`], where RFC 5322 allows tabs and
//!   folding whitespace inside quotes: rewriting them would store another
//!   address than the one sent, and keeping them would store a line break
//!   in a single-line field.
//! - RFC 5322's obsolete forms (comments, `obs-local-part`, folding white
//!   space) are not accepted; the grammar is the `email_address` crate's,
//!   with a quoted-pair of a space, a tab or a non-ASCII character accepted
//!   as RFC 5322 §3.2.1 and RFC 6532 §3.2 allow.
//! - The normalized domain is lowercased one character at a time (a
//!   character whose lowercase is several is kept; `。`, `．` and `｡`
//!   become `.`), not rewritten to its UTS #46 Unicode form: `xn--` labels
//!   stay as sent. The key uses the A-label form.
//!
//! Laravel wording (rasl profiles)
//! - Every message with a Laravel rule uses its English template and its
//!   attribute naming: a contact's own fields as `source id` (`_` shown as
//!   a space), wildcard paths as they are (`groups.1`, and with
//!   `continue_on_error: false` every attribute as `contacts.3.source_id`,
//!   in the details' keys and in the messages, rule by rule); the top-level
//!   `message` of a refused request is Laravel's summary, the first message
//!   and ` (and N more errors)`.
//! - Messages of ours, for rules Laravel has no template for, written in
//!   its style: `The {attribute} field must not contain control
//!   characters.` (code `control_characters`), `The phone field must be a
//!   valid phone number ({reason}).` (code `phone`), the request-level
//!   messages about the body itself (too large, empty, not JSON, not an
//!   object, a duplicate key), the plan quota's 403 message, and rasl-delete's
//!   `Contact {id} does not exist.` (in the typed outcome only).
//! - Duplicates keep the engine's first-wins rule: only the later copies of
//!   a phone get `The phone field has a duplicate value.` (Laravel's
//!   `distinct` flags every copy), and a row that already failed another
//!   rule is not checked for duplicates (an invalid row claims no key).
//!
//! # Input safety
//!
//! Requests are untrusted bytes. The body size is checked first
//! ([`Config::max_body_bytes`]); JSON nesting is limited to 128 levels;
//! duplicate object keys, invalid UTF-8 and lone surrogates are request
//! errors; the batch size is checked before any row is looked at; phone
//! strings over 250 characters are refused unparsed and text lengths are
//! counted with an early exit. No input makes the engine panic: a bad row is that
//! row's outcome, a bad request is the API's 4xx response.
//!
//! # Error reporting
//!
//! [`Engine::new`] fails with a [`ConfigError`] for a config it cannot run
//! with; that is the only `Err` of the request path. Everything about the
//! request is data: field errors per row ([`FieldError`]), request-level
//! errors as the API's own error response.
//!
//! # Speed
//!
//! Phones are parsed by the engine's own code (the `phone_parse` and
//! `phone_types` modules): libphonenumber's parse, validity, type and
//! region, where every pattern of its metadata and every global pattern
//! (valid number, extensions, RFC 3966) was compiled ahead of time into a
//! flat DFA (`data/phone_parse.bin`, `data/phone_types.bin`, checked fresh
//! against the vendored metadata by a test). Nothing compiles at run time
//! and nothing is per thread, so a fresh engine's first batch costs what
//! later ones do. `rlibphonenumber` 2.2.15, fed the same metadata, is the
//! tests' oracle (differential tests over every example number, the phone
//! vectors and generated texts; the `phone` fuzz target); the only
//! deliberate difference is text whose `tel:` comes after its
//! `;phone-context=`, which is not a number (the library panics on it).
//! Small batches (under 64 rows) stay on the calling thread.
//!
//! Past the phone library, the cost of a row is mostly small allocations,
//! so the engine avoids the ones it can: plain ASCII emails and text skip
//! the general checks (fast paths held to the general ones by exhaustive
//! and property tests), a row's response members point into its contact
//! instead of holding second copies, imports write their NDJSON lines
//! straight into one buffer, and the one-call [`Engine::respond`] copies
//! the echoed `data` of only the rows the response echoes and moves new
//! rows' contacts into the outcome ([`Engine::prepare`] then
//! [`Engine::resolve`] must keep everything, since it may resolve again).
//! A prepared batch's rows are freed across the engine's threads. Figures,
//! and the commands that measure them, are in `benches/README.md`.
//!
//! # Phone metadata
//!
//! The engine embeds libphonenumber's metadata [`PHONE_METADATA_VERSION`],
//! written by the project's generator from the Python port `phonenumbers`
//! of that release (`scripts/gen_phone_metadata.py`: the choice of source
//! and what the generator adds are in its docstring). Moving to another
//! release is one command and a test run:
//!
//! ```sh
//! scripts/update-phone-metadata.sh 9.0.44
//! cargo test --workspace
//! ```
//!
//! which regenerates the metadata, the tables built from it and every phone
//! test vector with the reference at the same release
//! (`crates/contact-batch/data/PROVENANCE.md` records version and
//! checksums; CI's `scripts/check-phone-metadata.sh` checks the committed
//! files are what the generator writes).
//!
//! A host need not wait for that release: the same generator writes the
//! tables of any release into one checked file ([`phone_file`]),
//!
//! ```sh
//! scripts/update-phone-metadata.sh 9.0.44 --out phone-9.0.44.cbpm
//! ```
//!
//! which an engine loads at run time: [`ConfigBuilder::phone_metadata`]
//! with the file's bytes (the engine does no I/O; the host reads it),
//! `contact-batch respond|import --phone-metadata FILE`, or
//! `"phone_metadata": "FILE"` in the C and PHP configs. The file is
//! checked whole once per engine (its checksum is the cost: see
//! [`phone_file`]) and its tables are then read in place from its bytes, as
//! the built-in ones are; the bytes are shared, never copied, by every
//! engine built from the same [`PhoneMetadataBytes`]. [`Engine::phone_metadata_version`]
//! reports the release in use; a bad file (truncated, damaged, not one) is
//! [`ConfigError::PhoneMetadataFile`], naming what is wrong.
//!
//! # Determinism
//!
//! Rows are checked in parallel on the engine's own rayon pool
//! ([`Config::threads`]); results are collected in request order and dedupe
//! runs sequentially, so the output is byte-identical for any thread count.
//!
//! The pool comes with the `parallel` feature (on by default). Without it
//! the crate does not depend on rayon and every batch runs on the calling
//! thread ([`Config::threads`] is checked but starts no thread), with the
//! same answers: the test suite runs both ways.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod columns;
mod config;
mod contact;
pub mod decisions;
mod dedupe;
mod email;
mod engine;
mod existing;
mod import;
mod json;
mod keys;
pub mod matching;
mod object;
mod options;
mod outcome;
mod par;
mod phone;
pub mod phone_file;
#[cfg(any(test, feature = "fuzzing"))]
mod phone_metadata;
mod phone_parse;
mod phone_types;
mod phone_version;
mod possible_duplicates;
mod profile;
mod registry;
mod request_error;
mod response;
mod rules;
mod text;

pub use columns::{ColumnKind, ImportColumns};
pub use config::{
    Config, ConfigBuilder, ConfigError, ContactBookLimits, Limits, Profile, RaslLimits,
    RaslOptions, RecordListLimits, RecordListOptions, DEFAULT_MAX_BODY_BYTES, MAX_THREADS,
};
pub use contact::{Contact, ContactPhone, ExternalRef};
pub use email::{validate_email, EmailError, ValidEmail, MAX_EMAIL_CHARS, MAX_LOCAL_PART_CHARS};
pub use engine::{Engine, ForeignPrepared, Prepared};
pub use existing::{ContactBookInfo, Existing, ExistingError, DEFAULT_MAX_KEYS};
pub use import::{CheckedChunk, ImportChecker, ImportLine, ImportRow, ImportUnsupported, Importer};
pub use json::{JsonError, Node, Number};
pub use keys::LookupKeys;
pub use object::Object;
pub use outcome::{
    Action, ErrorCode, FieldError, Outcome, PossibleDuplicate, RowOutcome, RowStatus, Summary,
};
pub use phone::PHONE_METADATA_VERSION;
pub use phone::{NumberType, PhoneError, PhoneKey, ValidPhone, MAX_PHONE_INPUT_CHARS};
pub use phone_file::{PhoneMetadataBytes, PhoneMetadataError};
pub use request_error::RequestErrorKind;
pub use response::Response;
pub use text::TextError;
