//! The UDFs on RecordBatches, held to the core crate: each line of the
//! dedupe query equals the `Importer`'s line for the same rows.

use std::sync::Arc;

use contact_batch::{Config, Engine, Existing, ImportRow, Importer, Node, Profile};
use contact_batch_datafusion::{dedupe_sql, register_all, DedupeInput, Settings};
use datafusion::arrow::array::{
    Array, BooleanArray, Int64Array, RecordBatch, StringArray, StructArray,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::datasource::MemTable;
use datafusion::prelude::SessionContext;

/// (firstname, phone, email, region)
const ROWS: &[(Option<&str>, Option<&str>, Option<&str>, Option<&str>)] = &[
    (
        Some("Ann"),
        Some("(415) 555-2671"),
        Some("Ann@Example.COM"),
        Some("US"),
    ),
    (Some("Bob"), Some("+1 415 555 2671"), None, None),
    (Some(""), Some("12"), None, Some("US")),
    (
        Some("Cy"),
        Some("020 7183 8750"),
        Some("a@@b"),
        Some("United Kingdom"),
    ),
    (Some("Di"), Some("07700 900123"), None, Some("GBR")),
    (Some("Ed"), Some("+44 20 7183 8750"), None, None),
    (None, Some("+46 70 123 45 67"), None, Some("ZZ")),
    (Some("Fay"), Some("415-555-0000"), None, Some("ZZ")),
    (Some("Gus"), None, None, None),
    (
        Some("Hal"),
        Some("+61 412 345 678"),
        Some("hal@example.org"),
        None,
    ),
];

fn batch() -> RecordBatch {
    let col = |f: fn(
        &(
            Option<&'static str>,
            Option<&'static str>,
            Option<&'static str>,
            Option<&'static str>,
        ),
    ) -> Option<&'static str>| {
        Arc::new(StringArray::from(ROWS.iter().map(f).collect::<Vec<_>>())) as _
    };
    RecordBatch::try_new(
        Arc::new(Schema::new(vec![
            Field::new("row_no", DataType::Int64, false),
            Field::new("firstname", DataType::Utf8, true),
            Field::new("phone", DataType::Utf8, true),
            Field::new("email", DataType::Utf8, true),
            Field::new("region", DataType::Utf8, true),
        ])),
        vec![
            Arc::new(Int64Array::from_iter_values(1..=ROWS.len() as i64)),
            col(|r| r.0),
            col(|r| r.1),
            col(|r| r.2),
            col(|r| r.3),
        ],
    )
    .unwrap()
}

async fn context(settings: &Settings) -> SessionContext {
    let ctx = SessionContext::new();
    let batch = batch();
    let table = MemTable::try_new(batch.schema(), vec![vec![batch]]).unwrap();
    ctx.register_table("people", Arc::new(table)).unwrap();
    let mut state = ctx.state();
    register_all(&mut state, settings).unwrap();
    SessionContext::new_with_state(state)
}

async fn collect(ctx: &SessionContext, sql: &str) -> Vec<RecordBatch> {
    ctx.sql(sql).await.unwrap().collect().await.unwrap()
}

/// The core's lines for ROWS, as `contact-batch import` of a CSV computes
/// them (empty cells absent, the region column read as a region).
fn core_lines(settings: &Settings, existing: &Existing) -> Vec<String> {
    let mut config = Config::new(settings.profile);
    config.default_region = settings.default_region.clone();
    let engine = Engine::new(config).unwrap();
    let rows: Vec<ImportRow<'_>> = ROWS
        .iter()
        .map(|(first, phone, email, region)| {
            let members = [("firstname", first), ("phone", phone), ("email", email)]
                .into_iter()
                .filter_map(|(k, v)| {
                    v.filter(|v| !v.is_empty())
                        .map(|v| (k.into(), Node::Str(v.into())))
                })
                .collect();
            ImportRow {
                fields: Ok(Node::Object(members)),
                region: region.and_then(contact_batch_import::columns::region_code),
            }
        })
        .collect();
    let mut importer = Importer::new(&engine, existing, true).unwrap();
    importer.push(&rows).iter().map(|l| l.to_json()).collect()
}

fn dedupe(settings: &Settings, existing: Option<&'static str>) -> String {
    dedupe_sql(&DedupeInput {
        table: "people",
        row_no: "row_no",
        fields: ["firstname", "phone", "email"]
            .iter()
            .map(|f| (f.to_string(), format!("\"{f}\"")))
            .collect(),
        malformed: None,
        region: Some("region"),
        existing,
        settings: settings.clone(),
    })
}

fn lines(batches: &[RecordBatch]) -> Vec<String> {
    batches
        .iter()
        .flat_map(|b| {
            let a = b
                .column_by_name("line")
                .unwrap()
                .as_any()
                .downcast_ref::<StringArray>()
                .unwrap()
                .clone();
            (0..a.len()).map(move |i| a.value(i).to_owned())
        })
        .collect()
}

#[tokio::test]
async fn dedupe_query_gives_the_importers_lines() {
    for region in [None, Some("GB")] {
        let settings = Settings {
            profile: Profile::RaslCreate,
            default_region: region.map(str::to_owned),
        };
        let ctx = context(&settings).await;
        let got = lines(&collect(&ctx, &dedupe(&settings, None)).await);
        let want = core_lines(&settings, &Existing::new());
        assert_eq!(got, want, "default region {region:?}");
        assert!(got.iter().any(|l| l.contains("\"status\":\"duplicate\"")));
        assert!(got.iter().any(|l| l.contains("\"status\":\"invalid\"")));
    }
}

