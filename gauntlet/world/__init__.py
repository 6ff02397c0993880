"""The executable world the tools run against: its schema, its seeded state, its operations."""
