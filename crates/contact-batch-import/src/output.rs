//! Where an import's outcome lines go, and how a file output is made
//! honest: written to a temporary file in the same folder and renamed over
//! `--out` only once every line is written, flushed and synced. A run that
//! fails (a full disk) or is killed leaves `--out` as it was (or absent) and
//! at most a hidden `.NAME.*.partial` file, never a file that looks finished.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use contact_batch::{ImportLine, RowStatus};

use crate::tally::Tally;
use crate::Error;
use crate::RawRow;

/// The destination of an output: standard output, a file written in place
/// (a device or a pipe such as `/dev/null`), or a file written beside its
/// final name and renamed at the end.
pub enum Sink {
    /// Standard output.
    Stdout,
    /// Written directly (not a regular file: nothing to rename).
    Direct {
        /// The open file.
        file: File,
        /// Its name in messages.
        what: String,
    },
    /// Written to `temp`, renamed to `path` by [`Sink::finish`].
    Staged {
        /// The file written, beside `path`.
        temp: tempfile::NamedTempFile,
        /// The final name.
        path: PathBuf,
        /// Its name in messages.
        what: String,
    },
}

impl Sink {
    /// Opens `path` for writing (`None` or `-`: standard output).
    pub fn create(path: Option<&Path>, flag: &str) -> Result<Sink, Error> {
        let Some(path) = path.filter(|p| p.as_os_str() != "-") else {
            return Ok(Sink::Stdout);
        };
        let what = format!("{flag} file `{}`", path.display());
        let cannot = |e: io::Error| Error::new(format!("cannot create {what}: {e}"));
        match std::fs::metadata(path) {
            // A device, a pipe, ...: written as it is.
            Ok(meta) if !meta.is_file() => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(cannot)?;
                return Ok(Sink::Direct { file, what });
            }
            _ => {}
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".partial")
            .tempfile_in(dir)
            .map_err(cannot)?;
        Ok(Sink::Staged {
            temp,
            path: path.to_owned(),
            what,
        })
    }

    /// How to name the output in messages.
    pub fn what(&self) -> String {
        match self {
            Sink::Stdout => "standard output".to_owned(),
            Sink::Direct { what, .. } | Sink::Staged { what, .. } => what.clone(),
        }
    }

    /// A writer over the output; [`Sink::finish`] after it is flushed.
    pub fn writer(&self) -> Result<Box<dyn Write + Send>, Error> {
        let reopen = |f: &File| {
            f.try_clone()
                .map_err(|e| Error::new(format!("cannot write {}: {e}", self.what())))
        };
        Ok(match self {
            Sink::Stdout => Box::new(io::stdout()),
            Sink::Direct { file, .. } => Box::new(reopen(file)?),
            Sink::Staged { temp, .. } => Box::new(reopen(temp.as_file())?),
        })
    }

    /// Makes a complete output final: syncs a staged file and renames it
    /// over its path. A sink dropped without this removes its temporary file.
    pub fn finish(self) -> Result<(), Error> {
        match self {
            Sink::Stdout | Sink::Direct { .. } => Ok(()),
            Sink::Staged { temp, path, what } => {
                temp.as_file()
                    .sync_all()
                    .map_err(|e| Error::new(format!("cannot write {what}: {e}")))?;
                temp.persist(&path)
                    .map_err(|e| Error::new(format!("cannot write {what}: {}", e.error)))?;
                Ok(())
            }
        }
    }
}

/// How outcome lines are rendered.
#[derive(Debug, Clone)]
pub enum Render {
    /// One NDJSON line per row.
    Ndjson,
    /// A CSV row per row: the input's cells as they were, then `status`,
    /// `duplicate_of`, `errors`, `phone_e164`, `email_normalized`.
    Csv {
        /// The input's delimiter, used for the output too.
        delimiter: u8,
        /// The input's header names.
        names: Vec<String>,
    },
    /// Invalid and duplicate rows only, as the input had them plus an
    /// `errors` column: fix them and import the file again.
    Rejects {
        /// The input's delimiter, used for the output too.
        delimiter: u8,
        /// The input's header names.
        names: Vec<String>,
    },
}

/// The columns [`Render::Csv`] adds after the input's.
pub const CSV_OUTCOME_COLUMNS: [&str; 5] = [
    "status",
    "duplicate_of",
    "errors",
    "phone_e164",
    "email_normalized",
];

