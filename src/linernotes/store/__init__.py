"""The store: the catalog schema, its migrations, and the questions it answers."""
