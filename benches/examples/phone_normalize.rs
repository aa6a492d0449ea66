//! Instructions per number of the engine's whole phone path (parse,
//! validate, type, region, E.164: `Engine::normalize_phone`) on the phone
//! and region columns of a CSV, for callgrind, against the C++ loop of
//! `benches/baseline/libphonenumber_loop.cc` (parse, `IsValidNumber`,
//! `Format(E164)`) on the same file:
//!
//! ```sh
//! python3 benches/gen_contacts.py --rows 10000 --format csv --seed 7 >c10k.csv
//! cargo build --release -p contact-batch-benches --example phone_normalize
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measured_pass*' \
//!     --callgrind-out-file=cg.ours target/release/examples/phone_normalize c10k.csv
//! for p in 1 2; do PASSES=$p valgrind --tool=callgrind --collect-atstart=no \
//!     --toggle-collect='RunLoop*' --callgrind-out-file=cg.cpp$p \
//!     target/baseline/libphonenumber_loop c10k.csv; done
//! ```
//!
//! Each side reads the file first and runs a warm-up pass (the C++ library
//! compiles its patterns on first use); only the second pass counts: ours
//! collects `measured_pass` alone, the C++ loop's warm pass is the
//! difference between its two- and one-pass runs.
//! The CSV is read line by line with RFC 4180 quotes (`gen_contacts.py`
//! writes no line break inside a cell).

use contact_batch::{Config, Engine, Profile};

#[inline(never)]
fn measured_pass(engine: &Engine, rows: &[(String, Option<String>)]) -> usize {
    pass(engine, rows)
}

#[inline(never)]
fn pass(engine: &Engine, rows: &[(String, Option<String>)]) -> usize {
    rows.iter()
        .filter(|(phone, region)| {
            engine
                .normalize_phone(std::hint::black_box(phone), region.as_deref())
                .is_ok()
        })
        .count()
}

/// The cells of one CSV line: commas outside quotes split, `""` inside
/// quotes is a quote.
fn cells(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            (_, '"') => quoted = !quoted,
            (false, ',') => out.push(String::new()),
            (_, c) => out.last_mut().unwrap().push(c),
        }
    }
    out
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: phone_normalize FILE.csv");
    let text = std::fs::read_to_string(&path).expect("the CSV");
    let mut lines = text.lines();
    let header = cells(lines.next().expect("a header"));
    let at = |name: &str| header.iter().position(|h| h == name);
    let phone = at("phone").expect("a phone column");
    let region = at("region");
    let rows: Vec<(String, Option<String>)> = lines
        .map(|l| {
            let cells = cells(l);
            let cell = |i: usize| cells.get(i).cloned().unwrap_or_default();
            let r = region.map(cell).filter(|r| !r.is_empty());
            (cell(phone), r)
        })
        .collect();
    let engine =
        Engine::new(Config::builder(Profile::RaslCreate).threads(1).build()).expect("engine");
    pass(&engine, &rows);
    let valid = measured_pass(&engine, &rows);
    println!("{} rows, {valid} valid", rows.len());
}
