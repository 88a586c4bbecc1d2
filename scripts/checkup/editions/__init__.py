"""Editions: compare two editions, publish one, start the next."""
