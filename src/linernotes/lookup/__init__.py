"""Live look-ups: ask the sources while the user waits."""
