"""tracker: news events linked to stock prices."""

__version__ = "0.1.0"
