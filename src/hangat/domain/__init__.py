"""The domain core: plain typed values and pure functions. Imports no web, database or LLM library."""
