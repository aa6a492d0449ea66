//! The API profiles: request parsing onto the canonical model, field
//! rules, error codes, and the rendered response of each API.
//!
//! Each profile is a folder implementing [`api::Api`] and [`api::Batch`]
//! (prepare → batch, keys, resolve, resolve-once, check-row for imports,
//! request error) and is named once in [`crate::registry`]; the dispatch below is
//! generated from that list. Profiles read the [`Rules`], never the engine.

pub(crate) mod api;
pub(crate) mod fields;

// The profile folders, one line each. Declared here, not by the registry's
// macro: rustfmt does not expand macros, so it never formatted the folders
// while a macro declared them.
pub(crate) mod contact_book;
pub(crate) mod rasl;
pub(crate) mod record_list;

pub(crate) use self::api::RowCheck;
use self::api::{Api, ApiBatch};
use crate::columns::ImportColumns;
use crate::config::{Config, Profile};
use crate::contact::Contact;
use crate::existing::Existing;
use crate::json::{self, BoundedError, Node};
use crate::keys::LookupKeys;
use crate::outcome::Outcome;
use crate::phone::PhoneDefault;
use crate::request_error::{RequestError, RequestErrorKind};
use crate::response::Response;
use crate::rules::Rules;

/// Generates the dispatch from a [`Profile`] to its [`Api`] from the
/// registry's entries.
macro_rules! dispatch {
    ($( $(#[doc = $doc:literal])* $variant:ident: $($api:ident)::+ = $name:literal, $title:literal, $max:literal; )*) => {

        /// A prepared batch of one of the profiles.
        #[derive(Debug, Clone)]
        pub(crate) enum PreparedBatch {
            $( $variant(<self::$($api)::+ as Api>::Batch), )*
        }

        impl PreparedBatch {
            pub(crate) fn keys(&self) -> LookupKeys {
                match self {
                    $( PreparedBatch::$variant(b) => b.keys(), )*
                }
            }

            /// The valid rows' contacts, with their index (see
            /// [`ApiBatch::valid_contacts`]).
            pub(crate) fn valid_contacts(&self) -> Vec<(usize, &Contact)> {
                match self {
                    $( PreparedBatch::$variant(b) => b.valid_contacts(), )*
                }
            }

            pub(crate) fn resolve(&self, rules: &Rules, existing: &Existing) -> Outcome {
                match self {
                    $( PreparedBatch::$variant(b) => b.resolve(rules, existing), )*
                }
            }

            /// Resolves a batch that is not needed afterwards (the one-call
            /// respond): what the outcome carries moves out of the batch,
            /// and the rest is freed across the engine's threads.
            pub(crate) fn resolve_once(self, rules: &Rules, existing: &Existing) -> Outcome {
                match self {
                    $( PreparedBatch::$variant(b) => b.resolve_once(rules, existing), )*
                }
            }
        }

        /// The profile's own parsing of a request's root object.
        fn prepare_root(
            rules: &Rules,
            root: &Node<'_>,
            batch_len: Option<usize>,
            existing: Option<&Existing>,
        ) -> Result<PreparedBatch, RequestError> {
            match rules.config.profile {
                $( Profile::$variant => <self::$($api)::+ as Api>::prepare(rules, root, batch_len, existing)
                    .map(PreparedBatch::$variant), )*
            }
        }

        /// The profile's response for a refused request. `fields` names the
        /// offending members (`contacts`, `contacts.3`, `body`) with a
        /// sentence each.
        pub(crate) fn request_error(
            profile: Profile,
            message: &str,
            fields: &[(String, String)],
        ) -> Response {
            match profile {
                $( Profile::$variant => <self::$($api)::+ as Api>::request_error(message, fields), )*
            }
        }

        /// The profile's batch array and the values one row may hold.
        fn row_budget(config: &Config) -> (Option<&'static str>, usize) {
            match config.profile {
                $( Profile::$variant => <self::$($api)::+ as Api>::budget(config), )*
            }
        }

        /// Whether the profile has contact rows to import.
        pub(crate) fn imports(profile: Profile) -> bool {
            match profile {
                $( Profile::$variant => <self::$($api)::+ as Api>::IMPORTS, )*
            }
        }

        impl Profile {
            /// The API's rows as the columns of a CSV file: the fields a
            /// column can hold, the required ones, and the field of each
            /// common kind of column. Empty for an API without contact
            /// rows worth a file's columns.
            pub fn import_columns(self) -> &'static ImportColumns {
                match self {
                    $( Profile::$variant => <self::$($api)::+ as Api>::COLUMNS, )*
                }
            }

            /// The fields of a row that a CSV column can hold, as the API
            /// names them.
            pub fn import_fields(self) -> &'static [&'static str] {
                self.import_columns().fields
            }

            /// The fields a CSV file must have: each group is satisfied by
            /// a column of any of its names.
            pub fn import_required(self) -> &'static [&'static [&'static str]] {
                self.import_columns().required
            }
        }

        /// The phone default of an import row with no region of its own.
        pub(crate) fn import_default(profile: Profile, configured: PhoneDefault) -> PhoneDefault {
            match profile {
                $( Profile::$variant => <self::$($api)::+ as Api>::import_default(configured), )*
            }
        }

        /// Checks one import row with the profile's contact rules. `None`
        /// when the profile has no contact rows (rasl-delete).
        pub(crate) fn check_row(
            rules: &Rules,
            row: &Node<'_>,
            default: PhoneDefault,
            text_source: bool,
        ) -> Option<RowCheck> {
            let row = fields::Row::new(row, text_source);
            match rules.config.profile {
                $( Profile::$variant => <self::$($api)::+ as Api>::check_row(rules, row, default), )*
            }
        }
    };
}

