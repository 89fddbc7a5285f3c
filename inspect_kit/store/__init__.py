"""Records on disk: `database` (one safe TinyDB file: atomic writes, one lock, backups) and
`store` (the kit's tables and operations on top of it)."""
