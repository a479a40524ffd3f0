"""Adapters: the edges where hangat meets databases, files and the network."""
