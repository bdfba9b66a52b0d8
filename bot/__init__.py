"""journeybot: a Telegram assistant that helps small businesses map their customers' journey."""

__version__ = "0.1.0"
