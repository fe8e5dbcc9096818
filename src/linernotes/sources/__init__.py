"""Sources: read raw payloads from files, dumps and the HTTP APIs, typed at the boundary."""
