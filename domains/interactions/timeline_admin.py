"""Admin for interactions (the timeline)."""
