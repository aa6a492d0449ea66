#!/usr/bin/env python3
"""Seeded generator of mixed-country contacts for `contact-batch import`.

Writes N rows of rasl-create contacts (firstname, lastname, phone, email,
company, city, region) as CSV (with a header) or NDJSON to stdout:

    python3 benches/gen_contacts.py --rows 1000000 --format csv --seed 1 > /tmp/1m.csv

The same seed always gives the same bytes (Python 3, standard library only,
`random.Random(seed)`). The mix, per row, roughly:

- 85% a new valid number from one of 38 regions, written in E.164, in
  international form with spaces or dashes, or in national form (with the
  trunk prefix where the country has one) next to a `region` column, plus a
  few dialled with an international prefix (00 / 011) from another region;
- 10% a repeat of an earlier number written in another of those forms;
- 5% junk: too short, letters, empty, an unknown country code, a national
  number without a region, a bad email, a missing first name.

Numbers are random digits after a prefix that libphonenumber accepts for the
region (mobile ranges mostly), so nearly all "valid" rows are valid.
"""

import argparse
import csv
import json
import random
import sys

# region, country calling code, trunk prefix ("" if none), valid prefixes of
# the national significant number (N: any digit 2-9), length of the national
# significant number
REGIONS = [
    ("US", "1", "", ["201N", "206N", "212N", "213N", "303N", "305N", "312N", "404N", "415N", "617N", "702N", "713N"], 10),
    ("CA", "1", "", ["403N", "416N", "514N", "604N", "613N"], 10),
    ("GB", "44", "0", ["74", "75", "77", "78", "79"], 10),
    ("DE", "49", "0", ["151", "160", "170", "171", "176"], 11),
    ("FR", "33", "0", ["61", "62", "63", "64", "65", "66", "67", "68", "75", "76", "77", "78"], 9),
    ("ES", "34", "", ["6"], 9),
    ("IT", "39", "", ["32", "33", "34", "38"], 10),
    ("NL", "31", "0", ["61", "62", "63", "64", "65"], 9),
    ("BE", "32", "0", ["47", "48", "49"], 9),
    ("CH", "41", "0", ["76", "77", "78", "79"], 9),
    ("AT", "43", "0", ["664", "676", "699"], 10),
    ("SE", "46", "0", ["70", "72", "73", "76"], 9),
    ("NO", "47", "", ["40", "41", "45", "46", "47", "48", "9"], 8),
    ("DK", "45", "", ["2NN"], 8),
    ("PL", "48", "", ["50", "51", "53", "60", "66", "69", "72", "78", "79", "88"], 9),
    ("PT", "351", "", ["91", "92", "93", "96"], 9),
    ("IE", "353", "0", ["83", "85", "86", "87", "89"], 9),
    ("IN", "91", "0", ["70", "80", "90", "98", "99"], 10),
    ("CN", "86", "0", ["138", "139", "150", "186"], 11),
    ("JP", "81", "0", ["80N", "90N", "70N"], 10),
    ("KR", "82", "0", ["10"], 10),
    ("AU", "61", "0", ["40", "41", "42", "43", "48"], 9),
    ("NZ", "64", "0", ["21", "22", "27"], 9),
    ("BR", "55", "", ["119", "219"], 11),
    ("MX", "52", "", ["55", "33", "81"], 10),
    ("ZA", "27", "0", ["71", "72", "82", "83", "84"], 9),
    ("NG", "234", "0", ["803", "805", "806", "813", "816"], 10),
    ("KE", "254", "0", ["71", "72"], 9),
    ("EG", "20", "0", ["10", "11", "12"], 10),
    ("AE", "971", "0", ["50", "52", "55", "56"], 9),
    ("SA", "966", "0", ["50", "53", "54", "55"], 9),
    ("TR", "90", "0", ["53", "54", "55"], 10),
    ("RU", "7", "8", ["91", "92", "98"], 10),
    ("ID", "62", "0", ["812", "813", "821", "852"], 10),
    ("PH", "63", "0", ["917", "918", "927", "905"], 10),
    ("PK", "92", "0", ["300", "301", "321", "333"], 10),
    ("SG", "65", "", ["81", "82", "83", "84", "85", "86", "87", "88", "90", "91", "92", "93", "94", "96", "97", "98"], 8),
    ("IL", "972", "0", ["50N", "52N", "53", "54N"], 9),
]

# Regions whose international dialling prefix is 00 (and the US's 011).
INTL_PREFIX = {"GB": "00", "DE": "00", "FR": "00", "ES": "00", "IT": "00", "IN": "00", "US": "011"}

FIRST = ["Ann", "Oliver", "Priya", "Lukas", "Camille", "Mateo", "Yuki", "Lucas", "Chloe", "Ahmed",
         "Wei", "Jan", "Ingrid", "Nomvula", "Carlos", "Sofia", "Amara", "Noah", "Mia", "Ravi",
         "Élodie", "Søren", "Zoë", "José", "Aylin", "Kwame", "Hana", "Liam", "Fatima", "Mei"]
