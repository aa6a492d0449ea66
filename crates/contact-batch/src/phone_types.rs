//! Number type and validity from precompiled automata.
//!
//! libphonenumber decides whether a parsed number is valid, and of which
//! type, by matching its national significant number (at most 17 digits)
//! against its region's per-type patterns: `general_desc` first, then
//! premium rate, toll free, shared cost, VoIP, personal number, pager, UAN,
//! voicemail, fixed line and mobile, each behind a possible-lengths check.
//! For a country code shared by several regions (`+1`, `+7`, `+44`, ...)
//! it finds the region first, trying each one's `leading_digits` prefix
//! pattern or, failing that, the whole type lookup, region by region.
//! `rlibphonenumber` compiles each of those regular expressions lazily, per
//! `PhoneNumberUtil`, on the first number that needs it, and runs them one
//! by one: the first batch of an engine pays the compilation of every
//! region it meets, each thread's util compiles its own copies, and a
//! `+1` number may run the type lookup of twenty regions.
//!
//! Here each region's eleven type patterns and its leading-digits pattern
//! are one multi-pattern DFA (`regex-automata`, `MatchKind::All`), built
//! ahead of time and committed as `data/phone_types.bin`; the engine
//! deserializes them (zero-copy, validated) when it is built. One pass over
//! the digits gives the set of type patterns the whole number matches and
//! whether a prefix matched the leading digits, and a dense DFA search needs
//! no mutable cache, so threads share one table without a pool or a lock.
//! The possible-lengths checks are bit masks.
//!
//! The table is generated from the same vendored metadata the engine loads
//! (`data/phone_metadata.bin`, with the same `\d` → `[0-9]` rewrite) by the
//! test `phone_types::tests::committed_table_is_fresh`, which fails when the
//! committed file differs from what the metadata gives; set
//! `CONTACT_BATCH_WRITE_PHONE_TYPES=1` to rewrite it. Differential tests hold
//! every answer to `rlibphonenumber`'s own `get_number_type` and
//! `get_region_for_number`. A region whose table cannot be read (a
//! big-endian target, a `regex-automata` with another serialization
//! format) is answered by the library, as before.

use std::collections::HashMap;

use regex_automata::dfa::dense::DFA;
use regex_automata::dfa::Automaton;
use regex_automata::{Anchored, Input};
use rlibphonenumber::{PhoneNumber, PhoneNumberType, PhoneNumberUtil, Region};

/// The number types in libphonenumber's order of precedence; the DFA's
/// pattern `i` is `DESCS[i]`'s national number pattern, pattern
/// [`LEADING`] the leading-digits prefix.
pub(crate) const DESCS: [PhoneNumberType; 11] = [
    PhoneNumberType::Unknown, // general_desc
    PhoneNumberType::PremiumRate,
    PhoneNumberType::TollFree,
    PhoneNumberType::SharedCost,
    PhoneNumberType::VoIP,
    PhoneNumberType::PersonalNumber,
    PhoneNumberType::Pager,
    PhoneNumberType::UAN,
    PhoneNumberType::VoiceMail,
    PhoneNumberType::FixedLine,
    PhoneNumberType::Mobile,
];
const GENERAL: usize = 0;
const FIXED_LINE: usize = 9;
const MOBILE: usize = 10;
/// The leading-digits pattern's index in a region's DFA.
pub(crate) const LEADING: usize = 11;

/// Flags of one region's entry.
const SAME_MOBILE_AND_FIXED: u8 = 1;
/// Its leading-digits pattern is too short to be wrapped, which
/// `rlibphonenumber` compiles as the empty regex: it matches every number.
const LEADING_ALWAYS: u8 = 4;

/// What a desc asks of a number, besides its pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DescRule {
    /// Bit `n` set: length `n` is possible. Only read when `checked`.
    pub lengths: u64,
    /// The desc lists possible lengths (an empty list checks nothing).
    pub checked: bool,
    /// 0: the desc has no pattern (never matches); 1: its pattern is in the
    /// DFA; 2: its pattern is too short to be wrapped and, as in
    /// `rlibphonenumber`, matches everything.
    pub pattern: u8,
}

/// One region's (or one non-geographic calling code's) table.
#[derive(Debug, Clone)]
struct RegionTable {
    descs: [DescRule; 11],
    flags: u8,
    dfa: DFA<&'static [u32]>,
}

/// `data/phone_types.bin`, aligned as the DFAs' `u32` tables need.
#[repr(C, align(8))]
struct Aligned<T: ?Sized>(T);

static TABLE: &Aligned<[u8]> = &Aligned(*include_bytes!("../data/phone_types.bin"));

