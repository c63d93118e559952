"""Peer-learning requests: one party asks another a question, the thread of answers, closing it."""
