"""Verification: rule checks, the llm rubric judge, near-duplicate removal, and the verdict."""
