//! Possible duplicates: probabilistic matching of people, Fellegi-Sunter
//! style, as record-linkage tools (Splink, `recordlinkage`) do it, with no
//! I/O.
//!
//! A duplicate in the API sense is the same normalized phone. A person
//! entered twice rarely looks like that: "Rob Allen, roberta25@smith.net"
//! and "Robert Alen, same email, no phone". This module finds such pairs:
//!
//! 1. each [`Person`] is normalized ([`person`]) and given its blocking
//!    keys ([`blocking`]): only records sharing a key are compared;
//! 2. each compared pair gets a level per field ([`compare`]): exact,
//!    nickname, Jaro-Winkler bands, transposed birth date, same phone
//!    subscriber digits, ...;
//! 3. the levels' match weights ([`model`]: `log2(m/u)`, with term
//!    frequencies for common names) add up to a match probability;
//! 4. pairs at or above the threshold are possible duplicates, with their
//!    reasons (field → level), and their transitive closure the clusters.
//!
//! The model works untrained ([`Model::default`]); [`train`] estimates it
//! from a host's own data by expectation maximisation.
//!
//! Determinism: blocks are compared on the matcher's threads and the
//! pairs collected in block order, then sorted, so results do not depend on
//! the thread count; a pair's score depends only on the two records and the
//! term frequencies of the whole input.

pub mod blocking;
pub mod compare;
pub mod model;
mod nicknames;
pub mod person;
pub mod train;

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

pub use self::blocking::BlockingKeys;
pub use self::compare::{levels, Vector};
pub use self::model::{Level, Model, ModelError};
pub use self::person::{Field, Person, FIELDS};

use self::blocking::{Block, Index};
use self::model::Weights;
use self::person::{Record, Slot};

/// The default threshold: pairs at or above this match probability are
/// possible duplicates.
pub const DEFAULT_THRESHOLD: f64 = 0.9;

/// The most possible duplicates listed per record (the best ones); the
/// clusters use every pair.
pub const MAX_LISTED: usize = 20;

/// How a matcher runs. Also an engine's
/// [`Config::possible_duplicates`](crate::Config::possible_duplicates),
/// whose JSON form is `{"threshold": 0.9, "model": {...}}` (each member
/// optional; `model` as [`Model::to_json`] writes it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatchConfig {
    /// The model ([`Model::default`]: untrained defaults).
    pub model: Model,
    /// Pairs at or above this probability are possible duplicates.
    pub threshold: f64,
    /// Most worker threads (`None`: all cores); results do not depend on it.
    /// An engine does not read it: it scores a batch's pairs on its own
    /// threads ([`Config::threads`](crate::Config::threads)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threads: Option<usize>,
}

/// Equality is reflexive for a config a matcher accepts (its threshold and
/// model are probabilities, never NaN: [`MatchConfig::validate`]).
impl Eq for MatchConfig {}

impl MatchConfig {
    /// Checks what [`Matcher::new`] needs: a threshold from 0 to 1, at
    /// least one thread when given, a model that can score
    /// ([`Model::validate`]).
    pub fn validate(&self) -> Result<(), MatchError> {
        if !(0.0..=1.0).contains(&self.threshold) {
            return Err(MatchError(format!(
                "the threshold must be a probability from 0 to 1, not {}",
                self.threshold
            )));
        }
        if self.threads == Some(0) {
            return Err(MatchError("threads must be at least 1".into()));
        }
        self.model
            .validate()
            .map_err(|e| MatchError(format!("the model: {e}")))
    }
}

impl Default for MatchConfig {
    fn default() -> MatchConfig {
        MatchConfig {
            model: Model::default(),
            threshold: DEFAULT_THRESHOLD,
            threads: None,
        }
    }
}

/// A config a matcher cannot run with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchError(String);

impl fmt::Display for MatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MatchError {}

