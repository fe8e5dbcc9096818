"""linernotes: who made this record, and how to reach them."""

__version__ = "0.1.0"
