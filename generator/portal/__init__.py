"""portal feature package."""
