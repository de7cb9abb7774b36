"""pr feature package."""
