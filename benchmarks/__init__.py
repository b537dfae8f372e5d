"""Benchmark harness for stack-auditor (not part of the test suite): see benchmarks/README.md."""