crate::registry::registry!(dispatch);

/// The refusal of a body over `max_body_bytes`: `bytes` is its size, when
/// known (a host that stopped reading at the limit does not know it).
pub(crate) fn oversized(config: &Config, bytes: Option<u64>) -> RequestError {
    let max = config.max_body_bytes;
    let message = match bytes {
        Some(n) => format!("The request body is {n} bytes; at most {max} bytes are accepted."),
        None => {
            format!("The request body is more than {max} bytes; at most {max} bytes are accepted.")
        }
    };
    RequestError::on(RequestErrorKind::TooLarge, "body", message)
}

/// The profile's response for a refused request: rendered once, at the
/// end, from the typed error generic code or the profile produced.
pub(crate) fn render(profile: Profile, error: &RequestError) -> Response {
    request_error(profile, &error.message, &error.fields)
}

/// Phase one for any profile: bounded checks before any expensive work, then
/// the profile's own parsing. `existing` is given when the caller already
/// holds the existing keys (the one-call `Engine::respond`): a profile may
/// then skip work that only rows found there, or not found there, need.
pub(crate) fn prepare(
    rules: &Rules,
    body: &[u8],
    existing: Option<&Existing>,
) -> Result<PreparedBatch, RequestError> {
    let config = &rules.config;
    let refuse = |kind: RequestErrorKind, message: String| RequestError::on(kind, "body", message);
    if body.len() > config.max_body_bytes {
        return Err(oversized(config, Some(body.len() as u64)));
    }
    // A UTF-8 byte order mark before the body is accepted, as imports
    // accept one before their first line; it is not part of the JSON.
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(refuse(
            RequestErrorKind::Empty,
            "The request body is empty; a JSON object is expected.".into(),
        ));
    }
    let parsed = json::parse_bounded(body, &budget(config)).map_err(|e| match e {
        BoundedError::Json(e) => refuse(
            RequestErrorKind::NotJson,
            format!("The request body is not valid JSON: {e}."),
        ),
        BoundedError::TooManyValues { max, at } => refuse(
            RequestErrorKind::BudgetExceeded,
            format!(
                "The request body holds more than {max} JSON values and keys (the count passed \
             {max} at {at}); a request this API accepts holds fewer: at most {} of the \
             documented sizes.",
                match config.batch_limit() {
                    1 => "1 row".to_owned(),
                    n => format!("{n} rows"),
                }
            ),
        ),
    })?;
    let (root, batch_len) = (parsed.root, parsed.batch_len);
    if root.as_object().is_none() {
        return Err(refuse(
            RequestErrorKind::NotAnObject,
            format!(
                "The request body must be a JSON object, not {}.",
                root.kind()
            ),
        ));
    }
    prepare_root(rules, &root, batch_len, existing)
}

/// Values and keys a row may hold besides its documented arrays and
/// objects: its fields (a key and a value each), and members the profile
/// ignores (a row echoed in a response keeps them).
const ROW_SLACK: usize = 256;
/// Values and keys any request may hold whatever its rows: options,
/// members the profile ignores, a small request's extras.
const REQUEST_SLACK: usize = 1 << 18;

/// What a parse keeps of a request body: the batch array's rows up to one
/// past the limit, and at most as many values and object keys in all as
/// the batch limit's rows of documented size hold, plus [`ROW_SLACK`] per
/// row and [`REQUEST_SLACK`]. A body within it parses as it always did;
/// past it, the request is refused, so the memory a request takes is
/// bounded by what the profile can accept (about 1.5 M values and keys,
/// some 70 MB, for rasl-create's defaults) and not by the size of the body.
pub(crate) fn budget(config: &Config) -> json::Budget {
    let (batch_key, per_row) = row_budget(config);
    let rows = match batch_key {
        Some(_) => config.batch_limit().saturating_add(1),
        None => 1,
    };
    json::Budget {
        batch_key,
        batch_limit: config.batch_limit(),
        max_values: rows
            .saturating_mul(per_row.saturating_add(ROW_SLACK))
            .saturating_add(REQUEST_SLACK),
        object_root: true,
    }
}
