#!/usr/bin/env python3
"""The command line of SPEC §5.1 as an outside script drives it.

    python3 tests/contract/cli.py BIN

BIN is the `contact-batch` binary (scripts/contract.sh passes the release
build). Every check prints `ok - what` or `FAIL - what`; the exit code is
the number of failures (capped at 100). Standard library only.
"""

import re
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EX = os.path.join(ROOT, "examples")
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/contact-batch")
SUMMARY = ["total", "new", "existing", "duplicate", "invalid"]
LIMIT = 32 * 1024 * 1024
failures = 0


def check(ok, what):
    global failures
    print(("ok - " if ok else "FAIL - ") + what, flush=True)
    if not ok:
        failures += 1
    return ok


def run(args, stdin=None, **kw):
    return subprocess.run([BIN] + args, input=stdin, capture_output=True, **kw)


def ex(*parts):
    return os.path.join(EX, *parts)


def summary_last(stderr):
    """The last stderr line as a summary object, or None."""
    lines = stderr.decode("utf-8", "replace").splitlines()
    if not lines:
        return None
    try:
        pairs = json.loads(lines[-1], object_pairs_hook=lambda p: p)
    except ValueError:
        return None
    if [k for k, _ in pairs[:5]] != SUMMARY:
        return None
    s = dict(pairs)
    if not all(isinstance(s[k], int) for k in SUMMARY):
        return None
    if s["total"] != sum(s[k] for k in SUMMARY[1:]):
        return None
    return s


def outcomes_ok(ndjson):
    """One JSON line per row, rows 1..N in order, members as SPEC says."""
    lines = ndjson.decode().splitlines()
    counts = dict.fromkeys(SUMMARY, 0)
    for i, line in enumerate(lines):
        o = json.loads(line)
        if o.get("row") != i + 1 or o.get("status") not in SUMMARY[1:]:
            return None
        st = o["status"]
        counts["total"] += 1
        counts[st] += 1
        if (st != "invalid") != isinstance(o.get("phone"), str) or (
            st != "invalid" and not o["phone"].startswith("+")
        ):
            return None
        if (st == "duplicate") != isinstance(o.get("duplicate_of"), int):
            return None
        if (st == "invalid") != isinstance(o.get("errors"), dict):
            return None
        if st != "invalid" and not isinstance(o.get("contact"), dict):
            return None
    return counts


def respond_checks(tmp):
    profiles = ["rasl-create", "rasl-delete", "rasl-update", "record-list", "contact-book"]
    for p in profiles:
        req = ex("requests", p + ".json")
        r = run(["respond", "--profile", p, "--existing", ex("existing.json"), req])
        ok = r.returncode == 0 and r.stdout.count(b"\n") == 1 and r.stdout.endswith(b"\n")
        if ok:
            pairs = json.loads(r.stdout, object_pairs_hook=lambda x: x)
            ok = [k for k, _ in pairs] == ["status", "body"] and isinstance(pairs[0][1], int)
        check(ok, f"respond --profile {p}: exit 0, one line {{\"status\", \"body\"}}")
        with open(req, "rb") as f:
            body = f.read()
        for args in ([], ["-"]):
            s = run(["respond", "--profile", p, "--existing", ex("existing.json")] + args, stdin=body)
            check(s.returncode == 0 and s.stdout == r.stdout,
                  f"respond --profile {p} {' '.join(args) or '(stdin)'}: same as the file")
        t1 = run(["respond", "--profile", p, "--existing", ex("existing.json"), "--threads", "1", req])
        t2 = run(["respond", "--profile", p, "--existing", ex("existing.json"), "--threads", "2", req])
        check(t1.stdout == t2.stdout == r.stdout, f"respond --profile {p}: --threads 1 and 2 identical")

    r = run(["respond", "--profile", "rasl-create"], stdin=b"not json")
    check(r.returncode == 0 and json.loads(r.stdout)["status"] == 422,
          "respond: a malformed body is a 422 response, exit 0")
    two = json.dumps({"contacts": [{"firstname": "A", "phone": "415 555 2671"},
                                   {"firstname": "B", "phone": "415 555 2672"}]}).encode()
    r = run(["respond", "--profile", "rasl-create", "--max-batch", "1"], stdin=two)
    check(r.returncode == 0 and 400 <= json.loads(r.stdout)["status"] < 500,
          "respond --max-batch 1: two rows are a 4xx response, exit 0")
    r = run(["respond", "--profile", "rasl-create", "--default-region", "US"], stdin=two)
    body = json.loads(r.stdout)["body"] if r.returncode == 0 else {}
    check(r.returncode == 0 and "+14155552671" in json.dumps(body),
          "respond --default-region US reads national numbers")


