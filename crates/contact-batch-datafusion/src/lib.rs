//! contact-batch's row rules inside Apache DataFusion: scalar UDFs backed by
//! [`contact_batch::Engine`], and the import's first-wins dedupe as one SQL
//! query, so that a table of any size (a Parquet data set, CSV files, a
//! Ballista cluster's partitions) gets the answers `contact-batch import`
//! gives, byte for byte.
//!
//! # Functions
//!
//! - `normalize_phone(raw, region [, settings])` ->
//!   `struct{valid, e164, region, number_type, error}`: one phone, read with
//!   `region` (ISO alpha-2; NULL: the settings' default region).
//! - `validate_email(raw)` -> `struct{valid, normalized, key, error}`.
//! - `check_contact(named_struct('firstname', ..., 'phone', ...), region
//!   [, settings])` -> `struct{status, key, errors, contact}`: the
//!   [`Importer`]'s check of one row, before dedupe. `status` is `new` (valid)
//!   or `invalid`; `key` the E.164 dedupe key of a valid row; `errors` and
//!   `contact` the JSON that row's NDJSON line carries. The struct's members
//!   are the profile's fields as text, as a CSV gives them (NULL or '' is an
//!   absent field); a member `_malformed`, when not NULL, makes the row
//!   invalid with that message (a line a reader could not split). `region`
//!   is read as `import` reads a region column (`GB`, `GBR`, `United
//!   Kingdom`).
//! - `import_line(row, status, phone, duplicate_of, errors, contact)` ->
//!   the NDJSON line `contact-batch import` writes for that row.
//!
//! `settings` is a literal such as `'profile=rasl-create;default_region=US'`
//! ([`Settings::to_arg`]). The settings are the UDFs' configuration, never
//! baked in: [`register_all`] registers the functions with default settings,
//! and the SQL that [`dedupe_sql`] builds passes them explicitly, so a
//! Ballista executor whose functions were registered at start-up runs every
//! query with that query's own profile and region.
//!
//! # Dedupe
//!
//! [`dedupe_sql`] builds the query (documented there): the checks in one
//! projection, then the first row of each key found by one streaming window
//! (`MIN(row_no)` over the peers of the key, partitioned by a bucket of the
//! key, over input sorted by key, so its sorts spill under a memory limit),
//! then the existing keys joined from a table the
//! host provides (one column `phone` of E.164 keys, Parquet or CSV). It
//! needs an explicit input order (`row_no`): DataFusion splits files into
//! byte ranges and partitions, so "first" must be a column, not the order in
//! which rows arrive.
//!
//! # Engines
//!
//! Each UDF keeps a pool of engines per settings, each with `threads: 1`: a
//! DataFusion worker thread takes one for a batch and gives it back, so
//! engines are never shared between threads and are built once per thread
//! and settings, not once per batch.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use contact_batch::{
    Config, Engine, Existing, ImportLine, ImportRow, Importer, Node, Profile, RowStatus,
};
use datafusion::arrow::array::{
    Array, ArrayRef, BooleanBuilder, Int64Array, StringArray, StringBuilder, StructArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Fields};
use datafusion::common::{exec_err, plan_err, DataFusionError, Result, ScalarValue};
use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// What a query's UDFs run with: the profile and the default region.
/// Field limits are the profile's own ([`Config::new`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Settings {
    /// The API whose rules the rows follow.
    pub profile: Profile,
    /// ISO alpha-2 region for phones written without `+`.
    pub default_region: Option<String>,
}

impl Settings {
    /// Settings of `profile` with no default region.
    pub fn new(profile: Profile) -> Settings {
        Settings {
            profile,
            default_region: None,
        }
    }

    /// The SQL literal's text: `profile=rasl-create;default_region=US`.
    pub fn to_arg(&self) -> String {
        let mut s = format!("profile={}", self.profile);
        if let Some(r) = &self.default_region {
            let _ = write!(s, ";default_region={r}");
        }
        s
    }

