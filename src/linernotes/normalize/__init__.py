"""Normalisation: turn each source's raw records into our vocabulary."""