impl Render {
    /// The header line of a CSV rendering.
    fn header(&self) -> Option<Vec<u8>> {
        let (delimiter, names, extra): (u8, &[String], &[&str]) = match self {
            Render::Ndjson => return None,
            Render::Csv { delimiter, names } => (*delimiter, names, &CSV_OUTCOME_COLUMNS),
            // A rejects file imported again keeps its one `errors` column.
            Render::Rejects { delimiter, names } if names.iter().any(|n| n == "errors") => {
                (*delimiter, names, &[])
            }
            Render::Rejects { delimiter, names } => (*delimiter, names, &["errors"]),
        };
        let mut w = csv_writer(delimiter);
        let mut cells: Vec<&str> = names.iter().map(String::as_str).collect();
        cells.extend_from_slice(extra);
        w.write_record(&cells).ok()?;
        w.into_inner().ok()
    }

    /// Appends `line` (the outcome of `raw`) to `out`; `false` when the
    /// rendering leaves the row out.
    fn line(&self, line: &ImportLine, raw: Option<&RawRow>, out: &mut Vec<u8>) -> bool {
        let (delimiter, names, all) = match self {
            Render::Ndjson => {
                line.write_json(out);
                out.push(b'\n');
                return true;
            }
            Render::Csv { delimiter, names } => (*delimiter, names, true),
            Render::Rejects { delimiter, names } => (*delimiter, names, false),
        };
        if !all && !matches!(line.status, RowStatus::Invalid | RowStatus::Duplicate) {
            return false;
        }
        let mut cells: Vec<&str> = match raw {
            Some(RawRow::Csv(record)) => record.iter().collect(),
            // A row that could not be read as cells (its message says which
            // line it is): blank cells, the message in `errors`.
            _ => vec![""; names.len()],
        };
        cells.resize(names.len(), "");
        let errors = errors_text(line);
        if all {
            let duplicate_of = line.duplicate_of.map(|r| r.to_string()).unwrap_or_default();
            let email = line
                .contact
                .as_ref()
                .and_then(|c| c.email.clone())
                .unwrap_or_default();
            let status = match line.status {
                RowStatus::New => "new",
                RowStatus::Existing => "existing",
                RowStatus::Duplicate => "duplicate",
                _ => "invalid",
            };
            let phone = line.phone.clone().unwrap_or_default();
            let mut w = csv_writer(delimiter);
            cells.extend([status, &duplicate_of, &errors, &phone, &email]);
            let _ = w.write_record(&cells);
            out.extend_from_slice(&w.into_inner().unwrap_or_default());
        } else {
            let mut w = csv_writer(delimiter);
            match names.iter().position(|n| n == "errors") {
                Some(at) => cells[at] = &errors,
                None => cells.push(&errors),
            }
            let _ = w.write_record(&cells);
            out.extend_from_slice(&w.into_inner().unwrap_or_default());
        }
        true
    }
}

/// A CSV writer into memory: `delimiter`, quotes only where needed, `\n`.
fn csv_writer(delimiter: u8) -> ::csv::Writer<Vec<u8>> {
    ::csv::WriterBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_writer(Vec::new())
}