    /// Parses [`Settings::to_arg`]'s form.
    pub fn parse(arg: &str) -> Result<Settings> {
        let mut profile = None;
        let mut default_region = None;
        for part in arg.split(';').filter(|p| !p.trim().is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            match k.trim() {
                "profile" => {
                    profile = Some(v.trim().parse::<Profile>().map_err(|e| {
                        DataFusionError::Plan(format!("contact-batch settings `{arg}`: {e}"))
                    })?)
                }
                "default_region" => {
                    default_region = Some(v.trim().to_owned()).filter(|v| !v.is_empty())
                }
                other => {
                    return plan_err!(
                        "contact-batch settings `{arg}`: unknown key `{other}` (profile, default_region)"
                    )
                }
            }
        }
        match profile {
            Some(profile) => Ok(Settings {
                profile,
                default_region,
            }),
            None => plan_err!("contact-batch settings `{arg}`: no profile=..."),
        }
    }

    /// The engine configuration: one thread per engine (DataFusion owns
    /// the parallelism).
    pub fn config(&self) -> Config {
        let mut config = Config::new(self.profile);
        config.default_region = self.default_region.clone();
        config.threads = Some(1);
        config
    }
}

/// Idle engines per settings; see the crate docs.
#[derive(Debug, Default)]
struct Engines {
    idle: Mutex<HashMap<Settings, Vec<Engine>>>,
}

impl Engines {
    fn with<R>(&self, settings: &Settings, f: impl FnOnce(&Engine) -> R) -> Result<R> {
        let taken = self
            .idle
            .lock()
            .ok()
            .and_then(|mut idle| idle.get_mut(settings).and_then(Vec::pop));
        let engine = match taken {
            Some(e) => e,
            None => Engine::new(settings.config()).map_err(|e| {
                DataFusionError::Execution(format!(
                    "contact-batch settings `{}`: {e}",
                    settings.to_arg()
                ))
            })?,
        };
        let out = f(&engine);
        if let Ok(mut idle) = self.idle.lock() {
            idle.entry(settings.clone()).or_default().push(engine);
        }
        Ok(out)
    }
}

/// The common part of the UDFs: a name, default settings, the engines.
#[derive(Debug, Clone)]
struct Base {
    name: &'static str,
    settings: Settings,
    engines: Arc<Engines>,
    signature: Signature,
}

impl Base {
    fn new(name: &'static str, settings: &Settings) -> Base {
        Base {
            name,
            settings: settings.clone(),
            engines: Arc::default(),
            signature: Signature::variadic_any(Volatility::Immutable),
        }
    }

    /// The settings of a call: its literal argument at `at`, or the defaults.
    fn settings_of(&self, args: &[ColumnarValue], at: usize) -> Result<Settings> {
        match args.get(at) {
            None => Ok(self.settings.clone()),
            Some(ColumnarValue::Scalar(s)) => match s {
                ScalarValue::Utf8(Some(v))
                | ScalarValue::LargeUtf8(Some(v))
                | ScalarValue::Utf8View(Some(v)) => Settings::parse(v),
                _ => exec_err!(
                    "{}: settings must be a text literal such as 'profile=rasl-create'",
                    self.name
                ),
            },
            Some(ColumnarValue::Array(_)) => {
                exec_err!("{}: settings must be a literal, not a column", self.name)
            }
        }
    }
}

impl PartialEq for Base {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.settings == other.settings
    }
}
impl Eq for Base {}
impl Hash for Base {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.settings.hash(state);
    }
}

/// `name` and `signature` of a UDF wrapping a [`Base`].
macro_rules! base_methods {
    () => {
        fn name(&self) -> &str {
            self.0.name
        }
        fn signature(&self) -> &Signature {
            &self.0.signature
        }
    };
}

