"""Bringing a person in: when (``router``), what they are handed (``packet``), how long the shopper
waits (``queue``, ``hours``), and the staff side of the owner state machine (``desk``)."""
