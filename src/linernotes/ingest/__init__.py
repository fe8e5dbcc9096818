"""Ingest: streams of source records written into the catalog with provenance and checkpoints."""
