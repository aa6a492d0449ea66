//! The command line's shape and its help texts.

use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};
use contact_batch::Profile;

const ABOUT: &str = "Validate, normalize and dedupe contacts exactly as five bulk-contacts \
HTTP APIs do, and print the response they would send.";

const LONG_ABOUT: &str = "\
Validate, normalize and dedupe contacts exactly as five bulk-contacts HTTP APIs do, \
and print the response they would send.

contact-batch is the command line of an engine that a web application embeds to \
answer \"POST /contacts/batch\"-style requests. It never touches a network or a \
database: you tell it which phone numbers, ids or external references already \
exist in your store with --existing, and it tells you what the API would do.

Phones are parsed and validated with Google libphonenumber's rules and written \
in E.164 (+14155552671); emails are checked (RFC 5322 plus what a bulk API \
wants) and their domain lowercased; text is trimmed. Within one batch the first \
valid row with a phone wins and later rows with the same phone are duplicates.";

const PROFILES_HELP: &str = "\
PROFILES (--profile), one per API:
  rasl-create   POST /api/v2/contacts/batch: create up to 1000 contacts,
                {\"contacts\": [{\"firstname\", \"phone\", ...}], \"options\":
                {\"continue_on_error\", \"skip_duplicates\"}}; 200 with
                created/skipped/errors, 422 for a malformed request.
  rasl-delete   DELETE /api/v2/contacts/batch: delete up to 1000 contacts by id,
                {\"ids\": [1, 2]}; ids that exist come from --existing. Not for
                `import`.
  rasl-update   PATCH /api/v2/contacts/{id}: update one contact with a partial
                contact; the stored contact comes from --existing's \"contact\".
  record-list   Create Multiple Records in a record list: up to 100
                {\"records\": [{\"phone_numbers\", \"first_name\", \"last_name\",
                \"timezone\", \"priority\", ...}]}; 201 with per-record error codes.
  contact-book  Upload Contacts to a contact book: up to 1000 {\"contacts\":
                [{\"phone\", \"displayName\", ...}], \"defaultCountryCode\": \"91\"};
                per row CREATED / UPDATED / SKIPPED / INVALID.";

const EXISTING_HELP: &str = "\
THE EXISTING FILE (--existing FILE):
  What your store already holds, as JSON; every member is optional:
    {\"phones\": {\"+14155552671\": \"ct_1\"},   phone (E.164) -> stored id
     \"ids\": [1, 2],                          contact ids (rasl-delete, rasl-update)
     \"external_refs\": [[\"crm\", \"42\"]],      provider/id pairs (record-list)
     \"contact\": {...},                       the stored contact (rasl-update)
     \"contact_book\": {\"contactBookUid\": \"grp_abc\", \"name\": \"Retail Leads\"},
     \"record_list_id\": \"rl_1\"}                the list (record-list)
  Without it nothing exists.";

const EXIT_HELP: &str = "\
EXIT CODES:
  0  a response or an import was produced (4xx responses and invalid rows too)
  2  usage error, unknown profile or region, unreadable input, unwritable
     output, malformed --existing file, import with rasl-delete";

const TOP_EXAMPLES: &str = "\
EXAMPLES:
  contact-batch respond --profile rasl-create examples/requests/rasl-create.json
  echo '{\"ids\": [1, 2, 3]}' | contact-batch respond --profile rasl-delete \\
      --existing examples/existing.json
  contact-batch import --profile rasl-create --existing examples/existing.json \\
      examples/contacts.csv

Run `contact-batch respond --help` or `contact-batch import --help` for more.";

const RESPOND_ABOUT: &str = "Print the HTTP response an API would send for one request body.";

const RESPOND_LONG_ABOUT: &str = "\
Print the HTTP response an API would send for one request body.

Reads one request body (the JSON the API's client would POST) from REQUEST, or \
from standard input when REQUEST is absent or `-`, and prints one line of JSON:

  {\"status\": HTTP_STATUS, \"body\": RESPONSE_BODY}

exactly as the API would answer, including its error responses: a malformed \
request (not JSON, too many rows, a missing member, ...) is a 4xx response and \
still exits 0.";

const RESPOND_EXAMPLES: &str = "\
EXAMPLES:
  contact-batch respond --profile rasl-create examples/requests/rasl-create.json
  contact-batch respond --profile rasl-create --default-region US \\
      --existing examples/existing.json < examples/requests/rasl-create.json
  contact-batch respond --profile contact-book --existing examples/existing.json \\
      examples/requests/contact-book.json | jq .body.data.summary";

const IMPORT_ABOUT: &str =
    "Check a CSV, NDJSON or JSON file of contacts of any size, one outcome line per row.";

const IMPORT_LONG_ABOUT: &str = "\
Check a CSV, NDJSON or JSON file of contacts of any size, one outcome line per row.

Runs a profile's per-contact rules over every row of INPUT, with no batch \
limit, and dedupes by phone across the whole file (the first valid row wins) \
and against --existing. It streams: memory grows with the number of distinct \
phones, not with the file.

INPUT is one of (--format, or guessed from the extension; `-` is standard \
input and needs --format):
  csv     .csv            a header row naming the profile's fields
                          (firstname,lastname,phone,email,... for rasl-create);
                          RFC 4180 quoting; empty cells are absent
  ndjson  .ndjson .jsonl  one JSON object per line; blank lines are skipped
  json    .json           a JSON array of contact objects, read element by element
An optional `region` column or member (ISO 3166-1 alpha-2, e.g. GB) says how to \
read that row's phone when it has no +country prefix; it overrides \
--default-region. A row that cannot be read (bad JSON, wrong number of CSV \
cells, an unbalanced quote) is reported as that row's `invalid` outcome and the \
run goes on.

OUTPUT: one NDJSON line per input row, in input order, to --out or stdout:
  {\"row\": 1, \"status\": \"new\", \"phone\": \"+14155552671\", \"contact\": {...}}
  {\"row\": 2, \"status\": \"duplicate\", \"phone\": \"+14155552671\", \"duplicate_of\": 1, ...}
  {\"row\": 3, \"status\": \"existing\", \"phone\": \"+442071838750\", ...}
  {\"row\": 4, \"status\": \"invalid\", \"errors\": {\"phone\": [\"...\"]}}
`row` is 1-based (the CSV header is not a row). A file named by --out or \
--rejects is written beside it (`.NAME.*.partial`) and renamed once complete. \
Once a run has started, each is afterwards this run's complete output or \
absent: a run that stops early (a read or write error, a closed output pipe, \
SIGINT, SIGTERM, SIGHUP) removes its partial files and the file an earlier run \
left at that name, and says so.
Then, on stderr, a report: rows by status, the most common reasons for invalid \
rows, rows per second and what was detected (not with --summary json); the \
message of the error that stopped the run, if one did; and last, always, one \
line of JSON for scripts:
  {\"total\":4,\"new\":1,\"existing\":1,\"duplicate\":1,\"invalid\":1,\"encoding\":\"UTF-8\",\"delimiter\":\",\"}
Both count the lines actually written: after a write error (a full disk, a \
closed pipe) they say how far the run got, and the exit code is 2. A run \
refused before it starts ends with the error line instead, exit code 2; one \
killed by a signal prints no summary.
A progress bar (with rows per second) is drawn on stderr when it is a terminal.";

const IMPORT_EXAMPLES: &str = "\
EXAMPLES:
  contact-batch import --profile rasl-create --existing examples/existing.json \\
      examples/contacts.csv
  contact-batch import --profile contact-book --default-region IN \\
      contacts.ndjson --out outcomes.ndjson
  cat contacts.json | contact-batch import --profile rasl-create --format json -
  contact-batch import --profile rasl-create big.csv --out /dev/null --threads 2";

#[derive(Debug, Parser)]
#[command(
    name = "contact-batch",
    version = version_text(),
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = "Run with --help for the profiles, the --existing file, exit codes and examples.",
    after_long_help = top_after_long_help(),
    propagate_version = true,
    arg_required_else_help = true
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// `--version`: the release and the libphonenumber metadata its phone
/// tables come from (`contact-batch 0.1.0 (libphonenumber metadata 9.0.43)`).
fn version_text() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        format!(
            "{} (libphonenumber metadata {})",
            env!("CARGO_PKG_VERSION"),
            contact_batch::PHONE_METADATA_VERSION
        )
    })
}

fn top_after_long_help() -> String {
    format!("{PROFILES_HELP}\n\n{EXISTING_HELP}\n\n{EXIT_HELP}\n\n{TOP_EXAMPLES}")
}

fn respond_after_long_help() -> String {
    format!("{PROFILES_HELP}\n\n{EXISTING_HELP}\n\n{RESPOND_EXIT_HELP}\n\n{RESPOND_EXAMPLES}")
}

fn import_after_long_help() -> String {
    format!(
        "{PROFILES_HELP}\n\n{IMPORT_FIELDS_HELP}\n\n{IMPORT_EXISTING_HELP}\n\n\
         {IMPORT_EXIT_HELP}\n\n{IMPORT_EXAMPLES}"
    )
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Print the HTTP response an API would send for one request body.
    #[command(
        about = RESPOND_ABOUT,
        long_about = RESPOND_LONG_ABOUT,
        after_long_help = respond_after_long_help()
    )]
    Respond(RespondArgs),
    /// Check a file of contacts of any size, one outcome line per row.
    #[command(
        about = IMPORT_ABOUT,
        long_about = IMPORT_LONG_ABOUT,
        after_long_help = import_after_long_help()
    )]
    Import(ImportArgs),
    /// Cluster the people of a file: possible duplicates (see matching.rs).
    #[command(about = crate::matching::MATCH_ABOUT, after_long_help = crate::matching::MATCH_AFTER_HELP)]
    Match(crate::matching::MatchArgs),
}

const RESPOND_EXIT_HELP: &str = "\
EXIT CODES:
  0  a response was produced, whatever its status (422 and 400 included)
  2  usage error, unknown profile or region, unreadable REQUEST or
     --existing file, malformed --existing file, standard output closed
     before the response was written";

const IMPORT_FIELDS_HELP: &str = "\
FIELDS (CSV header names, JSON member names), as the profile's API names them:
  rasl-create, rasl-update
                firstname (required), lastname, phone (required), email, type
                (lead|customer), company, city, state, zip, address,
                description, source_id, status_id, country_id, assigned_id
  record-list   first_name, last_name (both required), phone_number, or
                phone_numbers as JSON ([{\"phone_number\": \"...\", \"phone_type\":
                \"MOBILE\"}]), timezone, priority, external_provider,
                external_id, external_url, sync_external_id, extra_data (JSON)
  contact-book  phone (required), displayName, firstName, lastName, email,
                companyName, customFields (JSON object)
  every profile region (not a contact field: how to read this row's phone)
Unknown columns are ignored. In CSV every cell is text: numbers and booleans
are read from their text, and an empty cell is an absent field.";

const IMPORT_EXISTING_HELP: &str = "\
THE EXISTING FILE (--existing FILE):
  JSON; for import only \"phones\" matters: {\"phones\": {\"+14155552671\": \"ct_1\"}}.
  A valid row whose phone is listed there is `existing` instead of `new`.";

const IMPORT_EXIT_HELP: &str = "\
EXIT CODES:
  0  the whole input was read (invalid rows included)
  2  usage error, unknown profile or region, format not given and not
     guessable, unreadable INPUT or --existing file, malformed --existing
     file, unwritable --out or --rejects, standard output closed by its
     reader (`| head`), the rasl-delete profile (it has no contact rows)";

/// `--profile`: one of the five APIs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ProfileArg(pub Profile);

impl ValueEnum for ProfileArg {
    fn value_variants<'a>() -> &'a [Self] {
        const ALL: [ProfileArg; Profile::ALL.len()] = {
            let mut all = [ProfileArg(Profile::ALL[0]); Profile::ALL.len()];
            let mut i = 1;
            while i < all.len() {
                all[i] = ProfileArg(Profile::ALL[i]);
                i += 1;
            }
            all
        };
        &ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.name()).help(self.0.title()))
    }
}

/// `--format` of `import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Comma-separated values with a header row (RFC 4180 quoting).
    Csv,
    /// One JSON object per line.
    Ndjson,
    /// One JSON array of objects.
    Json,
}

impl From<Format> for contact_batch_import::Format {
    fn from(format: Format) -> Self {
        match format {
            Format::Csv => contact_batch_import::Format::Csv,
            Format::Ndjson => contact_batch_import::Format::Ndjson,
            Format::Json => contact_batch_import::Format::Json,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct RespondArgs {
    /// The API whose request and response format to use.
    #[arg(long, value_name = "PROFILE")]
    pub profile: ProfileArg,

    /// JSON file of what already exists in your store (see below).
    #[arg(long, value_name = "FILE")]
    pub existing: Option<PathBuf>,

    /// Most keys (phones, ids and external refs together) the --existing
    /// file may hold [default: 20000000]; it is read as a stream, never
    /// whole.
    #[arg(long, value_name = "N")]
    pub existing_max_keys: Option<usize>,

    /// ISO 3166-1 alpha-2 region (e.g. US, GB) for phones written without a
    /// +country prefix; without it such phones are invalid.
    #[arg(long, value_name = "CC")]
    pub default_region: Option<String>,

    /// A phone metadata file made by the project's generator
    /// (scripts/update-phone-metadata.sh VERSION --out FILE): phones are
    /// validated with that libphonenumber release instead of the built-in
    /// one (`contact-batch --version` names it). A bad file is an error.
    #[arg(long, value_name = "FILE")]
    pub phone_metadata: Option<PathBuf>,

    /// Most rows (contacts, records, ids) in one request [default: the API's
    /// own limit: 1000, or 100 for record-list].
    #[arg(long, value_name = "N")]
    pub max_batch: Option<usize>,

    /// Most worker threads, 1 to 256 [default: all cores, at most 256]; the
    /// output never depends on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// The request body file; `-` or absent: standard input.
    #[arg(value_name = "REQUEST")]
    pub request: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The API whose contact fields and rules to use (not rasl-delete).
    #[arg(long, value_name = "PROFILE")]
    pub profile: ProfileArg,

    /// ISO 3166-1 alpha-2 region (e.g. US, GB) for phones written without a
    /// +country prefix; a row's `region` column overrides it.
    #[arg(long, value_name = "CC")]
    pub default_region: Option<String>,

    /// A phone metadata file made by the project's generator
    /// (scripts/update-phone-metadata.sh VERSION --out FILE): phones are
    /// validated with that libphonenumber release instead of the built-in
    /// one (`contact-batch --version` names it). A bad file is an error.
    #[arg(long, value_name = "FILE")]
    pub phone_metadata: Option<PathBuf>,

    /// JSON file of what already exists in your store (its "phones").
    #[arg(long, value_name = "FILE")]
    pub existing: Option<PathBuf>,

    /// Most keys (phones, ids and external refs together) the --existing
    /// file may hold [default: 20000000]; it is read as a stream, never
    /// whole.
    #[arg(long, value_name = "N")]
    pub existing_max_keys: Option<usize>,

    /// Most worker threads, 1 to 256 [default: all cores, at most 256]; the
    /// output never depends on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// The input's format [default: from INPUT's extension: .csv, .ndjson or
    /// .jsonl, .json].
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// The contacts file; `-`: standard input (then --format is required).
    #[arg(value_name = "INPUT")]
    pub input: PathBuf,

    /// Where to write the NDJSON outcome lines [default: standard output].
    /// A file is written beside its name and renamed once complete.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// The CSV delimiter: `,` `;` `|` `tab` or another single character
    /// [default: sniffed from the header line, of `,` `;` tab `|`].
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<DelimiterArg>,

    /// The input's text encoding, a WHATWG label (utf-8, utf-16le, utf-16be,
    /// windows-1252, latin1, ...) [default: auto: a byte order mark, else
    /// UTF-8 when the start of the file is UTF-8, else windows-1252].
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,

    /// Which CSV column holds which field, e.g. 'Phone Number=phone,Vorname=firstname'
    /// (`region` for the region, `-` to ignore a column); on top of the
    /// automatic matching of header names (repeatable).
    #[arg(long, value_name = "HEADER=FIELD,...")]
    pub map: Vec<String>,

    /// The CSV column holding each row's region (an ISO 3166-1 alpha-2 or
    /// alpha-3 code or a country name) [default: a column named region,
    /// country or country code].
    #[arg(long, value_name = "HEADER")]
    pub region_column: Option<String>,

    /// The outcome lines' format: NDJSON, or CSV (CSV inputs: the input's
    /// columns as they were, then status, duplicate_of, errors, phone_e164,
    /// email_normalized).
    #[arg(long, value_name = "FORMAT", default_value = "ndjson")]
    pub output_format: OutputFormat,

    /// Also write the invalid and duplicate rows to FILE, as the input had
    /// them (its delimiter and columns, UTF-8) plus an `errors` column: fix
    /// them and import FILE again (CSV inputs).
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,

    /// The end of the run on stderr: a report for a person (counts by
    /// status and reason, rows/s, what was detected) followed by the one
    /// line of JSON for scripts, or (json) that line alone. The JSON line is
    /// the last line of stderr either way.
    #[arg(long, value_name = "STYLE", default_value = "human")]
    pub summary: SummaryStyle,
}

/// `--delimiter`: one ASCII character other than a quote or a line break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DelimiterArg(pub u8);

impl std::str::FromStr for DelimiterArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let b = match s {
            "tab" | "TAB" | "\\t" | "\t" => b'\t',
            "comma" => b',',
            "semicolon" => b';',
            "pipe" => b'|',
            _ if s.len() == 1 => s.as_bytes()[0],
            _ => return Err("one character, or tab".into()),
        };
        if !b.is_ascii() || matches!(b, b'"' | b'\n' | b'\r') {
            return Err("an ASCII character other than a quote or a line break".into());
        }
        Ok(DelimiterArg(b))
    }
}

/// `--output-format` of `import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One JSON object per row.
    Ndjson,
    /// The input's CSV columns plus the outcome's.
    Csv,
}

/// `--summary` of `import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryStyle {
    /// A few lines for a person, then the JSON line.
    Human,
    /// Only the line of JSON: {"total", "new", "existing", "duplicate",
    /// "invalid", "encoding", "delimiter"}.
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
