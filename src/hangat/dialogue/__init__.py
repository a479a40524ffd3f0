"""The conversation turn: understand → decide → act → respond."""
