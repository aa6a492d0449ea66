#!/usr/bin/env python3
"""Checks every fenced code block of every README of the repository.

Each block's info string says how it is checked:

  rust                     a doctest of contact-batch-cli (the README is
                           included there; this script checks the include)
  c                        compiled with the checkout's header and static
                           library (target/release), then run: exit 0
  php                      run with the PHP extension (target/php-ext) loaded
                           and the FFI package's classes autoloaded: exit 0
  sh                       run with bash (set -e) from the repository root:
                           exit 0. `/path/to/contact-batch` stands for the
                           checkout; blocks that `cd` elsewhere run in a
                           temporary folder
  text output              the output of the `sh` block just above: each
                           line of the sample is a line of the real output
                           (stdout, then stderr), in order (lines may be
                           left out); `...` in a line matches anything;
                           durations and rates match any figures
  text synopsis            a usage synopsis: every `--flag` of a line is in
                           `contact-batch SUBCOMMAND --help`
  LANG not-run: REASON     not checked, and REASON says why (needs root,
                           a network, minutes of benchmarks, ...)

Any other info string (none at all included) is an error, so a new block
must say how it is checked or why it is not.

  python3 scripts/readme-snippets.py            # everything (skips parts
                                                # whose tools are missing)
  python3 scripts/readme-snippets.py --lint     # info strings only

Needs the release build (`cargo build --release -p contact-batch-ffi -p
contact-batch-cli`) and, for PHP, `bash bindings/php-ext/build.sh`;
scripts/test.sh runs it after both. CONTACT_BATCH_REQUIRE_ALL=1 makes a
missing tool (cc, php, the built extension, composer) an error.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REQUIRE_ALL = os.environ.get("CONTACT_BATCH_REQUIRE_ALL") == "1"
PLACEHOLDER = "/path/to/contact-batch"
# The file that includes the README as doctests, per README holding Rust.
DOCTEST_HOSTS = {
    "README.md": "crates/contact-batch-cli/src/lib.rs",
    "crates/contact-batch/README.md": "crates/contact-batch-cli/src/lib.rs",
}
TIMEOUT = 300

FENCE = re.compile(r"^(\s*)(```+)(.*)$")


class Block:
    def __init__(self, path, line, info, text):
        self.path, self.line, self.info, self.text = path, line, info.strip(), text
        words = self.info.split(None, 1)
        self.lang = words[0] if words else ""
        self.rest = words[1].strip() if len(words) > 1 else ""

    def where(self):
        return f"{self.path}:{self.line} (```{self.info})"


def readmes():
    out = subprocess.run(
        ["git", "ls-files", "*README*.md", "README.md"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()
    return sorted(set(out))


def blocks_of(path):
    blocks, cur = [], None
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            m = FENCE.match(line.rstrip("\n"))
            if cur is None and m:
                cur = (n, m.group(2), m.group(3), [])
            elif cur is not None and m and m.group(2).startswith(cur[1]) and not m.group(3).strip():
                blocks.append(Block(path, cur[0], cur[2], "".join(cur[3])))
                cur = None
            elif cur is not None:
                cur[3].append(line)
    if cur is not None:
        raise SystemExit(f"{path}:{cur[0]}: code block never closed")
    return blocks


def lint(block):
    """The way a block is checked, or an error message."""
    if "`" in block.info:
        # CommonMark: such a line opens no block (GitHub and rustdoc agree).
        return None, "a backtick in the info string makes the fence an inline code span"
    if re.search(r"[+;{}=~\"]", block.info):
        # rustdoc warns about these (invalid_codeblock_attributes).
        return None, "the info string holds one of + ; { } = ~ \" (rustdoc reads it as attributes)"
    if block.rest.startswith("not-run:"):
        if len(block.rest[len("not-run:"):].strip()) < 10:
            return None, "not-run: needs a reason (why the block cannot be checked)"
        return "skip", None
    if block.lang == "rust" and block.rest == "":
        return "doctest", None
    if block.lang in ("c", "php", "sh") and block.rest == "":
        return block.lang, None
    if block.lang == "text" and block.rest in ("output", "synopsis"):
        return block.rest, None
    return None, (
        "unknown info string: say how the block is checked (rust, c, php, sh, "
        "text output, text synopsis) or why it is not (LANG not-run: REASON)"
    )


class Skip(Exception):
    pass


def need(tool, what):
    if shutil.which(tool):
        return
    if REQUIRE_ALL:
        raise AssertionError(f"{tool} is required for {what}")
    raise Skip(f"{tool} not found")


def run(cmd, cwd, env=None, stdin=None):
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, input=stdin
    )


def must(result, block):
    if result.returncode != 0:
        raise AssertionError(
            f"exit {result.returncode}\n--- stdout\n{result.stdout[-3000:]}\n--- stderr\n{result.stderr[-3000:]}"
        )
    return result


def check_doctest(block):
    host = DOCTEST_HOSTS.get(block.path)
    if host is None:
        raise AssertionError(f"no doctest host includes {block.path}: add one to DOCTEST_HOSTS")
    rel = os.path.relpath(os.path.join(ROOT, block.path), os.path.dirname(os.path.join(ROOT, host)))
    with open(os.path.join(ROOT, host), encoding="utf-8") as f:
        src = f.read()
    if f'#[doc = include_str!("{rel}")]' not in src or "#[cfg(doctest)]" not in src:
        raise AssertionError(f"{host} does not include {rel} as doctests")
    return "doctest of " + host


def release(name):
    path = os.path.join(ROOT, "target", "release", name)
    if not os.path.exists(path):
        if REQUIRE_ALL:
            raise AssertionError(f"{path} is missing (cargo build --release -p contact-batch-ffi -p contact-batch-cli)")
        raise Skip(f"{path} not built")
    return path


def check_c(block, tmp):
    need("cc", "the C blocks")
    lib = release("libcontactbatch.a")
    src = os.path.join(tmp, "snippet.c")
    with open(src, "w") as f:
        f.write(block.text)
    exe = os.path.join(tmp, "snippet")
    must(run(["cc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", os.path.join(ROOT, "include"),
              src, lib, "-lpthread", "-ldl", "-lm", "-o", exe], tmp), block)
    out = must(run([exe], tmp), block)
    return f"compiled and ran ({len(out.stdout)} bytes of output)"


def php_command(tmp):
    need("php", "the PHP blocks")
    ext = os.path.join(ROOT, "target", "php-ext", "modules", "contact_batch.so")
    if not os.path.exists(ext):
        if REQUIRE_ALL:
            raise AssertionError(f"{ext} is missing (bash bindings/php-ext/build.sh)")
        raise Skip("the PHP extension is not built (bash bindings/php-ext/build.sh)")
    autoload = os.path.join(tmp, "autoload.php")
    with open(autoload, "w") as f:
        f.write(
            "<?php\nspl_autoload_register(function (string $c): void {\n"
            "    if (str_starts_with($c, 'ContactBatch\\\\Ffi\\\\')) {\n"
            f"        require {os.path.join(ROOT, 'bindings', 'php-ffi', 'src')!r} . '/' . substr($c, 17) . '.php';\n"
            "    }\n});\n"
        )
    env = dict(os.environ, CONTACT_BATCH_LIB=release("libcontactbatch.so"),
               CONTACT_BATCH_HEADER=os.path.join(ROOT, "include", "contact_batch_php.h"))
    cmd = ["php", "-n", "-d", f"extension={ext}"]
    # Debian builds FFI as a shared extension, which -n does not load.
    if "FFI" not in run(["php", "-n", "-m"], tmp).stdout.split():
        cmd += ["-d", "extension=ffi"]
    cmd += ["-d", "ffi.enable=1", "-d", f"auto_prepend_file={autoload}"]
    return cmd, env


def check_php(block, tmp):
    cmd, env = php_command(tmp)
    code = block.text if block.text.lstrip().startswith("<?php") else "<?php\n" + block.text
    path = os.path.join(tmp, "snippet.php")
    with open(path, "w") as f:
        f.write(code)
    out = run(cmd + [path], tmp, env)
    must(out, block)
    if "Warning" in out.stdout + out.stderr or "Deprecated" in out.stdout + out.stderr:
        raise AssertionError(f"PHP warned:\n{out.stdout}{out.stderr}")
    return "ran"


def check_sh(block, tmp):
    need("bash", "the sh blocks")
    script = block.text.replace(PLACEHOLDER, ROOT)
    if "composer " in script:
        need("composer", "the composer blocks")
    if "pecl" in script:
        need("pecl", "the PECL blocks")
    if "php " in script or "php-config" in script:
        need("php", "the PHP shell blocks")
    # A block that makes its own folders runs in a temporary one.
    cwd = tmp if re.search(r"^\s*(mkdir|cd) ", script, re.M) else ROOT
    env = dict(os.environ, COMPOSER_HOME=os.path.join(tmp, ".composer"),
               COMPOSER_CACHE_DIR=os.path.join(tmp, ".composer-cache"),
               COMPOSER_NO_INTERACTION="1", COMPOSER_DISABLE_NETWORK="1",
               COMPOSER_ALLOW_SUPERUSER="1")
    out = must(run(["bash", "-euo", "pipefail", "-c", script], cwd, env), block)
    block.output = out.stdout.splitlines() + out.stderr.splitlines()
    return f"ran ({len(block.output)} lines of output)"


TIMING = re.compile(r"in [0-9.]+ s \([0-9]+ rows/s\)")


def line_pattern(sample):
    """A regex for one sample line: `...` matches anything, and the figures
    of a timing (`in 0.01 s (2200 rows/s)`) match any figures."""
    pieces = []
    for part in sample.split("..."):
        bits = TIMING.split(part)
        pieces.append(r"in [0-9.]+ s \([0-9]+ rows/s\)".join(re.escape(b) for b in bits))
    return re.compile("^" + ".*".join(pieces) + "$")


def check_output(block, previous):
    if previous is None or previous.lang != "sh" or not hasattr(previous, "output"):
        raise Skip("the sh block above was not run")
    actual = previous.output
    samples = [line for line in block.text.splitlines() if line.strip() != "..."]
    pos = 0
    for sample in samples:
        pat = line_pattern(sample)
        while pos < len(actual) and not pat.match(actual[pos]):
            pos += 1
        if pos == len(actual):
            raise AssertionError(
                f"this sample line is not a line of the real output (after the lines before it):\n  {sample}"
                + "\n--- real output\n" + "\n".join(actual)
            )
        pos += 1
    return f"matches the output of the block above ({len(samples)} lines)"


def check_synopsis(block):
    exe = release("contact-batch")
    for line in block.text.splitlines():
        words = line.split()
        if len(words) < 2:
            continue
        if words[0] == "contact-batch":
            sub = words[1]
        elif not words[0].startswith("["):
            raise AssertionError(f"synopsis line names no contact-batch subcommand: {line}")
        help_text = must(run([exe, sub, "--help"], ROOT), block).stdout
        for flag in re.findall(r"--[a-z][a-z-]*", line):
            if flag not in help_text:
                raise AssertionError(f"`contact-batch {sub} --help` has no {flag}")
    return "flags are in --help"


def main():
    lint_only = "--lint" in sys.argv[1:]
    failures, counts = [], {}
    for path in readmes():
        previous = None
        for block in blocks_of(path):
            how, err = lint(block)
            if err:
                failures.append(f"{block.where()}: {err}")
                continue
            counts[how] = counts.get(how, 0) + 1
            if lint_only or how == "skip":
                previous = block
                continue
            with tempfile.TemporaryDirectory() as tmp:
                try:
                    if how == "doctest":
                        note = check_doctest(block)
                    elif how == "c":
                        note = check_c(block, tmp)
                    elif how == "php":
                        note = check_php(block, tmp)
                    elif how == "sh":
                        note = check_sh(block, tmp)
                    elif how == "output":
                        note = check_output(block, previous)
                    else:
                        note = check_synopsis(block)
                    print(f"ok    {block.where()}: {note}")
                except Skip as e:
                    print(f"skip  {block.where()}: {e}")
                except (AssertionError, subprocess.TimeoutExpired) as e:
                    failures.append(f"{block.where()}: {e}")
                    print(f"FAIL  {block.where()}")
            previous = block
    print("readme-snippets: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    if failures:
        print("\n".join(["", "readme-snippets: FAILED"] + failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
