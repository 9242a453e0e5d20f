"""Realistic, deterministic demo content in Finnish, loaded by ``manage.py demo_data``.

- ``data/``: the names, streets, kinds of place and texts, and what each town and region needs,
  as TOML and CSV files that ``vocabulary`` and ``towns`` read (``datafiles``: clear errors);
- ``places``, ``network``: builders of places and of coordinators and meetings (in memory);
- ``accounts``: the demo logins, one per role; ``loader``: replaces the demo content at once.
"""
