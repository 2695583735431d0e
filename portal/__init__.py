"""Open data portal for Vietnamese provinces."""
