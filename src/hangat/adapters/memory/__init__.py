"""In-memory adapters: fakes that ship in the package, for tests and ``memory:`` URLs."""