/// Why a pair matched: each field's level (fields missing on a side are
/// left out). Serializes as a JSON object, fields in model order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reasons(pub Vector);

impl Reasons {
    /// (field, level name) of every compared field.
    pub fn iter(&self) -> impl Iterator<Item = (Field, &'static str)> + '_ {
        Field::ALL
            .iter()
            .zip(self.0.iter())
            .filter(|(_, &l)| l != 0)
            .map(|(&f, &l)| (f, levels(f)[l as usize - 1]))
    }
}

impl Serialize for Reasons {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for (f, level) in self.iter() {
            map.serialize_entry(f.name(), level)?;
        }
        map.end()
    }
}

/// One scored pair: records `a < b` (positions in the input).
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// The earlier record.
    pub a: usize,
    /// The later record.
    pub b: usize,
    /// The match probability.
    pub score: f64,
    /// Each field's level.
    pub reasons: Reasons,
}

/// Counts of a matching run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MatchStats {
    /// Records matched.
    pub records: usize,
    /// Blocks of two records or more.
    pub blocks: usize,
    /// Blocks over [`blocking::MAX_BLOCK`] records (compared in windows).
    pub large_blocks: usize,
    /// Pairs compared.
    pub pairs_compared: u64,
    /// Pairs at or above the threshold.
    pub pairs_matched: usize,
    /// Bytes of the normalized records and the blocking index.
    pub index_bytes: usize,
}

/// Records normalized and keyed, ready to be matched: push people one at
/// a time (a file is never held as text), then [`Matcher::pairs`].
#[derive(Debug, Default)]
pub struct Records {
    records: Vec<Record>,
    keys: Vec<Vec<u64>>,
}

impl Records {
    /// No records.
    pub fn new() -> Records {
        Records::default()
    }

    /// Adds a person (its position is the count before the push).
    pub fn push(&mut self, person: &Person) {
        let record = Record::new(person);
        let keys = blocking::keys(&record);
        self.keys
            .push(keys.all().map(|k| blocking::hash(k)).collect());
        self.records.push(record);
    }

    /// How many records there are.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

/// The blocking keys of a person, as strings a host stores beside the
/// record and looks up (`WHERE name_key IN (...)`).
pub fn blocking_keys(person: &Person) -> BlockingKeys {
    blocking::keys(&Record::new(person))
}

/// Term frequencies of the tf fields' values among the records at hand.
struct Frequencies {
    counts: [HashMap<u64, u32>; 2],
    totals: [u32; 2],
}

/// The tf-adjustable fields and the slot each is counted on.
const TF_SLOTS: [(Field, Slot); 2] = [
    (Field::FirstName, Slot::First),
    (Field::LastName, Slot::Last),
];

impl Frequencies {
    fn new(records: &[Record], weights: &Weights) -> Frequencies {
        let mut f = Frequencies {
            counts: [HashMap::new(), HashMap::new()],
            totals: [0; 2],
        };
        for (i, (field, slot)) in TF_SLOTS.iter().enumerate() {
            if !weights.tf[field.index()] {
                continue;
            }
            for r in records {
                let v = r.get(*slot);
                if !v.is_empty() {
                    *f.counts[i].entry(blocking::hash(v)).or_default() += 1;
                    f.totals[i] += 1;
                }
            }
        }
        f
    }

    /// The frequency of `r`'s value of `field`, when it is counted and
    /// enough values were.
    fn of(&self, r: &Record, field: Field) -> Option<f64> {
        let i = TF_SLOTS.iter().position(|(f, _)| *f == field)?;
        if self.totals[i] < model::TF_MIN_VALUES {
            return None;
        }
        let count = *self.counts[i].get(&blocking::hash(r.get(TF_SLOTS[i].1)))?;
        Some(f64::from(count) / f64::from(self.totals[i]))
    }
}

/// Finds possible duplicates with one model and threshold.
pub struct Matcher {
    weights: Weights,
    threshold: f64,
    /// Without the `parallel` feature, blocks are scored on the calling
    /// thread (the same pairs: they are sorted afterwards).
    #[cfg(feature = "parallel")]
    pool: Option<rayon::ThreadPool>,
}

impl fmt::Debug for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Matcher")
            .field("threshold", &self.threshold)
            .finish_non_exhaustive()
    }
}

