#!/usr/bin/env python3
"""Generate the phone correctness vectors of the contact-batch core crate.

Output: crates/contact-batch/tests/data/phone_vectors.jsonl (committed; do not
edit by hand). Checked by crates/contact-batch/tests/it/phone_vectors.rs.

The expected results come from Google libphonenumber through its Python port
``phonenumbers``, pinned to the release whose metadata the engine embeds
(``contact_batch::PHONE_METADATA_VERSION``; the engine's metadata is written
from the same package by ``scripts/gen_phone_metadata.py``).
The script refuses to run against any other ``phonenumbers`` version, and all
randomness comes from ``random.Random(42)``, so its output is byte-for-byte
reproducible.

Regenerate (from the repository root):

    python3 -m venv /tmp/pnv && /tmp/pnv/bin/pip install phonenumbers==9.0.43
    /tmp/pnv/bin/python scripts/gen_phone_vectors.py

``--check`` exits with status 1, writing nothing, if the committed file is not
exactly what the script would generate.

One JSON object per line:

    {"raw": "...", "region": "US" | null, "valid": bool,
     "e164": "+..." | null, "type": "mobile" | ... | null,
     "number_region": "US" | "001" | null, "extension": "123" | null,
     "error": "too_short" | ... | null, "note": "..." (only on mapped vectors)}

``valid`` is ``parse`` succeeding and ``is_valid_number`` being true; then
``e164``, ``type`` (snake_case ``number_type``), ``number_region``
(``region_code_for_number``, ``001`` for non-geographic calling codes) and
``extension`` are set and ``error`` is null. Otherwise ``error`` is the reason
in the engine's ``PhoneError::code()`` vocabulary:

* a ``NumberParseException``: INVALID_COUNTRY_CODE -> invalid_country_code,
  NOT_A_NUMBER -> not_a_number, TOO_SHORT_AFTER_IDD -> too_short_after_idd,
  TOO_SHORT_NSN -> too_short, TOO_LONG -> too_long;
* parsed but not valid: ``is_possible_number_with_reason``: IS_POSSIBLE and
  IS_POSSIBLE_LOCAL_ONLY -> invalid_number, INVALID_COUNTRY_CODE ->
  invalid_country_code, TOO_SHORT -> too_short, TOO_LONG -> too_long,
  INVALID_LENGTH -> invalid_length.

DELIBERATE DIFFERENCES (the engine's own rules, applied by this script; such
vectors carry a ``note`` saying what libphonenumber itself answers):

* Input longer than 250 characters (code points of the text as given,
  surrounding whitespace included: libphonenumber's own count) is
  ``input_too_long`` and never parsed; libphonenumber says TOO_LONG. Only
  the code's name differs.
* Then the text rule of every single-line field: the input is trimmed
  (Rust ``str::trim``, Unicode White_Space), every inner run of whitespace
  (tabs and line breaks included) becomes one space, and a control
  character other than TAB, LF and CR (category Cc) is
  ``control_character``. Nothing left is ``empty`` (libphonenumber:
  NOT_A_NUMBER). The expected answer is libphonenumber's on the cleaned
  text; where libphonenumber answers otherwise on the text as given (a tab
  or a line break inside a number is NOT_A_NUMBER there), the note says so.
* A region in lower case (``us``) is read as the region (``US``);
  libphonenumber knows no lower-case region and reads the number with no
  default region. An unknown region (``ZZ``, ``001``) reads the number with
  no default region, as libphonenumber does (no difference).

KNOWN DIFFERENCES between the engine (rlibphonenumber 2.2.15's code) and libphonenumber 9.0.43
(the vectors keep libphonenumber's answer; the Rust test lists each one in
``KNOWN_DIFFERENCES`` with its reason):

* none. With the wrapper's error mapping as it is in phone.rs, all vectors
  agree, and so did three throwaway runs of this script with other seeds and
  ten times the random counts (about 69,000 vectors).
"""

import json
import os
import random
import re
import sys
import unicodedata

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType
from phonenumbers import PhoneMetadata, ValidationResult

PHONENUMBERS_VERSION = "9.0.43"
if phonenumbers.__version__ != PHONENUMBERS_VERSION:
    sys.exit(
        f"phonenumbers {phonenumbers.__version__} found, {PHONENUMBERS_VERSION} required: "
        f"pip install phonenumbers=={PHONENUMBERS_VERSION}"
    )

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "crates", "contact-batch", "tests", "data", "phone_vectors.jsonl")

MAX_INPUT_CHARS = 250

TYPES = [
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.MOBILE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.PAGER,
    PhoneNumberType.UAN,
    PhoneNumberType.VOICEMAIL,
]

