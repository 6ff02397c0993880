"""Agents: baselines (heuristic, llm) that tasks are escalated against, teachers that solve them."""
