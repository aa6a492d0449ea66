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
//! are one multi-pattern DFA (`regex-automata`, `MatchKind::All`, minimized),
//! built ahead of time and flattened to the states its start reaches over
//! the ten digits: `data/phone_types.bin` holds, per state, its ten next
//! states, whether it is a match or the dead state, and which patterns match
//! if the digits end there. One pass over the digits (one array load per
//! digit) gives the set of type patterns the whole number matches and
//! whether a prefix matched the leading digits; the tables are read-only, so
//! threads share them without a pool or a lock. The possible-lengths checks
//! are bit masks.
//!
//! Why flattened, not the serialized DFA itself (callgrind, 10,000 mixed
//! numbers, 18,862 `classify` calls): with the serialized dense DFA, its
//! walk through `regex-automata`'s safe API, the desc-by-desc type lookup
//! and a hashed region lookup, `classify` cost 13.34 M instructions;
//! flattened, with the type from bit masks and the region by its letters,
//! 6.46 M. Validating the 1.7 MB of DFAs at `Engine::new`
//! (`DFA::from_bytes`) cost 7.1 M instructions of a cold 1000-row
//! `respond`'s 100 M; the flattened tables are read in place (0.16 M). The
//! file has only the digit transitions and needs no DFA library at run
//! time.
//!
//! The table is generated from the same vendored metadata the engine loads
//! (`data/phone_metadata.bin`, with the same `\d` → `[0-9]` rewrite) by the
//! test `phone_types::tests::committed_table_is_fresh`, which fails when the
//! committed file differs from what the metadata gives; set
//! `CONTACT_BATCH_WRITE_PHONE_TYPES=1` to rewrite it. Differential tests hold
//! every answer to `rlibphonenumber`'s own `get_number_type` and
//! `get_region_for_number`. A region whose entry is missing (a truncated
//! file, an entry with no states) is answered by the library; a state
//! index past its table reads as "no match". The freshness test rules
//! both out for the committed file.

use std::collections::HashMap;

#[cfg(test)]
use rlibphonenumber::{PhoneNumber, PhoneNumberType, PhoneNumberUtil, Region};

use serde::Serialize;

/// The kind of a valid number, as libphonenumber's `getNumberType` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NumberType {
    /// A landline.
    FixedLine,
    /// A mobile phone.
    Mobile,
    /// Either; the numbering plan does not tell (the US, for one).
    FixedLineOrMobile,
    /// A toll-free number.
    TollFree,
    /// A premium-rate number.
    PremiumRate,
    /// A shared-cost number.
    SharedCost,
    /// A voice-over-IP number.
    Voip,
    /// A personal number.
    PersonalNumber,
    /// A pager.
    Pager,
    /// A universal access number.
    Uan,
    /// A voicemail access number.
    Voicemail,
    /// Valid, but of no known type.
    Unknown,
}

impl NumberType {
    /// The snake_case name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            NumberType::FixedLine => "fixed_line",
            NumberType::Mobile => "mobile",
            NumberType::FixedLineOrMobile => "fixed_line_or_mobile",
            NumberType::TollFree => "toll_free",
            NumberType::PremiumRate => "premium_rate",
            NumberType::SharedCost => "shared_cost",
            NumberType::Voip => "voip",
            NumberType::PersonalNumber => "personal_number",
            NumberType::Pager => "pager",
            NumberType::Uan => "uan",
            NumberType::Voicemail => "voicemail",
            NumberType::Unknown => "unknown",
        }
    }

    /// The library's type (tests and fuzzing compare with it).
    #[cfg(any(test, feature = "fuzzing"))]
    pub(crate) fn from_lib(t: rlibphonenumber::PhoneNumberType) -> Self {
        use rlibphonenumber::PhoneNumberType;
        match t {
            PhoneNumberType::FixedLine => NumberType::FixedLine,
            PhoneNumberType::Mobile => NumberType::Mobile,
            PhoneNumberType::FixedLineOrMobile => NumberType::FixedLineOrMobile,
            PhoneNumberType::TollFree => NumberType::TollFree,
            PhoneNumberType::PremiumRate => NumberType::PremiumRate,
            PhoneNumberType::SharedCost => NumberType::SharedCost,
            PhoneNumberType::VoIP => NumberType::Voip,
            PhoneNumberType::PersonalNumber => NumberType::PersonalNumber,
            PhoneNumberType::Pager => NumberType::Pager,
            PhoneNumberType::UAN => NumberType::Uan,
            PhoneNumberType::VoiceMail => NumberType::Voicemail,
            PhoneNumberType::Unknown => NumberType::Unknown,
        }
    }

    /// The library's type of ours (`None`: its `UNKNOWN`, not valid).
    #[cfg(test)]
    pub(crate) fn to_lib(t: Option<NumberType>) -> rlibphonenumber::PhoneNumberType {
        use rlibphonenumber::PhoneNumberType as T;
        match t {
            None | Some(NumberType::Unknown) => T::Unknown,
            Some(NumberType::FixedLine) => T::FixedLine,
            Some(NumberType::Mobile) => T::Mobile,
            Some(NumberType::FixedLineOrMobile) => T::FixedLineOrMobile,
            Some(NumberType::TollFree) => T::TollFree,
            Some(NumberType::PremiumRate) => T::PremiumRate,
            Some(NumberType::SharedCost) => T::SharedCost,
            Some(NumberType::Voip) => T::VoIP,
            Some(NumberType::PersonalNumber) => T::PersonalNumber,
            Some(NumberType::Pager) => T::Pager,
            Some(NumberType::Uan) => T::UAN,
            Some(NumberType::Voicemail) => T::VoiceMail,
        }
    }
}

