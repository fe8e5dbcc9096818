"""The command line: `linernotes`."""
