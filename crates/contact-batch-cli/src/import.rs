//! `contact-batch import`: the flags turned into a run of the
//! `contact-batch-import` library (readers, column mapping, the chunked
//! pipeline through the core's `Importer`, the outputs and the report),
//! with a progress bar and the summary on stderr.

use std::path::Path;

use contact_batch::{Config, Engine, Importer, Node};
use contact_batch_import::columns::{self, Mapping};
use contact_batch_import::input::{self as import_input, ByteInput};
use contact_batch_import::output::{Output, Render, Sink};
use contact_batch_import::{convert_to, csv, encoding, guess_format, open_source_with, Format};

use crate::cli::{ImportArgs, OutputFormat, SummaryStyle};
use crate::input;
use crate::progress::Progress;
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

pub(crate) fn run(args: &ImportArgs) -> Result<(), CliError> {
    let profile = args.profile.0;
    let format = format_of(args)?;
    let mut config = Config::new(profile);
    config.default_region = args.default_region.clone();
    config.threads = args.threads;
    // An import is a long run: a copy of the phone metadata per thread
    // costs ~10 ms up front and saves CPU on every row.
    config.phone_util_per_thread = true;
    let engine =
        Engine::new(config).map_err(|e| CliError::new(with_region_hint(e.to_string(), args)))?;
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
    let existing = input::read_existing(args.existing.as_deref())?;
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
    if format == Format::Csv && !source.names().is_empty() {
        let columns = columns::map_header(profile, source.names(), &mapping)
            .map_err(|e| CliError::new(format!("INPUT {}: {e}", input_name(args))))?;
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
    let source_delimiter = source.delimiter();
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
            Render::Csv { delimiter, names }
        }
    };
    let rejects_render = match &args.rejects {
        Some(_) => {
            let (delimiter, names) = csv_names()?;
            Some(Render::Rejects { delimiter, names })
        }
        None => None,
    };
    if let (Some(rejects), Some(out)) = (&args.rejects, &args.out) {
        if rejects == out {
            return Err(CliError::new("--rejects and --out name the same file"));
        }
    }
    let sink = Sink::create(args.out.as_deref(), "--out")?;
    let rejects_sink = match &args.rejects {
        Some(path) => Some(Sink::create(Some(path), "--rejects")?),
        None => None,
    };
    let progress = Progress::new(len);
    let started = std::time::Instant::now();
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let mut output = Output::rendering(sink.writer()?, sink.what(), render);
    if let (Some(rejects), Some(render)) = (&rejects_sink, rejects_render) {
        output = output.with_rejects(Output::rendering(rejects.writer()?, rejects.what(), render));
    }
    let (tally, result) = convert_to(source, &mut importer, output, threads, &|consumed, rows| {
        progress.update(consumed, rows)
    });
    progress.finish();
    // Only whole outputs are made final; a failed run's staged files are
    // removed when the sinks are dropped.
    let result = result
        .and_then(|()| rejects_sink.map_or(Ok(()), Sink::finish))
        .and_then(|()| sink.finish());
    if matches!(result, Err(CliError::BrokenPipe)) {
        return Err(CliError::BrokenPipe);
    }
    // The summary is printed even when reading or writing failed half way:
    // it counts the lines written, so it says how far the run got. An error
    // message follows it then.
    match args.summary {
        SummaryStyle::Json => {
            // Read back as a Node, whose members keep their order (a
            // serde_json::Value's order would be serde_json's features').
            let text = serde_json::to_string(&tally.summary)
                .map_err(|e| CliError::new(format!("cannot render the summary: {e}")))?;
            let mut summary = Node::parse(text.as_bytes())
                .map_err(|e| CliError::new(format!("cannot render the summary: {e}")))?
                .into_owned();
            if let Node::Object(members) = &mut summary {
                members.push(("encoding".into(), Node::from(detected.name())));
                if let Some(d) = source_delimiter {
                    members.push(("delimiter".into(), Node::from(char::from(d).to_string())));
                }
            }
            eprintln!("{}", summary.to_json());
        }
        SummaryStyle::Human => eprint!("{}", tally.report(&found, started.elapsed())),
    }
    result
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
