use proptest::prelude::*;

use super::compare::compare;
use super::person::Record;
use super::*;

fn person(first: &str, last: &str, email: &str, dob: &str) -> Person {
    Person::new()
        .with(Field::FirstName, first)
        .with(Field::LastName, last)
        .with(Field::Email, email)
        .with(Field::BirthDate, dob)
}

fn records(people: &[Person]) -> Records {
    let mut r = Records::new();
    for p in people {
        r.push(p);
    }
    r
}

fn matcher(threads: usize) -> Matcher {
    Matcher::new(MatchConfig {
        threads: Some(threads),
        ..MatchConfig::default()
    })
    .unwrap()
}

#[test]
fn the_issue_examples_match_and_strangers_do_not() {
    let people = [
        person("Rob", "Allen", "roberta25@smith.net", ""),
        person("Grace", "Kelly", "", "1929-11-12"),
        person("Robert", "Alen", "roberta25@smith.net", ""),
        person("Grace", "Kelly", "", "1929-12-11"),
        person("Zoe", "Allen", "zoe@example.org", "1990-01-01"),
    ];
    let (rows, stats) = matcher(1).cluster(&records(&people));
    assert_eq!(rows[0].cluster, 0);
    assert_eq!(rows[2].cluster, 0);
    assert_eq!(rows[1].cluster, 1);
    assert_eq!(rows[3].cluster, 1);
    assert_eq!(rows[4].cluster, 4);
    assert_eq!(rows[4].possible_duplicates, []);
    assert_eq!(rows[4].score, 0.0);
    let dup = &rows[2].possible_duplicates[0];
    assert_eq!(dup.row, 0);
    assert!(dup.score > 0.99, "{}", dup.score);
    assert_eq!(
        serde_json::to_string(&dup.reasons).unwrap(),
        r#"{"first_name":"nickname","last_name":"jw_0.92","email":"exact"}"#
    );
    let kelly = &rows[1].possible_duplicates[0];
    assert_eq!(
        serde_json::to_string(&kelly.reasons).unwrap(),
        r#"{"first_name":"exact","last_name":"exact","birth_date":"transposed_day_month"}"#
    );
    assert_eq!(stats.pairs_matched, 2);
}

#[test]
fn threshold_and_threads_are_checked() {
    for t in [-0.1, 1.1, f64::NAN] {
        let e = Matcher::new(MatchConfig {
            threshold: t,
            ..MatchConfig::default()
        })
        .unwrap_err();
        assert!(e.to_string().contains("threshold"), "{e}");
    }
    let e = Matcher::new(MatchConfig {
        threads: Some(0),
        ..MatchConfig::default()
    })
    .unwrap_err();
    assert!(e.to_string().contains("threads"));
}

#[test]
fn stored_candidates_are_not_compared_with_each_other() {
    let people = [
        person("Ann", "Lee", "ann@lee.com", ""),
        person("Ann", "Lee", "ann@lee.com", ""),
        person("Ann", "Lee", "ann@lee.com", ""),
    ];
    // Row 0 is the batch; 1 and 2 are stored.
    let (pairs, _) = matcher(1).pairs(&records(&people), 1);
    let ab: Vec<_> = pairs.iter().map(|p| (p.a, p.b)).collect();
    assert_eq!(ab, [(0, 1), (0, 2)]);
}