/// The precompiled tables of every region, keyed as the library's metadata
/// is: by region, and by calling code for the non-geographic entities.
///
/// A region's table is found by its two letters, an index into `slots`
/// (26 × 26), not by hashing its name: the SipHash of a `HashMap<String, _>`
/// lookup was 16% of `classify`'s instructions (callgrind, 10,000 mixed
/// numbers: 2.10 M of 13.34 M).
#[derive(Debug)]
pub(crate) struct TypeTables {
    /// `slots[letter_index(region)]`: the region's index in `regions`, or
    /// [`NO_TABLE`].
    slots: Box<[u16; 26 * 26]>,
    regions: Vec<RegionTable>,
    codes: HashMap<i32, RegionTable>,
}

const NO_TABLE: u16 = u16::MAX;

impl Default for TypeTables {
    fn default() -> TypeTables {
        TypeTables {
            slots: Box::new([NO_TABLE; 26 * 26]),
            regions: Vec::new(),
            codes: HashMap::new(),
        }
    }
}

/// The slot of a two-letter region code (`None`: not two ASCII letters).
fn letter_index(hi: u8, lo: u8) -> Option<usize> {
    let (hi, lo) = (hi.to_ascii_uppercase(), lo.to_ascii_uppercase());
    (hi.is_ascii_uppercase() && lo.is_ascii_uppercase())
        .then(|| usize::from(hi - b'A') * 26 + usize::from(lo - b'A'))
}

impl TypeTables {
    /// Reads the committed table. Entries that do not deserialize are left
    /// out: the library answers for them.
    pub(crate) fn load() -> TypeTables {
        Self::read(&TABLE.0)
    }

    fn read(bytes: &'static [u8]) -> TypeTables {
        let mut tables = TypeTables::default();
        let mut at = 0;
        while let Some(entry) = read_entry(bytes, &mut at) {
            let Some((id, code, table)) = entry else {
                continue;
            };
            let slot = match id.as_bytes() {
                [hi, lo] => letter_index(*hi, *lo),
                _ => None,
            };
            match slot {
                _ if id == "001" => {
                    tables.codes.insert(code, table);
                }
                Some(slot) if tables.regions.len() < usize::from(NO_TABLE) => {
                    tables.slots[slot] = tables.regions.len() as u16;
                    tables.regions.push(table);
                }
                // Not a region code the library can name: never looked up.
                _ => {}
            }
        }
        tables
    }

    /// How many regions and non-geographic codes have a table.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.regions.len() + self.codes.len()
    }

    fn table(&self, region: Region, country_code: i32) -> Option<&RegionTable> {
        if region == Region::World {
            self.codes.get(&country_code)
        } else {
            // `Region`'s discriminant is its two ASCII letters.
            let code = region as u16;
            let slot = letter_index((code >> 8) as u8, code as u8)?;
            self.regions.get(usize::from(self.slots[slot]))
        }
    }

    /// `util.get_number_type(number)` and `util.get_region_for_number(number)`
    /// in one lookup, answered from the tables where they cover the number's
    /// regions and by the library otherwise.
    pub(crate) fn classify(
        &self,
        util: &PhoneNumberUtil,
        number: &PhoneNumber,
    ) -> (PhoneNumberType, Option<Region>) {
        let mut buf = [0u8; 32];
        let nsn = national_significant_number(number, &mut buf);
        let Some(regions) = util.get_regions_for_country_calling_code(number.country_code) else {
            return (PhoneNumberType::Unknown, None);
        };
        let many = regions.len() > 1;
        for region in regions {
            let Some(table) = self.table(region, number.country_code) else {
                return library(util, number);
            };
            let matched = table.run(nsn);
            let number_type = table.number_type(nsn.len(), matched);
            // One region: it is the number's, whatever its type. Several:
            // the first whose leading digits or type patterns take it.
            if !many || matched.leading || number_type != PhoneNumberType::Unknown {
                return (number_type, Some(region));
            }
        }
        (PhoneNumberType::Unknown, None)
    }
}

/// The library's own answer.
fn library(util: &PhoneNumberUtil, number: &PhoneNumber) -> (PhoneNumberType, Option<Region>) {
    (
        util.get_number_type(number),
        util.get_region_for_number(number),
    )
}

/// Which of a region's patterns one number matched.
#[derive(Debug, Clone, Copy)]
struct Matched {
    /// Bit `i`: `DESCS[i]`'s pattern matched the whole number.
    whole: u16,
    /// A prefix matched the leading-digits pattern.
    leading: bool,
}

