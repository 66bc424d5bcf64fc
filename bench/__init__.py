"""Benchmarks, run by hand or by a make target, never as timed tests.

`python -m bench` (`make bench`): the file search and list at scale on PostgreSQL.
"""
