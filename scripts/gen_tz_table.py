#!/usr/bin/env python3
"""Generate the static timezone -> country table of the contact-batch core crate.

Output: crates/contact-batch/src/profile/record_list/timezone/tz_table.rs (committed; do not edit by hand).

Source data: the IANA tz database as shipped by the PyPI package
``tzdata==2026.6`` (IANA release 2026f). That wheel ships everything this
script needs inside ``tzdata/zoneinfo/``: ``tzdata.zi`` (every Zone and Link
of the default build), ``zone1970.tab``, ``zone.tab`` and ``iso3166.tab``, so
there is no fallback to the system's /usr/share/zoneinfo: the script refuses
to run against any other tzdata version, which keeps its output
byte-for-byte reproducible.

Regenerate (from the repository root):

    python3 -m pip install tzdata==2026.6
    python3 scripts/gen_tz_table.py

``--check`` exits with status 1, writing nothing, if the committed file is not
exactly what the script would generate.

What goes into the table:

* every Zone name and every Link name in ``tzdata.zi``, sorted by bytes (the
  order Rust's ``str`` comparison uses, so ``binary_search`` works);
* a name (a Zone, or a Link resolved to its target Zone) listed in
  ``zone1970.tab`` or ``zone.tab`` gets the sorted, deduplicated union of the
  ISO 3166-1 alpha-2 codes both tables give it; a Link also keeps the codes the
  tables list under the Link's own name (``zone.tab`` still names some links,
  e.g. ``Europe/Vaduz`` for LI), so a link never loses a country;
* every other name (``UTC``, ``Etc/GMT+5``, ``EST5EDT``, ``Factory`` ...) is
  non-geographic: it matches any country;
* so are the System V compatibility names in ``SYSTEM_V_NAMES`` (``CET``,
  ``EET``, ``MET``, ``WET``, ``EST``, ``MST``, ``HST`` and the ``EST5EDT``
  family), whatever they link to. Since tzdata 2024b ``CET`` and ``MET`` are
  links to Europe/Brussels (BE, LU, NL), ``EET`` to Europe/Athens (GR), ``WET``
  to Europe/Lisbon (PT), ``EST`` to America/Panama (CA, KY, PA), ``MST`` to
  America/Phoenix (CA, US) and ``HST`` to Pacific/Honolulu (US); following
  those links would flag, say, a German contact whose zone is ``CET``. These
  names describe a UTC offset shared by many countries, not a place.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

PINNED_TZDATA = "2026.6"
REGEN_COMMAND = (
    f"python3 -m pip install tzdata=={PINNED_TZDATA} && python3 scripts/gen_tz_table.py"
)
# System V names: offsets shared by many countries, not places. Treated as
# non-geographic even where tzdata makes them links to one country's zone.
SYSTEM_V_NAMES = frozenset(
    "CET CST6CDT EET EST EST5EDT HST MET MST MST7MDT PST8PDT WET".split()
)
OUTPUT = Path("crates/contact-batch/src/profile/record_list/timezone/tz_table.rs")
INDENT = "    "


def die(msg: str) -> None:
    sys.exit(f"gen_tz_table: {msg}")


def zoneinfo_dir() -> Path:
    try:
        import tzdata
    except ImportError:
        die(f"the tzdata package is not installed; run: pip install tzdata=={PINNED_TZDATA}")
    if tzdata.__version__ != PINNED_TZDATA:
        die(
            f"tzdata {tzdata.__version__} is installed but the table is pinned to "
            f"{PINNED_TZDATA}; run: pip install tzdata=={PINNED_TZDATA} "
            "(or bump PINNED_TZDATA and the expectations in the tests on purpose)"
        )
    path = Path(tzdata.__file__).parent / "zoneinfo"
    for name in ("tzdata.zi", "zone1970.tab", "zone.tab", "iso3166.tab"):
        if not (path / name).is_file():
            die(f"{path / name} is missing from the tzdata wheel")
    return path


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def parse_zi(path: Path) -> tuple[str, set[str], dict[str, str]]:
    """Returns (IANA version, zone names, {link name: target name})."""
    version = None
    zones: set[str] = set()
    links: dict[str, str] = {}
    for line in read_lines(path):
        if line.startswith("# version "):
            version = line.split()[2]
        fields = line.split()
        if not fields:
            continue
        if fields[0] == "Z":
            if fields[1] in zones:
                die(f"zone {fields[1]} defined twice")
            zones.add(fields[1])
        elif fields[0] == "L":
            target, link = fields[1], fields[2]
            if link in links:
                die(f"link {link} defined twice")
            links[link] = target
    if version is None:
        die(f"no '# version' line in {path}")
    clash = zones & links.keys()
    if clash:
        die(f"names both zone and link: {sorted(clash)}")
    return version, zones, links


def resolve(name: str, zones: set[str], links: dict[str, str]) -> str:
    seen = [name]
    while name in links:
        name = links[name]
        if name in seen:
            die(f"link cycle: {' -> '.join(seen + [name])}")
        seen.append(name)
    if name not in zones:
        die(f"link chain {' -> '.join(seen)} ends at no zone")
    return name


def parse_tab(path: Path) -> dict[str, set[str]]:
    """zone1970.tab / zone.tab: {zone name: country codes}."""
    out: dict[str, set[str]] = {}
    for line in read_lines(path):
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3:
            die(f"bad line in {path.name}: {line!r}")
        out.setdefault(fields[2], set()).update(fields[0].split(","))
    return out


def parse_iso3166(path: Path) -> set[str]:
    return {
        line.split("\t")[0]
        for line in read_lines(path)
        if line and not line.startswith("#")
    }


def build_table(zi: Path) -> tuple[str, list[tuple[str, list[str] | None]]]:
    version, zones, links = parse_zi(zi / "tzdata.zi")
    tabs: dict[str, set[str]] = {}
    for tab in ("zone1970.tab", "zone.tab"):
        for name, codes in parse_tab(zi / tab).items():
            if name not in zones and name not in links:
                die(f"{tab} lists {name}, which tzdata.zi does not define")
            tabs.setdefault(name, set()).update(codes)
    iso = parse_iso3166(zi / "iso3166.tab")
    for name, codes in tabs.items():
        bad = codes - iso
        if bad:
            die(f"{name}: codes {sorted(bad)} are not in iso3166.tab")

    # Cross-check against the compiled zoneinfo tree the wheel also ships.
    names = zones | links.keys()
    tree = set()
    for root, _dirs, files in os.walk(zi):
        for f in files:
            p = Path(root) / f
            with open(p, "rb") as fh:
                if fh.read(4) == b"TZif":
                    tree.add(p.relative_to(zi).as_posix())
    if tree != names:
        die(
            "tzdata.zi and the zoneinfo tree disagree: "
            f"only in .zi {sorted(names - tree)}, only in tree {sorted(tree - names)}"
        )

    stale = SYSTEM_V_NAMES - names
    if stale:
        die(f"SYSTEM_V_NAMES lists names tzdata no longer has: {sorted(stale)}")

    table: list[tuple[str, list[str] | None]] = []
    for name in sorted(names, key=lambda n: n.encode("utf-8")):
        if name in SYSTEM_V_NAMES:
            if name in tabs:
                die(f"{name} is in a country table; revisit SYSTEM_V_NAMES")
            table.append((name, None))
            continue
        target = resolve(name, zones, links)
        codes = tabs.get(target, set())
        if codes:
            codes = codes | tabs.get(name, set())
        elif name in tabs:
            die(f"{name} is in a country table but links to non-geographic {target}")
        table.append((name, sorted(codes) if codes else None))
    return version, table


def rust_str(s: str) -> str:
    if any(c in s for c in '"\\') or not s.isascii() or not s.isprintable():
        die(f"unexpected character in zone name {s!r}")
    return f'"{s}"'


def entry(name: str, codes: list[str] | None) -> str:
    """One table line. The table is `#[rustfmt::skip]`: one name per line
    keeps it greppable and makes tzdata bumps diff line by line."""
    if codes is None:
        value = "ZoneCountries::NonGeographic"
    else:
        value = "ZoneCountries::Countries(&[" + ", ".join(map(rust_str, codes)) + "])"
    return f"{INDENT}({rust_str(name)}, {value}),"


HEADER = """\
// @generated by scripts/gen_tz_table.py from the PyPI package tzdata=={pinned}
// (IANA tz database {version}). Do not edit by hand; regenerate with:
//     {regen}

