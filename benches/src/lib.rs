//! Seeded, generated data for the contact-batch benches. Nothing here is
//! timed: the benches build their inputs with these functions outside the
//! measured loops.
//!
//! Valid phone numbers come from libphonenumber's own example numbers (the
//! `rlibphonenumber` metadata the engine uses) with their trailing digits
//! redrawn until the number is still valid, so every region's numbers look
//! like that region's real numbers. Mixed sets then add repeats (the same
//! number again, often in another written form), near-misses (a digit
//! dropped, added or changed) and junk, in fixed proportions.

use rlibphonenumber::{PhoneNumber, PhoneNumberFormat, PhoneNumberType, PhoneNumberUtil, Region};
use serde_json::{json, Map, Value};

/// True when the bench binary runs as a benchmark (`cargo bench`), false in
/// test mode (`cargo test --benches`), where criterion runs every bench once:
/// inputs are then made small so the whole run takes seconds.
pub fn full_run() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// `full` in a real bench run, `small` in test mode.
pub fn scaled(full: usize, small: usize) -> usize {
    if full_run() {
        full
    } else {
        small
    }
}

/// SplitMix64: small, fast and good enough for test data; the same seed
/// always gives the same data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) % n as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An ASCII digit.
    pub fn digit(&mut self) -> char {
        char::from(b'0' + self.below(10) as u8)
    }
}

/// The regions of the mixed-country sets (36, every continent).
pub const MIXED_REGIONS: [&str; 36] = [
    "US", "CA", "MX", "BR", "AR", "CO", "CL", "PE", "GB", "IE", "FR", "DE", "ES", "PT", "IT", "NL",
    "BE", "CH", "AT", "SE", "NO", "DK", "FI", "PL", "CZ", "RU", "UA", "TR", "IL", "AE", "IN", "CN",
    "JP", "AU", "ZA", "NG",
];

/// A valid number in the written forms the generators use.
#[derive(Debug, Clone)]
pub struct Number {
    /// ISO 3166-1 alpha-2 region it was drawn for.
    pub region: &'static str,
    /// `+14155552671`
    pub e164: String,
    /// `+1 415-555-2671`
    pub international: String,
    /// `(415) 555-2671`
    pub national: String,
}

impl Number {
    /// The national form with its punctuation replaced: spaces, dots or nothing.
    fn national_variant(&self, rng: &mut Rng) -> String {
        let sep = *rng.pick(&["", ".", " ", "-"]);
        let mut out = String::with_capacity(self.national.len());
        for c in self.national.chars() {
            match c {
                '(' | ')' => {}
                ' ' | '-' => out.push_str(sep),
                c => out.push(c),
            }
        }
        out
    }
}

/// One phone input: the raw text, and the region a row gives for it (a CSV
/// `region` column), if any.
#[derive(Debug, Clone)]
pub struct PhoneCase {
    /// As written.
    pub raw: String,
    /// ISO alpha-2 region for numbers written without `+`.
    pub region: Option<&'static str>,
}

/// Which written forms a set uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forms {
    /// E.164, international and national forms (a region is given for every
    /// national one).
    All,
    /// Only forms with a `+` (for engines with no default region).
    International,
}

/// Draws valid numbers from the example numbers of the phone metadata.
pub struct NumberSource {
    util: PhoneNumberUtil,
    rng: Rng,
}

impl NumberSource {
    /// A source seeded with `seed`.
    pub fn new(seed: u64) -> NumberSource {
        NumberSource {
            util: PhoneNumberUtil::new().expect("phone metadata loads"),
            rng: Rng::new(seed),
        }
    }

