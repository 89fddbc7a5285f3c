"""The collector is paused while a panel is read and built, and always back on after."""

from __future__ import annotations

import gc

import pytest

from inspect_kit.base.gc_pause import gc_paused


def test_the_collector_is_off_inside_and_on_after_even_on_error_and_nested():
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause leaves it to the outer one
        raise ValueError
    assert gc.isenabled() and not gc.get_freeze_count()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_cycles_built_inside_are_still_collected_after():
    class Node:
        pass

    with gc_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        del a, b
    gc.collect()
    assert not [o for o in gc.get_objects() if type(o) is Node]
