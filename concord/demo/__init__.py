"""The Pakistan–Malaysia demo: data written by the Concord project (see SOURCES.md)."""