TYPE_NAMES = {
    PhoneNumberType.FIXED_LINE: "fixed_line",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.PREMIUM_RATE: "premium_rate",
    PhoneNumberType.SHARED_COST: "shared_cost",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.PERSONAL_NUMBER: "personal_number",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.UAN: "uan",
    PhoneNumberType.VOICEMAIL: "voicemail",
    PhoneNumberType.UNKNOWN: "unknown",
}

PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: "invalid_country_code",
    NumberParseException.NOT_A_NUMBER: "not_a_number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "too_short_after_idd",
    NumberParseException.TOO_SHORT_NSN: "too_short",
    NumberParseException.TOO_LONG: "too_long",
}

POSSIBLE_REASONS = {
    ValidationResult.IS_POSSIBLE: "invalid_number",
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "invalid_number",
    ValidationResult.INVALID_COUNTRY_CODE: "invalid_country_code",
    ValidationResult.TOO_SHORT: "too_short",
    ValidationResult.TOO_LONG: "too_long",
    ValidationResult.INVALID_LENGTH: "invalid_length",
}

# Rust's `char::is_whitespace` (Unicode White_Space), which `str::trim` uses.
RUST_WHITESPACE = set(
    "\u0009\u000a\u000b\u000c\u000d\u0020\u0085\u00a0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


# National numbers whose verdict differs between metadata 9.0.42 and 9.0.43
# (9.0.42's answer, then 9.0.43's): the release notes' eight regions.
METADATA_CHANGES = [
    ("BJ", "85758814"),  # voip -> too short (BJ's 8-digit numbers closed)
    ("BJ", "81123456"),  # uan -> too short
    ("DE", "15410123456"),  # invalid -> mobile (new 15410 range)
    ("EC", "930039761"),  # invalid -> mobile
    ("ET", "700065256"),  # invalid -> mobile
    ("GE", "508881234"),  # invalid -> mobile (new 50888 range)
    ("LA", "3020432562"),  # mobile -> invalid
    ("RO", "600069162"),  # mobile -> invalid
    ("ZW", "751099736"),  # invalid -> mobile
    ("ZW", "1312345"),  # fixed line (9.0.42's example) -> invalid
]


def is_control(c):
    """Unicode category Cc: Rust's ``char::is_control``."""
    return unicodedata.category(c) == "Cc"


def clean_phone(s):
    """The engine's single-line text rule for a phone, or the error code."""
    s = rust_trim(s)
    if s == "":
        return None, "empty"
    if any(is_control(c) and c not in "\t\n\r" for c in s):
        return None, "control_character"
    return collapse(s), None


def collapse(s):
    """Every run of Rust whitespace becomes one space."""
    out = []
    in_run = False
    for c in s:
        if c in RUST_WHITESPACE:
            if not in_run:
                out.append(" ")
            in_run = True
        else:
            out.append(c)
            in_run = False
    return "".join(out)


def reference_region(region):
    """The region as the engine reads it: any case."""
    if region is not None and region.upper() in phonenumbers.SUPPORTED_REGIONS:
        return region.upper()
    return region


def rust_trim(s):
    start, end = 0, len(s)
    while start < end and s[start] in RUST_WHITESPACE:
        start += 1
    while end > start and s[end - 1] in RUST_WHITESPACE:
        end -= 1
    return s[start:end]


def libphonenumber_verdict(raw, region):
    """libphonenumber's own answer, in the vector schema."""
    out = {
        "valid": False,
        "e164": None,
        "type": None,
        "number_region": None,
        "extension": None,
        "error": None,
    }
    try:
        num = phonenumbers.parse(raw, region)
    except NumberParseException as e:
        out["error"] = PARSE_ERRORS[e.error_type]
        return out
    if phonenumbers.is_valid_number(num):
        out["valid"] = True
        out["e164"] = phonenumbers.format_number(num, PhoneNumberFormat.E164)
        out["type"] = TYPE_NAMES[phonenumbers.number_type(num)]
        out["number_region"] = phonenumbers.region_code_for_number(num)
        out["extension"] = num.extension or None
    else:
        out["error"] = POSSIBLE_REASONS[phonenumbers.is_possible_number_with_reason(num)]
    return out


def describe(v):
    if v["valid"]:
        return f"valid {v['e164']}"
    return v["error"]


def vector(raw, region):
    rec = {"raw": raw, "region": region}
    note = None
    as_given = libphonenumber_verdict(raw, region)
    cleaned, forced = clean_phone(raw)
    if len(raw) > MAX_INPUT_CHARS:
        forced = "input_too_long"
        note = (
            f"deliberate: over {MAX_INPUT_CHARS} characters is refused unparsed; "
            f"libphonenumber: {describe(as_given)}"
        )
        lib = as_given
    elif forced is not None:
        lib = as_given
        note = f"deliberate: the text rule answers `{forced}`; libphonenumber: {describe(as_given)}"
    else:
        lib = libphonenumber_verdict(cleaned, reference_region(region))
        if as_given != lib:
            why = []
            if cleaned != raw:
                why.append("the text rule cleans the input first")
            if reference_region(region) != region:
                why.append(f"the region {region} is read as {reference_region(region)}")
            note = (
                f"deliberate: {' and '.join(why)}; "
                f"libphonenumber on the input as given: {describe(as_given)}"
            )
    if forced:
        lib = {
            "valid": False,
            "e164": None,
            "type": None,
            "number_region": None,
            "extension": None,
            "error": forced,
        }
    rec.update(lib)
    if note:
        rec["note"] = note
    return rec


class Gen:
    def __init__(self):
        self.rng = random.Random(42)
        self.seen = set()
        self.vectors = []

    def add(self, raw, region=None):
        key = (raw, region)
        if key in self.seen:
            return
        self.seen.add(key)
        self.vectors.append(vector(raw, region))


FULLWIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}
FULLWIDTH.update({"+": "\uff0b", "-": "\uff0d", " ": "\u3000", "(": "\uff08", ")": "\uff09"})
ARABIC_INDIC = {str(d): chr(0x0660 + d) for d in range(10)}
EASTERN_ARABIC_INDIC = {str(d): chr(0x06F0 + d) for d in range(10)}
DEVANAGARI = {str(d): chr(0x0966 + d) for d in range(10)}
BENGALI = {str(d): chr(0x09E6 + d) for d in range(10)}
THAI = {str(d): chr(0x0E50 + d) for d in range(10)}
DIGIT_SCRIPTS = [FULLWIDTH, ARABIC_INDIC, EASTERN_ARABIC_INDIC, DEVANAGARI, BENGALI, THAI]


