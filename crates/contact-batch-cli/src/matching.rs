//! `contact-batch match`: clusters the people of a file (possible
//! duplicates, the core's `matching` module) with the import's readers,
//! encoding and delimiter detection; or, with `--train`, estimates a model
//! from the file and writes it.
//!
//! Output (SPEC 5.6): NDJSON, one line per input row in input order,
//! `{"row": N, "cluster": R, "score": P, "possible_duplicates": [{"row": M,
//! "score": P, "reasons": {"field": "level"}}]}` (rows 1-based, `cluster`
//! the first row of the row's cluster); on stderr the largest clusters,
//! then one JSON summary line, always last.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use contact_batch::matching::{
    self, train, Field, MatchConfig, Matcher, Model, Person, Records, RowMatch,
};
use contact_batch::Node;
use contact_batch_import::columns::{self, normalize};
use contact_batch_import::input::{self as import_input, ByteInput};
use contact_batch_import::output::Sink;
use contact_batch_import::{encoding, guess_format, open_source_with, Format, RawRow};
use serde_json::Value;

use crate::cli::{DelimiterArg, Format as FormatArg};
use crate::input;
use crate::CliError;

/// How many of the largest clusters the stderr report lists.
const REPORT_CLUSTERS: usize = 10;

/// `contact-batch match`.
#[derive(Debug, Args)]
pub(crate) struct MatchArgs {
    /// Pairs at or above this match probability (0 to 1) are possible
    /// duplicates [default: 0.9].
    #[arg(long, value_name = "P")]
    pub threshold: Option<f64>,

    /// A model file (JSON, as `--train` writes it) [default: the built-in
    /// untrained model].
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,

    /// Estimate a model from INPUT (expectation maximisation over its
    /// blocked pairs) and write it to --out (or stdout) instead of matching.
    #[arg(long)]
    pub train: bool,

    /// Most worker threads [default: all cores]; the output never depends
    /// on it.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// The input's format [default: from INPUT's extension].
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<FormatArg>,

    /// The CSV delimiter [default: sniffed from the header line].
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<DelimiterArg>,

    /// The input's text encoding, a WHATWG label [default: detected].
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,

    /// Which column (CSV) or member (JSON) holds which field, e.g.
    /// 'Vorname=first_name,Geburtstag=birth_date' (`-` to ignore one);
    /// on top of the automatic matching of names (repeatable).
    #[arg(long, value_name = "NAME=FIELD,...")]
    pub map: Vec<String>,

    /// The people file: CSV with a header row, NDJSON or a JSON array.
    #[arg(value_name = "INPUT")]
    pub input: PathBuf,