LAST = ["Lee", "Smith", "Sharma", "Müller", "Dubois", "García", "Tanaka", "Silva", "Martin",
        "Hassan", "Zhang", "Kowalski", "Johansson", "Dlamini", "López", "Rossi", "Okafor",
        "Nguyen", "Kim", "Yılmaz", "O'Brien", "van Dijk", "Andersen", "Costa", "Ivanova"]
COMPANIES = ["Acme Corp", "Globex", "Initech", "Smith, Jones & Co", "Umbrella", "Stark Industries",
             "Wayne Enterprises", "Rossi, Bianchi e Figli", "", "", "", ""]
CITIES = ["London", "Paris", "Berlin", "Madrid", "Tokyo", "São Paulo", "Sydney", "Mumbai",
          "Nairobi", "Lagos", "Toronto", "New York", "Dubai", "Seoul", "Mexico City", ""]
COLUMNS = ["firstname", "lastname", "phone", "email", "company", "city", "region"]


def group(digits, rng):
    """Splits digits into groups of 2-4 with a separator, like people write them."""
    sep = rng.choice([" ", " ", "-", ".", ""])
    out, i = [], 0
    while i < len(digits):
        n = rng.choice([2, 3, 3, 4])
        out.append(digits[i:i + n])
        i += n
    return sep.join(out)


def render(number, rng):
    """One way of writing a number; returns (phone, region column)."""
    region, cc, trunk, nsn = number
    form = rng.random()
    if form < 0.30:
        return "+" + cc + nsn, rng.choice(["", region])
    if form < 0.55:
        return "+" + cc + " " + group(nsn, rng), rng.choice(["", "", region])
    if form < 0.95:
        national = trunk + nsn
        if region in ("US", "CA"):
            national = "(%s) %s-%s" % (nsn[:3], nsn[3:6], nsn[6:])
            return national, region
        return group(national, rng), region
    # Dialled from another country with its international prefix.
    origin = rng.choice(sorted(INTL_PREFIX))
    return INTL_PREFIX[origin] + " " + cc + " " + group(nsn, rng), origin


def new_number(rng):
    region, cc, trunk, prefixes, length = rng.choice(REGIONS)
    # N: a digit 2-9 (the first digit of a North American exchange).
    prefix = "".join(rng.choice("23456789") if c == "N" else c for c in rng.choice(prefixes))
    rest = "".join(rng.choice("0123456789") for _ in range(length - len(prefix)))
    return (region, cc, trunk, prefix + rest)


def junk(row, rng):
    kind = rng.randrange(7)
    if kind == 0:
        row["phone"], row["region"] = "12345", rng.choice(["", "US"])
    elif kind == 1:
        row["phone"] = rng.choice(["call me", "n/a", "TBD", "-"])
    elif kind == 2:
        row["phone"] = ""
    elif kind == 3:
        row["phone"], row["region"] = "+999 " + str(rng.randrange(10**6, 10**7)), ""
    elif kind == 4:
        row["region"] = ""
        row["phone"] = str(rng.randrange(10**8, 10**9))
    elif kind == 5:
        row["email"] = row["email"].replace("@", "@@")
    else:
        row["firstname"] = ""
    return row


def rows(count, seed):
    rng = random_for(seed)
    seen = []  # a bounded pool of earlier numbers, for repeats
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        row = {
            "firstname": first,
            "lastname": last,
            "email": "%s.%s%d@example.%s" % (
                ascii_name(first), ascii_name(last), i, rng.choice(["com", "org", "net", "co.uk", "de"])),
            "company": rng.choice(COMPANIES),
            "city": rng.choice(CITIES),
        }
        roll = rng.random()
        if roll < 0.10 and seen:
            number = rng.choice(seen)
        else:
            number = new_number(rng)
            if len(seen) < 50000:
                seen.append(number)
            else:
                seen[rng.randrange(len(seen))] = number
        row["phone"], row["region"] = render(number, rng)
        if 0.10 <= roll < 0.15:
            row = junk(row, rng)
        yield row


def ascii_name(s):
    return "".join(c for c in s.lower() if c.isascii() and c.isalnum()) or "x"


def random_for(seed):
    return random.Random(seed)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, required=True, help="number of contacts")
    ap.add_argument("--format", choices=["csv", "ndjson"], default="csv")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")
    out = sys.stdout
    if args.format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows(args.rows, args.seed):
            writer.writerow([row[c] for c in COLUMNS])
    else:
        for row in rows(args.rows, args.seed):
            out.write(json.dumps({k: row[k] for k in COLUMNS if row[k] != ""}, ensure_ascii=False))
            out.write("\n")


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        sys.exit(0)