    /// The source's random generator.
    pub fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    /// A valid number of `region`: a mobile or fixed-line example number
    /// with trailing digits redrawn (up to 40 tries; then the example itself).
    pub fn valid(&mut self, region: &'static str) -> Number {
        let r = Region::from_code(region).expect("known region");
        let kind = if self.rng.chance(0.6) {
            PhoneNumberType::Mobile
        } else {
            PhoneNumberType::FixedLine
        };
        let example = self
            .util
            .get_example_number_for_type_and_region(r, kind)
            .or_else(|_| self.util.get_example_number(r))
            .expect("every region has an example number");
        let nsn = rlibphonenumber::get_national_significant_number_owned(&example);
        let mut chosen = None;
        for attempt in 0..40 {
            // Keep a short prefix (the area or mobile prefix), redraw the rest;
            // later attempts keep more of the example.
            let keep = (1 + attempt / 8).min(nsn.len().saturating_sub(3)).max(1);
            let mut candidate: String = nsn[..keep].to_owned();
            while candidate.len() < nsn.len() {
                candidate.push(self.rng.digit());
            }
            if let Ok(n) = self.util.parse(&candidate, Some(r)) {
                if self.util.is_valid_number(&n) {
                    chosen = Some(n);
                    break;
                }
            }
        }
        self.forms(region, &chosen.unwrap_or(example))
    }

    fn forms(&self, region: &'static str, n: &PhoneNumber) -> Number {
        Number {
            region,
            e164: self.util.format(n, PhoneNumberFormat::E164).into_owned(),
            international: self
                .util
                .format(n, PhoneNumberFormat::International)
                .into_owned(),
            national: self
                .util
                .format(n, PhoneNumberFormat::National)
                .into_owned(),
        }
    }

    /// One written form of a valid number, and the region given with it.
    fn written(&mut self, n: &Number, forms: Forms) -> PhoneCase {
        let rng = &mut self.rng;
        let national = forms == Forms::All && rng.chance(0.45);
        if national {
            let raw = if rng.chance(0.7) {
                n.national.clone()
            } else {
                n.national_variant(rng)
            };
            return PhoneCase {
                raw,
                region: Some(n.region),
            };
        }
        let raw = match rng.below(3) {
            0 => n.e164.clone(),
            1 => n.international.clone(),
            _ => n.international.replace(' ', "-"),
        };
        // International forms sometimes come with a region, sometimes not.
        let region = (forms == Forms::All && rng.chance(0.7)).then_some(n.region);
        PhoneCase { raw, region }
    }

    /// A number-like string that is not a valid number: a digit dropped,
    /// two added, or the leading digit changed.
    fn near_miss(&mut self, n: &Number, forms: Forms) -> PhoneCase {
        let base = if forms == Forms::All && self.rng.chance(0.5) {
            n.national.clone()
        } else {
            n.e164.clone()
        };
        let national = !base.starts_with('+');
        let mut raw = base;
        match self.rng.below(3) {
            0 => {
                raw.pop();
            }
            1 => {
                raw.push(self.rng.digit());
                raw.push(self.rng.digit());
            }
            _ => {
                // Change the first digit after the calling code / national prefix.
                let at = raw
                    .char_indices()
                    .filter(|(_, c)| c.is_ascii_digit())
                    .nth(if national { 1 } else { 3 })
                    .map(|(i, _)| i);
                if let Some(at) = at {
                    raw.replace_range(at..at + 1, &self.rng.digit().to_string());
                }
            }
        }
        PhoneCase {
            raw,
            region: national.then_some(n.region),
        }
    }

