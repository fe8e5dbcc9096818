"""Identity: which catalog records are the same person, recording or release, and why."""
