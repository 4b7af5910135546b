"""Executable specifications of the compliance rules (pytest-bdd), one feature per rule family."""
