#!/usr/bin/env python3
"""Writes a CSV (firstname, phone, region) with the example number of every
type of every region and of every non-geographic calling code, from the
Python `phonenumbers` port (pip install phonenumbers==9.0.43, the metadata
version the engine vendors). Importing it touches every region's patterns:
the resident-memory figure of issue 18 ("after touching every region").

    python3 benches/all_regions.py > all-regions.csv
    /usr/bin/time -f '%M KB' target/release/contact-batch import \
        --profile rasl-create all-regions.csv --out /dev/null
"""
import csv
import sys

import phonenumbers as p
from phonenumbers import PhoneNumberType as T

TYPES = [T.FIXED_LINE, T.MOBILE, T.TOLL_FREE, T.PREMIUM_RATE, T.SHARED_COST,
         T.VOIP, T.PERSONAL_NUMBER, T.PAGER, T.UAN, T.VOICEMAIL]

rows = []
for region in sorted(p.SUPPORTED_REGIONS):
    for t in TYPES:
        n = p.example_number_for_type(region, t)
        if n:
            rows.append((p.format_number(n, p.PhoneNumberFormat.NATIONAL), region))
for cc in sorted(p.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
    n = p.example_number_for_non_geo_entity(cc)
    if n:
        rows.append((p.format_number(n, p.PhoneNumberFormat.E164), ""))
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["firstname", "phone", "region"])
for i, (phone, region) in enumerate(rows):
    w.writerow([f"N{i}", phone, region])
print(f"{len(rows)} numbers", file=sys.stderr)
