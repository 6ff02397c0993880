"""Dagster wiring: definitions, jobs, schedules, resources, partitions, and the `make run` entry."""
