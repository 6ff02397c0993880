"""How values and fields are spoken in the offline dialogue, and the reader of that phrasing.

`phrasing` writes (the task message's fact sentences, the agent's questions and answers, the
user's replies); `reading` reads exactly that back. They are one pair: a test renders every
phrase and reads it again, so a template edit that the reader no longer understands fails.
"""
