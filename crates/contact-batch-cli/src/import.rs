//! `contact-batch import`: the flags turned into a run of the
//! `contact-batch-import` library (readers, column mapping, the chunked
//! pipeline through the core's `Importer`, the outputs and the report),
//! with a progress bar and the summary on stderr.

use std::path::Path;
use std::process::ExitCode;

use contact_batch::{Config, Engine, Importer, Summary};
use contact_batch_import::columns::{self, Mapping};
use contact_batch_import::csv::Column;
use contact_batch_import::input::{self as import_input, ByteInput};
use contact_batch_import::output::{CsvStyle, Output, Render, Sink};
use contact_batch_import::Tally;
use contact_batch_import::{convert_to, csv, encoding, guess_format, open_source_with, Format};

use crate::cli::{ImportArgs, OutputFormat, SummaryStyle};
use crate::input;
use crate::progress::Progress;
use crate::staged::Staging;
use crate::summary;
use crate::CliError;

/// The format named by --format, or guessed from INPUT's extension.
fn format_of(args: &ImportArgs) -> Result<Format, CliError> {
    if let Some(format) = args.format {
        return Ok(format.into());
    }
    if input::is_stdin(&args.input) {
        return Err(CliError::new(
            "reading INPUT from standard input needs --format csv|ndjson|json",
        ));
    }
    guess_format(&args.input).ok_or_else(|| {
        CliError::new(format!(
            "cannot tell the format of `{}` from its extension (.csv, .tsv, .txt, .ndjson, \
             .jsonl, .json); \
             pass --format csv|ndjson|json",
            args.input.display()
        ))
    })
}