#[tokio::test]
async fn existing_keys_come_from_a_table() {
    let settings = Settings::new(Profile::RaslCreate);
    let ctx = context(&settings).await;
    ctx.sql("CREATE TABLE known AS VALUES ('+14155552671'), ('+61412345678'), ('+61412345678')")
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    ctx.sql("CREATE VIEW known_phones AS SELECT column1 AS phone FROM known")
        .await
        .unwrap();
    let got = lines(&collect(&ctx, &dedupe(&settings, Some("known_phones"))).await);
    let existing =
        Existing::from_json(br#"{"phones":{"+14155552671":1,"+61412345678":2}}"#).unwrap();
    assert_eq!(got, core_lines(&settings, &existing));
    assert_eq!(
        got.iter()
            .filter(|l| l.contains("\"status\":\"existing\""))
            .count(),
        2
    );
}

#[tokio::test]
async fn normalize_phone_and_validate_email_on_a_batch() {
    let settings = Settings {
        profile: Profile::RaslCreate,
        default_region: Some("US".into()),
    };
    let ctx = context(&settings).await;
    let batches = collect(
        &ctx,
        "SELECT normalize_phone(phone, NULL) AS p, normalize_phone(phone, 'GB') AS g, \
         normalize_phone(phone, NULL, 'profile=rasl-create') AS n, validate_email(email) AS e \
         FROM people ORDER BY row_no",
    )
    .await;
    let b = &batches[0];
    let field = |col: &str, f: &str| -> Vec<Option<String>> {
        let s = b
            .column_by_name(col)
            .unwrap()
            .as_any()
            .downcast_ref::<StructArray>()
            .unwrap();
        let c = s.column_by_name(f).unwrap();
        if let Some(bools) = c.as_any().downcast_ref::<BooleanArray>() {
            return (0..bools.len())
                .map(|i| Some(bools.value(i).to_string()))
                .collect();
        }
        let t = c.as_any().downcast_ref::<StringArray>().unwrap();
        (0..t.len())
            .map(|i| (!t.is_null(i)).then(|| t.value(i).to_owned()))
            .collect()
    };
    // The settings' default region (US) reads row 1; GB reads row 4.
    assert_eq!(field("p", "e164")[0].as_deref(), Some("+14155552671"));
    assert_eq!(field("p", "region")[0].as_deref(), Some("US"));
    assert_eq!(field("g", "e164")[3].as_deref(), Some("+442071838750"));
    assert_eq!(field("p", "valid")[2].as_deref(), Some("false"));
    assert!(field("p", "error")[2].is_some());
    // Settings given as an argument: no default region, a national number fails.
    assert_eq!(field("n", "valid")[0].as_deref(), Some("false"));
    assert_eq!(field("n", "e164")[1].as_deref(), Some("+14155552671"));
    assert!(field("p", "number_type")[9].is_some());
    let engine = Engine::new(Config::new(Profile::RaslCreate)).unwrap();
    let ann = engine.validate_email("Ann@Example.COM").unwrap();
    assert_eq!(
        field("e", "normalized")[0].as_deref(),
        Some(ann.normalized.as_str())
    );
    assert_eq!(field("e", "key")[0].as_deref(), Some(ann.key.as_str()));
    assert_eq!(field("e", "valid")[3].as_deref(), Some("false"));
    assert!(field("e", "error")[3].is_some());
    assert_eq!(field("e", "valid")[1].as_deref(), Some("false"));
}

#[tokio::test]
async fn bad_settings_are_a_plan_error() {
    let settings = Settings::new(Profile::RaslCreate);
    let ctx = context(&settings).await;
    let err = ctx
        .sql("SELECT normalize_phone(phone, NULL, 'profile=nope') FROM people")
        .await
        .unwrap()
        .collect()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("profile=nope"), "{err}");
    assert_eq!(
        Settings::parse(
            &Settings {
                profile: Profile::RecordList,
                default_region: Some("DE".into())
            }
            .to_arg()
        )
        .unwrap(),
        Settings {
            profile: Profile::RecordList,
            default_region: Some("DE".into())
        }
    );
}

/// The plan streams: the window that finds each key's first row is
/// DataFusion's bounded one (it needs its input sorted, and sorts spill),
/// never `WindowAggExec`, which holds a whole partition and hands it on
/// as one batch that no memory limit can spill (before this, 3M rows
/// failed a 2 GiB pool on one 1.5 GB batch).
#[tokio::test]
async fn the_dedupe_window_is_bounded() {
    let settings = Settings::new(Profile::RaslCreate);
    let ctx = context(&settings).await;
    ctx.sql("CREATE VIEW known_phones AS SELECT phone FROM people")
        .await
        .unwrap();
    for existing in [None, Some("known_phones")] {
        let plan = ctx
            .sql(&dedupe(&settings, existing))
            .await
            .unwrap()
            .create_physical_plan()
            .await
            .unwrap();
        let text = datafusion::physical_plan::displayable(plan.as_ref())
            .indent(true)
            .to_string();
        assert!(text.contains("BoundedWindowAggExec"), "{text}");
        assert!(
            !text
                .lines()
                .any(|l| l.trim_start().starts_with("WindowAggExec")),
            "{text}"
        );
    }
}
