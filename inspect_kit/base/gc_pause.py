"""`gc_paused()`: build many objects without the cyclic garbage collector running meanwhile.

Reading a panel's sheets (orjson builds hundreds of thousands of dicts) and computing its
results allocate far more objects than they free, and none of them form cycles; each time the
allocations pass the collector's thresholds it walks the young objects, and now and then the
whole heap, to find nothing to free: about a third of a 50k-sheet panel's read (issue 18).
Reference counting still frees everything as usual; the collector resumes on leaving.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """The collector off inside, back on after if it was on before (nesting and threads: the
    outermost pause that turned it off turns it back on)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            # What was built inside is long-lived (it is what the caller asked for): moved to
            # the oldest generation at once, so the young ones' next collections do not walk
            # all of it first (freeze + unfreeze moves every tracked object there, unvisited).
            gc.freeze()
            gc.unfreeze()
            gc.enable()
