"""Browser tests: the main journeys in real Chromium against a real server process."""
