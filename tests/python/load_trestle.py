"""Loads an OSCAL JSON document with compliance-trestle and prints its title:
load_trestle.py DOCUMENT MODULE:CLASS (e.g. trestle.oscal.poam:PlanOfActionAndMilestones).

Exits 3 with an install hint when compliance-trestle is missing.
"""
import importlib
import pathlib
import sys

module, cls = sys.argv[2].split(':')
try:
    model = getattr(importlib.import_module(module), cls)
except ImportError:
    print('compliance-trestle is not installed; install it with: python3 -m pip install compliance-trestle')
    sys.exit(3)
doc = model.oscal_read(pathlib.Path(sys.argv[1]))
print(doc.metadata.title)