/// Runs an import. `Err` when it never started (nothing written, no
/// summary: the caller prints the message); once started, the run prints
/// its own end (report, error, summary line) and gives the exit code.
pub(crate) fn run(args: &ImportArgs) -> Result<ExitCode, CliError> {
    let profile = args.profile.0;
    let format = format_of(args)?;
    let mut config = Config::new(profile);
    config.default_region = args.default_region.clone();
    config.threads = args.threads;
    // An import is a long run: a copy of the phone metadata per thread
    // costs ~10 ms up front and saves CPU on every row.
    config.phone_util_per_thread = true;
    config.phone_metadata = input::read_phone_metadata(args.phone_metadata.as_deref())?;
    let engine = Engine::new(config).map_err(|e| {
        CliError::new(with_region_hint(
            input::config_error(&e, args.phone_metadata.as_deref()),
            args,
        ))
    })?;
    let mut mapping = Mapping {
        region_column: args.region_column.clone(),
        ..Mapping::default()
    };
    for map in &args.map {
        mapping.parse_map(map)?;
    }
    let named_encoding = match &args.encoding {
        Some(label) => encoding::parse_label(label).map_err(CliError::new)?,
        None => None,
    };
    let existing = input::read_existing(args.existing.as_deref(), args.existing_max_keys)?;
    let mut importer = Importer::new(&engine, &existing, format == Format::Csv)
        .map_err(|e| CliError::new(e.to_string()))?;

    if let Some(out) = &args.out {
        let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if !input::is_stdin(&args.input) && same(&args.input, out) {
            return Err(CliError::new(format!(
                "--out `{}` is INPUT itself: writing it would destroy the input",
                out.display()
            )));
        }
    }
    let opened = import_input::open(&args.input)?;
    let (opened, detected) = encoding::decode(opened, named_encoding)?;
    let len = opened.len;
    let bytes = ByteInput::new(opened);
    // The header (or the opening `[`) is read and mapped before --out is
    // created, so a wrong input never clobbers an earlier output.
    let mut source = open_source_with(format, bytes, args.delimiter.map(|d| d.0))?;
    // Named columns no field is read from, for the report.
    let mut unused = None;
    let mut unused_names: Vec<String> = Vec::new();
    let mut guessed = None;
    if format == Format::Csv && !source.names().is_empty() {
        // What the names leave undecided (no phone column, no region
        // column, ...), the first rows' values may tell.
        let sample = source.sample(SAMPLE_ROWS);
        let (columns, guesses) =
            columns::map_header_sampled(profile, source.names(), &mapping, &sample)
                .map_err(|e| CliError::new(format!("INPUT {}: {e}", input_name(args))))?;
        unused_names = unused_column_names(source.names(), &columns);
        unused = unused_columns(&unused_names);
        guessed = guessed_columns(&guesses);
        source.set_header(columns);
    } else if format != Format::Csv && (!mapping.map.is_empty() || mapping.region_column.is_some())
    {
        return Err(CliError::new(
            "--map and --region-column are for CSV inputs (JSON rows name the API's fields)",
        ));
    }
    let mut found = vec![("encoding", format!("{} ({})", detected.name(), detected.by))];
    if let Some(d) = source.delimiter() {
        let by = if args.delimiter.is_some() {
            "--delimiter"
        } else {
            "detected"
        };
        found.push(("delimiter", format!("{} ({by})", csv::delimiter_name(d))));
    }
    if let Some(guessed) = guessed {
        found.push(("columns read by their values", guessed));
    }
    if let Some(unused) = unused {
        found.push(("columns not used", unused));
    }
    let source_delimiter = source.delimiter();
    // The CSV outputs follow the input: its byte order mark (or its being
    // UTF-16 or Windows-1252, as Excel writes) and its line ends.
    let style = source
        .csv_style()
        .map(|read| CsvStyle::following(read, detected.encoding))
        .unwrap_or_default();
    let csv_names = || {
        match source_delimiter {
        Some(delimiter) => Ok((delimiter, source.names().to_vec())),
        None => Err(CliError::new(
            "--output-format csv and --rejects are for CSV inputs (JSON inputs: NDJSON outcome lines)",
        )),
    }
    };
    let render = match args.output_format {
        OutputFormat::Ndjson => Render::Ndjson,
        OutputFormat::Csv => {
            let (delimiter, names) = csv_names()?;
            Render::Csv {
                delimiter,
                names,
                style,
            }
        }
    };
    let rejects_render = match &args.rejects {
        Some(_) => {
            let (delimiter, names) = csv_names()?;
            Some(Render::Rejects {
                delimiter,
                names,
                style,
            })
        }
        None => None,
    };
    if let (Some(rejects), Some(out)) = (&args.rejects, &args.out) {
        if rejects == out {
            return Err(CliError::new("--rejects and --out name the same file"));
        }
    }
    // From here on the run has started: --out and --rejects end up this
    // run's complete output or absent (see `staged`).
    let staging = Staging::default();
    staging.on_signals()?;
    let sink = Sink::create(args.out.as_deref(), "--out")?;
    staging.add(&sink);
    let rejects_sink = match &args.rejects {
        Some(path) => Some(Sink::create(Some(path), "--rejects")?),
        None => None,
    };
    if let Some(rejects) = &rejects_sink {
        staging.add(rejects);
    }
    let progress = Progress::new(len);
    let started = std::time::Instant::now();
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let what_out = sink.what();
    let mut output = Output::rendering(sink.writer()?, sink.what(), render);
    if let (Some(rejects), Some(render)) = (&rejects_sink, rejects_render) {
        output = output.with_rejects(Output::rendering(rejects.writer()?, rejects.what(), render));
    }
    let (tally, result) = convert_to(source, &mut importer, output, threads, &|consumed, rows| {
        progress.update(consumed, rows)
    });
    progress.finish();
    // Only whole outputs are made final (rejects first, so that --out, the
    // main result, is never final without them).
    let result = result.and_then(|()| {
        let mut sinks: Vec<Sink> = rejects_sink.into_iter().collect();
        sinks.push(sink);
        staging.finish(sinks)
    });
    // The summary is printed however the run ended: it counts the lines
    // written, so it says how far the run got. The error (and the files
    // removed) come before it, the summary line last.
    let error = result.err().map(|e| {
        let mut message = summary::message_of(&e, &what_out);
        for note in staging.abandon() {
            message.push_str("; ");
            message.push_str(&note);
        }
        message
    });
    let human = match args.summary {
        SummaryStyle::Human => {
            let mut report = tally.report(&found, started.elapsed());
            if let Some(hint) = country_hint(&tally, args, &unused_names) {
                report.push_str(&hint);
            }
            Some(report)
        }
        SummaryStyle::Json => None,
    };
    let json = summary_json(
        &tally.summary,
        detected.name(),
        source_delimiter,
        tally.blank,
    );
    Ok(summary::finish(human.as_deref(), error.as_deref(), &json))
}

