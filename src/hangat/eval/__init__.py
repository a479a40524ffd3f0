"""Benchmark harnesses behind ``hangat eval …``."""
