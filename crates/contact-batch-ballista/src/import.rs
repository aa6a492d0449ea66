//! `contact-batch-cluster import`: stage, query, write.
//!
//! 1. **Stage.** Each INPUT is read with the command line's own CSV reader
//!    (encoding detection, delimiter sniffing, header mapping, region cells,
//!    malformed lines), so every row reaches the UDFs as `contact-batch
//!    import` reads it, and numbered across the inputs in the order given.
//!    The rows go to Parquet files of [`STAGE_ROWS`] rows (one column per
//!    profile field, `row_no`, `region`, `_malformed`) in a directory beside
//!    `--out`, which the executors read (on several machines: shared
//!    storage). Staging is one sequential pass, a small part of a row's cost
//!    (the checks are the rest); data already in a table with an order
//!    column skips it and runs [`contact_batch_datafusion::dedupe_sql`]
//!    directly.
//! 2. **Query.** The dedupe SQL, in-process (`--local`) or on a Ballista
//!    cluster (`--scheduler df://HOST:PORT`).
//! 3. **Write.** The lines in row order to `--out` (written beside it and
//!    renamed when complete), as NDJSON or Parquet.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ballista::prelude::SessionContextExt;
use contact_batch::{Existing, Node, Profile, Summary};
use contact_batch_datafusion::{
    dedupe_sql, profile_fields, udfs, DedupeInput, Settings, MALFORMED,
};
use contact_batch_import::columns::{self, Mapping};
use contact_batch_import::input::{ByteInput, Opened};
use contact_batch_import::{encoding, open_source_with, Format};
use datafusion::arrow::array::{
    Array, ArrayRef, Int64Builder, RecordBatch, StringArray, StringBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::memory_pool::{FairSpillPool, TrackConsumersPool};
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::execution::SessionStateBuilder;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::prelude::{CsvReadOptions, ParquetReadOptions, SessionConfig, SessionContext};
use futures::StreamExt;

/// Rows per staged Parquet file (each file is at least one partition of
/// the scan, hence of the checks). `CONTACT_BATCH_STAGE_ROWS` overrides it.
pub const STAGE_ROWS: usize = 16_384;

/// Where the query runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// In-process DataFusion, no cluster.
    Local,
    /// A Ballista scheduler, `df://HOST:PORT`.
    Scheduler(String),
}

/// `--out-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutFormat {
    /// One line of JSON per row, as `contact-batch import` writes.
    Ndjson,
    /// The line's members as columns (row, status, phone, duplicate_of,
    /// errors, contact; errors and contact as JSON text).
    Parquet,
}

/// One run of `import`.
#[derive(Debug, Clone)]
pub struct ImportJob {
    /// Where the query runs.
    pub target: Target,
    /// The API whose rules to use.
    pub profile: Profile,
    /// Region for phones without `+`.
    pub default_region: Option<String>,
    /// Existing keys: `.parquet` or `.csv` with a `phone` column of E.164
    /// keys, or `contact-batch import`'s JSON (`{"phones": {...}}`).
    pub existing: Option<PathBuf>,
    /// CSV inputs, numbered across in this order.
    pub inputs: Vec<PathBuf>,
    /// The output file.
    pub out: PathBuf,
    /// Its format.
    pub out_format: OutFormat,
    /// With [`Target::Local`]: the memory pool's size in bytes (0 =
    /// unbounded). Past it the sorts spill to the stage directory beside
    /// `out`. Measured on 10M generated rows: 10.6 GB peak RSS unbounded.
    pub memory_limit: usize,
}

