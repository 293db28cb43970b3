"""Benchmarks: ``make bench`` (``python -m bench``) writes ``docs/benchmarks.md``.

They are measurements, not timed tests: every number is compared only with numbers taken
in the same run on the same machine, as ratios of medians over repeated rounds.
"""