def translate(s, table):
    return "".join(table.get(c, c) for c in s)


def regroup(rng, digits):
    """Digits split into random groups with random punctuation."""
    groups = []
    i = 0
    while i < len(digits):
        n = rng.randint(1, 4)
        groups.append(digits[i : i + n])
        i += n
    sep = rng.choice([" ", "-", ".", "/", "  ", " - ", "\u00a0", "\t", "\u2010", "~"])
    if len(groups) > 1 and rng.random() < 0.4:
        groups[0] = "(" + groups[0] + ")"
    return sep.join(groups)


def idd_samples(region):
    """Every digit string of 2..5 digits the region's IDD pattern matches."""
    md = PhoneMetadata.metadata_for_region(region)
    if md is None or not md.international_prefix:
        return []
    pattern = re.compile(md.international_prefix)
    found = []
    for n in range(2, 6):
        for i in range(10**n):
            s = str(i).zfill(n)
            if pattern.fullmatch(s):
                found.append(s)
    return found


def simple_idd(region):
    md = PhoneMetadata.metadata_for_region(region)
    if md is None:
        return None
    if md.preferred_international_prefix and md.preferred_international_prefix.isdigit():
        return md.preferred_international_prefix
    if md.international_prefix and md.international_prefix.isdigit():
        return md.international_prefix
    return None


