"""Approximate nearest-neighbour indexes for large catalogs."""
