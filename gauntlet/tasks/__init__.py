"""Task synthesis: sample a chain, execute the reference, escalate until the baseline fails."""