/// The number types in libphonenumber's order of precedence; the DFA's
/// pattern `i` is `DESCS[i]`'s national number pattern, pattern
/// [`LEADING`] the leading-digits prefix.
pub(crate) const DESCS: [Option<NumberType>; 11] = [
    None, // general_desc
    Some(NumberType::PremiumRate),
    Some(NumberType::TollFree),
    Some(NumberType::SharedCost),
    Some(NumberType::Voip),
    Some(NumberType::PersonalNumber),
    Some(NumberType::Pager),
    Some(NumberType::Uan),
    Some(NumberType::Voicemail),
    Some(NumberType::FixedLine),
    Some(NumberType::Mobile),
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

/// A state of a flattened DFA: a match state (a prefix of the digits read
/// so far matched; type patterns end in `$`, so only the leading digits can).
pub(crate) const STATE_MATCH: u8 = 1;
/// The dead state: no pattern can match any more.
pub(crate) const STATE_DEAD: u8 = 2;

/// One region's (or one non-geographic calling code's) table.
#[derive(Debug, Clone)]
struct RegionTable<'a> {
    /// Bit `i` of `len_ok[n]`: desc `i`'s possible lengths allow `n` digits.
    len_ok: [u16; 64],
    /// The descs that check no lengths (what a number of 64 or more digits
    /// passes).
    unchecked: u16,
    /// The descs whose pattern is in the DFA.
    patterned: u16,
    /// The descs whose pattern matches every number.
    always: u16,
    flags: u8,
    /// `next[state * 10 + digit]` (u16 LE); state 0 is the start.
    next: &'a [u8],
    /// [`STATE_MATCH`], [`STATE_DEAD`] per state.
    state_flags: &'a [u8],
    /// Per state (u16 LE): the patterns (bit `i`: pattern `i`) that match
    /// if the digits end there.
    eoi: &'a [u8],
}

/// The `i`th little-endian u16 of `bytes`. The tables are read in place
/// from the committed bytes: nothing is copied or checked at
/// `Engine::new` (decoding them into arrays cost 4.5 M instructions of a
/// cold 1000-row `respond`), and an index past the end reads as no match.
fn u16_at(bytes: &[u8], i: usize) -> Option<u16> {
    let b = bytes.get(2 * i..2 * i + 2)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

/// `data/phone_types.bin`.
static TABLE: &[u8] = include_bytes!("../data/phone_types.bin");

/// The committed table's bytes (the provenance test reads them).
#[cfg(test)]
pub(crate) fn table_bytes() -> &'static [u8] {
    TABLE
}

/// The precompiled tables of every region, keyed as the library's metadata
/// is: by region, and by calling code for the non-geographic entities.
///
/// A region's table is found by its two letters, an index into `slots`
/// (26 × 26), not by hashing its name: the SipHash of a `HashMap<String, _>`
/// lookup was 16% of `classify`'s instructions (callgrind, 10,000 mixed
/// numbers: 2.10 M of 13.34 M).
#[derive(Debug)]
pub(crate) struct TypeTables<'a> {
    /// `slots[letter_index(region)]`: the region's index in `regions`, or
    /// [`NO_TABLE`].
    slots: Box<[u16; 26 * 26]>,
    regions: Vec<RegionTable<'a>>,
    codes: HashMap<i32, RegionTable<'a>>,
}

