"""Records on disk (the TinyDB adapter). Public API: `store.Store`; the rest serves it.

- store: Store, the kit's tables and operations (subjects, form versions, drafts, sheets, events)
- index: ShardIndex (the `sheets` index over the shards) and MainEdit (one main-file write)
- archive: shard files, their names and the `Shards` of one database
- database: Database, one file under one lock with backups around every write
- storage: the TinyDB storages (atomic JSON file, in-memory twin)
- backups, read_cache, parsing: backup rotation; the raw-bytes LRU; what a usable file is
- sources, merge, conflicts: reading another laptop's files, merging them, settling conflicts
- doctor, doctor_records, restore: health checks, record checks, restore and repair
"""
