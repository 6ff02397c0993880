"""Export: judged records to ADP 1.5.0 (the contract in docs/adp.md), its validator, and the Hub layout.

Modules: `adp` (conversion), `adp_rules` (validation), `folder` (the `adp/` folder),
`hub` (Parquet configs + dataset card), `sft` (OpenAI chat rows), `preferences` (teacher vs
failed baseline pairs), `merge` (a day's shard folders into one). Import them directly; this
package imports nothing.
"""
