#!/usr/bin/env python3
"""Adds the passing cases of a conformance JSON report to an expected-pass list (the list only grows).

usage: update-expected.py REPORT.json tests/conformance/expected-pass-node.txt
"""
import json, sys

report, listfile = sys.argv[1], sys.argv[2]
passing = {c["name"] for c in json.load(open(report))["cases"] if c["status"] == "passed"}
try:
    lines = [l.rstrip("\n") for l in open(listfile)]
except FileNotFoundError:
    lines = []
existing = {l.split("#")[0].strip() for l in lines if l.split("#")[0].strip()}
header = [l for l in lines if l.startswith("#")]
names = sorted(existing | passing)
with open(listfile, "w") as f:
    for h in header:
        f.write(h + "\n")
    for n in names:
        f.write(n + "\n")
print(f"{listfile}: {len(existing)} -> {len(names)} cases")
