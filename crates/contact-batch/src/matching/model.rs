//! The Fellegi-Sunter model: for each field and level, `m` (how often two
//! records of the same person compare at that level) and `u` (how often two
//! records of different people do). A level adds `log2(m / u)` to a pair's
//! match weight, which starts at the prior odds `log2(λ / (1 - λ))`; the
//! match probability is `1 / (1 + 2^-weight)`. A null level adds nothing.
//!
//! Term frequencies: an exact agreement on a common surname is weaker
//! evidence than on a rare one, so for the fields in [`Model::tf_fields`]
//! the exact level's `u` is replaced by the value's frequency among the
//! records at hand (as Splink's term-frequency adjustment does), once there
//! are at least [`TF_MIN_VALUES`] values to count.
//!
//! The JSON form, written by the trainer and read by `--model`:
//!
//! ```json
//! {"version": 1, "prior": 0.0001, "tf_fields": ["first_name", "last_name"],
//!  "fields": {"first_name": {"exact": {"m": 0.7, "u": 0.01}, "...": {}}}}
//! ```
//!
//! A field or level missing from the file keeps its default.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::compare::{levels, Vector};
use super::person::{Field, FIELDS};

/// Fewer values than this and term frequencies are not used (in a batch
/// of ten, every surname has a frequency of at least 10%).
pub const TF_MIN_VALUES: u32 = 1000;

/// `m` and `u` of one level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// P(level | same person).
    pub m: f64,
    /// P(level | different people).
    pub u: f64,
}

/// A matching model: the prior and every field's levels.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// λ: the probability that two compared records are the same person
    /// before looking at them.
    pub prior: f64,
    /// Per field (in [`Field::ALL`] order), per level (in
    /// [`levels`] order).
    pub fields: [Vec<Level>; FIELDS],
    /// Fields whose exact level is adjusted by term frequency.
    pub tf_fields: Vec<Field>,
}

/// A model file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError(String);

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ModelError {}

/// The untrained defaults, per field and level: (m, u). The `m` values are
/// what a CRM's duplicates look like (names mostly exact or a typo away,
/// an email or phone often changed); the `u` values are roughly the chance
/// that two strangers agree so (1 in 3,000 for a birth date, 1 in 100 for a
/// first name).
fn defaults(field: Field) -> &'static [(f64, f64)] {
    match field {
        // exact, nickname, swapped, jw 0.92, jw 0.80, initial, else
        Field::FirstName => &[
            (0.70, 0.01),
            (0.05, 0.001),
            (0.01, 0.0001),
            (0.10, 0.005),
            (0.05, 0.03),
            (0.03, 0.02),
            (0.06, 0.9339),
        ],
        // exact, swapped, jw 0.92, jw 0.80, else
        Field::LastName => &[
            (0.75, 0.003),
            (0.01, 0.0001),
            (0.12, 0.003),
            (0.05, 0.02),
            (0.07, 0.9739),
        ],
        // exact, same local part, similar local part, else
        Field::Email => &[
            (0.60, 0.0001),
            (0.05, 0.0002),
            (0.05, 0.001),
            (0.30, 0.9987),
        ],
        // exact, same subscriber, one digit off, else
        Field::Phone => &[
            (0.55, 0.0001),
            (0.05, 0.0005),
            (0.05, 0.001),
            (0.35, 0.9984),
        ],
        // exact, transposed, one field off, else
        Field::BirthDate => &[
            (0.82, 0.0003),
            (0.03, 0.00002),
            (0.10, 0.01),
            (0.05, 0.98968),
        ],
        // exact, jw 0.92, jw 0.80, else
        Field::City => &[(0.80, 0.02), (0.07, 0.005), (0.05, 0.03), (0.08, 0.945)],
        // exact, one edit, else
        Field::Postcode => &[(0.80, 0.005), (0.08, 0.02), (0.12, 0.975)],
        Field::Company => &[(0.60, 0.01), (0.10, 0.005), (0.05, 0.02), (0.25, 0.965)],
        Field::Address => &[(0.65, 0.0005), (0.15, 0.001), (0.05, 0.01), (0.15, 0.9885)],
        // exact, else
        Field::Country => &[(0.95, 0.6), (0.05, 0.4)],
    }
}