impl Matcher {
    /// A matcher for `config`: the threshold must be a probability.
    pub fn new(config: MatchConfig) -> Result<Matcher, MatchError> {
        config.validate()?;
        #[cfg(feature = "parallel")]
        let pool = match config.threads {
            Some(0 | 1) => None,
            threads => Some(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads.unwrap_or(0))
                    .build()
                    .map_err(|e| MatchError(format!("cannot start the matching threads: {e}")))?,
            ),
        };
        Ok(Matcher {
            weights: config.model.weights(),
            threshold: config.threshold,
            #[cfg(feature = "parallel")]
            pool,
        })
    }

    /// Scores every blocked pair of `records` and returns those at or
    /// above the threshold, sorted by `(a, b)`. Pairs of two records at or
    /// after `stored_from` (the host's stored candidates, when matching a
    /// batch against them) are not compared.
    pub fn pairs(&self, records: &Records, stored_from: usize) -> (Vec<Pair>, MatchStats) {
        #[cfg(feature = "parallel")]
        let pool = self.pool.as_ref();
        #[cfg(not(feature = "parallel"))]
        let pool = None;
        self.pairs_on(pool, records, stored_from)
    }

    /// [`Matcher::pairs`] on an engine's threads: on `pool` when there is
    /// one, else on the calling thread (never on rayon's global pool). The
    /// same pairs whatever the pool.
    pub(crate) fn pairs_on(
        &self,
        pool: Option<&crate::par::Pool>,
        records: &Records,
        stored_from: usize,
    ) -> (Vec<Pair>, MatchStats) {
        self.pairs_by(records, stored_from, |blocks, per_block| match pool {
            #[cfg(feature = "parallel")]
            Some(pool) => pool.install(|| {
                use rayon::prelude::*;
                blocks.par_iter().with_min_len(64).map(per_block).collect()
            }),
            _ => blocks.iter().map(per_block).collect(),
        })
    }

    /// The pairs, each block scored by `run` (which maps its function over
    /// the blocks, in order, on whichever threads).
    fn pairs_by(
        &self,
        records: &Records,
        stored_from: usize,
        run: impl FnOnce(
            &[Block],
            &(dyn Fn(&Block) -> (Vec<Pair>, u64) + Sync),
        ) -> Vec<(Vec<Pair>, u64)>,
    ) -> (Vec<Pair>, MatchStats) {
        let recs = &records.records;
        let (index, blocks) = Index::new(records.keys.iter().cloned());
        let freq = Frequencies::new(recs, &self.weights);
        let by_name = |a: u32, b: u32| name_order(&recs[a as usize], &recs[b as usize]);
        let stored = stored_from as u32;
        let per_block = |block: &Block| {
            let mut found = Vec::new();
            let mut compared = 0u64;
            index.pairs(*block, by_name, |a, b| {
                if a >= stored && b >= stored {
                    return;
                }
                compared += 1;
                if let Some(pair) = self.score(recs, &freq, a as usize, b as usize) {
                    found.push(pair);
                }
            });
            (found, compared)
        };
        let results = run(&blocks, &per_block);
        let mut pairs = Vec::new();
        let mut compared = 0;
        for (found, n) in results {
            pairs.extend(found);
            compared += n;
        }
        // A pair of two oversized blocks' windows may come twice.
        pairs.sort_by_key(|x| (x.a, x.b));
        pairs.dedup_by(|x, y| (x.a, x.b) == (y.a, y.b));
        let stats = MatchStats {
            records: recs.len(),
            blocks: blocks.len(),
            large_blocks: index.large_blocks(),
            pairs_compared: compared,
            pairs_matched: pairs.len(),
            index_bytes: index.heap_bytes()
                + recs
                    .iter()
                    .map(|r| r.heap_bytes() + std::mem::size_of::<Record>())
                    .sum::<usize>(),
        };
        (pairs, stats)
    }

    /// The pair `(a, b)`, when it scores at or above the threshold.
    fn score(&self, recs: &[Record], freq: &Frequencies, a: usize, b: usize) -> Option<Pair> {
        let (x, y) = (&recs[a], &recs[b]);
        let v = compare::compare(x, y);
        let weight = self.weights.weight(&v, |field| {
            // Both agree exactly: the value's frequency (the larger count,
            // to stay symmetric should the sides differ).
            let fx = freq.of(x, field)?;
            let fy = freq.of(y, field)?;
            Some(fx.max(fy))
        });
        let score = model::probability_of(weight);
        (score >= self.threshold).then_some(Pair {
            a,
            b,
            score,
            reasons: Reasons(v),
        })
    }

    /// Clusters `records`: each record's possible duplicates (best first,
    /// at most [`MAX_LISTED`]), its cluster (the first record of its
    /// connected component over the matched pairs) and its best score.
    pub fn cluster(&self, records: &Records) -> (Vec<RowMatch>, MatchStats) {
        let (pairs, stats) = self.pairs(records, records.len());
        (cluster(records.len(), pairs), stats)
    }
}