/// An argument as text, one value per row.
fn text_arg(arg: &ColumnarValue, rows: usize) -> Result<StringArray> {
    let array = arg.to_array(rows)?;
    let array = cast(&array, &DataType::Utf8)?;
    Ok(array
        .as_any()
        .downcast_ref::<StringArray>()
        .cloned()
        .unwrap_or_else(|| StringArray::from(vec![None::<&str>; rows])))
}

fn value(a: &StringArray, i: usize) -> Option<&str> {
    (!a.is_null(i)).then(|| a.value(i))
}

fn utf8(name: &str) -> Field {
    Field::new(name, DataType::Utf8, true)
}

fn phone_fields() -> Fields {
    Fields::from(vec![
        Field::new("valid", DataType::Boolean, false),
        utf8("e164"),
        utf8("region"),
        utf8("number_type"),
        utf8("error"),
    ])
}

fn email_fields() -> Fields {
    Fields::from(vec![
        Field::new("valid", DataType::Boolean, false),
        utf8("normalized"),
        utf8("key"),
        utf8("error"),
    ])
}

fn check_fields() -> Fields {
    Fields::from(vec![
        utf8("status"),
        utf8("key"),
        utf8("errors"),
        utf8("contact"),
    ])
}

fn struct_result(fields: Fields, columns: Vec<ArrayRef>) -> Result<ColumnarValue> {
    Ok(ColumnarValue::Array(Arc::new(StructArray::try_new(
        fields, columns, None,
    )?)))
}

fn arity(name: &str, args: &[DataType], min: usize, max: usize) -> Result<()> {
    if args.len() < min || args.len() > max {
        return plan_err!("{name} takes {min} to {max} arguments, not {}", args.len());
    }
    Ok(())
}

/// `normalize_phone(raw, region [, settings])`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NormalizePhone(Base);

impl ScalarUDFImpl for NormalizePhone {
    base_methods!();
    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        arity(self.name(), args, 2, 3)?;
        Ok(DataType::Struct(phone_fields()))
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let settings = self.0.settings_of(&args.args, 2)?;
        let raw = text_arg(&args.args[0], n)?;
        let region = text_arg(&args.args[1], n)?;
        let (mut valid, mut e164, mut reg, mut kind, mut error) = (
            BooleanBuilder::with_capacity(n),
            StringBuilder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
        );
        self.0.engines.with(&settings, |engine| {
            for i in 0..n {
                let result = value(&raw, i).map(|r| engine.normalize_phone(r, value(&region, i)));
                match result {
                    Some(Ok(p)) => {
                        valid.append_value(true);
                        e164.append_value(&p.e164);
                        reg.append_option(p.region.as_deref());
                        kind.append_value(p.number_type.as_str());
                        error.append_null();
                    }
                    other => {
                        valid.append_value(false);
                        e164.append_null();
                        reg.append_null();
                        kind.append_null();
                        error.append_value(match other {
                            Some(Err(e)) => e.code(),
                            _ => "empty",
                        });
                    }
                }
            }
        })?;
        struct_result(
            phone_fields(),
            vec![
                Arc::new(valid.finish()),
                Arc::new(e164.finish()),
                Arc::new(reg.finish()),
                Arc::new(kind.finish()),
                Arc::new(error.finish()),
            ],
        )
    }
}

/// `validate_email(raw)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ValidateEmail(Base);

impl ScalarUDFImpl for ValidateEmail {
    base_methods!();
    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        arity(self.name(), args, 1, 1)?;
        Ok(DataType::Struct(email_fields()))
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let raw = text_arg(&args.args[0], n)?;
        let (mut valid, mut normalized, mut key, mut error) = (
            BooleanBuilder::with_capacity(n),
            StringBuilder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
        );
        for i in 0..n {
            match value(&raw, i).map(contact_batch::validate_email) {
                Some(Ok(e)) => {
                    valid.append_value(true);
                    normalized.append_value(&e.normalized);
                    key.append_value(&e.key);
                    error.append_null();
                }
                other => {
                    valid.append_value(false);
                    normalized.append_null();
                    key.append_null();
                    error.append_value(match other {
                        Some(Err(e)) => e.code(),
                        _ => "empty",
                    });
                }
            }
        }
        struct_result(
            email_fields(),
            vec![
                Arc::new(valid.finish()),
                Arc::new(normalized.finish()),
                Arc::new(key.finish()),
                Arc::new(error.finish()),
            ],
        )
    }
}