/// An error for the user, with advice where there is some.
pub fn explain(message: String) -> String {
    const ADVICE: &str =
        "Ballista ships no code, so the scheduler must be contact-batch-scheduler \
         and every executor contact-batch-executor (not ballista-scheduler / ballista-executor). \
         See the README's section on scale-out.";
    if message.contains("is not provided for scalar function") {
        format!("{message}\n\nThe cluster does not know the contact-batch functions: {ADVICE}")
    } else if message.contains("could not be prepared or was rejected by executor") {
        // A stock executor fails to decode the plan ("PhysicalExtensionCodec
        // is not provided for scalar function check_contact") in its own log;
        // the scheduler passes on only this line.
        format!(
            "{message}\n\nAn executor could not decode the query plan. The usual cause is an executor \
             without the contact-batch functions (check_contact, import_line, normalize_phone, \
             validate_email; its log then says `PhysicalExtensionCodec is not provided for scalar \
             function check_contact`): {ADVICE}"
        )
    } else if message.contains("Resources exhausted") {
        format!(
            "{message}\n\nThe query needs more memory than its pool gives it (each sort keeps about \
             10 MB to merge what it spilled): raise --memory-limit (with --local; 0 = unbounded) or \
             the executors' --memory-pool-size."
        )
    } else {
        message
    }
}

fn err(e: impl std::fmt::Display) -> String {
    explain(e.to_string())
}

/// A directory removed when dropped.
struct Stage(PathBuf);

