"""bundle feature package."""