/// The member of `check_contact`'s struct that marks a row a reader could
/// not split (its value is the reason).
pub const MALFORMED: &str = "_malformed";

/// `check_contact(named_struct(...), region [, settings])`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CheckContact(Base);

/// One row's check: what its line carries before dedupe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The E.164 key of a valid row (`None`: the row is invalid).
    pub key: Option<String>,
    /// The `errors` member's JSON of an invalid row.
    pub errors: Option<String>,
    /// The `contact` member's JSON of a valid row.
    pub contact: Option<String>,
}

/// Checks one row as `contact-batch import` does (`text_source`: the values
/// are text, as from a CSV), through a one-row [`Importer`] with no
/// existing keys, and splits its NDJSON line into the parts [`render_line`]
/// puts back together.
pub fn check_row(engine: &Engine, row: &ImportRow<'_>, text_source: bool) -> Result<Checked> {
    let none = Existing::new();
    let mut importer = Importer::new(engine, &none, text_source)
        .map_err(|e| DataFusionError::Plan(e.to_string()))?;
    let Some(mut line) = importer.push(std::slice::from_ref(row)).pop() else {
        return exec_err!("contact-batch: the importer gave no line for a row");
    };
    let key = line.phone.take();
    line.row = 0;
    // `{"row":0,"status":"new"` ... then the optional members, then `}`.
    let head = ImportLine {
        errors: Vec::new(),
        contact: None,
        ..line.clone()
    }
    .to_json();
    let full = line.to_json();
    let rest = full
        .strip_prefix(&head[..head.len() - 1])
        .and_then(|r| r.strip_suffix('}'));
    let member = |name: &str| rest.and_then(|r| r.strip_prefix(name)).map(str::to_owned);
    let checked = Checked {
        errors: member(",\"errors\":").filter(|_| line.contact.is_none()),
        contact: member(",\"contact\":").filter(|_| line.errors.is_empty()),
        key,
    };
    let expected = usize::from(!line.errors.is_empty()) + usize::from(line.contact.is_some());
    let got = usize::from(checked.errors.is_some()) + usize::from(checked.contact.is_some());
    if expected != got {
        return exec_err!("contact-batch: unexpected NDJSON line layout: {full}");
    }
    Ok(checked)
}

impl ScalarUDFImpl for CheckContact {
    base_methods!();
    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        arity(self.name(), args, 2, 3)?;
        if !matches!(args[0], DataType::Struct(_)) {
            return plan_err!(
                "check_contact's first argument is a struct of the row's fields (named_struct('firstname', firstname, ...)), not {}",
                args[0]
            );
        }
        Ok(DataType::Struct(check_fields()))
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let settings = self.0.settings_of(&args.args, 2)?;
        let row_struct = args.args[0].to_array(n)?;
        let Some(row_struct) = row_struct.as_any().downcast_ref::<StructArray>() else {
            return exec_err!("check_contact: the first argument is not a struct");
        };
        let mut members: Vec<(String, StringArray)> = Vec::new();
        let mut malformed = None;
        for (field, column) in row_struct.fields().iter().zip(row_struct.columns()) {
            let text = text_arg(&ColumnarValue::Array(column.clone()), n)?;
            if field.name() == MALFORMED {
                malformed = Some(text);
            } else {
                members.push((field.name().clone(), text));
            }
        }
        let region = text_arg(&args.args[1], n)?;
        let (mut status, mut key, mut errors, mut contact) = (
            StringBuilder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
            StringBuilder::new(),
        );
        self.0.engines.with(&settings, |engine| -> Result<()> {
            for i in 0..n {
                let fields = match malformed.as_ref().and_then(|m| value(m, i)) {
                    Some(message) => Err(message.to_owned()),
                    None => Ok(Node::Object(
                        members
                            .iter()
                            .filter_map(|(name, col)| {
                                value(col, i)
                                    .filter(|v| !v.is_empty())
                                    .map(|v| (name.as_str().into(), Node::Str(v.into())))
                            })
                            .collect(),
                    )),
                };
                let row = ImportRow {
                    fields,
                    region: value(&region, i).and_then(contact_batch_import::columns::region_code),
                };
                let c = check_row(engine, &row, true)?;
                status.append_value(if c.key.is_some() { "new" } else { "invalid" });
                key.append_option(c.key);
                errors.append_option(c.errors);
                contact.append_option(c.contact);
            }
            Ok(())
        })??;
        struct_result(
            check_fields(),
            vec![
                Arc::new(status.finish()),
                Arc::new(key.finish()),
                Arc::new(errors.finish()),
                Arc::new(contact.finish()),
            ],
        )
    }
}