impl Drop for Stage {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn absolute(path: &Path) -> Result<PathBuf, String> {
    std::path::absolute(path).map_err(|e| format!("`{}`: {e}", path.display()))
}

/// Runs the import; returns its counts.
pub async fn run(job: &ImportJob) -> Result<Summary, String> {
    if job.profile == Profile::RaslDelete {
        return Err(contact_batch::ImportUnsupported(job.profile).to_string());
    }
    let settings = Settings {
        profile: job.profile,
        default_region: job.default_region.clone(),
    };
    // The settings are checked up front, as `import` does.
    contact_batch::Engine::new(settings.config()).map_err(err)?;
    let out = absolute(&job.out)?;
    for input in &job.inputs {
        if fs::canonicalize(input).ok() == fs::canonicalize(&out).ok() && out.exists() {
            return Err(format!(
                "--out `{}` is INPUT itself: writing it would destroy the input",
                job.out.display()
            ));
        }
    }
    let dir = out.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stage = Stage(dir.join(format!(".{name}.stage-{}", std::process::id())));
    fs::create_dir_all(stage.0.join("rows"))
        .map_err(|e| format!("cannot create `{}`: {e}", stage.0.display()))?;
    let rows_per_file = std::env::var("CONTACT_BATCH_STAGE_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(STAGE_ROWS);
    stage_inputs(
        job.profile,
        &job.inputs,
        &stage.0.join("rows"),
        rows_per_file,
    )?;

    let ctx = match &job.target {
        Target::Local => local_context(job.memory_limit, &stage.0.join("spill"))?,
        Target::Scheduler(url) => {
            let state = SessionStateBuilder::new()
                .with_config(SessionConfig::new())
                .with_default_features()
                .build();
            SessionContext::remote_with_state(url, state)
                .await
                .map_err(err)?
        }
    };
    // After connecting: Ballista's session upgrade replaces the scalar
    // functions a state was built with.
    for udf in udfs(&settings) {
        ctx.register_udf(udf.as_ref().clone());
    }
    let rows_dir = format!("{}/", stage.0.join("rows").display());
    ctx.register_parquet("staged", &rows_dir, ParquetReadOptions::default())
        .await
        .map_err(err)?;
    let existing = match &job.existing {
        Some(path) => {
            register_existing(&ctx, path, &stage.0).await?;
            Some("existing")
        }
        None => None,
    };
    let fields = profile_fields(job.profile);
    let sql = dedupe_sql(&DedupeInput {
        table: "staged",
        row_no: "row_no",
        fields,
        malformed: Some("\"_malformed\""),
        region: Some("\"region\""),
        existing,
        settings,
    });
    let df = ctx.sql(&sql).await.map_err(err)?;
    let mut stream = df.execute_stream().await.map_err(err)?;

    let partial = dir.join(format!(".{name}.partial-{}", std::process::id()));
    let file =
        File::create(&partial).map_err(|e| format!("cannot write `{}`: {e}", partial.display()))?;
    let result = async {
        let mut writer = Writer::new(job.out_format, file);
        let mut summary = Summary::default();
        while let Some(batch) = stream.next().await {
            let batch = batch.map_err(err)?;
            count(&batch, &mut summary)?;
            writer.write(&batch)?;
        }
        writer.finish()?;
        Ok::<Summary, String>(summary)
    }
    .await;
    match result {
        Ok(summary) => {
            fs::rename(&partial, &out)
                .map_err(|e| format!("cannot write `{}`: {e}", out.display()))?;
            Ok(summary)
        }
        Err(e) => {
            let _ = fs::remove_file(&partial);
            Err(e)
        }
    }
}

/// The in-process session: DataFusion's defaults, with a memory pool of
/// `limit` bytes (none for 0) whose sorts spill into `spill`.
fn local_context(limit: usize, spill: &Path) -> Result<SessionContext, String> {
    let mut runtime = RuntimeEnvBuilder::new();
    let mut config = SessionConfig::new();
    if limit > 0 {
        // What each sort keeps back to merge its spill files: DataFusion's
        // 10 MB, or a 64th of a smaller budget, so that a small budget
        // still spills instead of failing.
        config = config.with_sort_spill_reservation_bytes((limit / 64).min(10 << 20));
        fs::create_dir_all(spill)
            .map_err(|e| format!("cannot create `{}`: {e}", spill.display()))?;
        // A fair pool, not `with_memory_limit`'s greedy one: several sorts
        // run at once (one per partition, then the window's and the final
        // order's), and a greedy pool lets the first take everything, so
        // that the next fails instead of spilling.
        let pool = TrackConsumersPool::new(
            FairSpillPool::new(limit),
            NonZeroUsize::new(5).expect("5 is not zero"),
        );
        runtime = runtime
            .with_memory_pool(Arc::new(pool))
            .with_disk_manager_builder(
                DiskManagerBuilder::default()
                    .with_mode(DiskManagerMode::Directories(vec![spill.to_path_buf()])),
            );
    }
    let state = SessionStateBuilder::new()
        .with_config(config)
        .with_runtime_env(runtime.build_arc().map_err(err)?)
        .with_default_features()
        .build();
    Ok(SessionContext::new_with_state(state))
}

/// A text column of the query's output, as `Utf8` whatever its string type.
fn column(batch: &RecordBatch, name: &str) -> Result<StringArray, String> {
    let missing = || format!("the query gave no text column `{name}`");
    let c = batch.column_by_name(name).ok_or_else(missing)?;
    let c = datafusion::arrow::compute::cast(c, &DataType::Utf8).map_err(err)?;
    c.as_any()
        .downcast_ref::<StringArray>()
        .cloned()
        .ok_or_else(missing)
}

fn count(batch: &RecordBatch, summary: &mut Summary) -> Result<(), String> {
    let status = column(batch, "status")?;
    for i in 0..status.len() {
        summary.total += 1;
        match status.value(i) {
            "new" => summary.new += 1,
            "existing" => summary.existing += 1,
            "duplicate" => summary.duplicate += 1,
            _ => summary.invalid += 1,
        }
    }
    Ok(())
}

/// The output file's writer.
enum Writer {
    Ndjson(BufWriter<File>),
    Parquet(Option<File>, Option<ArrowWriter<File>>),
}

impl Writer {
    fn new(format: OutFormat, file: File) -> Writer {
        match format {
            OutFormat::Ndjson => Writer::Ndjson(BufWriter::with_capacity(1 << 20, file)),
            OutFormat::Parquet => Writer::Parquet(Some(file), None),
        }
    }

    fn write(&mut self, batch: &RecordBatch) -> Result<(), String> {
        let io = |e: std::io::Error| format!("cannot write --out: {e}");
        match self {
            Writer::Ndjson(w) => {
                let lines = column(batch, "line")?;
                for i in 0..lines.len() {
                    w.write_all(lines.value(i).as_bytes()).map_err(io)?;
                    w.write_all(b"\n").map_err(io)?;
                }
                Ok(())
            }
            Writer::Parquet(file, writer) => {
                let keep: Vec<usize> = (0..batch.num_columns())
                    .filter(|&i| batch.schema().field(i).name() != "line")
                    .collect();
                let batch = batch.project(&keep).map_err(err)?;
                if writer.is_none() {
                    let f = file.take().ok_or("the Parquet output is closed")?;
                    *writer = Some(ArrowWriter::try_new(f, batch.schema(), None).map_err(err)?);
                }
                writer
                    .as_mut()
                    .ok_or("the Parquet output is closed")?
                    .write(&batch)
                    .map_err(err)
            }
        }
    }

    fn finish(self) -> Result<(), String> {
        match self {
            Writer::Ndjson(mut w) => w.flush().map_err(|e| format!("cannot write --out: {e}")),
            Writer::Parquet(_, Some(w)) => w.close().map(|_| ()).map_err(err),
            // No row at all: an empty file, as `import` writes for NDJSON.
            Writer::Parquet(_, None) => Ok(()),
        }
    }
}

/// `--existing`: a table with a `phone` column of E.164 keys.
async fn register_existing(ctx: &SessionContext, path: &Path, stage: &Path) -> Result<(), String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let shown = path.display();
    let path = absolute(path)?;
    match ext.as_str() {
        "parquet" => ctx
            .register_parquet("existing", &path.to_string_lossy(), ParquetReadOptions::default())
            .await
            .map_err(err),
        "csv" => register_existing_csv(ctx, &path).await,
        "json" => {
            // `contact-batch import`'s file: checked as it checks it, then
            // its phones staged as a CSV of keys.
            let bytes = fs::read(&path).map_err(|e| format!("cannot read --existing `{shown}`: {e}"))?;
            Existing::from_json(&bytes).map_err(|e| format!("--existing `{shown}`: {e}"))?;
            let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(err)?;
            let csv = stage.join("existing.csv");
            let mut text = String::from("phone\n");
            if let Some(phones) = value.get("phones").and_then(|p| p.as_object()) {
                for key in phones.keys() {
                    text.push_str(key);
                    text.push('\n');
                }
            }
            fs::write(&csv, text).map_err(|e| format!("cannot write `{}`: {e}", csv.display()))?;
            register_existing_csv(ctx, &csv).await
        }
        _ => Err(format!(
            "--existing `{shown}`: expected a .parquet or .csv table with a `phone` column of E.164 keys, \
             or contact-batch import's .json"
        )),
    }
}

async fn register_existing_csv(ctx: &SessionContext, path: &Path) -> Result<(), String> {
    let schema = Schema::new(vec![Field::new("phone", DataType::Utf8, true)]);
    ctx.register_csv(
        "existing",
        &path.to_string_lossy(),
        CsvReadOptions::new().has_header(true).schema(&schema),
    )
    .await
    .map_err(err)
}

/// The staged table's columns: `row_no`, `_malformed`, `region`, then the
/// profile's fields.
fn stage_schema(profile: Profile) -> SchemaRef {
    let mut fields = vec![
        Field::new("row_no", DataType::Int64, false),
        Field::new(MALFORMED, DataType::Utf8, true),
        Field::new("region", DataType::Utf8, true),
    ];
    for f in columns::fields(profile) {
        fields.push(Field::new(*f, DataType::Utf8, true));
    }
    Arc::new(Schema::new(fields))
}

/// Rows being staged, flushed to one Parquet file at a time.
struct Staging<'a> {
    dir: &'a Path,
    schema: SchemaRef,
    names: &'static [&'static str],
    row_no: Int64Builder,
    malformed: StringBuilder,
    region: StringBuilder,
    fields: Vec<StringBuilder>,
    rows: usize,
    files: usize,
}

