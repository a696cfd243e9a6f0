#!/usr/bin/env python3
"""Adds the `using HuggingFace.Inference.{Group};` lines that C# files and Markdown code blocks need.

The generated task types live in feature namespaces (specs/inference/tasks.json "groups"). This finds, in each
C# file and in each ```csharp block of a Markdown page, the names of generated types of those namespaces and adds
the missing using directives: in a .cs file after its leading usings (or at its top), in a Markdown block at the
block's top (where tests/Client.Tests/DocsExamplesTests.cs reads a block's usings). Idempotent: a file that
has its usings is left as it is. Which type is in which namespace comes from the public API baseline
(src/Client/PublicAPI.*.txt, written by eng/update-public-api.sh), so run that first after a spec change.

Usage: python3 eng/feature-usings.py [--check] PATH...   (files or folders: *.cs, *.md; bin/ and obj/ skipped)
--check changes nothing and exits 1 when a file lacks a using (prints which).
"""
import json
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
BASE = "HuggingFace.Inference"


def type_namespaces():
    with open(os.path.join(ROOT, "specs", "inference", "tasks.json"), encoding="utf-8") as f:
        groups = [g for g in json.load(f).get("groups", {}) if not g.startswith("$")]
    names = {}
    pattern = re.compile(r"\b" + re.escape(BASE) + r"\.(" + "|".join(map(re.escape, groups)) + r")\.([A-Z]\w*)")
    for baseline in ("PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt"):
        path = os.path.join(ROOT, "src", "Client", baseline)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                for group, name in pattern.findall(f.read()):
                    names[name] = BASE + "." + group
    return names


USING = re.compile(r"^[\s\ufeff]*using (static )?[A-Za-z_][\w.]*( = [\w.<>]+)?;\s*$")
IDENTIFIER = re.compile(r"\b[A-Z]\w*\b")


def needed(code, names):
    code = re.sub(r"//[^\n]*", "", code)
    code = re.sub(r"/\*.*?\*/", "", code, flags=re.S)
    body = "\n".join(line for line in code.split("\n") if not USING.match(line))
    return sorted({names[i] for i in IDENTIFIER.findall(body) if i in names})


def missing(lines, namespaces):
    present = {line.strip() for line in lines if USING.match(line)}
    return ["using " + ns + ";" for ns in namespaces if "using " + ns + ";" not in present]


def insert_at(lines, leading):
    """Where new usings go among the leading using lines: after the library's own, else after the last."""
    ours = [i for i in leading if lines[i].strip().lstrip("\ufeff").startswith("using " + BASE)]
    return (ours or leading)[-1] + 1


def fix_cs(text, names):
    lines = text.split("\n")
    add = missing(lines, needed(text, names))
    if not add:
        return text
    leading = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if USING.match(line):
            leading.append(i)
        elif stripped and not stripped.startswith("//") and not stripped.startswith("#"):
            break
    if leading:
        at = insert_at(lines, leading)
        lines[at:at] = add
    else:
        first = 0
        while first < len(lines) and (lines[first].strip().startswith("//") or lines[first].lstrip("\ufeff").startswith("#")):
            first += 1
        lines[first:first] = add + [""]
    return "\n".join(lines)


def fix_md(text, names):
    lines = text.split("\n")
    out = []
    i = 0
    while i < len(lines):
        out.append(lines[i])
        if lines[i].rstrip() != "```csharp":
            i += 1
            continue
        i += 1
        block = []
        while i < len(lines) and lines[i].rstrip() != "```":
            block.append(lines[i])
            i += 1
        add = missing(block, needed("\n".join(block), names))
        lead = 0
        while lead < len(block) and USING.match(block[lead]):
            lead += 1
        if add and lead == 0:
            add = add + [""]
        at = insert_at(block, list(range(lead))) if lead else 0
        out.extend(block[:at] + add + block[at:])
    return "\n".join(out)


def files(paths):
    for path in paths:
        if os.path.isfile(path):
            yield path
            continue
        for folder, dirs, names in os.walk(path):
            dirs[:] = [d for d in dirs if d not in ("bin", "obj", "node_modules", ".git")]
            for name in sorted(names):
                if name.endswith((".cs", ".md")):
                    yield os.path.join(folder, name)


def main(argv):
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"]
    if not paths:
        print(__doc__)
        return 2
    names = type_namespaces()
    if not names:
        print("no feature-namespace types in src/Client/PublicAPI.*.txt: run bash eng/update-public-api.sh first")
        return 2
    stale = 0
    for path in files(paths):
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
        fixed = fix_md(text, names) if path.endswith(".md") else fix_cs(text, names)
        if fixed != text:
            stale += 1
            print(("lacks usings: " if check else "updated: ") + path)
            if not check:
                with open(path, "w", encoding="utf-8", newline="") as f:
                    f.write(fixed)
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
