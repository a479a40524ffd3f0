"""Relationship memory: finding facts, the memory card, and using facts in answers."""
