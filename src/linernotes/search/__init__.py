"""Search: names, titles, identifiers and links to catalog entities."""
