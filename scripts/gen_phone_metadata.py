#!/usr/bin/env python3
"""Write libphonenumber's phone metadata as the protobuf the engine loads.

Output: a serialized ``i18n.phonenumbers.PhoneMetadataCollection``
(libphonenumber's own ``phonemetadata.proto``, the message types
``rlibphonenumber`` decodes), on stdout or ``--out FILE``. The Rust half of the
generator (``crates/contact-batch-phonegen``) turns it into the metadata file
the engine embeds and hosts load (``data/phone_metadata.cbpm``); the one
command that does both is ``scripts/update-phone-metadata.sh``.

WHY THE ``phonenumbers`` PACKAGE: libphonenumber's metadata lives in its
``resources/PhoneNumberMetadata.xml``; the Python port ``phonenumbers``
(maintained by David Drysdale, released within days of each libphonenumber
release under the same version number) ships that XML already compiled, by
its own port of libphonenumber's ``BuildMetadataFromXml``, into one Python
module per region. Reading the package instead of the XML:

* is reproducible anywhere the project builds: ``pip install
  phonenumbers==X.Y.Z`` from PyPI, pinned by version (CI reaches PyPI; a
  fetched copy of the libphonenumber repository could not be committed or
  downloaded in CI);
* reuses the XML compiler of libphonenumber's own tooling (possible-length
  inheritance, ``$NP``/``$FG`` substitution in formatting rules, the
  national prefix as the default ``national_prefix_for_parsing``, the
  intl-format rules) instead of a second port of it here;
* is the same package, at the same version, that the test vectors take
  their expected answers from (``scripts/gen_phone_vectors.py``): the
  engine's data and its reference cannot drift apart.

What this script adds is only the encoding libphonenumber's Java tool
applies when it writes the protobuf, and ``rlibphonenumber``'s form of the
patterns (checked on 9.0.42: the output is byte-identical to the
``metadata.bin`` that ``rlibphonenumber`` 2.2.15 embeds, see
``crates/contact-batch-phonegen``'s tests and ``data/PROVENANCE.md``):

* every regular expression (desc patterns, ``international_prefix``,
  ``national_prefix_for_parsing``, ``leading_digits``, format patterns and
  their leading digits) wrapped as ``^(?:...)$``, which ``rlibphonenumber``
  requires of its metadata;
* replacement groups spelled ``$1`` (the Python port writes ``\\1``);
* the twelve number descs of a region that the XML does not list written as
  "not applicable", ``possible_length: [-1]``, as the Java tool does;
* a desc's ``possible_length`` left out when it equals the general desc's
  (the Java tool's size rule; the library reads an empty list as "the
  general desc's");
* ``same_mobile_and_fixed_line_pattern`` always written, and each format's
  ``national_prefix_optional_when_formatting`` too;
* regions in alphabetical order, then the non-geographic calling codes
  (``001``) by code; fields in field-number order.

Usage (the ``phonenumbers`` version must be the one asked for)::

    python3 scripts/gen_phone_metadata.py --version 9.0.43 --out metadata.pb
"""

import argparse
import sys

import phonenumbers
from phonenumbers import NumberFormat, PhoneMetadata

# phonemetadata.proto's field numbers.
DESC_FIELDS = [
    ("general_desc", 1),
    ("fixed_line", 2),
    ("mobile", 3),
    ("toll_free", 4),
    ("premium_rate", 5),
    ("shared_cost", 6),
    ("personal_number", 7),
    ("voip", 8),
    ("pager", 21),
    ("no_international_dialling", 24),
    ("uan", 25),
    ("emergency", 27),
    ("voicemail", 28),
    ("short_code", 29),
    ("standard_rate", 30),
    ("carrier_specific", 31),
    ("sms_services", 33),
]
# The descs the Java tool always writes for a region of the main metadata
# ("not applicable" when the XML has none); the others are short-number data.
ALWAYS_WRITTEN = {
    "general_desc",
    "fixed_line",
    "mobile",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "personal_number",
    "voip",
    "pager",
    "uan",
    "voicemail",
    "no_international_dialling",
}


def varint(n):
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def key(field, wire):
    return varint(field << 3 | wire)


def enc_int(field, n):
    return key(field, 0) + varint(n)


def enc_bytes(field, b):
    return key(field, 2) + varint(len(b)) + b


def enc_str(field, s):
    return enc_bytes(field, s.encode("utf-8"))


def wrap(pattern):
    """``rlibphonenumber``'s form of a regular expression."""
    return "^(?:" + pattern + ")$"


