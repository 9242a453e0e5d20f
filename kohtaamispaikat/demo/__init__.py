"""Realistic, deterministic demo content in Finnish, loaded by ``manage.py demo_data``.

- ``vocabulary``: names, streets and texts; ``towns``: what each municipality needs;
- ``places``, ``network``: builders of places and of coordinators and meetings (in memory);
- ``accounts``: the demo logins, one per role; ``loader``: replaces the demo content at once.
"""
