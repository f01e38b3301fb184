"""Use cases: one function per verb; each checks permission, applies the rules and commits once."""
