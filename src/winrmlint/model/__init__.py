"""The host model: format-independent values with their provenance."""