/// An outcome's errors as one cell: `field: message` joined by ` | `; a
/// duplicate's says which row it repeats.
fn errors_text(line: &ImportLine) -> String {
    if line.status == RowStatus::Duplicate {
        if let Some(first) = line.duplicate_of {
            return format!("duplicate: the phone of row {first}");
        }
    }
    line.errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Renders outcome lines to a writer and counts each one written.
///
/// A chunk's lines are rendered into one buffer and written with plain
/// `write` calls (no `BufWriter` between): when a write fails, the bytes
/// that did reach the output are known, and only the lines wholly among them
/// are counted, so the summary matches the complete lines in the output.
pub struct Output {
    inner: Box<dyn Write + Send>,
    render: Render,
    /// The header line, until it is written with the first chunk.
    header: Option<Vec<u8>>,
    /// A second output of the invalid and duplicate rows (`--rejects`).
    rejects: Option<Box<Output>>,
    buf: Vec<u8>,
    /// Where each line of `buf` ends.
    ends: Vec<usize>,
    what: String,
    /// The lines written so far.
    pub tally: Tally,
}

impl Output {
    /// NDJSON lines into `inner`, named `what` in messages.
    pub fn new(inner: Box<dyn Write + Send>, what: String) -> Output {
        Output::rendering(inner, what, Render::Ndjson)
    }

    /// An output rendered as `render` says.
    pub fn rendering(inner: Box<dyn Write + Send>, what: String, render: Render) -> Output {
        Output {
            inner,
            header: render.header(),
            render,
            rejects: None,
            buf: Vec::with_capacity(1 << 16),
            ends: Vec::new(),
            what,
            tally: Tally::default(),
        }
    }

    /// Also writes the invalid and duplicate rows to `rejects`.
    pub fn with_rejects(mut self, rejects: Output) -> Output {
        self.rejects = Some(Box::new(rejects));
        self
    }

    /// Writes one chunk's lines, in order (`raws`: the chunk's rows as
    /// read, for the CSV renderings).
    pub fn write(&mut self, lines: &[ImportLine], raws: &[RawRow]) -> Result<(), Error> {
        if let Some(rejects) = &mut self.rejects {
            rejects.write(lines, raws)?;
        }
        self.buf.clear();
        self.ends.clear();
        if let Some(header) = self.header.take() {
            self.buf.extend_from_slice(&header);
        }
        let mut kept = Vec::new();
        for (i, outcome) in lines.iter().enumerate() {
            if self.render.line(outcome, raws.get(i), &mut self.buf) {
                self.ends.push(self.buf.len());
                kept.push(i);
            }
        }
        let mut written = 0;
        let result = loop {
            if written == self.buf.len() {
                break Ok(());
            }
            match self.inner.write(&self.buf[written..]) {
                Ok(0) => break Err(io::Error::from(io::ErrorKind::WriteZero)),
                Ok(n) => written += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => break Err(e),
            }
        };
        let complete = self.ends.partition_point(|&end| end <= written);
        for &i in &kept[..complete] {
            self.tally.count(&lines[i]);
        }
        result.map_err(|e| Error::write(&self.what, e))
    }

    /// Writes out what is buffered, in this output and its rejects file.
    pub fn flush(&mut self) -> Result<(), Error> {
        if let Some(rejects) = &mut self.rejects {
            // An input of no rows still gets its header.
            if rejects.header.is_some() {
                rejects.write(&[], &[])?;
            }
            rejects.flush()?;
        }
        if self.header.is_some() {
            self.write(&[], &[])?;
        }
        self.inner.flush().map_err(|e| Error::write(&self.what, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contact_batch::RowStatus;

    /// Takes `room` bytes, then fails as a full disk does.
    struct Full {
        room: usize,
        got: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    }

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::Error::from_raw_os_error(28));
            }
            // A little at a time, as a pipe may take it.
            let n = buf.len().min(self.room).min(7);
            self.room -= n;
            self.got.lock().unwrap().extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn line(row: usize) -> ImportLine {
        ImportLine {
            row,
            status: RowStatus::New,
            phone: Some("+14155552671".into()),
            duplicate_of: None,
            errors: Vec::new(),
            contact: None,
        }
    }

    #[test]
    fn counts_only_the_lines_that_reached_the_output() {
        let lines: Vec<ImportLine> = (1..=10).map(line).collect();
        let one = lines[0].to_json().len() + 1;
        let all: usize = lines.iter().map(|l| l.to_json().len() + 1).sum();
        for room in [0, 1, one - 1, one, one + 1, 3 * one + 5, all - 1, all] {
            let got = std::sync::Arc::default();
            let mut out = Output::new(
                Box::new(Full {
                    room,
                    got: std::sync::Arc::clone(&got),
                }),
                "test output".into(),
            );
            let result = out.write(&lines, &[]);
            let bytes = got.lock().unwrap().clone();
            let complete = bytes.iter().filter(|&&b| b == b'\n').count();
            assert_eq!(out.tally.summary.total, complete, "room {room}");
            assert_eq!(out.tally.summary.new, complete);
            if room == all {
                assert!(result.is_ok());
            } else {
                let e = result.unwrap_err().to_string();
                assert!(e.contains("cannot write test output"), "{e}");
            }
        }
    }
}
