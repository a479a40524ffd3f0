"""Understanding the shopper's message (language first; intents, slots and emotion come later)."""