impl Staging<'_> {
    fn flush(&mut self) -> Result<(), String> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(self.row_no.finish()),
            Arc::new(self.malformed.finish()),
            Arc::new(self.region.finish()),
        ];
        columns.extend(
            self.fields
                .iter_mut()
                .map(|b| Arc::new(b.finish()) as ArrayRef),
        );
        let batch = RecordBatch::try_new(self.schema.clone(), columns).map_err(err)?;
        let path = self.dir.join(format!("part-{:06}.parquet", self.files));
        let file =
            File::create(&path).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        let mut writer = ArrowWriter::try_new(file, self.schema.clone(), None).map_err(err)?;
        writer.write(&batch).map_err(err)?;
        writer.close().map_err(err)?;
        self.files += 1;
        self.rows = 0;
        Ok(())
    }
}

/// Reads the inputs as `contact-batch import` does and stages their rows;
/// returns the number of rows.
pub fn stage_inputs(
    profile: Profile,
    inputs: &[PathBuf],
    dir: &Path,
    rows_per_file: usize,
) -> Result<u64, String> {
    let names = columns::fields(profile);
    let mut staging = Staging {
        dir,
        schema: stage_schema(profile),
        names,
        row_no: Int64Builder::new(),
        malformed: StringBuilder::new(),
        region: StringBuilder::new(),
        fields: names.iter().map(|_| StringBuilder::new()).collect(),
        rows: 0,
        files: 0,
    };
    let mut row_no: i64 = 0;
    let mut cells: Vec<Option<String>> = vec![None; names.len()];
    for input in inputs {
        let shown = format!("`{}`", input.display());
        let is_csv = matches!(
            input
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref(),
            Some("csv" | "tsv" | "txt" | "tab")
        );
        if !is_csv {
            return Err(format!(
                "INPUT {shown}: contact-batch-cluster reads CSV inputs (.csv, .tsv, .txt)"
            ));
        }
        let file = File::open(input).map_err(|e| format!("cannot read INPUT {shown}: {e}"))?;
        let len = file
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        let opened = Opened {
            reader: Box::new(file),
            len,
            name: shown.clone(),
        };
        let (opened, _) = encoding::decode(opened, None).map_err(err)?;
        let mut source =
            open_source_with(Format::Csv, ByteInput::new(opened), None).map_err(err)?;
        if !source.names().is_empty() {
            let mapped = columns::map_header(profile, source.names(), &Mapping::default())
                .map_err(|e| format!("INPUT {shown}: {e}"))?;
            source.set_header(mapped);
        }
        while let Some(raw) = source
            .next_row()
            .map_err(|e| format!("INPUT {shown}: {e}"))?
        {
            let row = raw.to_import_row(source.header());
            row_no += 1;
            staging.row_no.append_value(row_no);
            staging.region.append_option(row.region.as_deref());
            cells.iter_mut().for_each(|c| *c = None);
            match &row.fields {
                Err(message) => staging.malformed.append_value(message),
                Ok(Node::Object(members)) => {
                    staging.malformed.append_null();
                    for (name, value) in members {
                        if let (Some(at), Node::Str(v)) =
                            (staging.names.iter().position(|n| n == name), value)
                        {
                            cells[at] = Some(v.to_string());
                        }
                    }
                }
                Ok(other) => staging
                    .malformed
                    .append_value(format!("a row must be an object, not {}", other.kind())),
            }
            for (builder, cell) in staging.fields.iter_mut().zip(&cells) {
                builder.append_option(cell.as_deref());
            }
            staging.rows += 1;
            if staging.rows >= rows_per_file {
                staging.flush()?;
            }
        }
    }
    staging.flush()?;
    if staging.files == 0 {
        // No row: one empty file, so the table still has its schema.
        let path = dir.join("part-000000.parquet");
        let file =
            File::create(&path).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        ArrowWriter::try_new(file, staging.schema.clone(), None)
            .and_then(|w| w.close().map(|_| ()))
            .map_err(err)?;
    }
    Ok(row_no as u64)
}