    fn junk(&mut self, regions: &[&'static str]) -> PhoneCase {
        const JUNK: [&str; 20] = [
            "",
            "   ",
            "n/a",
            "none",
            "call me",
            "+",
            "12",
            "0",
            "tel:",
            "+999 1234 5678",
            "abc-def-ghij",
            "1-800-FLOWERS",
            "(555) 555-5555",
            "+1 555 0100",
            "ext. 123",
            "+44 20 7183 8750 ext. 99",
            "+12345678901234567890123",
            "0000000000",
            "☎ +33 1 23 45 67 89",
            "+49 (0) 30 1234567 / 8",
        ];
        let region = Some(*self.rng.pick(regions));
        if self.rng.chance(0.03) {
            return PhoneCase {
                raw: "9".repeat(300),
                region,
            };
        }
        PhoneCase {
            raw: (*self.rng.pick(&JUNK)).to_owned(),
            region,
        }
    }

    /// `n` phone inputs over `regions`: 55% new valid numbers, 20% repeats
    /// of an earlier one (often in another form), 15% near-misses, 10% junk.
    pub fn phones(&mut self, n: usize, regions: &[&'static str], forms: Forms) -> Vec<PhoneCase> {
        let mut valid: Vec<Number> = Vec::new();
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let roll = self.rng.unit();
            let case = if roll < 0.55 || valid.is_empty() {
                let region = *self.rng.pick(regions);
                let number = self.valid(region);
                let case = self.written(&number, forms);
                valid.push(number);
                case
            } else if roll < 0.75 {
                let number = valid[self.rng.below(valid.len())].clone();
                self.written(&number, forms)
            } else if roll < 0.90 {
                let number = valid[self.rng.below(valid.len())].clone();
                self.near_miss(&number, forms)
            } else {
                self.junk(regions)
            };
            out.push(case);
        }
        out
    }
}

/// The mixed-country phone set: 36 regions, every form, repeats, junk.
pub fn mixed_phones(n: usize, seed: u64) -> Vec<PhoneCase> {
    NumberSource::new(seed).phones(n, &MIXED_REGIONS, Forms::All)
}

/// The one-country phone set: US numbers, region `US` on every row.
pub fn us_phones(n: usize, seed: u64) -> Vec<PhoneCase> {
    let mut cases = NumberSource::new(seed).phones(n, &["US"], Forms::All);
    for c in &mut cases {
        c.region = Some("US");
    }
    cases
}

const FIRST: [&str; 24] = [
    "Ann", "Bob", "Carla", "Dmitri", "Emma", "Fatima", "Gustavo", "Hana", "Ivan", "José", "Kenji",
    "Liam", "Maria", "Noah", "Olga", "Priya", "Quentin", "Rosa", "Søren", "Thandiwe", "Uma", "Zoë",
    "Łukasz", "Wei",
];
const LAST: [&str; 20] = [
    "Smith",
    "García",
    "Müller",
    "Rossi",
    "Dubois",
    "Kowalski",
    "Nakamura",
    "Silva",
    "Johnson",
    "O'Brien",
    "van Dijk",
    "Novák",
    "Ivanova",
    "Cohen",
    "Okafor",
    "Patel",
    "Chen",
    "Kim",
    "Nguyen",
    "Andersson",
];
const DOMAINS: [&str; 12] = [
    "example.com",
    "Example.COM",
    "mail.example.org",
    "corp.example.net",
    "gmail.com",
    "outlook.com",
    "yahoo.co.uk",
    "web.de",
    "bücher.example",
    "orange.fr",
    "uni-example.edu",
    "startup.io",
];
const COMPANIES: [&str; 8] = [
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella GmbH",
    "Stark Industries",
    "Wayne Enterprises",
    "  Hooli  ",
    "Soylent S.A.",
];
const CITIES: [&str; 10] = [
    "Lisbon",
    "London",
    "New York",
    "São Paulo",
    "München",
    "Tokyo",
    "Lagos",
    "Mumbai",
    "Sydney",
    "Kraków",
];

fn ascii_local(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase()
}

/// `n` email addresses: about 85% valid in many shapes (tags, dots, upper
/// case and IDN domains), the rest invalid in the ways bulk uploads are.
pub fn emails(n: usize, seed: u64) -> Vec<String> {
    const INVALID: [&str; 12] = [
        "ann",
        "ann@",
        "@example.com",
        "Ann Smith <ann@example.com>",
        "ann@[192.168.0.1]",
        "ann@localhost",
        "ann..smith@example.com",
        "ann smith@example.com",
        "ann@exa mple.com",
        "ann@@example.com",
        ".ann@example.com",
        "ann@example.com.",
    ];
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            if rng.chance(0.15) {
                if rng.chance(0.1) {
                    return format!("{}@example.com", "a".repeat(70));
                }
                return (*rng.pick(&INVALID)).to_owned();
            }
            let (first, last) = (rng_first(&mut rng), rng_last(&mut rng));
            email_for(&mut rng, first, last)
        })
        .collect()
}