impl RegionTable {
    /// One pass of the DFA over the digits.
    fn run(&self, digits: &[u8]) -> Matched {
        // A region without leading digits has a never-matching pattern in
        // their place, so only `LEADING_ALWAYS` needs setting up front
        // (before the walk, which may stop at a dead state).
        let mut out = Matched {
            whole: 0,
            leading: self.flags & LEADING_ALWAYS != 0,
        };
        let dfa = &self.dfa;
        let input = Input::new(digits).anchored(Anchored::Yes);
        let Ok(mut state) = dfa.start_state_forward(&input) else {
            return out;
        };
        // Every type pattern ends in `$`, so a match state before the end of
        // the digits can only be the leading-digits prefix.
        for &b in digits {
            state = dfa.next_state(state, b);
            if dfa.is_match_state(state) {
                out.leading = true;
            }
            if dfa.is_dead_state(state) {
                return out;
            }
        }
        state = dfa.next_eoi_state(state);
        if dfa.is_match_state(state) {
            for i in 0..dfa.match_len(state) {
                let pattern = dfa.match_pattern(state, i).as_usize();
                if pattern == LEADING {
                    out.leading = true;
                } else {
                    out.whole |= 1 << pattern;
                }
            }
        }
        out
    }

    /// libphonenumber's `isNumberMatchingDesc` for desc `i`.
    fn matches(&self, i: usize, len: usize, matched: Matched) -> bool {
        let d = self.descs[i];
        if d.checked && (len >= 64 || d.lengths & (1 << len) == 0) {
            return false;
        }
        match d.pattern {
            0 => false,
            2 => true,
            _ => matched.whole & (1 << i) != 0,
        }
    }

    /// libphonenumber's `getNumberTypeHelper`.
    fn number_type(&self, len: usize, m: Matched) -> PhoneNumberType {
        if !self.matches(GENERAL, len, m) {
            return PhoneNumberType::Unknown;
        }
        for (i, &t) in DESCS.iter().enumerate().take(FIXED_LINE).skip(1) {
            if self.matches(i, len, m) {
                return t;
            }
        }
        let same = self.flags & SAME_MOBILE_AND_FIXED != 0;
        if self.matches(FIXED_LINE, len, m) {
            if same || self.matches(MOBILE, len, m) {
                return PhoneNumberType::FixedLineOrMobile;
            }
            return PhoneNumberType::FixedLine;
        }
        if !same && self.matches(MOBILE, len, m) {
            return PhoneNumberType::Mobile;
        }
        PhoneNumberType::Unknown
    }
}

/// The national significant number's digits: the national number with the
/// Italian leading zeros libphonenumber keeps (at most 10).
fn national_significant_number<'b>(number: &PhoneNumber, buf: &'b mut [u8; 32]) -> &'b [u8] {
    let zeros = if number.italian_leading_zero() {
        usize::try_from(number.number_of_leading_zeros())
            .unwrap_or(0)
            .min(10)
    } else {
        0
    };
    let mut digits = [0u8; 20];
    let mut n = number.national_number;
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf[..zeros].fill(b'0');
    for i in 0..len {
        buf[zeros + i] = digits[len - 1 - i];
    }
    &buf[..zeros + len]
}

// The file's layout, one entry after another, every entry starting at a
// multiple of 8 bytes:
//   u8 id length, id bytes, i32 country code (LE), u8 flags,
//   11 × (u64 lengths LE, u8 checked, u8 pattern),
//   u32 DFA length (LE), padding to a multiple of 8, DFA bytes, padding.

/// Reads the entry at `*at`. `None`: the end (or a corrupt file: stop);
/// `Some(None)`: an entry whose DFA does not deserialize here.
#[allow(clippy::type_complexity)]
fn read_entry(
    bytes: &'static [u8],
    at: &mut usize,
) -> Option<Option<(&'static str, i32, RegionTable)>> {
    let take = |at: &mut usize, n: usize| -> Option<&'static [u8]> {
        let s = bytes.get(*at..at.checked_add(n)?)?;
        *at += n;
        Some(s)
    };
    let id_len = usize::from(*take(at, 1)?.first()?);
    let id = std::str::from_utf8(take(at, id_len)?).ok()?;
    let code = i32::from_le_bytes(take(at, 4)?.try_into().ok()?);
    let flags = take(at, 1)?[0];
    let mut descs = [DescRule {
        lengths: 0,
        checked: false,
        pattern: 0,
    }; 11];
    for d in &mut descs {
        d.lengths = u64::from_le_bytes(take(at, 8)?.try_into().ok()?);
        d.checked = take(at, 1)?[0] != 0;
        d.pattern = take(at, 1)?[0];
    }
    let dfa_len = u32::from_le_bytes(take(at, 4)?.try_into().ok()?) as usize;
    *at = at.next_multiple_of(8);
    let dfa_bytes = take(at, dfa_len)?;
    *at = at.next_multiple_of(8);
    let entry = DFA::from_bytes(dfa_bytes)
        .ok()
        .map(|(dfa, _)| (id, code, RegionTable { descs, flags, dfa }));
    Some(entry)
}

#[cfg(test)]
pub(crate) mod generate;

#[cfg(test)]
mod tests;
