//! Running per-row work across the engine's threads.
//!
//! The sequential loop is the reference. The parallel path splits the rows
//! into contiguous chunks and collects them back in order, so the result is
//! the same `Vec` whatever the thread count; small batches never pay for
//! the pool.
//!
//! Without the crate's `parallel` feature (on by default) there is no pool
//! ([`Pool`] has no value), and every function here takes its sequential
//! path: the same answers, on the calling thread.

#[cfg(feature = "parallel")]
use rayon::prelude::*;
use serde::Serialize;
use serde_json::value::RawValue;

/// The engine's worker threads: rayon's pool.
#[cfg(feature = "parallel")]
pub(crate) use rayon::ThreadPool as Pool;

/// The engine's worker threads: none without the `parallel` feature (an
/// `Option<&Pool>` is always `None`).
#[cfg(not(feature = "parallel"))]
#[derive(Debug)]
pub(crate) enum Pool {}

/// Below this many rows the work stays on the calling thread.
pub(crate) const PARALLEL_THRESHOLD: usize = 64;

/// Maps `f` over `items`, in parallel on `pool` when there is one and the
/// batch is large enough; the output order is the input order.
pub(crate) fn map_rows<T, R, F>(pool: Option<&Pool>, items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(usize, &T) -> R + Sync,
{
    match pool {
        #[cfg(feature = "parallel")]
        Some(pool) if items.len() >= PARALLEL_THRESHOLD => pool.install(|| {
            items
                .par_iter()
                .enumerate()
                .with_min_len(16)
                .map(|(i, t)| f(i, t))
                .collect()
        }),
        _ => items.iter().enumerate().map(|(i, t)| f(i, t)).collect(),
    }
}

/// A list of a response body, rendered on the engine's threads (see
/// [`render_rows`]); it serializes as the list it was made from.
pub(crate) struct RenderedRows<T>(Rendered<T>);

enum Rendered<T> {
    /// A small batch or no pool: serialized in place, with the body.
    Serial(Vec<T>),
    /// Each row's compact JSON, in order, or the first row that failed.
    Parallel(Result<Vec<Box<RawValue>>, String>),
}

/// Renders `rows`, a list of a response body, ahead of the body: each row's
/// JSON in parallel on `pool` when there is one and the batch is large
/// enough, otherwise later with the body. Either way the body's bytes are
/// those of serializing `rows` in place (`serde_json`'s compact writer copies
/// a pre-rendered row verbatim), whatever the thread count; a row that fails
/// to serialize fails the body as it would have.
pub(crate) fn render_rows<T: Serialize + Sync>(
    pool: Option<&Pool>,
    rows: Vec<T>,
) -> RenderedRows<T> {
    RenderedRows(match pool {
        Some(_) if rows.len() >= PARALLEL_THRESHOLD => Rendered::Parallel(
            map_rows(pool, &rows, |_, row| serde_json::value::to_raw_value(row))
                .into_iter()
                .collect::<Result<_, _>>()
                .map_err(|e| e.to_string()),
        ),
        _ => Rendered::Serial(rows),
    })
}

impl<T: Serialize> Serialize for RenderedRows<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Rendered::Serial(rows) => rows.serialize(s),
            Rendered::Parallel(Ok(rows)) => rows.serialize(s),
            Rendered::Parallel(Err(e)) => Err(serde::ser::Error::custom(e)),
        }
    }
}

/// Drops `items`, spread over `pool` when there is one and the batch is
/// large enough: each row of a prepared batch owns a dozen small
/// allocations, and freeing them was a tenth of a 1000-row response.
pub(crate) fn drop_rows<T: Send>(pool: Option<&Pool>, items: Vec<T>) {
    match pool {
        #[cfg(feature = "parallel")]
        Some(pool) if items.len() >= PARALLEL_THRESHOLD => {
            pool.install(|| items.into_par_iter().with_min_len(16).for_each(drop))
        }
        _ => drop(items),
    }
}

#[cfg(all(test, feature = "parallel"))]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn drop_rows_drops_every_row_once() {
        static DROPS: AtomicUsize = AtomicUsize::new(0);
        struct Counted(#[allow(dead_code)] String);
        impl Drop for Counted {
            fn drop(&mut self) {
                DROPS.fetch_add(1, Ordering::Relaxed);
            }
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let rows = |n: usize| (0..n).map(|i| Counted(i.to_string())).collect::<Vec<_>>();
        drop_rows(Some(&pool), rows(1000));
        assert_eq!(DROPS.load(Ordering::Relaxed), 1000);
        drop_rows(Some(&pool), rows(10));
        drop_rows(None, rows(100));
        assert_eq!(DROPS.load(Ordering::Relaxed), 1110);
    }

    #[test]
    fn rendered_rows_serialize_as_the_rows_do() {
        #[derive(Serialize)]
        struct Row {
            index: usize,
            text: String,
            data: Option<Vec<f64>>,
        }
        let rows = |n: usize| {
            (0..n)
                .map(|index| Row {
                    index,
                    text: format!("r\u{e9}\"{index}\\\n"),
                    data: (index % 3 == 0).then(|| vec![index as f64 / 7.0, -0.0]),
                })
                .collect::<Vec<_>>()
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        for n in [0, 1, 63, 64, 65, 1000] {
            let want = serde_json::to_string(&rows(n)).unwrap();
            for p in [None, Some(&pool)] {
                let got = serde_json::to_string(&render_rows(p, rows(n))).unwrap();
                assert_eq!(got, want, "{n} rows");
            }
        }
        // A row that fails fails the body, as serializing it in place does.
        struct Bad(usize);
        impl Serialize for Bad {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                if self.0 == 70 {
                    return Err(serde::ser::Error::custom("bad row"));
                }
                s.serialize_u64(self.0 as u64)
            }
        }
        let bad = |n: usize| (0..n).map(Bad).collect::<Vec<_>>();
        let err = serde_json::to_string(&render_rows(Some(&pool), bad(100))).unwrap_err();
        assert_eq!(err.to_string(), "bad row");
        assert!(serde_json::to_string(&render_rows(None, bad(100))).is_err());
        assert!(serde_json::to_string(&render_rows(Some(&pool), bad(70))).is_ok());
    }

    #[test]
    fn parallel_keeps_order() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap();
        let items: Vec<u64> = (0..10_000).collect();
        let seq = map_rows(None, &items, |i, x| (i as u64) * 3 + x);
        let par = map_rows(Some(&pool), &items, |i, x| (i as u64) * 3 + x);
        assert_eq!(seq, par);
        assert_eq!(par[9_999], 9_999 * 4);
    }
}