def respond_errors(tmp):
    for args, what in [
        (["respond"], "no --profile"),
        (["respond", "--profile", "no-such"], "an unknown profile"),
        (["respond", "--profile", "rasl-create", "--no-such-flag"], "an unknown flag"),
        (["respond", "--profile", "rasl-create", os.path.join(tmp, "missing.json")], "an unreadable REQUEST"),
        (["respond", "--profile", "rasl-create", "--existing", os.path.join(tmp, "missing.json")],
         "an unreadable --existing"),
        (["respond", "--profile", "rasl-create", "--default-region", "XX"], "an unknown region"),
    ]:
        r = run(args, stdin=b"{}")
        check(r.returncode == 2 and r.stdout == b"" and len(r.stderr.strip()) > 0,
              f"respond with {what}: exit 2, a message on stderr, nothing on stdout")
    bad = os.path.join(tmp, "bad-existing.json")
    with open(bad, "w") as f:
        f.write("[1, 2]")
    r = run(["respond", "--profile", "rasl-create", "--existing", bad], stdin=b"{}")
    check(r.returncode == 2 and r.stderr.startswith(b"contact-batch: error: "),
          "respond with a malformed --existing: exit 2, `contact-batch: error:`")



def respond_memory(tmp):
    """Issue 28: 1 GB on stdin peaks well under 100 MB (refused at 32 MiB + 1)."""
    child = subprocess.Popen([BIN, "respond", "--profile", "rasl-create"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    block = b" " * (1 << 20)
    try:
        for _ in range(1024):
            child.stdin.write(block)
    except BrokenPipeError:
        pass
    try:
        child.stdin.close()
    except BrokenPipeError:
        pass
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    peak_mb = usage.ru_maxrss / 1024
    resp = json.loads(out) if out else {}
    check(child.returncode == 0 and resp.get("status") == 422,
          "respond: 1 GB on stdin is refused with a 422, exit 0")
    check(peak_mb < 80, f"respond: 1 GB on stdin peaks at {peak_mb:.0f} MB (bound 80 MB)")


def generated_csv(path, rows, start=0):
    with open(path, "w") as f:
        f.write("firstname,phone,email\n")
        for i in range(start, start + rows):
            phone = i - 1 if i % 5 == 4 else i
            name = "" if i % 7 == 0 else f"Ann{i}"
            f.write(f"{name},+1415{phone % 10_000_000:07d},a{i}@example.com\n")


def import_checks(tmp):
    base = ["import", "--profile", "rasl-create", "--existing", ex("existing.json")]
    csv = ex("contacts.csv")
    r = run(base + [csv])
    counts = outcomes_ok(r.stdout) if r.returncode == 0 else None
    s = summary_last(r.stderr)
    check(r.returncode == 0 and counts is not None, "import: exit 0, one outcome line per row as SPEC says")
    check(s is not None and counts is not None and all(s[k] == counts[k] for k in SUMMARY),
          "import: the last stderr line is the JSON summary, matching the lines")
    check(len(r.stderr.splitlines()) > 1, "import: the human report comes before it")
    j = run(base + ["--summary", "json", csv])
    check(j.stdout == r.stdout and len(j.stderr.splitlines()) == 1 and summary_last(j.stderr) == s,
          "import --summary json: only the JSON line")
    out = os.path.join(tmp, "out.ndjson")
    o = run(base + [csv, "--out", out])
    with open(out, "rb") as f:
        written = f.read()
    check(o.returncode == 0 and o.stdout == b"" and written == r.stdout and summary_last(o.stderr) == s,
          "import --out FILE: the same lines in FILE, nothing on stdout, summary last")
    rejects = os.path.join(tmp, "rejects.csv")
    o = run(base + [csv, "--rejects", rejects])
    with open(rejects) as f:
        rej = f.read().splitlines()
    with open(csv) as f:
        header = f.readline().rstrip("\r\n")
    check(o.returncode == 0 and summary_last(o.stderr) == s and rej[0] == header + ",errors"
          and len(rej) == 1 + s["invalid"] + s["duplicate"],
          "import --rejects FILE: the input's columns plus errors, one row per invalid or duplicate row")
    r2 = run(["import", "--profile", "contact-book", "--default-region", "GB", csv])
    check(r2.returncode == 0 and summary_last(r2.stderr) is not None and outcomes_ok(r2.stdout) is not None,
          "import --profile contact-book --default-region GB")



def import_formats(tmp):
    """The formats, named or guessed, from a file or stdin."""
    rows = [{"firstname": "Ann", "phone": "+14155552671"}, {"firstname": "Bob"},
            {"firstname": "Ann", "phone": "+14155552671"}]
    files = {
        "csv": "firstname,phone\nAnn,+14155552671\nBob,\nAnn,+14155552671\n",
        "ndjson": "".join(json.dumps(x) + "\n" for x in rows),
        "json": json.dumps(rows),
    }
    expect = None
    for fmt, text in files.items():
        path = os.path.join(tmp, "rows." + fmt)
        with open(path, "w") as f:
            f.write(text)
        a = run(["import", "--profile", "rasl-create", path])
        b = run(["import", "--profile", "rasl-create", "--format", fmt, "-"], stdin=text.encode())
        c = outcomes_ok(a.stdout) if a.returncode == 0 else None
        check(c == {"total": 3, "new": 1, "existing": 0, "duplicate": 1, "invalid": 1}
              and a.stdout == b.stdout and summary_last(b.stderr) is not None,
              f"import {fmt}: by extension and as --format {fmt} on stdin, the same outcomes")
        expect = expect or a.stdout
        check(a.stdout == expect, f"import {fmt}: the same outcomes as CSV")



def import_threads(tmp):
    """--threads: output identity over many chunks."""
    big = os.path.join(tmp, "big.csv")
    runs = [run(["import", "--profile", "rasl-create", "--threads", t, big]) for t in ("1", "2", "3")]
    check(all(x.returncode == 0 for x in runs) and runs[0].stdout == runs[1].stdout == runs[2].stdout
          and summary_last(runs[0].stderr) == summary_last(runs[1].stderr) is not None,
          "import --threads 1, 2, 3: byte-identical output and summary")



def import_errors(tmp):
    csv = ex("contacts.csv")
    for args, what in [
        (["import", "--profile", "rasl-delete", csv], "the rasl-delete profile"),
        (["import", "--profile", "rasl-create", os.path.join(tmp, "missing.csv")], "an unreadable INPUT"),
        (["import", "--profile", "rasl-create", os.path.join(tmp, "x.xlsx")], "a format it cannot tell"),
        (["import", "--profile", "rasl-create", "-"], "stdin without --format"),
        (["import", "--profile", "rasl-create", csv, "--out", os.path.join(tmp, "no/dir/o")],
         "an unwritable --out"),
    ]:
        r = run(args, stdin=b"")
        last = r.stderr.decode().splitlines()[-1:] or [""]
        check(r.returncode == 2 and last[0].startswith("contact-batch: error: "),
              f"import with {what}: exit 2, `contact-batch: error:` last")



def import_closed_stdout(tmp):
    """Issue 33.5: a closed stdout (`| head -1`) exits non-zero, says so, keeps
    the summary last, and leaves no earlier rejects file looking current."""
    big = os.path.join(tmp, "big.csv")
    rejects = os.path.join(tmp, "old-rejects.csv")
    with open(rejects, "w") as f:
        f.write("from an earlier run\n")
    p = subprocess.Popen([BIN, "import", "--profile", "rasl-create", "--rejects", rejects, big],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = p.stdout.readline()
    p.stdout.close()
    err = p.stderr.read()
    p.wait()
    check(p.returncode == 2 and b"broken pipe" in err and summary_last(err) is not None
          and json.loads(first)["row"] == 1,
          "import | head -1: exit 2, `broken pipe` on stderr, the summary last")
    check(not os.path.exists(rejects), "import | head -1: the earlier --rejects file is gone")
    check(not [n for n in os.listdir(tmp) if n.endswith(".partial")], "import | head -1: no partial file")



def import_sigterm(tmp):
    """Issue 33.8: SIGTERM removes the hidden partial files."""
    big = os.path.join(tmp, "big.csv")
    d = os.path.join(tmp, "sig")
    os.mkdir(d)
    out = os.path.join(d, "out.ndjson")
    p = subprocess.Popen([BIN, "import", "--profile", "rasl-create", "--format", "csv", "-",
                          "--out", out, "--rejects", os.path.join(d, "r.csv")],
                         stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    with open(big, "rb") as f:
        p.stdin.write(f.read())
    p.stdin.flush()
    deadline = time.monotonic() + 120
    while len([n for n in os.listdir(d) if n.endswith(".partial")]) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    partial = [n for n in os.listdir(d) if n.endswith(".partial")]
    p.send_signal(signal.SIGTERM)
    p.stderr.read()
    p.wait()
    p.stdin.close()
    check(len(partial) == 2 and p.returncode == -signal.SIGTERM and os.listdir(d) == [],
          "import killed by SIGTERM mid-run: dies by the signal, no partial file left")


OLD_METADATA = os.path.join(ROOT, "crates/contact-batch/tests/data/phone-9.0.42.cbpm")
GEORGIA_NEW = "+995508887752"  # valid from libphonenumber 9.0.43 on, not in 9.0.42


def phone_metadata(tmp):
    """SPEC 5.7: --phone-metadata FILE (the generator's file) for respond and
    import; a bad file is a clear error (exit 2, the flag named)."""
    body = json.dumps({"contacts": [{"firstname": "Nino", "phone": GEORGIA_NEW}]}).encode()
    new = run(["respond", "--profile", "rasl-create"], stdin=body)
    old = run(["respond", "--profile", "rasl-create", "--phone-metadata", OLD_METADATA], stdin=body)
    check(new.returncode == 0 and old.returncode == 0 and new.stdout != old.stdout,
          "respond --phone-metadata: the file's release decides the verdicts")
    csv = os.path.join(tmp, "meta.csv")
    with open(csv, "w") as f:
        f.write(f"firstname,phone\nNino,{GEORGIA_NEW}\n")
    r = run(["import", "--profile", "rasl-create", "--phone-metadata", OLD_METADATA, csv])
    s = summary_last(r.stderr)
    check(r.returncode == 0 and s is not None and s.get("invalid") == 1,
          "import --phone-metadata: the file's release decides the verdicts")
    bad = os.path.join(tmp, "bad.cbpm")
    with open(bad, "wb") as f:
        f.write(b"CBPHMETA" + bytes(40))
    for cmd in (["respond"], ["import", csv]):
        r = run(cmd[:1] + ["--profile", "rasl-create", "--phone-metadata", bad] + cmd[1:], stdin=b"{}")
        err = r.stderr.decode(errors="replace")
        check(r.returncode == 2 and "--phone-metadata" in err and "bad.cbpm" in err and not r.stdout,
              f"{cmd[0]} --phone-metadata with a bad file: exit 2 and a message naming it")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        v = run(["--version"])
        check(v.returncode == 0 and v.stdout.startswith(b"contact-batch "), "contact-batch --version")
        check(
            re.search(rb"\(libphonenumber metadata \d+\.\d+\.\d+\)", v.stdout) is not None,
            "--version names the phone metadata release (SPEC 5.7)",
        )
        generated_csv(os.path.join(tmp, "big.csv"), 30_000)
        for part in (respond_checks, respond_errors, respond_memory, import_checks, import_formats,
                     import_threads, import_errors, import_closed_stdout, import_sigterm,
                     phone_metadata):
            try:
                part(tmp)
            except Exception as e:  # a broken surface may break the check itself
                check(False, f"{part.__name__}: {type(e).__name__}: {e}")
    print(f"cli: {failures} failure(s)")
    sys.exit(min(failures, 100))


if __name__ == "__main__":
    main()