/// The NDJSON line of a row, as `contact-batch import` writes it (without
/// the newline): `status` one of `new`, `existing`, `duplicate`, `invalid`;
/// `errors` and `contact` as [`check_row`] gives them.
pub fn render_line(
    row: usize,
    status: &str,
    phone: Option<&str>,
    duplicate_of: Option<usize>,
    errors: Option<&str>,
    contact: Option<&str>,
    out: &mut Vec<u8>,
) -> Result<()> {
    let status = match status {
        "new" => RowStatus::New,
        "existing" => RowStatus::Existing,
        "duplicate" => RowStatus::Duplicate,
        "invalid" => RowStatus::Invalid,
        other => return exec_err!("import_line: unknown status `{other}`"),
    };
    ImportLine {
        row,
        status,
        phone: phone.map(str::to_owned),
        duplicate_of,
        errors: Vec::new(),
        contact: None,
    }
    .write_json(out);
    out.pop();
    if let Some(e) = errors {
        out.extend_from_slice(b",\"errors\":");
        out.extend_from_slice(e.as_bytes());
    }
    if let Some(c) = contact {
        out.extend_from_slice(b",\"contact\":");
        out.extend_from_slice(c.as_bytes());
    }
    out.push(b'}');
    Ok(())
}

/// `import_line(row, status, phone, duplicate_of, errors, contact)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImportLineUdf(Base);

impl ScalarUDFImpl for ImportLineUdf {
    base_methods!();
    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        arity(self.name(), args, 6, 6)?;
        Ok(DataType::Utf8)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let int = |a: &ColumnarValue| -> Result<Int64Array> {
            let array = cast(&a.to_array(n)?, &DataType::Int64)?;
            Ok(array
                .as_any()
                .downcast_ref::<Int64Array>()
                .cloned()
                .unwrap_or_else(|| Int64Array::from(vec![None; n])))
        };
        let (row, dup) = (int(&args.args[0])?, int(&args.args[3])?);
        let [status, phone, errors, contact] = [1, 2, 4, 5].map(|i| text_arg(&args.args[i], n));
        let (status, phone, errors, contact) = (status?, phone?, errors?, contact?);
        let mut out = StringBuilder::new();
        let mut line = Vec::with_capacity(512);
        for i in 0..n {
            line.clear();
            let usize_at = |a: &Int64Array| (!a.is_null(i)).then(|| a.value(i).max(0) as usize);
            render_line(
                usize_at(&row).unwrap_or(0),
                value(&status, i).unwrap_or("invalid"),
                value(&phone, i),
                usize_at(&dup),
                value(&errors, i),
                value(&contact, i),
                &mut line,
            )?;
            out.append_value(String::from_utf8_lossy(&line));
        }
        Ok(ColumnarValue::Array(Arc::new(out.finish())))
    }
}

