"""Test support: builders of ledgers and name-keyed shortcuts over the use cases (never imported by the product)."""
