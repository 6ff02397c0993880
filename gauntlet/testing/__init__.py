"""Test doubles, used by tests and benchmarks only: the scripted model, the local
OpenAI-compatible server and its process helper, and synthetic catalogs of any size."""
