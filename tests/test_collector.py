"""kg.collector: the collector's state is restored after each block, also on errors."""

from __future__ import annotations

import gc

import pytest

from kg import collector


@pytest.mark.parametrize("enabled_before", [True, False])
def test_collector_paused_restores_the_earlier_state(enabled_before):
    (gc.enable if enabled_before else gc.disable)()
    try:
        with collector.paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled_before
        with pytest.raises(KeyError), collector.paused():
            raise KeyError("x")
        assert gc.isenabled() is enabled_before
    finally:
        gc.enable()


def test_collector_frozen_heap_freezes_only_inside_and_only_once():
    assert gc.get_freeze_count() == 0
    with collector.frozen_heap():
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with collector.frozen_heap():  # nested: left as the outer block set it
            assert gc.get_freeze_count() == frozen
        assert gc.get_freeze_count() == frozen
    assert gc.get_freeze_count() == 0
    with pytest.raises(KeyError), collector.frozen_heap():
        raise KeyError("x")
    assert gc.get_freeze_count() == 0