/// Sorts an oversized block: by last name, then first name.
fn name_order(a: &Record, b: &Record) -> Ordering {
    (a.get(Slot::Last), a.get(Slot::First)).cmp(&(b.get(Slot::Last), b.get(Slot::First)))
}

/// One possible duplicate of a record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duplicate {
    /// The other record's position (0-based).
    pub row: usize,
    /// The match probability.
    pub score: f64,
    /// Each field's level.
    pub reasons: Reasons,
}

/// A record's matches.
#[derive(Debug, Clone, PartialEq)]
pub struct RowMatch {
    /// The first record (0-based position) of its cluster; itself when
    /// alone.
    pub cluster: usize,
    /// Its best match probability (0 when alone).
    pub score: f64,
    /// Its possible duplicates, best first (ties: earlier first).
    pub possible_duplicates: Vec<Duplicate>,
}

/// Union-find over `n` records and the matched pairs.
fn cluster(n: usize, pairs: Vec<Pair>) -> Vec<RowMatch> {
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            let p = parent[x as usize];
            parent[x as usize] = parent[p as usize];
            x = p;
        }
        x
    }
    let mut rows: Vec<RowMatch> = (0..n)
        .map(|i| RowMatch {
            cluster: i,
            score: 0.0,
            possible_duplicates: Vec::new(),
        })
        .collect();
    for pair in pairs {
        let (ra, rb) = (
            find(&mut parent, pair.a as u32),
            find(&mut parent, pair.b as u32),
        );
        // The smaller root stays the root: a root is its set's first record.
        match ra.cmp(&rb) {
            Ordering::Less => parent[rb as usize] = ra,
            Ordering::Greater => parent[ra as usize] = rb,
            Ordering::Equal => {}
        }
        for (me, other) in [(pair.a, pair.b), (pair.b, pair.a)] {
            let row = &mut rows[me];
            row.score = row.score.max(pair.score);
            row.possible_duplicates.push(Duplicate {
                row: other,
                score: pair.score,
                reasons: pair.reasons.clone(),
            });
        }
    }
    for (i, row) in rows.iter_mut().enumerate() {
        row.cluster = find(&mut parent, i as u32) as usize;
        let list = &mut row.possible_duplicates;
        list.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.row.cmp(&y.row)));
        list.truncate(MAX_LISTED);
    }
    rows
}

#[cfg(test)]
mod tests;