    /// Where to write the NDJSON lines (or the model, with --train)
    /// [default: standard output].
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub(crate) const MATCH_ABOUT: &str =
    "Cluster the people of a file: possible duplicates with scores and reasons";

pub(crate) const MATCH_AFTER_HELP: &str = "\
FIELDS (CSV header names or JSON member names, case and punctuation ignored):
  first_name    first name, given name, forename, fname, Vorname, prénom
  last_name     last name, surname, family name, lname, Nachname, nom
  name          full name, display name (split: first word, last word)
  email         email, e-mail, email address, mail
  phone         phone, phone number, mobile, cell, telephone
  birth_date    date of birth, dob, birthday, birth date
  city          city, town, suburb
  postcode      postcode, zip, zip code, postal code
  company       company, organization, employer, account name
  address       address, street, street address, address 1
  country       country, country code, region, Country/Region, Land, pays
(the import's table of export names: HubSpot, Outlook, Google, Salesforce,
Zoho, Pipedrive, Mailchimp, Brevo, Odoo, and German, French, Spanish,
Italian, Portuguese and Dutch names)
Other columns are ignored. No profile and no validity check: a row with a
bad phone is still a person.

OUTPUT: one NDJSON line per input row, in input order:
  {\"row\": 3, \"cluster\": 1, \"score\": 0.998, \"possible_duplicates\":
   [{\"row\": 1, \"score\": 0.998, \"reasons\": {\"first_name\": \"nickname\",
   \"email\": \"exact\"}}]}
`cluster` is the first row of the row's cluster (pairs at or above the
threshold, joined transitively); a row alone is its own cluster, score 0.
stderr: the largest clusters, then one JSON summary line (always last).

EXIT CODES:
  0  the whole input was read
  2  usage error, unreadable INPUT or --model, bad model, unwritable --out";

/// What a column or member holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Field(Field),
    /// A full name: first word is the first name, last word the last name.
    FullName,
    Skip,
}

/// Names only `match` reads (the import's profiles have no such field);
/// every other name is the import's own table
/// ([`contact_batch_import::columns::concept`]), so the two commands read
/// a file's columns alike.
const MATCH_ONLY: &[(Target, &[&str])] = &[
    (
        Target::Field(Field::BirthDate),
        &[
            "birthdate",
            "dateofbirth",
            "dob",
            "birthday",
            "born",
            "geburtsdatum",
            "geburtstag",
        ],
    ),
    (Target::Field(Field::City), &["suburb"]),
    (Target::FullName, &["contactname"]),
];

/// The person field of one of the import table's concepts (a state or
/// province is no field of a person here).
fn target_of(concept: columns::Concept) -> Target {
    use contact_batch::ColumnKind as K;
    match concept {
        columns::Concept::Region => Target::Field(Field::Country),
        columns::Concept::Field(kind) => match kind {
            K::FirstName => Target::Field(Field::FirstName),
            K::LastName => Target::Field(Field::LastName),
            K::Phone => Target::Field(Field::Phone),
            K::Email => Target::Field(Field::Email),
            K::Company => Target::Field(Field::Company),
            K::City => Target::Field(Field::City),
            K::Zip => Target::Field(Field::Postcode),
            K::Address => Target::Field(Field::Address),
            K::DisplayName => Target::FullName,
            _ => Target::Skip,
        },
    }
}

/// Names to targets: the synonyms, with `--map` on top.
struct Mapping {
    map: HashMap<String, Target>,
}

impl Mapping {
    fn new(args: &MatchArgs) -> Result<Mapping, CliError> {
        let mut map = HashMap::new();
        for (target, names) in MATCH_ONLY {
            for name in *names {
                map.insert((*name).to_owned(), *target);
            }
        }
        for arg in &args.map {
            for pair in arg.split(',').filter(|p| !p.trim().is_empty()) {
                let Some((name, field)) = pair.split_once('=') else {
                    return Err(CliError::new(format!(
                        "--map `{}`: expected NAME=FIELD pairs separated by commas",
                        pair.escape_debug()
                    )));
                };
                let field = field.trim();
                let target = if field == "-" || field.is_empty() {
                    Target::Skip
                } else if normalize(field) == "name" {
                    Target::FullName
                } else {
                    let f = Field::ALL
                        .into_iter()
                        .find(|f| normalize(f.name()) == normalize(field))
                        .ok_or_else(|| {
                            CliError::new(format!(
                                "--map `{}`: `{}` is not a field (fields: {}, name, or - to \
                                 ignore)",
                                pair.escape_debug(),
                                field.escape_debug(),
                                Field::ALL.map(Field::name).join(", ")
                            ))
                        })?;
                    Target::Field(f)
                };
                map.insert(format!("={}", name.trim()), target);
            }
        }
        Ok(Mapping { map })
    }

    /// The target of a column or member name: `--map`'s exact name, else
    /// the normalized name in `match`'s own names, else in the import's
    /// table.
    fn target(&self, name: &str) -> Target {
        self.map
            .get(&format!("={}", name.trim()))
            .or_else(|| self.map.get(&normalize(name)))
            .copied()
            .or_else(|| columns::concept(name).map(target_of))
            .unwrap_or(Target::Skip)
    }
}

/// Sets `target` of `person` from a cell (an earlier column keeps a field).
fn set(person: &mut Person, target: Target, value: &str) {
    match target {
        Target::Skip => {}
        Target::Field(f) => {
            if person.get(f).is_none() {
                person.set(f, value);
            }
        }
        Target::FullName => {
            let words: Vec<&str> = value.split_whitespace().collect();
            if let (Some(first), Some(last)) = (words.first(), words.last()) {
                if person.get(Field::FirstName).is_none() {
                    person.set(Field::FirstName, first);
                }
                if words.len() > 1 && person.get(Field::LastName).is_none() {
                    person.set(Field::LastName, last);
                }
            }
        }
    }
}

/// A JSON row as a person (a row that is not an object: nobody).
fn json_person(bytes: &[u8], mapping: &Mapping) -> Option<Person> {
    let Ok(Node::Object(members)) = Node::parse(bytes) else {
        return None;
    };
    let mut person = Person::new();
    for (name, value) in &members {
        let text = match value {
            Node::Str(s) => s.to_string(),
            Node::Number(n) => n.to_string(),
            _ => continue,
        };
        set(&mut person, mapping.target(name), &text);
    }
    Some(person)
}

pub(crate) fn run(args: &MatchArgs) -> Result<(), CliError> {
    let format = match args.format {
        Some(f) => f.into(),
        None if input::is_stdin(&args.input) => {
            return Err(CliError::new(
                "reading INPUT from standard input needs --format csv|ndjson|json",
            ))
        }
        None => guess_format(&args.input).ok_or_else(|| {
            CliError::new(format!(
                "cannot tell the format of `{}` from its extension (.csv, .tsv, .txt, .ndjson, \
                 .jsonl, .json); pass --format csv|ndjson|json",
                args.input.display()
            ))
        })?,
    };
    let mut model = match &args.model {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| {
                CliError::new(format!("cannot read --model `{}`: {e}", path.display()))
            })?;
            Model::from_json(&bytes)
                .map_err(|e| CliError::new(format!("--model `{}`: {e}", path.display())))?
        }
        None => Model::default(),
    };
    let threshold = args.threshold.unwrap_or(matching::DEFAULT_THRESHOLD);
    let matcher = Matcher::new(MatchConfig {
        model: model.clone(),
        threshold,
        threads: args.threads,
    })
    .map_err(|e| CliError::new(e.to_string()))?;
    let mapping = Mapping::new(args)?;
    let named_encoding = match &args.encoding {
        Some(label) => encoding::parse_label(label).map_err(CliError::new)?,
        None => None,
    };
    if let (Some(out), false) = (&args.out, input::is_stdin(&args.input)) {
        if let (Ok(a), Ok(b)) = (args.input.canonicalize(), out.canonicalize()) {
            if a == b {
                return Err(CliError::new(format!(
                    "--out `{}` is INPUT itself: writing it would destroy the input",
                    out.display()
                )));
            }
        }
    }

