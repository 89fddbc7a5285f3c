"""Exports (an adapter layer, DESIGN §5): CSV, XLSX, JSON and USB bundles of finalized sheets.

Nothing here reads the database: the CLI hands in the records, the form versions they were
scored under and, for bundles, the roster, events and attachment folder. No UI library is
imported here.
"""
