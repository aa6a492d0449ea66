//! The import readers of contact-batch-import, fed the way a pipe may
//! feed them: regressions found by the `import_reader` fuzz target.

use contact_batch_import::csv::Column;
use contact_batch_import::input::ByteInput;
use contact_batch_import::{open_source, RawRow};
use contact_batch_import::{Error, Format};

/// Every row's JSON bytes (or message), read `step` bytes at a time.
fn json_rows(format: Format, data: &[u8], step: usize) -> Vec<Result<Vec<u8>, String>> {
    let mut source = open_source(format, ByteInput::from_bytes_in_steps(data, step))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut rows = Vec::new();
    while let Some(row) = source.next_row().unwrap_or_else(|e| panic!("{e}")) {
        rows.push(match row {
            RawRow::Json { bytes, .. } => Ok(bytes),
            RawRow::Malformed(m) => Err(m),
            RawRow::Csv(r) => panic!("a CSV row from JSON: {r:?}"),
            RawRow::Undecodable { cells, .. } => panic!("a CSV row from JSON: {cells:?}"),
        });
    }
    rows
}

#[test]
fn byte_order_mark_split_over_reads_is_skipped() {
    // Before: only a first read of 3 bytes or more was checked for the
    // mark, so a pipe delivering a byte at a time kept it and the first
    // NDJSON row was invalid JSON, the array was refused, the header's
    // first column was misnamed.
    for step in 1..=4 {
        let rows = json_rows(Format::Ndjson, b"\xEF\xBB\xBF{\"a\":1}\n{\"b\":2}\n", step);
        assert_eq!(
            rows,
            vec![Ok(b"{\"a\":1}\n".to_vec()), Ok(b"{\"b\":2}\n".to_vec())],
            "step {step}"
        );

        let rows = json_rows(Format::Json, b"\xEF\xBB\xBF[{\"a\":1}]", step);
        assert_eq!(rows, vec![Ok(b"{\"a\":1}".to_vec())], "step {step}");

        let source = open_source(
            Format::Csv,
            ByteInput::from_bytes_in_steps(b"\xEF\xBB\xBFphone,x\n1,2\n", step),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            source.header(),
            [Column::Field("phone".into()), Column::Field("x".into())],
            "step {step}"
        );
    }
}

#[test]
fn part_of_a_byte_order_mark_is_kept() {
    for step in 1..=4 {
        let rows = json_rows(Format::Ndjson, b"\xEF\xBBx\n\xEF\n", step);
        assert_eq!(
            rows,
            vec![Ok(b"\xEF\xBBx\n".to_vec()), Ok(b"\xEF\n".to_vec())],
            "step {step}"
        );
        assert_eq!(
            json_rows(Format::Ndjson, b"\xEF\xBB", step),
            vec![Ok(b"\xEF\xBB".to_vec())]
        );
        assert!(json_rows(Format::Ndjson, b"\xEF\xBB\xBF", step).is_empty());
    }
}

#[test]
fn a_column_named_twice_is_a_one_line_error() {
    // Before: a quoted header cell with a line break was quoted as is, and
    // the error message ran over several lines.
    let Err(Error::Message(m)) = open_source(
        Format::Csv,
        ByteInput::from_bytes_in_steps(b"\"a\nb\",\"a\nb\"\n", 64),
    ) else {
        panic!("a header naming a column twice was accepted");
    };
    assert!(m.contains("names the column `a\\nb` twice"), "{m}");
    assert!(!m.contains('\n'), "{m}");
}
