#!/usr/bin/env python3
"""People with planted duplicates, for `contact-batch match` at scale.

    python3 benches/matching/gen_people.py ROWS OUT.csv [--truth TRUTH.csv] [--seed N]

Each base person has a first and last name (from syllable-built pools of
~2,000 first names and ~50,000 surnames, so that namesakes occur at a
realistic rate), an email, a phone, a date of birth, a city and a postcode.
About 20% of the rows are duplicates of an earlier person with one to three
of: a typo in a name, a nickname, first and last name swapped, a changed
email domain, a new phone, the birth date's day and month transposed, a
missing field. The truth file lists the row numbers (1-based, as `match`
writes them) of each planted duplicate and its original.

Deterministic for a seed; no third-party packages.
"""

import argparse
import csv
import random

NICK = {"robert": "bob", "william": "bill", "elizabeth": "liz", "michael": "mike",
        "katherine": "kate", "james": "jim", "thomas": "tom", "margaret": "peggy"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rows", type=int)
    ap.add_argument("out")
    ap.add_argument("--truth")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    syl = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "da", "fe", "go", "hu", "ja",
           "be", "pi", "an", "el", "or", "un", "is", "ta", "ro", "li", "ma", "de"]
    firsts = list(NICK) + [x + y for x in syl for y in syl] + [x + y + "a" for x in syl[:40] for y in syl]
    lasts = [x + y + z + e for x in syl for y in syl for z in syl for e in ("n", "s", "r")]
    cities = ["city%d" % i for i in range(3000)]
    domains = ["gmail.com", "yahoo.com", "outlook.com"] + ["corp%d.com" % i for i in range(500)]
    people = []
    truth = []
    with open(a.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["first_name", "last_name", "email", "phone", "dob", "city", "postcode"])
        for row in range(1, a.rows + 1):
            if people and rng.random() < 0.2:
                src_row, p = rng.choice(people)
                p = dict(p)
                for _ in range(rng.randint(1, 3)):
                    change(p, rng, domains)
                truth.append((row, src_row))
            else:
                fn = rng.choice(firsts)
                ln = rng.choice(lasts)
                p = {
                    "first_name": fn.capitalize(),
                    "last_name": ln.capitalize(),
                    "email": "%s.%s%d@%s" % (fn, ln, rng.randint(1, 99), rng.choice(domains)),
                    "phone": "+1 %03d %03d %04d" % (rng.randint(201, 989), rng.randint(200, 999), rng.randint(0, 9999)),
                    "dob": "%04d-%02d-%02d" % (rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28)),
                    "city": rng.choice(cities),
                    "postcode": "%05d" % rng.randint(1000, 99999),
                }
                if len(people) < 200_000:
                    people.append((row, p))
                else:
                    people[rng.randrange(len(people))] = (row, p)
            w.writerow([p[k] for k in ["first_name", "last_name", "email", "phone", "dob", "city", "postcode"]])
    if a.truth:
        with open(a.truth, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["row", "original"])
            w.writerows(truth)


def typo(s, rng):
    if len(s) < 3:
        return s
    i = rng.randrange(1, len(s) - 1)
    op = rng.randrange(3)
    if op == 0:
        return s[:i] + s[i + 1:]
    if op == 1:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i] + rng.choice("aeiourstn") + s[i + 1:]


def change(p, rng, domains):
    k = rng.randrange(7)
    if k == 0:
        p["first_name"] = typo(p["first_name"], rng)
    elif k == 1:
        p["last_name"] = typo(p["last_name"], rng)
    elif k == 2:
        nick = NICK.get(p["first_name"].lower())
        if nick:
            p["first_name"] = nick.capitalize()
        else:
            p["first_name"], p["last_name"] = p["last_name"], p["first_name"]
    elif k == 3:
        local = p["email"].split("@")[0]
        p["email"] = local + "@" + rng.choice(domains)
    elif k == 4:
        p["phone"] = "+1 %03d %03d %04d" % (rng.randint(201, 989), rng.randint(200, 999), rng.randint(0, 9999))
    elif k == 5:
        y, m, d = p["dob"].split("-")
        if int(d) <= 12:
            p["dob"] = "%s-%s-%s" % (y, d, m)
    else:
        p[rng.choice(["email", "phone", "city", "postcode"])] = ""


if __name__ == "__main__":
    main()