fn rng_first(rng: &mut Rng) -> &'static str {
    FIRST[rng.below(FIRST.len())]
}

fn rng_last(rng: &mut Rng) -> &'static str {
    LAST[rng.below(LAST.len())]
}

fn email_for(rng: &mut Rng, first: &str, last: &str) -> String {
    let (f, l) = (ascii_local(first), ascii_local(last));
    let local = match rng.below(5) {
        0 => format!("{f}.{l}"),
        1 => format!("{f}{l}{}", rng.below(100)),
        2 => format!("{f}+news"),
        3 => format!("{}_{l}", &f[..1.min(f.len())]),
        _ => format!("{}.{}", first.to_uppercase(), l),
    };
    let domain = rng.pick(&DOMAINS);
    if rng.chance(0.05) {
        format!("  {local}@{domain} ")
    } else {
        format!("{local}@{domain}")
    }
}

/// One generated person: names, an email (or none), a phone input.
#[derive(Debug, Clone)]
pub struct Person {
    /// Given name.
    pub first: &'static str,
    /// Family name.
    pub last: &'static str,
    /// Email, absent for about a fifth.
    pub email: Option<String>,
    /// Company, absent for about half.
    pub company: Option<&'static str>,
    /// City.
    pub city: &'static str,
    /// The phone as written, with its row region.
    pub phone: PhoneCase,
}

/// `n` people whose phones are the mixed-country set in `forms`.
pub fn people(n: usize, seed: u64, forms: Forms) -> Vec<Person> {
    let mut source = NumberSource::new(seed);
    let phones = source.phones(n, &MIXED_REGIONS, forms);
    let rng = source.rng();
    phones
        .into_iter()
        .map(|phone| {
            let first = rng_first(rng);
            let last = rng_last(rng);
            let email = rng.chance(0.8).then(|| email_for(rng, first, last));
            Person {
                first,
                last,
                email,
                company: rng.chance(0.5).then(|| *rng.pick(&COMPANIES)),
                city: CITIES[rng.below(CITIES.len())],
                phone,
            }
        })
        .collect()
}

fn insert_opt(m: &mut Map<String, Value>, key: &str, v: Option<impl Into<Value>>) {
    if let Some(v) = v {
        m.insert(key.to_owned(), v.into());
    }
}

/// A rasl-create contact object (no `region`: the request form).
pub fn rasl_contact(p: &Person, rng: &mut Rng) -> Value {
    let mut m = Map::new();
    m.insert("firstname".into(), p.first.into());
    m.insert("lastname".into(), p.last.into());
    m.insert("phone".into(), p.phone.raw.clone().into());
    insert_opt(&mut m, "email", p.email.clone());
    insert_opt(&mut m, "company", p.company);
    m.insert("city".into(), p.city.into());
    m.insert(
        "type".into(),
        (*rng.pick(&["lead", "lead", "customer"])).into(),
    );
    if rng.chance(0.3) {
        m.insert("groups".into(), json!([1 + rng.below(5), 2, 7]));
    }
    if rng.chance(0.3) {
        m.insert("source_id".into(), (1 + rng.below(9)).into());
    }
    Value::Object(m)
}