def main():
    check = "--check" in sys.argv[1:]
    g = Gen()
    rng = g.rng
    regions = sorted(phonenumbers.SUPPORTED_REGIONS)
    idd_regions = [r for r in regions if simple_idd(r)]

    # Every example number of the metadata: (region or None, PhoneNumber).
    examples = []
    for region in regions:
        for t in TYPES:
            num = phonenumbers.example_number_for_type(region, t)
            if num is not None:
                examples.append((region, num))
    for cc in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        md = PhoneMetadata.metadata_for_nongeo_region(cc)
        for desc in [
            md.fixed_line,
            md.mobile,
            md.toll_free,
            md.premium_rate,
            md.shared_cost,
            md.voip,
            md.personal_number,
            md.pager,
            md.uan,
            md.voicemail,
        ]:
            if desc is not None and desc.example_number:
                num = phonenumbers.parse(f"+{cc}{desc.example_number}", None)
                examples.append((None, num))

    def other_region(not_this):
        while True:
            r = rng.choice(regions)
            if r != not_this:
                return r

    # 1. Example numbers in the standard formats.
    for region, num in examples:
        e164 = phonenumbers.format_number(num, PhoneNumberFormat.E164)
        intl = phonenumbers.format_number(num, PhoneNumberFormat.INTERNATIONAL)
        national = phonenumbers.format_number(num, PhoneNumberFormat.NATIONAL)
        nsn = phonenumbers.national_significant_number(num)
        cc = num.country_code
        if region is not None:
            g.add(national, region)
        else:
            g.add(e164, None)
        form = rng.randrange(10)
        if form == 0:
            g.add(e164, None)
        elif form == 1:
            g.add(intl, None)
        elif form == 2:
            g.add(phonenumbers.format_number(num, PhoneNumberFormat.RFC3966), None)
        elif form == 3:
            g.add(f"+{cc} " + regroup(rng, nsn), None)
        elif form == 4 and region is not None:
            digits = "".join(c for c in national if c.isdigit())
            g.add(regroup(rng, digits), region)
        elif form == 5:
            # Its own +CC while the default region is another country.
            g.add(rng.choice([intl, e164]), other_region(region))
        elif form == 6:
            # As dialled from another country: that country's IDD.
            frm = rng.choice(idd_regions)
            g.add(phonenumbers.format_out_of_country_calling_number(num, frm), frm)
        elif form == 7 and region is not None:
            dial = phonenumbers.format_number_for_mobile_dialing(num, region, rng.random() < 0.5)
            if dial:
                g.add(dial, region)
            else:
                g.add(e164, None)
        elif form == 8 and region is not None:
            g.add(nsn, region)
        else:
            g.add(e164, None)

    geo_pool = [(r, n) for r, n in examples if r is not None]

    # 2. Explicit IDD prefixes from a different region (00, 011, 810, 0011...).
    for _ in range(160):
        region, num = rng.choice(examples)
        frm = rng.choice(idd_regions)
        idd = simple_idd(frm)
        nsn = phonenumbers.national_significant_number(num)
        sep = rng.choice(["", " ", "-", " "])
        g.add(f"{idd}{sep}{num.country_code}{sep}{regroup(rng, nsn)}", frm)
    for raw, region in [
        ("011 44 20 7183 8750", "US"),
        ("00 44 20 7183 8750", "DE"),
        ("810 44 20 7183 8750", "RU"),
        ("0011 44 20 7183 8750", "AU"),
        ("00", "DE"),
        ("0044", "DE"),
        ("00 1", "FR"),
        ("011", "US"),
        ("011 1", "US"),
        ("01144", "US"),
        ("00 999 123456", "DE"),
        ("+00 44 20 7183 8750", None),
        ("00 800 1234 5678", "FR"),
        ("011 882 3421 234", "CA"),
    ]:
        g.add(raw, region)

    # IDD patterns that are not a plain digit string (AU 0011 / 0014, BR's
    # carrier-selecting 00xx, ...): a prefix the pattern matches.
    for region in regions:
        md = PhoneMetadata.metadata_for_region(region)
        if md.international_prefix and not md.international_prefix.isdigit():
            samples = idd_samples(region)
            if not samples:
                continue
            for _ in range(2):
                _, num = rng.choice(examples)
                idd = rng.choice(samples)
                nsn = phonenumbers.national_significant_number(num)
                g.add(f"{idd} {num.country_code} {nsn}", region)

    # The calling code without `+`, read in its own region (libphonenumber
    # strips it when the rest is a valid national number).
    for _ in range(150):
        region, num = rng.choice(geo_pool)
        nsn = phonenumbers.national_significant_number(num)
        if phonenumbers.country_code_for_region(region) != num.country_code:
            continue
        if rng.random() < 0.3:
            nsn = nsn[:-1] if rng.random() < 0.5 else nsn + rng.choice("0123456789")
        g.add(f"{num.country_code}{rng.choice(['', ' ', '-'])}{nsn}", region)

    # 3. tel: URIs.
    for _ in range(70):
        region, num = rng.choice(geo_pool)
        rfc = phonenumbers.format_number(num, PhoneNumberFormat.RFC3966)
        nsn = phonenumbers.national_significant_number(num)
        kind = rng.randrange(5)
        if kind == 0:
            g.add(rfc + f";ext={rng.randint(1, 99999)}", None)
        elif kind == 1:
            g.add(f"tel:{nsn};phone-context=+{num.country_code}", None)
        elif kind == 2:
            national = phonenumbers.format_number(num, PhoneNumberFormat.NATIONAL)
            g.add(f"tel:{national.replace(' ', '-')};phone-context=example.com", region)
        elif kind == 3:
            g.add(rfc + ";isub=12345", None)
        else:
            g.add(f"tel:{nsn};phone-context=+{num.country_code};ext=7", None)
    for raw, region in [
        ("tel:+1-415-555-2671", None),
        ("tel:+1-415-555-2671;ext=123", None),
        ("tel:+1-415-555-2671;ext=", None),
        ("tel:415-555-2671;phone-context=+1", None),
        ("tel:415-555-2671;phone-context=+1;ext=9", None),
        ("tel:415-555-2671;phone-context=example.com", "US"),
        ("tel:415-555-2671;phone-context=example.com", None),
        ("tel:415-555-2671;phone-context=", "US"),
        ("tel:415-555-2671;phone-context=+", "US"),
        ("tel:415-555-2671;phone-context=+abc", "US"),
        ("tel:415-555-2671;phone-context=ex ample.com", "US"),
        ("tel:415-555-2671;phone-context=-example.com", "US"),
        ("tel:415-555-2671;phone-context=example.com.", "US"),
        ("tel:2071838750;phone-context=+44", None),
        ("tel:+44-20-7183-8750;phone-context=+44", None),
        ("tel:+1-415-555-2671;isub=1234;ext=5", None),
        ("tel:", None),
        ("tel:+", None),
        ("tel:;ext=1", None),
        ("TEL:+1-415-555-2671", None),
        ("tel:+800-1234-5678", None),
        ("tel:12345678;phone-context=+800", None),
    ]:
        g.add(raw, region)

    # 4. Extensions.
    ext_forms = [
        " ext. {}",
        " ext {}",
        " Ext.{}",
        " EXT {}",
        " extension {}",
        " x{}",
        " x {}",
        " X{}",
        " #{}",
        "#{}",
        " # {}",
        ";ext={}",
        " ext: {}",
        " доб. {}",
        " anexo {}",
        " int {}",
        ",{}",
        ",,{}",
        " {}#",
        " ext.{}#",
        " xtn {}",
        " ramal {}",
        " 내선 {}",
    ]
    for _ in range(190):
        region, num = rng.choice(examples)
        form = rng.choice(ext_forms)
        ext = str(rng.randint(0, 10 ** rng.randint(1, 8)))
        if rng.random() < 0.03:
            ext = "".join(rng.choice("0123456789") for _ in range(rng.randint(16, 24)))
        if region is not None and rng.random() < 0.4:
            base = phonenumbers.format_number(num, PhoneNumberFormat.NATIONAL)
            g.add(base + form.format(ext), region)
        else:
            base = phonenumbers.format_number(num, PhoneNumberFormat.INTERNATIONAL)
            g.add(base + form.format(ext), None)
    for raw, region in [
        ("+1 415-555-2671 ext. 123", None),
        ("+1 415-555-2671 x123", None),
        ("+1 415-555-2671 #123", None),
        ("(415) 555-2671 ext. 123", "US"),
        ("(415) 555-2671 x 0", "US"),
        ("(415) 555-2671 ext.", "US"),
        ("(415) 555-2671 x", "US"),
        ("(415) 555-2671 #", "US"),
        ("+1 415-555-2671 ext. 12345678901234567890", None),
        ("+1 415-555-2671 ext. 123456789012345678901", None),
        ("+1 415-555-2671 x12345678901234567890", None),
        ("+44 20 7183 8750 ext 7", None),
        ("020 7183 8750 ext 7", "GB"),
        ("+7 495 123-45-67 доб. 123", None),
        ("+1 415-555-2671 ext. １２３", None),
    ]:
        g.add(raw, region)

    # 5. Vanity letters.
    for raw, region in [
        ("1-800-FLOWERS", "US"),
        ("1-800-flowers", "US"),
        ("1 800 FLOWERS", "US"),
        ("+1-800-FLOWERS", None),
        ("+1 800 FLOWERS", "GB"),
        ("1-800-MY-APPLE", "US"),
        ("1-800-GOT-JUNK", "US"),
        ("800-FLOWERS", "US"),
        ("1-800-FLOWERSS", "US"),
        ("1-800-FLOWERSXYZ", "US"),
        ("1-800-FLO", "US"),
        ("1-800-FLOWERS ext. 5", "US"),
        ("+1 (800) FLOWERS", None),
        ("1800FLOWERS", "US"),
        ("1-800-CALL-ATT", "US"),
        ("1-888-TRY-ARMY", "US"),
        ("0800 FLOWERS", "GB"),
        ("+44 800 FLOWERS", None),
        ("+61 1300 FLOWERS", None),
        ("1300 FLOWER", "AU"),
        ("+49 800 FLOWERS", None),
        ("FLOWERS", "US"),
        ("+1 ABC DEF GHIJ", None),
        ("1-8OO-FLOWERS", "US"),
    ]:
        g.add(raw, region)

    # 6. Digits of other scripts (full-width, Arabic-Indic, ...).
    for _ in range(110):
        region, num = rng.choice(examples)
        table = rng.choice(DIGIT_SCRIPTS)
        if region is not None and rng.random() < 0.5:
            base = phonenumbers.format_number(num, PhoneNumberFormat.NATIONAL)
            g.add(translate(base, table), region)
        else:
            base = phonenumbers.format_number(num, PhoneNumberFormat.INTERNATIONAL)
            g.add(translate(base, table), None)
    for raw, region in [
        ("＋１ ４１５ ５５５ ２６７１", None),
        ("+١ ٤١٥ ٥٥٥ ٢٦٧١", None),
        ("٠٥٠ ١٢٣ ٤٥٦٧", "AE"),
        ("۰۹۱۲ ۳۴۵ ۶۷۸۹", "IR"),
        ("+९१ ७००० ७८२ ०८२", None),
        ("+1 415 555 ٢٦٧١", None),
        ("＋４４（０）２０ ７１８３ ８７５０", None),
    ]:
        g.add(raw, region)

    # 7. Junk and edge cases.
    for raw, region in [
        ("", None),
        ("", "US"),
        (" ", None),
        ("   ", "US"),
        ("\t\n", None),
        ("\u00a0", "US"),
        ("\u3000", None),
        ("\u200b", None),
        ("+", None),
        ("+", "US"),
        ("++", None),
        ("+ ", None),
        ("+-", None),
        ("++1 415 555 2671", None),
        ("-", "US"),
        (".", "US"),
        ("()", "US"),
        ("#", "US"),
        ("*", "US"),
        ("*123", "US"),
        ("*100#", "IN"),
        ("abc", None),
        ("abc", "US"),
        ("hello world", "US"),
        ("N/A", "US"),
        ("null", None),
        ("none", "GB"),
        ("unknown", "DE"),
        ("-1", "US"),
        ("0", "US"),
        ("1", "US"),
        ("12", "US"),
        ("00", None),
        ("+0", None),
        ("+00", None),
        ("+0 123 456 789", None),
        ("+1", None),
        ("+12", None),
        ("+123 4", None),
        ("+999 123456", None),
        ("+999", None),
        ("+80", None),
        ("😀", None),
        ("😀", "US"),
        ("📞 +1 415 555 2671", None),
        ("☎ 020 7183 8750", "GB"),
        ("+1 415 555 2671 😀", None),
        ("call +44 20 7183 8750 now", None),
        ("call me at (415) 555-2671", "US"),
        ("+1 (415) 555-2671 (home)", None),
        ("phone: +49 30 123456", None),
        ("4155552671", None),
        ("(415) 555-2671", None),
        ("+1 415 555 2671", None),
        ("  +1 415 555 2671  ", None),
        ("\t(415) 555-2671\n", "US"),
        ("+1 415 555 2671\u00a0", None),
        ("+1 415 555 2671\u2028", None),
        ("+1.415.555.2671", None),
        ("+1/415/555/2671", None),
        ("+1 [415] 555-2671", None),
        ("+1 {415} 555-2671", None),
        ("+1-(415)-555-2671", None),
        ("1 (415) 555-2671", "US"),
        ("+1 415 555 2671 1", None),
        ("+1 415 555 267", None),
        ("+1 555 555 5555", None),
        ("(555) 555-5555", "US"),
        ("+44 (0) 20 7183 8750", None),
        ("+44 0 20 7183 8750", None),
        ("(020) 7183 8750", "GB"),
        ("+39 02 1234 5678", None),
        ("+39 2 1234 5678", None),
        ("+225 01 23 45 67 89", None),
        ("+1 800 FLOWERS", None),
        ("+1-800-555-0199", None),
        ("+888 1234 5678 901", None),
        ("+800 1234 5678", None),
        ("+800 123 4567", None),
        ("+979 123 456 789", None),
        ("+870 301 234 567", None),
        ("+881 6 1234 5678", None),
        ("+882 342 1234", None),
        ("+883 510 012 345", None),
        ("+878 10 1234 567890", None),
        ("+808 1234 5678", None),
        ("12345", "DE"),
        ("112", "US"),
        ("911", "US"),
        ("999", "GB"),
        ("+1 415 555 2671;ext=1", None),
        ("+1 415 555 2671 ;ext=1", None),
        ("0+1 415 555 2671", "US"),
        ("1+415 555 2671", "US"),
        ("+1 415 555 2671 +1 415 555 2672", None),
        ("+1 415 555 2671 / +1 415 555 2672", None),
        ("+1 415 555 2671, +1 415 555 2672", None),
        ("+1 415 555 2671 or 2672", None),
        ("+1 415\u00ad555\u00ad2671", None),
        ("+1 415\u200b555\u200b2671", None),
        ("+1 415\u2060555\u20602671", None),
        ("\u200e+1 415 555 2671\u200f", None),
        ("\u202a+44 20 7183 8750\u202c", None),
        ("+1 415 555 2671\u0301", None),
        ("+ 44 20 7183 8750", None),
        ("+(44) 20 7183 8750", None),
        ("(+44) 20 7183 8750", None),
        ("+44(0)20 7183 8750", "GB"),
        ("0044 20 7183 8750", None),
        ("0044 20 7183 8750", "GB"),
        ("#31#+1 415 555 2671", None),
        ("*67 415 555 2671", "US"),
        ("1-415-555-2671", "US"),
        ("+1 415 555 2671 ext 123 ext 456", None),
        ("+1 415 555 2671 x 12 x 34", None),
        ("+1 415 555 CALL", None),
        ("+1 415 555 2671 aaa", None),
        ("+1 415 ABC 2671", None),
        ("+1 4l5 555 2671", None),
        ("+1 415 555 267O", None),
        ("(((415))) 555-2671", "US"),
        ("415--555--2671", "US"),
        ("415..555..2671", "US"),
        ("415 / 555 / 2671", "US"),
        ("415_555_2671", "US"),
        ("415*555*2671", "US"),
        ("415,555,2671", "US"),
        ("415;555;2671", "US"),
        ("+7 (495) 123-45-67", None),
        ("8 (495) 123-45-67", "RU"),
        ("8 10 44 20 7183 8750", "RU"),
        ("+55 (11) 91234-5678", None),
        ("0 21 11 91234-5678", "BR"),
        ("0xx11 91234-5678", "BR"),
        ("+54 9 11 1234-5678", None),
        ("011 15 1234-5678", "AR"),
        ("+52 1 55 1234 5678", None),
        ("044 55 1234 5678", "MX"),
        ("+49 (0)30 123456", None),
        ("+33 (0)6 12 34 56 78", None),
        ("06 12 34 56 78", "FR"),
        ("+39 312 345 6789", None),
        ("+39 06 6982", None),
        ("+61 4 1234 5678", None),
        ("0412 345 678", "AU"),
        ("+81 90-1234-5678", None),
        ("090-1234-5678", "JP"),
        ("+86 138 0013 8000", None),
        ("+91 98765 43210", None),
        ("098765 43210", "IN"),
        ("+234 802 123 4567", None),
        ("+971 50 123 4567", None),
        ("+380 50 123 4567", None),
        ("+1 242 359 1234", None),
        ("+1 684 733 1234", None),
        ("(684) 733-1234", "US"),
        ("+599 9 465 1234", None),
        ("+262 269 61 23 45", None),
        ("+47 79 12 34 56", None),
        ("+358 18 123 4567", None),
        ("+44 1481 256789", None),
        ("+7 700 123 4567", None),
        ("+590 690 00 12 34", None),
    ]:
        g.add(raw, region)

    # 8. Too short and too long.
    for _ in range(90):
        region, num = rng.choice(examples)
        e164 = phonenumbers.format_number(num, PhoneNumberFormat.E164)
        cc_len = len(str(num.country_code))
        keep = rng.randint(0, 4)
        if region is not None and rng.random() < 0.5:
            nsn = phonenumbers.national_significant_number(num)
            g.add(nsn[: rng.randint(1, 4)], region)
        else:
            g.add(e164[: 1 + cc_len + keep], None)
    for _ in range(90):
        region, num = rng.choice(examples)
        e164 = phonenumbers.format_number(num, PhoneNumberFormat.E164)
        extra = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 12)))
        if region is not None and rng.random() < 0.5:
            national = phonenumbers.format_number(num, PhoneNumberFormat.NATIONAL)
            g.add(national + extra, region)
        else:
            g.add(e164 + extra, None)
    long_digits = "".join(rng.choice("0123456789") for _ in range(400))
    for n in [15, 16, 17, 18, 19, 20, 21, 25, 30, 40, 100, 249, 250, 251, 300]:
        g.add("+1" + long_digits[: n - 1], None)
        g.add("4" + long_digits[: n - 1], "US")
    for raw, region in [
        ("+1 " + " " * 245 + "4155552671", None),
        ("+1 415 555 2671" + " " * 300, None),
        (" " * 300 + "+1 415 555 2671", None),
        ("+1 415 555 2671 " + "x" * 240, None),
        ("a" * 300, None),
        ("+" + "1" * 299, None),
        ("1" * 300, "US"),
        ("+" + "12" * 125, None),
        ("+1 415 555 2671 ext. " + "1" * 230, None),
        # Under 250 characters but over 250 bytes: parsed, as libphonenumber
        # parses them.
        ("+1" + "\u3000" * 80 + "415 555 2671", None),
        ("＋１" + "\u3000" * 80 + "４１５ ５５５ ２６７１", None),
        ("+1  " + "\u3000" * 78 + "415 555 2671", None),
        # Letters before the number, counted in characters.
        ("Ж" * 100 + " +1 415 555 2671", None),
        ("Ж" * 234 + "+1 415 555 2671", None),
        ("Ж" * 235 + "+1 415 555 2671", None),
        ("телефон: " * 20 + "+44 20 7183 8750", None),
        ("電話" * 110 + " 020 7183 8750", "GB"),
        # Surrounding whitespace counts toward the 250.
        (" " * 235 + "+1 415 555 2671", None),
        (" " * 236 + "+1 415 555 2671", None),
        ("+1 415 555 2671" + "\t" * 235, None),
        ("+1 415 555 2671" + "\t" * 236, None),
    ]:
        g.add(raw, region)
    for n in [230, 240, 249, 250, 251]:
        g.add("д" * (n - 15) + "+1 415 555 2671", None)

    # 8b. The text rule: tabs and line breaks inside, control characters.
    for raw, region in [
        ("+1 415 555 2671\text. 123", None),
        ("+1 415 555 2671\tx123", None),
        ("(415) 555-2671\text. 9", "US"),
        ("+1\t415\t555\t2671", None),
        ("+1 415\n555 2671", None),
        ("+1 415\r\n555 2671", None),
        ("+44 20\u00a0\u00a07183 8750", None),
        ("+1 415 555 2671\n", None),
        ("+1 415 555 2671\x00", None),
        ("+1 415\x00555 2671", None),
        ("+1 415 555 2671\x1b", None),
        ("+1 415 555 2671\x7f", None),
        ("+1 415 555 2671\x85", None),
        ("+1 415 555 2671\x0b", None),
        ("+1 415\x0c555 2671", None),
        ("\u202e+1 415 555 2671", None),
    ]:
        g.add(raw, region)

    # 8c. Regions the phone library does not know, and lower-case regions.
    for raw, region in [
        ("+1 415 555 2671", "ZZ"),
        ("+1 415 555 2671", "001"),
        ("+1 415 555 2671", "XX"),
        ("+44 20 7183 8750", "zz"),
        ("+800 1234 5678", "001"),
        ("415 555 2671", "ZZ"),
        ("415 555 2671", "001"),
        ("020 7183 8750", "XX"),
        ("415 555 2671", "us"),
        ("020 7183 8750", "gb"),
        ("020 7183 8750", "Gb"),
        ("+1 415 555 2671", "us"),
        ("0044 20 7183 8750", "de"),
        ("415 555 2671", "USA"),
        ("415 555 2671", "U"),
        ("415 555 2671", ""),
    ]:
        g.add(raw, region)

    # 9. Random digit mutations of valid numbers: change, add, drop, swap.
    for _ in range(1000):
        region, num = rng.choice(examples)
        cc = str(num.country_code)
        nsn = phonenumbers.national_significant_number(num)
        digits = list(nsn)
        op = rng.randrange(4)
        i = rng.randrange(len(digits))
        if op == 0:
            digits[i] = rng.choice([d for d in "0123456789" if d != digits[i]])
        elif op == 1:
            digits.insert(rng.randrange(len(digits) + 1), rng.choice("0123456789"))
        elif op == 2 and len(digits) > 1:
            del digits[i]
        elif len(digits) > 1:
            j = min(i + 1, len(digits) - 1)
            if i == j:
                i = j - 1
            digits[i], digits[j] = digits[j], digits[i]
        else:
            digits.append(rng.choice("0123456789"))
        mutated = "".join(digits)
        how = rng.randrange(4)
        if how == 0 and region is not None:
            prefix = phonenumbers.country_code_for_region(region)
            md = PhoneMetadata.metadata_for_region(region)
            npfx = (md.national_prefix or "") if prefix == num.country_code else ""
            g.add(npfx + mutated, region)
        elif how == 1:
            g.add(f"+{cc} " + regroup(rng, mutated), None)
        elif how == 2 and rng.random() < 0.3:
            # Mutate the calling code instead.
            g.add(f"+{rng.randint(1, 999)}{nsn}", None)
        else:
            g.add(f"+{cc}{mutated}", None)

    # 10. Random digit strings, international and national.
    for _ in range(150):
        n = rng.randint(1, 18)
        digits = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(n - 1))
        if rng.random() < 0.5:
            g.add("+" + digits, None)
        else:
            g.add(digits, rng.choice(regions))

    # 11. National formats with carrier codes, and national numbers read in
    # the wrong region.
    for region, code in [("BR", "15"), ("BR", "21"), ("CO", "3"), ("AR", "15"), ("CL", "")]:
        for t in [PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE]:
            num = phonenumbers.example_number_for_type(region, t)
            if num is None:
                continue
            if code:
                g.add(phonenumbers.format_national_number_with_carrier_code(num, code), region)
            else:
                national = phonenumbers.format_national_number_with_preferred_carrier_code(num, "")
                g.add(national, region)
    for _ in range(60):
        region, num = rng.choice(geo_pool)
        national = phonenumbers.format_number(num, PhoneNumberFormat.NATIONAL)
        g.add(national, other_region(region))

    # Numbers whose verdict changed between libphonenumber 9.0.42 and 9.0.43
    # (found by running both releases over every 4-digit prefix of each
    # changed region, and from the changed patterns), each national with its
    # region and international: the vectors pin the version's answer.
    for region, national in METADATA_CHANGES:
        cc = phonenumbers.country_code_for_region(region)
        g.add(national, region)
        g.add(f"+{cc} {national}", None)

    lines = "".join(json.dumps(v, ensure_ascii=False) + "\n" for v in g.vectors)
    if check:
        try:
            with open(OUT, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current != lines:
            print(f"{OUT} is out of date; run {sys.argv[0]}", file=sys.stderr)
            sys.exit(1)
        return
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(lines)
    valid = sum(v["valid"] for v in g.vectors)
    print(f"wrote {len(g.vectors)} vectors ({valid} valid) to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