//! Static IANA timezone -> country table, used to check a contact's timezone
//! against the country of its phone number without any I/O at run time.
//!
//! Every Zone and Link name of tzdata {version} is listed. Country codes come
//! from `zone1970.tab` and `zone.tab`; a link carries its target's countries,
//! except the System V names (`CET`, `EET`, `MET`, `WET`, `EST`, `MST`, `HST`,
//! `EST5EDT` ...), which are non-geographic even where tzdata links them to
//! one country's zone (e.g. `CET` -> `Europe/Brussels`).

/// What the tz database says about a zone name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ZoneCountries {{
    /// Not a zone name the tz database knows.
    Unknown,
    /// A real zone or link that is not tied to a country (UTC, GMT, Etc/*,
    /// the System V names CET, EST, EST5EDT ..., Factory): matches any
    /// country.
    NonGeographic,
    /// A geographic zone (or a link to one, e.g. `US/Eastern`,
    /// `Asia/Calcutta`), with the ISO 3166-1 alpha-2 codes of the countries
    /// that the tz country tables (zone1970.tab ∪ zone.tab) list for it,
    /// sorted, deduplicated.
    Countries(&'static [&'static str]),
}}

/// The tzdata version the table was generated from, e.g. "2025b".
pub(crate) const TZDATA_VERSION: &str = "{version}";

/// Looks a zone name up, exact and case-sensitive as IANA names are.
pub(crate) fn zone_countries(name: &str) -> ZoneCountries {{
    ZONES
        .binary_search_by(|(zone, _)| (*zone).cmp(name))
        .map_or(ZoneCountries::Unknown, |i| ZONES[i].1)
}}

