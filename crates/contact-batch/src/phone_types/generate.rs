//! Builds `data/phone_types.bin` from the vendored metadata (tests only:
//! the committed file is what the engine reads).

use prost::Message;
use regex_automata::dfa::dense;
use regex_automata::nfa::thompson;
use regex_automata::{util::syntax, MatchKind};

use super::{DescRule, LEADING_ALWAYS, SAME_MOBILE_AND_FIXED};
use crate::phone_metadata::ascii_digits;

/// `rlibphonenumber`'s shortest wrapped pattern, `^(?:)$`: shorter bases
/// compile as the empty regex.
const MIN_WRAPPED: usize = 6;

/// The whole file's bytes.
#[allow(deprecated)]
pub(crate) fn table_bytes() -> Vec<u8> {
    let collection =
        rlibphonenumber::PhoneMetadataCollection::decode(crate::phone_metadata::metadata_bytes())
            .expect("the vendored metadata decodes");
    let mut out = Vec::new();
    for m in &collection.metadata {
        let descs = [
            &m.general_desc,
            &m.premium_rate,
            &m.toll_free,
            &m.shared_cost,
            &m.voip,
            &m.personal_number,
            &m.pager,
            &m.uan,
            &m.voicemail,
            &m.fixed_line,
            &m.mobile,
        ];
        let mut rules = [DescRule {
            lengths: 0,
            checked: false,
            pattern: 0,
        }; 11];
        // Patterns the DFA holds: one per desc (a never-matching one where
        // the desc has none) and the leading digits.
        let mut patterns: Vec<String> = Vec::with_capacity(12);
        for (rule, desc) in rules.iter_mut().zip(descs) {
            let base = desc
                .as_ref()
                .and_then(|d| d.national_number_pattern.clone());
            if let Some(d) = desc {
                rule.checked = !d.possible_length.is_empty();
                for &l in &d.possible_length {
                    if (0..64).contains(&l) {
                        rule.lengths |= 1 << l;
                    }
                }
            }
            rule.pattern = match &base {
                None => 0,
                Some(b) if b.len() < MIN_WRAPPED => 2,
                Some(_) => 1,
            };
            patterns.push(match base {
                Some(b) if b.len() >= MIN_WRAPPED => ascii_digits(&b),
                _ => r"[^\s\S]".to_owned(),
            });
        }
        let mut flags = 0;
        if m.same_mobile_and_fixed_line_pattern == Some(true) {
            flags |= SAME_MOBILE_AND_FIXED;
        }
        match &m.leading_digits {
            None => patterns.push(r"[^\s\S]".to_owned()),
            Some(ld) => {
                // `rlibphonenumber` drops the base's final `$`.
                if ld.len() < MIN_WRAPPED {
                    flags |= LEADING_ALWAYS;
                    patterns.push(r"[^\s\S]".to_owned());
                } else {
                    let ld = ascii_digits(ld);
                    patterns.push(ld[..ld.len() - 1].to_owned());
                }
            }
        }
        let dfa = dense::Builder::new()
            .configure(
                dense::Config::new()
                    .match_kind(MatchKind::All)
                    .start_kind(regex_automata::dfa::StartKind::Anchored)
                    .minimize(true),
            )
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .thompson(thompson::Config::new().utf8(false))
            .build_many(&patterns)
            .unwrap_or_else(|e| panic!("region {}: {e}", m.id));
        let (dfa_bytes, pad) = dfa.to_bytes_little_endian();
        let dfa_bytes = &dfa_bytes[pad..];

        out.push(u8::try_from(m.id.len()).expect("short ids"));
        out.extend_from_slice(m.id.as_bytes());
        out.extend_from_slice(&m.country_code.unwrap_or(0).to_le_bytes());
        out.push(flags);
        for r in &rules {
            out.extend_from_slice(&r.lengths.to_le_bytes());
            out.push(u8::from(r.checked));
            out.push(r.pattern);
        }
        out.extend_from_slice(&u32::try_from(dfa_bytes.len()).unwrap().to_le_bytes());
        out.resize(out.len().next_multiple_of(8), 0);
        out.extend_from_slice(dfa_bytes);
        out.resize(out.len().next_multiple_of(8), 0);
    }
    out
}
