//! Estimating a model from a host's own records, as Splink does:
//!
//! 1. `u` from random pairs: nearly every random pair is two different
//!    people, so how often random pairs agree at each level is `u`
//!    ([`U_SAMPLE_PAIRS`] pairs drawn with a fixed-seed generator: the
//!    same records give the same model);
//! 2. `m` and the share of matches λ by expectation maximisation over the
//!    blocked pairs' comparison vectors, `u` held fixed: E-step, each
//!    pattern's match probability under the current model; M-step, `m` of
//!    each level is the match-weighted share of pairs at that level (null
//!    levels left out), λ the mean match probability; until no parameter
//!    moves by more than [`TOLERANCE`] or [`MAX_ITERATIONS`];
//! 3. the model's prior is the expected number of matching blocked pairs
//!    over all pairs of the records, the λ of two random records.
//!
//! Levels never seen among matches keep a floor of [`FLOOR`] so that no
//! weight is infinite. Term frequencies are not part of training (they are
//! applied when scoring, from the records at hand).

use std::collections::HashMap;

use super::blocking::Index;
use super::compare::{compare, levels, Vector};
use super::model::{Level, Model};
use super::person::{Field, FIELDS};
use super::Records;

/// Random pairs drawn to estimate `u`.
pub const U_SAMPLE_PAIRS: usize = 1_000_000;
/// EM stops when no parameter moves more than this in an iteration.
pub const TOLERANCE: f64 = 1e-6;
/// EM stops after this many iterations at most.
pub const MAX_ITERATIONS: usize = 200;
/// The smallest `m` or `u` a trained level gets.
pub const FLOOR: f64 = 1e-6;

/// What a training run found, beside the model.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TrainStats {
    /// Records trained on.
    pub records: usize,
    /// Blocked pairs whose vectors EM ran over.
    pub blocked_pairs: u64,
    /// Distinct comparison vectors among them.
    pub patterns: usize,
    /// Random pairs `u` was estimated from.
    pub u_pairs: usize,
    /// EM iterations run.
    pub iterations: usize,
    /// The share of blocked pairs EM takes for matches.
    pub blocked_match_share: f64,
}

/// splitmix64: a small, fixed-seed generator for the `u` sample.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Level counts per field: `counts[field][level]` (level 0: null).
type LevelCounts = [Vec<f64>; FIELDS];

fn empty_counts() -> LevelCounts {
    std::array::from_fn(|i| vec![0.0; levels(Field::ALL[i]).len() + 1])
}

/// Normalizes non-null level counts into probabilities (with the floor);
/// `None` for a field never compared.
fn distribution(counts: &[f64]) -> Option<Vec<f64>> {
    let total: f64 = counts[1..].iter().sum();
    if total <= 0.0 {
        return None;
    }
    let raw: Vec<f64> = counts[1..].iter().map(|c| (c / total).max(FLOOR)).collect();
    let sum: f64 = raw.iter().sum();
    Some(raw.iter().map(|p| p / sum).collect())
}

