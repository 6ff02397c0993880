"""The LLM layer: one OpenAI-compatible client for every role, concurrent, cached, accounted."""
