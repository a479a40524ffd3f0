"""Recommendations and reorder prediction from purchase histories."""
