#!/usr/bin/env python3
"""Lists the module dependencies of crates/contact-batch/src and fails on a cycle.

A module is a source file: `src/a.rs` and `src/a/mod.rs` are `a`,
`src/a/b.rs` is `a::b`. An edge `a -> b` is a path in `a`'s code that names
`b` or an item inside it: `use crate::b::...`, `crate::b::f(...)`, and the
relative forms `super::...` and `self::...`, resolved to the longest module
prefix. Not counted: comments and doc comments (links are not
dependencies), `#[cfg(test)]` modules (tests may use the whole crate), the
crate root `lib.rs` (it only declares modules and re-exports them), and a
module's `mod child;` declarations (a parent owning a child is not a use).

The check runs at two levels: files, and top-level modules (every module
collapsed onto the first part of its path, `profile::rasl::checks` onto
`profile`). The second catches what the first cannot: `config` using
`profile::registry` while `profile::rasl` uses `config` is no cycle among
files, but it makes `config` and `profile` depend on each other.

Usage: scripts/module-cycles.py [--list] [SRC_DIR]
  --list   print every edge, `from -> to`, files then top-level modules,
           before the verdict.
Exit status 1 when some files or top-level modules form a cycle; each
cycle is printed with its edges (and, for top-level modules, the file
edges behind each).
"""
import os
import re
import sys

# File edges left out of the top-level check, each with why and until when.
# A listed edge that no longer exists fails the check, so the list only
# shrinks.
KNOWN = {}


def module_of(src, path):
    rel = os.path.relpath(path, src)[:-3].split(os.sep)
    if rel[-1] == "mod":
        rel = rel[:-1]
    return "::".join(rel)


def strip(text):
    # Test modules: from `#[cfg(test)]` before a `mod` to the end of that
    # module (found by brace depth).
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(pub(\(crate\))?\s+)?mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i : m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    text = "".join(out)
    # Comments (line and block) and string literals.
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r'r#*"(?:.|\n)*?"#*|"(?:\\.|[^"\\])*"', '""', text)
    return text


def use_paths(text):
    """Every path a `use` names, braces expanded, plus inline paths."""
    paths = []

    def expand(prefix, tree):
        tree = tree.strip()
        if not tree:
            return
        if "{" in tree:
            head, rest = tree.split("{", 1)
            inner = rest[: rest.rindex("}")]
            depth, part, parts = 0, "", []
            for c in inner:
                if c == "," and depth == 0:
                    parts.append(part)
                    part = ""
                    continue
                depth += c == "{"
                depth -= c == "}"
                part += c
            parts.append(part)
            for p in parts:
                expand(prefix + head, p)
        else:
            paths.append(prefix + tree.split(" as ")[0].strip())

    for m in re.finditer(r"\buse\s+([^;]+);", text):
        tree = re.sub(r"\s+as\s+", "@", m.group(1))
        expand("", re.sub(r"\s+", "", tree).replace("@", " as "))
    rest = re.sub(r"\buse\s+[^;]+;", " ", text)
    paths += re.findall(r"\b(?:crate|super|self)(?:::\w+)+", rest)
    return paths


def resolve(path, here, modules):
    parts = path.split("::")
    base = here.split("::") if here else []
    if parts[0] == "crate":
        base, parts = [], parts[1:]
    elif parts[0] in ("super", "self"):
        while parts and parts[0] in ("super", "self"):
            if parts.pop(0) == "super":
                base = base[:-1]
    else:
        return None
    full = base + parts
    for n in range(len(full), 0, -1):
        name = "::".join(full[:n])
        if name in modules:
            return name
    return None


def main():
    args = sys.argv[1:]
    listing = "--list" in args
    args = [a for a in args if a != "--list"]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    src = args[0] if args else os.path.join(root, "crates/contact-batch/src")
    files = {}
    for d, _, names in os.walk(src):
        for n in names:
            if n.endswith(".rs"):
                p = os.path.join(d, n)
                if os.path.relpath(p, src) != "lib.rs":
                    files[module_of(src, p)] = p
    modules = set(files)
    edges = {m: set() for m in modules}
    for m, p in sorted(files.items()):
        with open(p, encoding="utf-8") as f:
            text = strip(f.read())
        for path in use_paths(text):
            to = resolve(path, m, modules)
            if to and to != m:
                edges[m].add(to)
    if listing:
        for m in sorted(edges):
            for to in sorted(edges[m]):
                print(f"{m} -> {to}")
    stale = [e for e in KNOWN if e[1] not in edges.get(e[0], ())]
    for a, b in stale:
        print(f"module-cycles: the known edge {a} -> {b} is gone; remove it from KNOWN")
    kept = {m: {t for t in tos if (m, t) not in KNOWN} for m, tos in edges.items()}
    for (a, b), reason in sorted(KNOWN.items()):
        if (a, b) not in stale:
            print(f"module-cycles: not counted among top-level modules: {a} -> {b} ({reason})")
    top_edges, why = collapse(kept)
    if listing:
        for m in sorted(top_edges):
            for to in sorted(top_edges[m]):
                print(f"top {m} -> {to}")
    failed = False
    for level, graph, count in (
        ("files", edges, len(modules)),
        ("top-level modules", top_edges, len(top_edges)),
    ):
        comps = cycles(graph)
        n_edges = sum(len(e) for e in graph.values())
        if comps:
            failed = True
            for comp in comps:
                print(f"cycle among {level}: " + ", ".join(comp))
                for a in comp:
                    for b in sorted(graph[a] & set(comp)):
                        print(f"  {a} -> {b}")
                        if graph is top_edges:
                            for f, t in sorted(why[(a, b)]):
                                print(f"      {f} -> {t}")
            print(f"module-cycles: {len(comps)} cycle(s) among {count} {level}, {n_edges} edges")
        else:
            print(f"module-cycles: no cycle among {count} {level} ({n_edges} edges)")
    return 1 if failed or stale else 0


def collapse(edges):
    """The graph of top-level modules, and the file edges behind each edge."""
    top = lambda m: m.split("::")[0]
    graph, why = {}, {}
    for m, tos in edges.items():
        graph.setdefault(top(m), set())
        for to in tos:
            a, b = top(m), top(to)
            if a != b:
                graph[a].add(b)
                graph.setdefault(b, set())
                why.setdefault((a, b), set()).add((m, to))
    return graph, why


def cycles(edges):
    """Tarjan's strongly connected components of more than one module."""
    index, low, stack, on, sccs = {}, {}, [], set(), []
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return sccs


if __name__ == "__main__":
    sys.exit(main())