/// Every zone and link name of the tz database ({count} names), sorted by
/// bytes so that [`zone_countries`] can binary-search it.
#[rustfmt::skip]
static ZONES: &[(&str, ZoneCountries)] = &[
"""

TESTS = """\
];

#[cfg(test)]
mod tests {
    use super::*;

    fn countries(name: &str) -> &'static [&'static str] {
        match zone_countries(name) {
            ZoneCountries::Countries(codes) => codes,
            other => panic!("{name}: expected countries, got {other:?}"),
        }
    }

    #[test]
    fn geographic_zones_list_their_country() {
        assert!(countries("Europe/Lisbon").contains(&"PT"));
        assert!(countries("America/New_York").contains(&"US"));
        assert!(countries("Asia/Kolkata").contains(&"IN"));
        assert!(countries("Europe/Berlin").contains(&"DE"));
    }

    #[test]
    fn links_resolve_to_their_target() {
        assert!(countries("US/Eastern").contains(&"US"));
        assert_eq!(
            zone_countries("US/Eastern"),
            zone_countries("America/New_York")
        );
        assert!(countries("Asia/Calcutta").contains(&"IN"));
        assert_eq!(
            zone_countries("Asia/Calcutta"),
            zone_countries("Asia/Kolkata")
        );
        // Europe/Oslo is a link to Europe/Berlin, whose zone1970.tab group
        // includes Norway.
        assert!(countries("Europe/Oslo").contains(&"NO"));
        assert!(countries("Europe/Vaduz").contains(&"LI"));
        assert!(countries("Japan").contains(&"JP"));
        assert!(countries("Iceland").contains(&"IS"));
    }

    #[test]
    fn zurich_lists_the_zone1970_group() {
        // zone1970.tab: "CH,DE,LI Europe/Zurich" (DE for Busingen);
        // zone.tab: "CH Europe/Zurich".
        assert_eq!(countries("Europe/Zurich"), ["CH", "DE", "LI"]);
    }

    #[test]
    fn non_geographic_zones() {
        let names = ["GMT", "UTC", "Etc/UTC", "Etc/GMT+5", "Etc/GMT-14"];
        for name in names.into_iter().chain(["Factory", "EST5EDT", "PST8PDT"]) {
            assert_eq!(zone_countries(name), ZoneCountries::NonGeographic, "{name}");
        }
    }

    #[test]
    fn system_v_names_are_non_geographic_even_when_linked() {
        // tzdata links CET to Europe/Brussels, EST to America/Panama ...;
        // the table deliberately does not follow those links.
        for name in ["CET", "MET", "EET", "WET", "EST", "MST", "HST"] {
            assert_eq!(zone_countries(name), ZoneCountries::NonGeographic, "{name}");
        }
    }

    #[test]
    fn unknown_names() {
        let names = ["Mars/Olympus", "europe/lisbon", "", "Europe/Lisbon "];
        // Directory names of the zoneinfo tree are not zones either.
        for name in names.into_iter().chain(["Europe", "Etc"]) {
            assert_eq!(zone_countries(name), ZoneCountries::Unknown, "{name:?}");
        }
    }

    #[test]
    fn every_entry_is_found() {
        for (name, value) in ZONES {
            assert_eq!(zone_countries(name), *value, "{name}");
        }
    }

    #[test]
    fn table_is_sorted_without_duplicates() {
        assert!(ZONES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn country_lists_are_sorted_iso_codes() {
        for (name, value) in ZONES {
            if let ZoneCountries::Countries(codes) = value {
                assert!(!codes.is_empty(), "{name}");
                assert!(codes.windows(2).all(|w| w[0] < w[1]), "{name}");
                assert!(
                    codes
                        .iter()
                        .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())),
                    "{name}"
                );
            }
        }
    }

    #[test]
    fn version_looks_like_an_iana_release() {
        let (year, letter) = TZDATA_VERSION.split_at(4);
        assert!(year.bytes().all(|b| b.is_ascii_digit()), "{TZDATA_VERSION}");
        assert!(letter.len() == 1 && letter.bytes().all(|b| b.is_ascii_lowercase()));
    }
}
"""


def render(version: str, table: list[tuple[str, list[str] | None]]) -> str:
    out = [
        HEADER.format(
            pinned=PINNED_TZDATA, version=version, regen=REGEN_COMMAND, count=len(table)
        )
    ]
    for name, codes in table:
        out.append(entry(name, codes) + "\n")
    out.append(TESTS)
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="fail if the committed file is stale"
    )
    parser.add_argument(
        "--output", type=Path, default=None, help=f"default: <repo>/{OUTPUT}"
    )
    args = parser.parse_args()
    output = args.output or Path(__file__).resolve().parent.parent / OUTPUT

    version, table = build_table(zoneinfo_dir())
    text = render(version, table)
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else None
        if current != text:
            die(f"{output} is stale; regenerate with: {REGEN_COMMAND}")
        print(f"{output} is up to date (tzdata {version}, {len(table)} names)")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    print(f"wrote {output} (tzdata {version}, {len(table)} names)")


if __name__ == "__main__":
    main()