impl Default for Model {
    fn default() -> Model {
        Model {
            prior: 0.0001,
            fields: Field::ALL.map(|f| defaults(f).iter().map(|&(m, u)| Level { m, u }).collect()),
            tf_fields: vec![Field::FirstName, Field::LastName],
        }
    }
}

/// A model in a config (an engine's `possible_duplicates`) is its JSON
/// form, as [`Model::to_json`] writes it and [`Model::from_json`] reads it.
impl Serialize for Model {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_file().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Model {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Model, D::Error> {
        let file = ModelFile::deserialize(d)?;
        Model::from_file(file).map_err(serde::de::Error::custom)
    }
}

/// Equality is reflexive for a model that can score: its values are
/// probabilities, never NaN ([`Model::validate`], which an engine's config
/// check runs).
impl Eq for Model {}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    prior: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tf_fields: Option<Vec<String>>,
    #[serde(default)]
    fields: BTreeMap<String, BTreeMap<String, Level>>,
}

/// A probability usable in a model: finite, in (0, 1].
fn probability(what: &str, p: f64) -> Result<f64, ModelError> {
    if p.is_finite() && p > 0.0 && p <= 1.0 {
        Ok(p)
    } else {
        Err(ModelError(format!(
            "{what} must be a probability above 0 and at most 1, not {p}"
        )))
    }
}

impl Model {
    /// Reads a model's JSON (see the module docs).
    pub fn from_json(bytes: &[u8]) -> Result<Model, ModelError> {
        let file: ModelFile = serde_json::from_slice(bytes)
            .map_err(|e| ModelError(format!("not a matching model: {e}")))?;
        Model::from_file(file)
    }

    /// The model a file describes (defaults for what it leaves out).
    fn from_file(file: ModelFile) -> Result<Model, ModelError> {
        if file.version != 1 {
            return Err(ModelError(format!(
                "model version {} is not supported (this engine reads version 1)",
                file.version
            )));
        }
        let mut model = Model::default();
        if let Some(prior) = file.prior {
            model.prior = prior;
        }
        if let Some(names) = file.tf_fields {
            model.tf_fields = names
                .iter()
                .map(|n| {
                    Field::from_name(n)
                        .ok_or_else(|| ModelError(format!("tf_fields: unknown field `{n}`")))
                })
                .collect::<Result<_, _>>()?;
        }
        for (name, given) in &file.fields {
            let field = Field::from_name(name).ok_or_else(|| {
                ModelError(format!(
                    "unknown field `{name}` (fields: {})",
                    Field::ALL.map(Field::name).join(", ")
                ))
            })?;
            for (level_name, level) in given {
                let at = levels(field)
                    .iter()
                    .position(|l| l == level_name)
                    .ok_or_else(|| {
                        ModelError(format!(
                            "{name}: unknown level `{level_name}` (levels: {})",
                            levels(field).join(", ")
                        ))
                    })?;
                model.fields[field.index()][at] = *level;
            }
        }
        model.validate()?;
        Ok(model)
    }

    /// Checks that the model can score: the prior a probability below 1,
    /// every `m` and `u` a probability above 0 and at most 1, and each
    /// field with one entry per level. [`Model::from_json`] calls it, and
    /// so does an engine's config check for a model built in code.
    pub fn validate(&self) -> Result<(), ModelError> {
        probability("prior", self.prior)?;
        if self.prior >= 1.0 {
            return Err(ModelError("prior must be below 1".into()));
        }
        for f in Field::ALL {
            let given = &self.fields[f.index()];
            let names = levels(f);
            if given.len() != names.len() {
                return Err(ModelError(format!(
                    "{}: {} levels given, {} expected ({})",
                    f.name(),
                    given.len(),
                    names.len(),
                    names.join(", ")
                )));
            }
            for (level, name) in given.iter().zip(names) {
                probability(&format!("{}.{name}.m", f.name()), level.m)?;
                probability(&format!("{}.{name}.u", f.name()), level.u)?;
            }
        }
        Ok(())
    }

