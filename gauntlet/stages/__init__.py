"""The pipeline's stages, one module each: the only modules that run episodes or pick backends.

Each stage takes records in and gives a `StageResult` out (records to persist, every rejection
with its reason, statistics worth showing). Each Dagster asset calls exactly one of them; a
notebook, a test or a benchmark can call them the same way.
"""