    // Read every row into its compact record (the file's text is not kept).
    let opened = import_input::open(&args.input)?;
    let (opened, detected) = encoding::decode(opened, named_encoding)?;
    let mut source = open_source_with(format, ByteInput::new(opened), args.delimiter.map(|d| d.0))?;
    let columns: Vec<Target> = source.names().iter().map(|n| mapping.target(n)).collect();
    if format == Format::Csv
        && !columns
            .iter()
            .any(|t| matches!(t, Target::Field(_) | Target::FullName))
        && !source.names().is_empty()
    {
        return Err(CliError::new(format!(
            "INPUT: no column holds a field of a person (columns: {}); name them with --map",
            source.names().join(", ")
        )));
    }
    let mut records = Records::new();
    let mut unreadable = 0usize;
    while let Some(row) = source.next_row()? {
        let person = match &row {
            // A row with undecodable bytes is still a person (no validity
            // gate): its cells, the bad bytes as U+FFFD.
            RawRow::Csv(record) | RawRow::Undecodable { cells: record, .. } => {
                let mut p = Person::new();
                for (target, cell) in columns.iter().zip(record.iter()) {
                    set(&mut p, *target, cell);
                }
                Some(p)
            }
            RawRow::Json { bytes, .. } => json_person(bytes, &mapping),
            RawRow::Malformed(_) => None,
        };
        if person.is_none() {
            unreadable += 1;
        }
        records.push(&person.unwrap_or_default());
    }
    let sink = Sink::create(args.out.as_deref(), "--out")?;
    let what = sink.what();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, sink.writer()?);
    let mut summary: Vec<(&str, Value)> = vec![
        ("rows", records.len().into()),
        ("unreadable", unreadable.into()),
    ];

    if args.train {
        let (trained, stats) = train::train(&records, &model);
        model = trained;
        out.write_all(model.to_json().as_bytes())
            .and_then(|()| out.write_all(b"\n"))
            .and_then(|()| out.flush())
            .map_err(|e| CliError::write(&what, e))?;
        drop(out);
        sink.finish()?;
        summary.extend([
            ("blocked_pairs", stats.blocked_pairs.into()),
            ("patterns", (stats.patterns as u64).into()),
            ("u_pairs", (stats.u_pairs as u64).into()),
            ("iterations", (stats.iterations as u64).into()),
            ("prior", model.prior.into()),
        ]);
    } else {
        let (rows, stats) = matcher.cluster(&records);
        for (i, row) in rows.iter().enumerate() {
            write_line(&mut out, i, row).map_err(|e| CliError::write(&what, e))?;
        }
        out.flush().map_err(|e| CliError::write(&what, e))?;
        drop(out);
        sink.finish()?;
        let report = report(&rows);
        eprint!("{}", report.text);
        summary.extend([
            ("clusters", (report.clusters as u64).into()),
            ("rows_in_clusters", (report.rows_in_clusters as u64).into()),
            ("largest_cluster", (report.largest as u64).into()),
            ("pairs_compared", stats.pairs_compared.into()),
            ("pairs_matched", (stats.pairs_matched as u64).into()),
            ("blocks", (stats.blocks as u64).into()),
            ("large_blocks", (stats.large_blocks as u64).into()),
            ("threshold", threshold.into()),
        ]);
    }
    summary.push(("encoding", detected.name().into()));
    if let Some(d) = source.delimiter() {
        summary.push(("delimiter", char::from(d).to_string().into()));
    }
    // Members in this order (a serde_json map would sort them).
    let members: Vec<String> = summary
        .iter()
        .map(|(k, v)| format!("{}:{v}", Value::from(*k)))
        .collect();
    eprintln!("{{{}}}", members.join(","));
    Ok(())
}

