"""Validate stage: staged text → typed canonical tables, every row kept, merged or dropped.

- ``stage``: the entry point (``validate``) and the frozen :class:`~revstory.validate.stage.Drop`.
- ``checks``: per-column and per-table rules and their reports; ``canonical``: the tables.
- ``identity``: person ids across tools; ``ledger``, ``inventory``: the row ledger and the
  list of files read.
"""
