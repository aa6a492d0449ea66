//! record-list's `timezone`: a zone name of the IANA tz database (the
//! generated [`tz_table`]) that matches the country of the record's first
//! valid number. The row's reading and echo stay with the other fields'
//! checks; this is the lookup and its messages.

pub(crate) mod tz_table;

use self::tz_table::{zone_countries, ZoneCountries, TZDATA_VERSION};
use super::codes::Code;

/// The tz country of a phone region: libphonenumber has three regions that
/// the tz tables file under another ISO code; `None` for non-geographic
/// numbers, which match any zone.
pub(super) fn tz_country(region: &str) -> Option<&str> {
    match region {
        "001" => None,
        "AC" | "TA" => Some("SH"),
        "XK" => Some("RS"),
        other => Some(other),
    }
}

/// Checks a cleaned zone name against the tz database and, when it is a
/// geographic zone, against `first`: the record's first valid number as
/// (field, E.164, phone region). The error's code is `TimezoneInvalid` for
/// a name the database does not know, `TimezoneUnmatched` for a zone of
/// other countries.
pub(super) fn check_zone(
    zone: &str,
    first: Option<(&str, &str, Option<&str>)>,
) -> Result<(), (Code, String)> {
    match zone_countries(zone) {
        ZoneCountries::Unknown => Err((
            Code::TimezoneInvalid,
            format!(
                "timezone `{zone}` is not a zone name of the IANA tz database {TZDATA_VERSION} (such as Europe/Lisbon or UTC)."
            ),
        )),
        ZoneCountries::NonGeographic => Ok(()),
        ZoneCountries::Countries(countries) => {
            let first = first.and_then(|(field, e164, region)| Some((field, e164, region.and_then(tz_country)?)));
            match first {
                Some((field, e164, country)) if !countries.contains(&country) => Err((
                    Code::TimezoneUnmatched,
                    format!(
                        "timezone {zone} is not a time zone of {country}, the country of {field} {e164}."
                    ),
                )),
                _ => Ok(()),
            }
        }
    }
}
