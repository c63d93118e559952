"""Concord's engine: pure Python, no Django.

Dataclasses in, dataclasses out. The Django apps translate between their models and these types, so the
engine is fast to test, usable from the CLI on plain files, and swappable.
"""