/// The summary line: `{"total", "new", "existing", "duplicate",
/// "invalid"}` in that order (SPEC §5.1), then what was detected: the
/// input's `encoding` and, for CSV, its `delimiter`; `blank`, the rows of
/// empty cells skipped (not in `total`), only when there were any.
fn summary_json(s: &Summary, encoding: &str, delimiter: Option<u8>, blank: u64) -> String {
    let text = |t: &str| serde_json::Value::from(t).to_string();
    let mut line = format!(
        r#"{{"total":{},"new":{},"existing":{},"duplicate":{},"invalid":{},"encoding":{}"#,
        s.total,
        s.new,
        s.existing,
        s.duplicate,
        s.invalid,
        text(encoding)
    );
    if let Some(d) = delimiter {
        line.push_str(r#","delimiter":"#);
        line.push_str(&text(&char::from(d).to_string()));
    }
    if blank > 0 {
        line.push_str(&format!(r#","blank":{blank}"#));
    }
    line.push('}');
    line
}

/// The named columns no field is read from (kept in the CSV outputs as
/// they were), in header order.
fn unused_column_names(names: &[String], columns: &[Column]) -> Vec<String> {
    names
        .iter()
        .zip(columns)
        .filter(|(name, column)| **column == Column::Unmapped && !name.trim().is_empty())
        .map(|(name, _)| name.trim().to_owned())
        .collect()
}

/// The records read ahead to guess columns from their values.
const SAMPLE_ROWS: usize = 200;

/// The report's line for the columns mapped by their values (`None`: none
/// was), e.g. "`Tel.` as phone (48 of 50 values look like one); check
/// them, or name them with --map".
fn guessed_columns(guesses: &[columns::Guess]) -> Option<String> {
    if guesses.is_empty() {
        return None;
    }
    let list: Vec<String> = guesses
        .iter()
        .map(|g| {
            format!(
                "`{}` as {} ({} of the first {} values look like one)",
                g.name.escape_debug(),
                g.read_as,
                g.like,
                g.filled
            )
        })
        .collect();
    Some(format!(
        "{} (their names did not say; --map 'HEADER=FIELD' decides otherwise)",
        list.join(", ")
    ))
}

/// The report's list of the unused columns, at most ten by name; `None`
/// when every named column is used.
fn unused_columns(unused: &[String]) -> Option<String> {
    const SHOWN: usize = 10;
    if unused.is_empty() {
        return None;
    }
    let mut list = unused
        .iter()
        .take(SHOWN)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if unused.len() > SHOWN {
        list.push_str(&format!(" and {} more", unused.len() - SHOWN));
    }
    list.push_str(" (map one with --map COLUMN=FIELD)");
    Some(list)
}

/// When many rows' phones failed for want of a country (a fifth of the
/// rows, or 100), the likely fix: `--default-region`, or the unused column
/// whose name says it holds countries (`--region-column`). Found by the
/// engine's own message for that reason, so it follows the message.
fn country_hint(tally: &Tally, args: &ImportArgs, unused: &[String]) -> Option<String> {
    if args.default_region.is_some() {
        return None;
    }
    let reason = contact_batch::PhoneError::InvalidCountryCode.to_string();
    let rows: usize = tally
        .reasons()
        .iter()
        .filter(|r| r.field.ends_with("phone") && r.example.contains(&reason))
        .map(|r| r.rows)
        .sum();
    let total = tally.summary.total;
    if rows == 0 || (rows.saturating_mul(5) < total && rows < 100) {
        return None;
    }
    let country_like = unused.iter().find(|name| {
        let n = name.to_ascii_lowercase();
        ["country", "region", "land", "pays", "pais", "país"]
            .iter()
            .any(|w| n.contains(w))
    });
    let fix = match country_like {
        Some(column) => format!(
            "--region-column '{column}' (its values are each row's country), or --default-region CC"
        ),
        None => "--default-region CC (e.g. US, GB, DE) for national numbers".to_owned(),
    };
    let (noun, verb) = if rows == 1 {
        ("row", "has")
    } else {
        ("rows", "have")
    };
    Some(format!(
        "  hint: {rows} {noun} {verb} a phone without a country code; give {fix}\n"
    ))
}

/// How messages name INPUT.
fn input_name(args: &ImportArgs) -> String {
    if input::is_stdin(&args.input) {
        "standard input".to_owned()
    } else {
        format!("`{}`", args.input.display())
    }
}

/// A config error about --default-region, with the alpha-2 code the value
/// names when it names a country another way (`UK`, `GBR`, `Germany`).
fn with_region_hint(message: String, args: &ImportArgs) -> String {
    let Some(given) = args.default_region.as_deref() else {
        return message;
    };
    match columns::country_alpha2(given) {
        Some(code) if !given.trim().eq_ignore_ascii_case(code) => {
            format!("{message} (did you mean `--default-region {code}`?)")
        }
        _ => message,
    }
}