/// The four UDFs with `settings` as their defaults.
pub fn udfs(settings: &Settings) -> Vec<Arc<ScalarUDF>> {
    vec![
        Arc::new(ScalarUDF::new_from_impl(NormalizePhone(Base::new(
            "normalize_phone",
            settings,
        )))),
        Arc::new(ScalarUDF::new_from_impl(ValidateEmail(Base::new(
            "validate_email",
            settings,
        )))),
        Arc::new(ScalarUDF::new_from_impl(CheckContact(Base::new(
            "check_contact",
            settings,
        )))),
        Arc::new(ScalarUDF::new_from_impl(ImportLineUdf(Base::new(
            "import_line",
            settings,
        )))),
    ]
}

/// Registers every UDF of this crate on `registry` (a `SessionContext`, a
/// `SessionState`), with `settings` as their defaults.
pub fn register_all(registry: &mut dyn FunctionRegistry, settings: &Settings) -> Result<()> {
    for udf in udfs(settings) {
        registry.register_udf(udf)?;
    }
    Ok(())
}

/// The names of the UDFs [`register_all`] registers.
pub const UDF_NAMES: [&str; 4] = [
    "normalize_phone",
    "validate_email",
    "check_contact",
    "import_line",
];

/// What [`dedupe_sql`] reads.
#[derive(Debug, Clone)]
pub struct DedupeInput<'a> {
    /// The table of rows.
    pub table: &'a str,
    /// Its column giving the input order (1-based row numbers, unique).
    pub row_no: &'a str,
    /// The profile's fields: (member name, column). A column may be `NULL`.
    pub fields: Vec<(String, String)>,
    /// A column whose non-NULL value says why the row could not be read.
    pub malformed: Option<&'a str>,
    /// The per-row region column (ISO alpha-2, alpha-3 or a country name).
    pub region: Option<&'a str>,
    /// A table with a column `phone` of E.164 keys that already exist.
    pub existing: Option<&'a str>,
    /// The query's settings (passed to the UDFs as a literal).
    pub settings: Settings,
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn quote_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The dedupe as one query over `input`, giving one row per input row,
/// ordered by `row_no`, with the columns `row_no`, `status` (`new`,
/// `existing`, `duplicate`, `invalid`, exactly as `import`), `phone`,
/// `duplicate_of`, `errors`, `contact` and `line` (the NDJSON line).
///
/// ```sql
/// WITH checked AS (            -- the row checks, once per row
///   SELECT row_no, check_contact(named_struct(...), region, 'settings') AS c FROM input),
/// keyed AS (                   -- the first row of each key: one window
///   SELECT row_no, c['key'] AS phone, c['errors'] AS errors, c['contact'] AS contact,
///          MIN(row_no) OVER (PARTITION BY bucket ORDER BY phone
///                            RANGE BETWEEN CURRENT ROW AND CURRENT ROW) AS first_row
///   FROM checked),              -- bucket: the key's last 4 digits (a row's, if no key)
/// decided AS (
///   SELECT row_no,
///          CASE WHEN phone IS NULL THEN 'invalid'
///               WHEN first_row < row_no THEN 'duplicate'
///               WHEN x.phone IS NOT NULL THEN 'existing' ELSE 'new' END AS status, ...
///   FROM keyed LEFT JOIN (SELECT DISTINCT phone FROM existing) x ON ...)
/// SELECT *, import_line(...) AS line FROM decided ORDER BY row_no
/// ```
///
/// The window's frame is the current row's peers in `ORDER BY phone`, that
/// is the rows of its key, so `MIN(row_no)` is the key's first row. It is
/// partitioned by a bucket of the key (its last 4 digits: up to 10,000
/// window partitions, spread by the shuffle) and not by the key itself:
/// DataFusion's streaming window keeps state per partition, and with a
/// partition per key a 1M-row `--local` import took 28 CPU-s instead of 19.
/// The streaming window needs its input sorted, and sorts spill under a
/// memory limit; an unordered `OVER (PARTITION BY key)` is DataFusion's
/// `WindowAggExec`, which holds a whole partition and hands it on as one
/// batch (10.6 GB at 10M rows; a 2 GiB pool failed at 3M).
/// (`LAST_VALUE(..) IGNORE NULLS` would also do, but Ballista 55 drops
/// `IGNORE NULLS` when it ships the plan to an executor: wrong answers.)
///
/// Invalid rows claim no key (their rows share a bucket with valid ones but
/// are decided `invalid` first, and get no `duplicate_of`), and a key
/// counts as existing only for its first row, as in the core's importer.
pub fn dedupe_sql(input: &DedupeInput<'_>) -> String {
    let mut members: Vec<String> = input
        .fields
        .iter()
        .map(|(name, column)| format!("{}, {}", quote_str(name), column))
        .collect();
    if let Some(m) = input.malformed {
        members.push(format!("{}, {}", quote_str(MALFORMED), m));
    }
    let region = input.region.unwrap_or("CAST(NULL AS VARCHAR)");
    let settings = quote_str(&input.settings.to_arg());
    let (join, existing_test) = match input.existing {
        Some(table) => (
            format!("LEFT JOIN (SELECT DISTINCT CAST(phone AS VARCHAR) AS phone FROM {table}) x ON k.phone = x.phone"),
            "x.phone IS NOT NULL",
        ),
        None => (String::new(), "FALSE"),
    };
    format!(
        "WITH checked AS (\n\
         \x20 SELECT CAST({row_no} AS BIGINT) AS row_no,\n\
         \x20        check_contact(named_struct({members}), {region}, {settings}) AS c\n\
         \x20 FROM {table}\n\
         ),\n\
         fields AS (\n\
         \x20 SELECT row_no, c['key'] AS phone, c['errors'] AS errors, c['contact'] AS contact,\n\
         \x20        COALESCE(RIGHT(c['key'], 4), RIGHT(CAST(row_no AS VARCHAR), 4)) AS bucket\n\
         \x20 FROM checked\n\
         ),\n\
         keyed AS (\n\
         \x20 SELECT row_no, phone, errors, contact,\n\
         \x20        MIN(row_no) OVER (PARTITION BY bucket ORDER BY phone\n\
         \x20            RANGE BETWEEN CURRENT ROW AND CURRENT ROW) AS first_row\n\
         \x20 FROM fields\n\
         ),\n\
         decided AS (\n\
         \x20 SELECT k.row_no,\n\
         \x20        CASE WHEN k.phone IS NULL THEN 'invalid'\n\
         \x20             WHEN k.first_row < k.row_no THEN 'duplicate'\n\
         \x20             WHEN {existing_test} THEN 'existing'\n\
         \x20             ELSE 'new' END AS status,\n\
         \x20        k.phone,\n\
         \x20        CASE WHEN k.phone IS NOT NULL AND k.first_row < k.row_no THEN k.first_row END AS duplicate_of,\n\
         \x20        k.errors, k.contact\n\
         \x20 FROM keyed k {join}\n\
         )\n\
         SELECT row_no, status, phone, duplicate_of, errors, contact,\n\
         \x20      import_line(row_no, status, phone, duplicate_of, errors, contact) AS line\n\
         FROM decided\n\
         ORDER BY row_no",
        row_no = quote_ident(input.row_no),
        members = members.join(", "),
        table = input.table,
    )
}

/// The profile's fields a CSV can hold, as [`DedupeInput::fields`] names
/// them (member and column of the same name).
pub fn profile_fields(profile: Profile) -> Vec<(String, String)> {
    contact_batch_import::columns::fields(profile)
        .iter()
        .map(|f| ((*f).to_owned(), quote_ident(f)))
        .collect()
}