def dollars(template):
    r"""``\1`` -> ``$1`` (the Python port's replacement syntax back to
    libphonenumber's); ``$CC`` and other text are kept."""
    out = []
    i = 0
    while i < len(template):
        c = template[i]
        if c == "\\" and i + 1 < len(template) and template[i + 1].isdigit():
            out.append("$" + template[i + 1])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def enc_desc(desc, general):
    if desc is None:
        return enc_int(9, -1)
    out = b""
    if desc.national_number_pattern is not None:
        out += enc_str(2, wrap(desc.national_number_pattern))
    if desc.example_number is not None:
        out += enc_str(6, desc.example_number)
    lengths = list(desc.possible_length or ())
    if general is None or general is desc or lengths != list(general.possible_length or ()):
        for n in lengths:
            out += enc_int(9, n)
    for n in desc.possible_length_local_only or ():
        out += enc_int(10, n)
    return out


def enc_format(f):
    out = enc_str(1, wrap(f.pattern)) + enc_str(2, dollars(f.format))
    for ld in f.leading_digits_pattern:
        out += enc_str(3, wrap(ld))
    if f.national_prefix_formatting_rule is not None:
        out += enc_str(4, dollars(f.national_prefix_formatting_rule))
    if f.domestic_carrier_code_formatting_rule is not None:
        out += enc_str(5, dollars(f.domestic_carrier_code_formatting_rule))
    out += enc_int(6, 1 if f.national_prefix_optional_when_formatting else 0)
    return out


def same_mobile_and_fixed_line(m):
    """The Java tool compares the two descs' patterns only when the region
    has both (the non-geographic entities have neither, and say false)."""
    if m.mobile is None or m.fixed_line is None:
        return False
    return m.mobile.national_number_pattern == m.fixed_line.national_number_pattern


def intl_formats(m):
    """The intl formats as the Java tool writes them: each a copy of the
    national format it comes from (same pattern and leading digits, in
    order), with its own ``format``. The Python port keeps only the pattern,
    leading digits and format; the national prefix rules come back from the
    national format."""
    national = iter(m.number_format)
    out = []
    for f in m.intl_number_format:
        for n in national:
            if n.pattern == f.pattern and n.leading_digits_pattern == f.leading_digits_pattern:
                break
        else:
            sys.exit(f"{m.id}: intl format {f.pattern} has no national format")
        out.append(
            NumberFormat(
                pattern=f.pattern,
                format=f.format,
                leading_digits_pattern=f.leading_digits_pattern,
                national_prefix_formatting_rule=n.national_prefix_formatting_rule,
                national_prefix_optional_when_formatting=n.national_prefix_optional_when_formatting,
                domestic_carrier_code_formatting_rule=n.domestic_carrier_code_formatting_rule,
            )
        )
    return out


def enc_metadata(m):
    fields = []  # (field number, bytes), sorted by number at the end
    general = m.general_desc
    for name, number in DESC_FIELDS:
        desc = getattr(m, name)
        if desc is None and name not in ALWAYS_WRITTEN:
            continue
        parent = None if name == "general_desc" else general
        fields.append((number, enc_bytes(number, enc_desc(desc, parent))))
    fields.append((9, enc_str(9, m.id)))
    if m.country_code is not None:
        fields.append((10, enc_int(10, m.country_code)))
    for name, number, form in [
        ("international_prefix", 11, wrap),
        ("national_prefix", 12, None),
        ("preferred_extn_prefix", 13, None),
        ("national_prefix_for_parsing", 15, wrap),
        ("national_prefix_transform_rule", 16, dollars),
        ("preferred_international_prefix", 17, None),
        ("leading_digits", 23, wrap),
    ]:
        value = getattr(m, name)
        if value is not None:
            fields.append((number, enc_str(number, form(value) if form else value)))
    fields.append((18, enc_int(18, 1 if same_mobile_and_fixed_line(m) else 0)))
    for f in m.number_format:
        fields.append((19, enc_bytes(19, enc_format(f))))
    for f in intl_formats(m):
        fields.append((20, enc_bytes(20, enc_format(f))))
    if m.main_country_for_code:
        fields.append((22, enc_int(22, 1)))
    if m.mobile_number_portable_region:
        fields.append((32, enc_int(32, 1)))
    fields.sort(key=lambda f: f[0])  # stable: repeated fields keep their order
    return b"".join(b for _, b in fields)


def collection():
    regions = sorted(phonenumbers.SUPPORTED_REGIONS)
    codes = sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS)
    out = b""
    for r in regions:
        out += enc_bytes(1, enc_metadata(PhoneMetadata.metadata_for_region(r)))
    for cc in codes:
        out += enc_bytes(1, enc_metadata(PhoneMetadata.metadata_for_nongeo_region(cc)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--version", required=True, help="the phonenumbers version required")
    ap.add_argument("--out", help="output file (default: stdout)")
    args = ap.parse_args()
    if phonenumbers.__version__ != args.version:
        sys.exit(
            f"phonenumbers {phonenumbers.__version__} found, {args.version} asked for: "
            f"pip install phonenumbers=={args.version}"
        )
    data = collection()
    if args.out:
        with open(args.out, "wb") as f:
            f.write(data)
    else:
        sys.stdout.buffer.write(data)


if __name__ == "__main__":
    main()
