"""Notices: an in-app inbox and e-mail about what waits for a person, and "My work" across the jobs."""
