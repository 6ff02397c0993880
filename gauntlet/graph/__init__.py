"""The tool graph: which output of one tool can feed which input of another, and its analysis."""