/// Estimates a model from `records`, starting from `start` (levels a run
/// cannot estimate keep `start`'s values).
pub fn train(records: &Records, start: &Model) -> (Model, TrainStats) {
    let recs = &records.records;
    let n = recs.len();
    let mut model = start.clone();

    // 1. u from random pairs.
    let mut u_counts = empty_counts();
    let mut rng = SplitMix(0x0005_EED0_FC04_7AC7);
    let u_pairs = if n >= 2 {
        U_SAMPLE_PAIRS.min(n * (n - 1) / 2)
    } else {
        0
    };
    for _ in 0..u_pairs {
        let a = rng.below(n);
        let mut b = rng.below(n - 1);
        if b >= a {
            b += 1;
        }
        let v = compare(&recs[a], &recs[b]);
        for (i, &l) in v.iter().enumerate() {
            u_counts[i][l as usize] += 1.0;
        }
    }
    for (i, counts) in u_counts.iter().enumerate() {
        if let Some(u) = distribution(counts) {
            for (level, u) in model.fields[i].iter_mut().zip(u) {
                level.u = u;
            }
        }
    }

    // 2. The blocked pairs' patterns.
    let (index, blocks) = Index::new(records.keys.iter().cloned());
    let mut patterns: HashMap<Vector, f64> = HashMap::new();
    let mut blocked = 0u64;
    let by_name = |a: u32, b: u32| super::name_order(&recs[a as usize], &recs[b as usize]);
    for block in &blocks {
        index.pairs(*block, by_name, |a, b| {
            *patterns
                .entry(compare(&recs[a as usize], &recs[b as usize]))
                .or_default() += 1.0;
            blocked += 1;
        });
    }
    // A fixed order: the sums below do not depend on the map's.
    let mut patterns: Vec<(Vector, f64)> = patterns.into_iter().collect();
    patterns.sort_by_key(|x| x.0);

    // 3. EM for m and λ, u fixed.
    let (share, iterations) = em(&patterns, &mut model, 0.1, true);
    if n >= 2 && blocked > 0 {
        let all_pairs = n as f64 * (n as f64 - 1.0) / 2.0;
        model.prior = (share * blocked as f64 / all_pairs).clamp(1e-12, 0.5);
    }
    let stats = TrainStats {
        records: n,
        blocked_pairs: blocked,
        patterns: patterns.len(),
        u_pairs,
        iterations,
        blocked_match_share: share,
    };
    (model, stats)
}

/// Expectation maximisation over weighted comparison `patterns`, updating
/// `model`'s `m` (and `u` unless `fix_u`); returns λ among the patterns and
/// the iterations run.
pub fn em(
    patterns: &[(Vector, f64)],
    model: &mut Model,
    mut lambda: f64,
    fix_u: bool,
) -> (f64, usize) {
    let total: f64 = patterns.iter().map(|p| p.1).sum();
    if total <= 0.0 {
        return (lambda, 0);
    }
    for iteration in 1..=MAX_ITERATIONS {
        let mut m_counts = empty_counts();
        let mut u_counts = empty_counts();
        let mut matches = 0.0;
        for (v, count) in patterns {
            let (mut pm, mut pu) = (lambda, 1.0 - lambda);
            for (i, &l) in v.iter().enumerate() {
                if l != 0 {
                    let level: &Level = &model.fields[i][l as usize - 1];
                    pm *= level.m;
                    pu *= level.u;
                }
            }
            let p = if pm + pu > 0.0 { pm / (pm + pu) } else { 0.0 };
            matches += p * count;
            for (i, &l) in v.iter().enumerate() {
                m_counts[i][l as usize] += p * count;
                u_counts[i][l as usize] += (1.0 - p) * count;
            }
        }
        let mut moved: f64 = 0.0;
        let new_lambda = (matches / total).clamp(FLOOR, 1.0 - FLOOR);
        moved = moved.max((new_lambda - lambda).abs());
        lambda = new_lambda;
        for i in 0..FIELDS {
            let m = distribution(&m_counts[i]);
            let u = if fix_u {
                None
            } else {
                distribution(&u_counts[i])
            };
            for (k, level) in model.fields[i].iter_mut().enumerate() {
                if let Some(m) = &m {
                    moved = moved.max((m[k] - level.m).abs());
                    level.m = m[k];
                }
                if let Some(u) = &u {
                    moved = moved.max((u[k] - level.u).abs());
                    level.u = u[k];
                }
            }
        }
        if moved < TOLERANCE {
            return (lambda, iteration);
        }
    }
    (lambda, MAX_ITERATIONS)
}

/// A uniform `[0, 1)` generator for the tests' generated data.
#[cfg(test)]
pub(crate) fn tests_rng(seed: u64) -> impl FnMut() -> f64 {
    let mut r = SplitMix(seed);
    move || (r.next() >> 11) as f64 / (1u64 << 53) as f64
}