/// The request body of `profile` with `n` rows, and the existing data the
/// host would pass with it (about a tenth of the valid phones exist).
/// rasl-update takes one partial contact whatever `n` is.
pub fn request(profile: contact_batch::Profile, n: usize, seed: u64) -> (Vec<u8>, Value) {
    use contact_batch::Profile;
    let mut rng = Rng::new(seed ^ 0xA5A5);
    let forms = Forms::International;
    let (body, existing) = match profile {
        Profile::RaslCreate => {
            let ps = people(n, seed, forms);
            let contacts: Vec<Value> = ps.iter().map(|p| rasl_contact(p, &mut rng)).collect();
            let body = json!({"contacts": contacts, "options": {"skip_duplicates": true}});
            (
                body,
                json!({"phones": existing_phones(&ps, &mut rng, |i| json!(i))}),
            )
        }
        Profile::RaslDelete => {
            let ids: Vec<Value> = (0..n)
                .map(|i| {
                    json!(if rng.chance(0.05) {
                        1 + rng.below(n)
                    } else {
                        1 + i
                    })
                })
                .collect();
            let existing: Vec<usize> = (1..=n).filter(|i| i % 4 != 0).collect();
            (json!({ "ids": ids }), json!({ "ids": existing }))
        }
        Profile::RaslUpdate => {
            let ps = people(n.max(2), seed, forms);
            let body = json!({"firstname": " Ann ", "phone": "+44 7400 123456",
                "email": "Ann.Smith@Example.COM", "city": null, "groups": [3, 3, 4]});
            let contact = json!({"id": 1, "firstname": "Ann", "lastname": "Smith",
                "phone": "+447400000001", "email": "ann@example.com", "type": "lead",
                "city": "London", "groups": [1]});
            let phones = existing_phones(&ps, &mut rng, |i| json!(i + 2));
            (body, json!({"contact": contact, "phones": phones}))
        }
        Profile::RecordList => {
            let ps = people(n, seed, forms);
            let records: Vec<Value> = ps.iter().map(|p| record(p, &mut rng)).collect();
            let existing = json!({
                "record_list_id": "rl_bench",
                "phones": existing_phones(&ps, &mut rng, |i| json!(format!("rec_{i}"))),
                "external_refs": [["crm", "17"], ["crm", "42"]],
            });
            (json!({ "records": records }), existing)
        }
        Profile::ContactBook => {
            let ps = people(n, seed, forms);
            let contacts: Vec<Value> = ps.iter().map(|p| book_contact(p, &mut rng)).collect();
            let existing = json!({
                "contact_book": {"contactBookUid": "grp_bench", "name": "Bench Leads"},
                "phones": existing_phones(&ps, &mut rng, |i| json!(format!("ct_{i}"))),
            });
            (json!({ "contacts": contacts }), existing)
        }
        other => unimplemented!("no generated request for {other:?}"),
    };
    (serde_json::to_vec(&body).expect("serializable"), existing)
}

/// About a tenth of the E.164-looking phones of `ps`, as the existing file's
/// `phones` member.
fn existing_phones(ps: &[Person], rng: &mut Rng, id: impl Fn(usize) -> Value) -> Value {
    let mut m = Map::new();
    for (i, p) in ps.iter().enumerate() {
        let digits: String = p.phone.raw.chars().filter(char::is_ascii_digit).collect();
        let plausible = p.phone.raw.starts_with('+') && (8..=15).contains(&digits.len());
        if plausible && rng.chance(0.1) {
            m.insert(format!("+{digits}"), id(i));
        }
    }
    Value::Object(m)
}

