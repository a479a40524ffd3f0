"""Product search. This first version matches query terms in the store; the search issue replaces it."""