/// A probability as written: six decimals at most, always a JSON float
/// (`0.0`, `1.0`).
fn round(p: f64) -> Value {
    Value::from((p * 1e6).round() / 1e6)
}

/// One output line (rows 1-based).
fn write_line(out: &mut impl Write, i: usize, row: &RowMatch) -> std::io::Result<()> {
    write!(
        out,
        r#"{{"row":{},"cluster":{},"score":{},"possible_duplicates":["#,
        i + 1,
        row.cluster + 1,
        round(row.score)
    )?;
    for (k, d) in row.possible_duplicates.iter().enumerate() {
        if k > 0 {
            out.write_all(b",")?;
        }
        write!(
            out,
            r#"{{"row":{},"score":{},"reasons":{}}}"#,
            d.row + 1,
            round(d.score),
            serde_json::to_string(&d.reasons).map_err(std::io::Error::other)?
        )?;
    }
    out.write_all(b"]}\n")
}

/// The stderr report and its counts.
struct Report {
    text: String,
    clusters: usize,
    rows_in_clusters: usize,
    largest: usize,
}

fn report(rows: &[RowMatch]) -> Report {
    let mut sizes: HashMap<usize, usize> = HashMap::new();
    for row in rows {
        *sizes.entry(row.cluster).or_default() += 1;
    }
    let mut multi: Vec<(usize, usize)> = sizes.into_iter().filter(|&(_, n)| n > 1).collect();
    // Largest first, then by first row.
    multi.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let rows_in_clusters = multi.iter().map(|c| c.1).sum();
    let mut text = format!(
        "{} rows: {} clusters of possible duplicates hold {} rows\n",
        rows.len(),
        multi.len(),
        rows_in_clusters
    );
    if !multi.is_empty() {
        text.push_str("largest clusters (first row: size):\n");
        for (first, n) in multi.iter().take(REPORT_CLUSTERS) {
            text.push_str(&format!("  row {}: {} rows\n", first + 1, n));
        }
    }
    Report {
        text,
        clusters: multi.len(),
        rows_in_clusters,
        largest: multi.first().map_or(0, |c| c.1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_fields() {
        let args = MatchArgs {
            threshold: None,
            model: None,
            train: false,
            threads: None,
            format: None,
            delimiter: None,
            encoding: None,
            map: vec!["Vorname=first_name,Notes=-".into()],
            input: PathBuf::from("x.csv"),
            out: None,
        };
        let m = Mapping::new(&args).unwrap();
        assert_eq!(m.target("Vorname"), Target::Field(Field::FirstName));
        assert_eq!(m.target("Date of Birth"), Target::Field(Field::BirthDate));
        assert_eq!(m.target("E-mail"), Target::Field(Field::Email));
        assert_eq!(m.target("Full Name"), Target::FullName);
        assert_eq!(m.target("Notes"), Target::Skip);
        assert_eq!(m.target("Shoe size"), Target::Skip);
        // The import's table, shared: CRM export names and other languages.
        assert_eq!(m.target("Mobile Phone Number"), Target::Field(Field::Phone));
        assert_eq!(m.target("Nachname"), Target::Field(Field::LastName));
        assert_eq!(m.target("Country/Region"), Target::Field(Field::Country));
        assert_eq!(m.target("Postleitzahl"), Target::Field(Field::Postcode));
        assert_eq!(m.target("State/Region"), Target::Skip);
        assert_eq!(m.target("Geburtsdatum"), Target::Field(Field::BirthDate));
        let mut p = Person::new();
        set(&mut p, Target::FullName, " Ann  Marie Lee ");
        assert_eq!(p.get(Field::FirstName), Some("Ann"));
        assert_eq!(p.get(Field::LastName), Some("Lee"));
    }
}
