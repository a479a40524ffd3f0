"""Sentence embedders: the packaged multilingual e5 model, and a deterministic fake for tests."""