const NO_TABLE: u16 = u16::MAX;

impl Default for TypeTables<'_> {
    fn default() -> Self {
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

impl<'a> TypeTables<'a> {
    /// Reads the committed table. Entries that do not deserialize are left
    /// out: the library answers for them.
    pub(crate) fn load() -> TypeTables<'static> {
        TypeTables::read(TABLE).0
    }

    /// Reads a whole table file strictly: `None` unless every entry is
    /// complete and the entries end exactly where the bytes do (a host's
    /// phone metadata file; the committed table is also held to it by the
    /// tests).
    pub(crate) fn read_whole(bytes: &'a [u8]) -> Option<TypeTables<'a>> {
        let (tables, at) = TypeTables::read(bytes);
        (at == bytes.len() && tables.len() > 0).then_some(tables)
    }

    /// The tables of `bytes` and where the reading stopped.
    fn read(bytes: &'a [u8]) -> (TypeTables<'a>, usize) {
        let mut tables = TypeTables::default();
        let mut at = 0;
        let mut end = 0;
        while let Some(entry) = read_entry(bytes, &mut at) {
            end = at;
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
        (tables, end)
    }

    /// How many regions and non-geographic codes have a table.
    pub(crate) fn len(&self) -> usize {
        self.regions.len() + self.codes.len()
    }

    #[cfg(test)]
    fn table(&self, region: Region, country_code: i32) -> Option<&RegionTable<'_>> {
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
    /// regions and by the library otherwise (tests: the engine reads
    /// [`TypeTables::classify_ids`]).
    #[cfg(test)]
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
            if !many || matched.leading || number_type.is_some() {
                return (NumberType::to_lib(number_type), Some(region));
            }
        }
        (PhoneNumberType::Unknown, None)
    }
}

impl TypeTables<'_> {
    /// The table of a region by its code (`US`, or `001` with its calling
    /// code).
    fn table_by_id(&self, id: &str, country_code: u16) -> Option<&RegionTable<'_>> {
        match id.as_bytes() {
            b"001" => self.codes.get(&i32::from(country_code)),
            [hi, lo] => {
                let slot = letter_index(*hi, *lo)?;
                self.regions.get(usize::from(self.slots[slot]))
            }
            _ => None,
        }
    }

    /// True when the region's general description matches all of `digits`
    /// (its pattern only, no length check: libphonenumber's
    /// `matchNationalNumber`). A region with no table never matches.
    pub(crate) fn general_match(&self, id: &str, country_code: u16, digits: &[u8]) -> bool {
        let Some(table) = self.table_by_id(id, country_code) else {
            return false;
        };
        let m = table.run(digits);
        (table.always | (m.whole & table.patterned)) & (1 << GENERAL) != 0
    }

    /// `get_number_type` and `get_region_for_number` of a national
    /// significant number of `country_code`, whose regions (the main one
    /// first) are `ids`: the type and the position of the number's region
    /// in `ids`. A region with no table answers unknown.
    pub(crate) fn classify_ids<'a>(
        &self,
        country_code: u16,
        nsn: &[u8],
        ids: impl ExactSizeIterator<Item = &'a str>,
    ) -> (Option<NumberType>, Option<usize>) {
        let many = ids.len() > 1;
        for (at, id) in ids.enumerate() {
            let Some(table) = self.table_by_id(id, country_code) else {
                return (None, None);
            };
            let matched = table.run(nsn);
            let number_type = table.number_type(nsn.len(), matched);
            if !many || matched.leading || number_type.is_some() {
                return (number_type, Some(at));
            }
        }
        (None, None)
    }
}

/// The library's own answer.
#[cfg(test)]
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

