"""Loaded once by the fork server of the query processes (processes.py), before it forks any:
Django's settings, apps and translations, so that a query process starts in milliseconds.

It must not load DuckDB: a process is forked from this one for every query process, and a
process that holds DuckDB's threads must never be forked (test_processes.py checks
that django.setup() leaves DuckDB out).
"""

import django

django.setup()
