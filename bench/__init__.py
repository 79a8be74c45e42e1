"""Benchmarks: `make bench` (python -m bench). They print ratios against a floor measured in the
same run on the same server, never absolute times as pass/fail."""