impl RegionTable<'_> {
    /// One pass of the flattened DFA over the digits.
    fn run(&self, digits: &[u8]) -> Matched {
        // A region without leading digits has a never-matching pattern in
        // their place, so only `LEADING_ALWAYS` needs setting up front
        // (before the walk, which may stop at the dead state).
        let mut leading = self.flags & LEADING_ALWAYS != 0;
        let mut state = 0usize;
        let none = |leading| Matched { whole: 0, leading };
        for &b in digits {
            let digit = b.wrapping_sub(b'0');
            if digit > 9 {
                // Never, for a national significant number.
                return none(leading);
            }
            let Some(next) = u16_at(self.next, state * 10 + usize::from(digit)) else {
                return none(leading);
            };
            state = usize::from(next);
            let Some(&flags) = self.state_flags.get(state) else {
                return none(leading);
            };
            leading |= flags & STATE_MATCH != 0;
            if flags & STATE_DEAD != 0 {
                return none(leading);
            }
        }
        let eoi = u16_at(self.eoi, state).unwrap_or(0);
        Matched {
            whole: eoi & !(1 << LEADING),
            leading: leading || eoi & (1 << LEADING) != 0,
        }
    }

    /// libphonenumber's `getNumberTypeHelper`, over the set of descs the
    /// number matches (`isNumberMatchingDesc` of each: lengths and pattern,
    /// as bit masks).
    ///
    /// Desc by desc, this was ~90 instructions a call (callgrind, 10,000
    /// mixed numbers); as masks it is a handful.
    /// `None`: libphonenumber's `UNKNOWN` (not a valid number).
    fn number_type(&self, len: usize, m: Matched) -> Option<NumberType> {
        let lengths = self.len_ok.get(len).copied().unwrap_or(self.unchecked);
        let matched = lengths & (self.always | (m.whole & self.patterned));
        if matched & (1 << GENERAL) == 0 {
            return None;
        }
        // Premium rate .. voicemail, in `DESCS` order: the first wins.
        let middle = matched & (((1 << FIXED_LINE) - 1) & !(1 << GENERAL));
        if middle != 0 {
            return DESCS[middle.trailing_zeros() as usize];
        }
        let same = self.flags & SAME_MOBILE_AND_FIXED != 0;
        let mobile = matched & (1 << MOBILE) != 0;
        if matched & (1 << FIXED_LINE) != 0 {
            if same || mobile {
                return Some(NumberType::FixedLineOrMobile);
            }
            return Some(NumberType::FixedLine);
        }
        if !same && mobile {
            return Some(NumberType::Mobile);
        }
        None
    }
}

/// The national significant number's digits: the national number with the
/// Italian leading zeros libphonenumber keeps (at most 10).
#[cfg(test)]
fn national_significant_number<'b>(number: &PhoneNumber, buf: &'b mut [u8; 32]) -> &'b [u8] {
    let zeros = if number.italian_leading_zero() {
        usize::try_from(number.number_of_leading_zeros())
            .unwrap_or(0)
            .min(10)
    } else {
        0
    };
    // Written from the end: a u64 has at most 20 digits, and 20 + 10 < 32.
    let mut n = number.national_number;
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    at -= zeros;
    buf[at..at + zeros].fill(b'0');
    &buf[at..]
}

// The file's layout, one entry after another (every u16 little-endian):
//   u8 id length, id bytes, i32 country code (LE), u8 flags,
//   64 u16 `len_ok`, u16 `unchecked`, u16 `patterned`, u16 `always`,
//   u16 state count n, n × 10 u16 next states, n u8 state flags,
//   n u16 end-of-digits pattern masks.

/// Reads the entry at `*at`. `None`: the end (or a truncated file: stop);
/// `Some(None)`: an entry with no states.
#[allow(clippy::type_complexity)]
fn read_entry<'a>(
    bytes: &'a [u8],
    at: &mut usize,
) -> Option<Option<(&'a str, i32, RegionTable<'a>)>> {
    let take = |at: &mut usize, n: usize| -> Option<&'a [u8]> {
        let s = bytes.get(*at..at.checked_add(n)?)?;
        *at += n;
        Some(s)
    };
    let id_len = usize::from(*take(at, 1)?.first()?);
    let id = std::str::from_utf8(take(at, id_len)?).ok()?;
    let code = i32::from_le_bytes(take(at, 4)?.try_into().ok()?);
    let flags = take(at, 1)?[0];
    let u16s = |at: &mut usize| -> Option<u16> { u16_at(take(at, 2)?, 0) };
    let mut len_ok = [0u16; 64];
    for m in &mut len_ok {
        *m = u16s(at)?;
    }
    let (unchecked, patterned, always) = (u16s(at)?, u16s(at)?, u16s(at)?);
    let states = usize::from(u16s(at)?);
    let next = take(at, states * 20)?;
    let state_flags = take(at, states)?;
    let eoi = take(at, states * 2)?;
    Some((states > 0).then_some((
        id,
        code,
        RegionTable {
            len_ok,
            unchecked,
            patterned,
            always,
            flags,
            next,
            state_flags,
            eoi,
        },
    )))
}

#[cfg(test)]
pub(crate) mod generate;

#[cfg(test)]
mod tests;
