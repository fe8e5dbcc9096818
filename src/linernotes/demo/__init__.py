"""The embedded demo catalog: real Genius data shipped inside the package (see data/SOURCES.md)."""