/// A small pool of names so that generated people collide.
fn arb_person() -> impl Strategy<Value = Person> {
    let first = prop::sample::select(vec!["Ann", "Anne", "Bob", "Robert", "Rob", "J", "Jon", ""]);
    let last = prop::sample::select(vec!["Lee", "Li", "Allen", "Alen", "Smith", ""]);
    let email = prop::sample::select(vec!["", "a@x.com", "ann@x.com", "bob@y.org"]);
    let dob = prop::sample::select(vec!["", "1980-04-03", "1980-03-04", "1981-04-03"]);
    let zip = prop::sample::select(vec!["", "94103", "94104"]);
    (first, last, email, dob, zip)
        .prop_map(|(f, l, e, d, z)| person(f, l, e, d).with(Field::Postcode, z))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn comparison_is_symmetric(a in arb_person(), b in arb_person()) {
        let (x, y) = (Record::new(&a), Record::new(&b));
        prop_assert_eq!(compare(&x, &y), compare(&y, &x));
    }

    #[test]
    fn results_do_not_depend_on_threads(people in prop::collection::vec(arb_person(), 0..120)) {
        let r = records(&people);
        let one = matcher(1).pairs(&r, r.len());
        let two = matcher(2).pairs(&r, r.len());
        let three = matcher(3).pairs(&r, r.len());
        prop_assert_eq!(&one, &two);
        prop_assert_eq!(&one, &three);
        // And again: deterministic.
        prop_assert_eq!(&one, &matcher(1).pairs(&r, r.len()));
    }

    #[test]
    fn unrelated_rows_change_nothing(
        people in prop::collection::vec(arb_person(), 1..40),
        at in prop::collection::vec(0usize..1000, 0..10),
    ) {
        let base = matcher(1).pairs(&records(&people), people.len()).0;
        // Insert strangers (no key in common with anyone) anywhere.
        let mut mixed: Vec<(Option<usize>, Person)> =
            people.iter().cloned().enumerate().map(|(i, p)| (Some(i), p)).collect();
        for (k, pos) in at.iter().enumerate() {
            let stranger = person(&format!("Xq{k}"), &format!("Zw{k}vq"), "", "");
            let pos = pos % (mixed.len() + 1);
            mixed.insert(pos, (None, stranger));
        }
        let original: Vec<Option<usize>> = mixed.iter().map(|m| m.0).collect();
        let shuffled: Vec<Person> = mixed.into_iter().map(|m| m.1).collect();
        let mut got: Vec<(usize, usize, f64)> = matcher(2)
            .pairs(&records(&shuffled), shuffled.len())
            .0
            .into_iter()
            .map(|p| {
                let (a, b) = (original[p.a].unwrap(), original[p.b].unwrap());
                (a.min(b), a.max(b), p.score)
            })
            .collect();
        got.sort_by_key(|x| (x.0, x.1));
        let want: Vec<(usize, usize, f64)> = base.into_iter().map(|p| (p.a, p.b, p.score)).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn scores_are_probabilities_and_clusters_are_first_rows(
        people in prop::collection::vec(arb_person(), 0..60),
    ) {
        let (rows, _) = matcher(1).cluster(&records(&people));
        for (i, row) in rows.iter().enumerate() {
            prop_assert!(row.cluster <= i);
            prop_assert_eq!(rows[row.cluster].cluster, row.cluster);
            prop_assert!((0.0..=1.0).contains(&row.score));
            for d in &row.possible_duplicates {
                prop_assert!(d.score >= DEFAULT_THRESHOLD);
                prop_assert_eq!(rows[d.row].cluster, row.cluster);
                // The pair is listed on both sides with the same score
                // (unless the other side's list is full).
                prop_assert!(rows[d.row].possible_duplicates.len() == MAX_LISTED ||
                    rows[d.row].possible_duplicates.iter().any(|o| o.row == i && o.score == d.score));
            }
        }
    }
}

/// Vectors drawn from a known two-class model: EM finds its parameters.
#[test]
fn em_recovers_planted_parameters() {
    let mut truth = Model::default();
    // Three fields carry the signal; the others are null.
    let planted: [(Field, Vec<(f64, f64)>); 3] = [
        (
            Field::FirstName,
            vec![
                (0.6, 0.02),
                (0.1, 0.01),
                (0.0, 0.0),
                (0.15, 0.02),
                (0.05, 0.05),
                (0.05, 0.1),
                (0.05, 0.8),
            ],
        ),
        (
            Field::LastName,
            vec![
                (0.7, 0.01),
                (0.0, 0.0),
                (0.15, 0.02),
                (0.1, 0.07),
                (0.05, 0.9),
            ],
        ),
        (
            Field::BirthDate,
            vec![(0.8, 0.01), (0.05, 0.01), (0.1, 0.08), (0.05, 0.9)],
        ),
    ];
    for (f, levels) in &planted {
        truth.fields[f.index()] = levels.iter().map(|&(m, u)| Level { m, u }).collect();
    }
    let lambda = 0.3;
    let mut rng = train::tests_rng(7);
    let mut counts: std::collections::HashMap<Vector, f64> = Default::default();
    let draw = |rng: &mut dyn FnMut() -> f64, probs: &[f64]| -> u8 {
        let x = rng();
        let mut acc = 0.0;
        for (k, p) in probs.iter().enumerate() {
            acc += p;
            if x < acc {
                return k as u8 + 1;
            }
        }
        probs.len() as u8
    };
    for _ in 0..200_000 {
        let is_match = rng() < lambda;
        let mut v = [0u8; FIELDS];
        for (f, levels) in &planted {
            let probs: Vec<f64> = levels
                .iter()
                .map(|&(m, u)| if is_match { m } else { u })
                .collect();
            v[f.index()] = draw(&mut rng, &probs);
        }
        *counts.entry(v).or_default() += 1.0;
    }
    let mut patterns: Vec<(Vector, f64)> = counts.into_iter().collect();
    patterns.sort_by_key(|x| x.0);
    // Start from the defaults; estimate m and u.
    let mut model = Model::default();
    let (got_lambda, iterations) = train::em(&patterns, &mut model, 0.1, false);
    assert!(iterations < train::MAX_ITERATIONS, "EM did not converge");
    assert!((got_lambda - lambda).abs() < 0.01, "λ {got_lambda}");
    for (f, levels) in &planted {
        for (k, &(m, u)) in levels.iter().enumerate() {
            let got = model.fields[f.index()][k];
            assert!(
                (got.m - m).abs() < 0.015,
                "{f:?} level {k}: m {} vs {m}",
                got.m
            );
            assert!(
                (got.u - u).abs() < 0.015,
                "{f:?} level {k}: u {} vs {u}",
                got.u
            );
        }
    }
}

/// Generated people with planted duplicates: training finds that exact
/// names and birth dates are strong evidence, and the trained model still
/// finds the duplicates.
#[test]
fn training_on_generated_people() {
    // 225 first names and 1000 surnames, made of syllables.
    let syl = [
        "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "da", "fe", "go", "hu", "ja", "be", "pi",
    ];
    let firsts: Vec<String> = syl
        .iter()
        .flat_map(|a| syl.iter().map(move |b| format!("{a}{b}")))
        .collect();
    let mut lasts = Vec::new();
    for a in &syl[..10] {
        for b in &syl[..10] {
            for c in &syl[..10] {
                lasts.push(format!("{a}{b}{c}n"));
            }
        }
    }
    let mut rng = train::tests_rng(11);
    let mut people = Vec::new();
    let mut truth = Vec::new();
    for i in 0..3000 {
        let f = firsts[(rng() * firsts.len() as f64) as usize].as_str();
        let l = lasts[(rng() * lasts.len() as f64) as usize].as_str();
        let dob = format!(
            "19{:02}-{:02}-{:02}",
            40 + (rng() * 60.0) as u32,
            1 + (rng() * 12.0) as u32,
            1 + (rng() * 28.0) as u32
        );
        let zip = format!("{:05}", (rng() * 300.0) as u32);
        let p = person(f, l, "", &dob).with(Field::Postcode, &zip);
        if i % 3 == 0 {
            // A duplicate with one typo in the surname.
            let typo = format!("{}{}", &l[..l.len() - 1], "e");
            truth.push((people.len(), people.len() + 1));
            people.push(p);
            people.push(person(f, &typo, "", &dob).with(Field::Postcode, &zip));
        } else {
            people.push(p);
        }
    }
    let (model, stats) = train::train(&records(&people), &Model::default());
    assert!(stats.blocked_pairs > 0 && stats.iterations > 0, "{stats:?}");
    let m = |f: Field, k: usize| model.fields[f.index()][k].m;
    let u = |f: Field, k: usize| model.fields[f.index()][k].u;
    assert!(m(Field::BirthDate, 0) > 0.9, "{}", m(Field::BirthDate, 0));
    assert!(u(Field::BirthDate, 0) < 0.01);
    assert!(m(Field::FirstName, 0) > 0.9);
    assert!(
        (u(Field::FirstName, 0) - 1.0 / 225.0).abs() < 0.002,
        "{}",
        u(Field::FirstName, 0)
    );
    let reread = Model::from_json(model.to_json().as_bytes()).unwrap();
    let trained = Matcher::new(MatchConfig {
        model: reread,
        ..MatchConfig::default()
    })
    .unwrap();
    let (pairs, _) = trained.pairs(&records(&people), people.len());
    let found: std::collections::HashSet<(usize, usize)> =
        pairs.iter().map(|p| (p.a, p.b)).collect();
    let hits = truth.iter().filter(|t| found.contains(t)).count();
    assert!(hits * 100 >= truth.len() * 95, "{hits} of {}", truth.len());
    assert!(
        pairs.len() <= truth.len() + truth.len() / 10,
        "{} pairs",
        pairs.len()
    );
}