    /// The model's JSON (every field and level), as [`Model::from_json`]
    /// reads it.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.to_file()).expect("a model serializes")
    }

    fn to_file(&self) -> ModelFile {
        ModelFile {
            version: 1,
            prior: Some(self.prior),
            tf_fields: Some(self.tf_fields.iter().map(|f| f.name().to_owned()).collect()),
            fields: Field::ALL
                .iter()
                .map(|&f| {
                    let levels = levels(f)
                        .iter()
                        .zip(&self.fields[f.index()])
                        .map(|(name, level)| ((*name).to_owned(), *level))
                        .collect();
                    (f.name().to_owned(), levels)
                })
                .collect(),
        }
    }

    /// The weights of a model, ready to score with.
    pub(crate) fn weights(&self) -> Weights {
        Weights {
            prior: (self.prior / (1.0 - self.prior)).log2(),
            levels: std::array::from_fn(|i| {
                self.fields[i].iter().map(|l| (l.m / l.u).log2()).collect()
            }),
            exact_m: std::array::from_fn(|i| self.fields[i][0].m),
            tf: std::array::from_fn(|i| self.tf_fields.contains(&Field::ALL[i])),
        }
    }
}

/// A model's log2 Bayes factors, per field and level.
#[derive(Debug, Clone)]
pub(crate) struct Weights {
    prior: f64,
    levels: [Vec<f64>; FIELDS],
    exact_m: [f64; FIELDS],
    pub tf: [bool; FIELDS],
}

impl Weights {
    /// The match weight of a comparison; `tf(field)` is the frequency of
    /// the agreed value for the term-frequency fields' exact level, when
    /// known.
    pub(crate) fn weight(&self, v: &Vector, tf: impl Fn(Field) -> Option<f64>) -> f64 {
        let mut w = self.prior;
        for (i, &level) in v.iter().enumerate() {
            if level == 0 {
                continue;
            }
            let k = level as usize - 1;
            w += match (k, self.tf[i]) {
                (0, true) => match tf(Field::ALL[i]) {
                    Some(freq) => (self.exact_m[i] / freq).log2(),
                    None => self.levels[i][k],
                },
                _ => self.levels[i][k],
            };
        }
        w
    }
}

/// The probability of a match weight.
pub(crate) fn probability_of(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_distributions() {
        let model = Model::default();
        for f in Field::ALL {
            let l = &model.fields[f.index()];
            assert_eq!(l.len(), levels(f).len(), "{f:?}");
            let m: f64 = l.iter().map(|l| l.m).sum();
            let u: f64 = l.iter().map(|l| l.u).sum();
            assert!((m - 1.0).abs() < 1e-9, "{f:?} m sums to {m}");
            assert!((u - 1.0).abs() < 1e-9, "{f:?} u sums to {u}");
            // Better levels are stronger evidence.
            let w: Vec<f64> = l.iter().map(|l| (l.m / l.u).log2()).collect();
            assert!(w[0] > 0.0 && *w.last().unwrap() < 0.0, "{f:?}: {w:?}");
        }
    }

    #[test]
    fn json_round_trips_and_defaults_fill_in() {
        let model = Model::default();
        assert_eq!(Model::from_json(model.to_json().as_bytes()).unwrap(), model);
        let partial =
            Model::from_json(br#"{"version":1,"fields":{"email":{"exact":{"m":0.5,"u":0.001}}}}"#)
                .unwrap();
        assert_eq!(
            partial.fields[Field::Email.index()][0],
            Level { m: 0.5, u: 0.001 }
        );
        assert_eq!(
            partial.fields[Field::Phone.index()],
            model.fields[Field::Phone.index()]
        );
    }

    #[test]
    fn bad_models_say_why() {
        let err = |j: &str| Model::from_json(j.as_bytes()).unwrap_err().to_string();
        assert!(err("{}").contains("version"));
        assert!(err(r#"{"version":2}"#).contains("version 2"));
        assert!(err(r#"{"version":1,"fields":{"shoe":{}}}"#).contains("unknown field `shoe`"));
        assert!(
            err(r#"{"version":1,"fields":{"email":{"close":{"m":0.1,"u":0.1}}}}"#)
                .contains("unknown level `close`")
        );
        assert!(
            err(r#"{"version":1,"fields":{"email":{"exact":{"m":0,"u":0.1}}}}"#)
                .contains("email.exact.m")
        );
        assert!(err(r#"{"version":1,"prior":1}"#).contains("prior"));
        assert!(err(r#"{"version":1,"tf_fields":["x"]}"#).contains("unknown field `x`"));
    }
}