fn record(p: &Person, rng: &mut Rng) -> Value {
    let mut phones = vec![json!({"phone_number": p.phone.raw, "phone_type": "MOBILE"})];
    if rng.chance(0.2) {
        phones.push(json!({"phone_number": "+351 21 234 5678", "phone_type": "OFFICE"}));
    }
    let mut m = Map::new();
    m.insert("phone_numbers".into(), phones.into());
    m.insert("first_name".into(), p.first.into());
    m.insert("last_name".into(), p.last.into());
    let tz = *rng.pick(&[
        "UTC",
        "GMT",
        "Europe/Lisbon",
        "America/New_York",
        "Asia/Tokyo",
    ]);
    if rng.chance(0.7) {
        m.insert("timezone".into(), tz.into());
    }
    m.insert("priority".into(), (1 + rng.below(10)).into());
    if rng.chance(0.3) {
        m.insert("external_provider".into(), "crm".into());
        m.insert("external_id".into(), rng.below(5000).to_string().into());
    }
    if rng.chance(0.2) {
        m.insert("extra_data".into(), json!({"source": "bench", "score": 3}));
    }
    Value::Object(m)
}

fn book_contact(p: &Person, rng: &mut Rng) -> Value {
    let mut m = Map::new();
    // Without a defaultCountryCode, digits without `+` are full international.
    let phone = if rng.chance(0.5) {
        p.phone.raw.trim_start_matches('+').to_owned()
    } else {
        p.phone.raw.clone()
    };
    m.insert("phone".into(), phone.into());
    m.insert(
        "displayName".into(),
        format!("{} {}", p.first, p.last).into(),
    );
    m.insert("firstName".into(), p.first.into());
    m.insert("lastName".into(), p.last.into());
    insert_opt(&mut m, "email", p.email.clone());
    insert_opt(&mut m, "companyName", p.company);
    if rng.chance(0.3) {
        m.insert(
            "customFields".into(),
            json!({"plan": "gold", "score": rng.below(100), "vip": true}),
        );
    }
    Value::Object(m)
}

/// `n` NDJSON import lines for rasl-create: contact fields plus a `region`
/// member for rows that give one; phones are the mixed-country set.
pub fn ndjson_rows(n: usize, seed: u64) -> Vec<String> {
    let ps = people(n, seed, Forms::All);
    let mut rng = Rng::new(seed ^ 0x5A5A);
    ps.iter()
        .map(|p| {
            let mut v = rasl_contact(p, &mut rng);
            if let (Some(region), Value::Object(m)) = (p.phone.region, &mut v) {
                m.insert("region".into(), region.into());
            }
            serde_json::to_string(&v).expect("serializable")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use contact_batch::{Config, Engine, Profile};

    #[test]
    fn same_seed_same_data() {
        let a: Vec<String> = mixed_phones(300, 1).into_iter().map(|c| c.raw).collect();
        let b: Vec<String> = mixed_phones(300, 1).into_iter().map(|c| c.raw).collect();
        assert_eq!(a, b);
        assert_eq!(emails(50, 3), emails(50, 3));
    }

    #[test]
    fn mixed_set_is_mostly_valid_and_spans_regions() {
        let engine = Engine::new(Config::builder(Profile::RaslCreate).threads(1).build()).unwrap();
        let cases = mixed_phones(2000, 7);
        let mut regions = std::collections::HashSet::new();
        let mut valid = 0;
        for c in &cases {
            if let Ok(v) = engine.normalize_phone(&c.raw, c.region) {
                valid += 1;
                regions.insert(v.region.unwrap_or_default());
            }
        }
        // 75% are drawn valid (new + repeats); near-misses may stay valid.
        assert!(valid > 1400 && valid < 1800, "{valid} valid of 2000");
        assert!(regions.len() >= 30, "{} regions", regions.len());
    }

    #[test]
    fn requests_are_accepted_by_every_profile() {
        for profile in Profile::ALL {
            let (body, existing) = request(profile, 300, 11);
            let engine =
                Engine::new(Config::builder(profile).max_batch(1000).threads(1).build()).unwrap();
            let existing =
                contact_batch::Existing::from_json(&serde_json::to_vec(&existing).unwrap())
                    .unwrap();
            let out = engine.respond(&body, &existing);
            assert!(
                out.response.status < 300,
                "{profile}: {} {}",
                out.response.status,
                &out.response.body[..out.response.body.len().min(400)]
            );
        }
    }
}
