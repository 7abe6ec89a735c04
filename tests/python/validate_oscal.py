"""Validates an OSCAL JSON document against a JSON schema: validate_oscal.py DOCUMENT SCHEMA.

Draft 7 rules, format checks off. OSCAL's patterns use \\p{L} and \\p{N}, which Python's `re`
lacks: the `regex` module is used when installed, otherwise those classes are rewritten to `re`
syntax. Prints up to ten errors (JSON path and message) and exits 1 when there are any.
"""
import json
import re
import sys

import jsonschema

try:
    import regex as rx
except ImportError:
    rx = None


def search(p, s):
    if rx:
        return rx.search(p, s)
    return re.search(p.replace('\\p{L}', '[^\\W\\d_]').replace('\\p{N}', '\\d'), s)


def pattern(validator, p, inst, schema):
    if isinstance(inst, str) and not search(p, inst):
        yield jsonschema.ValidationError(f'{inst!r} does not match {p!r}')


V = jsonschema.validators.extend(jsonschema.Draft7Validator, {'pattern': pattern})
doc = json.load(open(sys.argv[1]))
schema = json.load(open(sys.argv[2]))
errors = sorted(V(schema).iter_errors(doc), key=lambda e: list(e.path))
for e in errors[:10]:
    print('/'.join(map(str, e.path)), e.message[:300])
sys.exit(1 if errors else 0)
