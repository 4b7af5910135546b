"""docs/rules.md is generated from the registry and must match it, so the docs never drift."""

from __future__ import annotations

import pytest

from rules import catalogue
from rules.registry import REGISTRY


def test_the_committed_catalogue_matches_the_code() -> None:
    committed = catalogue.DOCS_PATH.read_text(encoding="utf-8")
    assert committed == catalogue.render(), "docs/rules.md is stale: run `python -m rules.catalogue --write`"


def test_the_catalogue_documents_every_rule_with_its_parameters() -> None:
    page = catalogue.render()
    for item in REGISTRY:
        assert f"### {item.code} {item.name}" in page
        for name in item.params.model_fields:
            assert f"| `{name}` |" in page


def test_the_catalogue_prints_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert catalogue.main([]) == 0
    assert capsys.readouterr().out == catalogue.render()
    assert catalogue.main(["--bad"]) == 2
