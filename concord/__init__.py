"""Concord: the open platform on which countries run a digital-policy dialogue."""

__version__ = "0.1.0"
