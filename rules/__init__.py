"""Compliance rules: the catalogue of docs/domain.md §4 as code.

The rules read only :class:`rules.frames.LedgerFrames` (pandas frames of the ledger, money as integer
pence) and return findings as data. ``rules.registry.REGISTRY`` lists every rule; ``rules.runner.run_rules``
runs them all at an explicit "as at" date; ``rules.catalogue`` writes ``docs/rules.md`` from the docstrings.
"""
