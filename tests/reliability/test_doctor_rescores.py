"""`doctor --full` re-scores every stored sheet through the compiled scoring plan: a score
edited in a shard (answers untouched) is named with the field, what was stored and what the
answers give; the untouched archive passes."""

from __future__ import annotations

import orjson
import pytest

from inspect_kit.store import read_cache
from inspect_kit.store.doctor import check_workspace

pytestmark = pytest.mark.reliability


def test_a_score_edited_in_a_shard_is_named_and_the_rest_passes(demo_workspace):
    assert check_workspace(demo_workspace).ok
    shard = sorted((demo_workspace.results_dir / "archive").glob("[!.]*/*.json"))[0]
    data = orjson.loads(shard.read_bytes())
    doc = next(iter(data["submissions"].values()))
    stored = doc["score"]["final"]
    doc["score"]["final"] = stored + 7.5
    shard.write_bytes(orjson.dumps(data))
    read_cache.clear()
    report = check_workspace(demo_workspace)
    text = "\n".join(e for f in report.files for e in f.errors)
    assert not report.ok
    assert f"final 保存为 {stored + 7.5!r}，重算为 {stored!r}" in text, text
    assert text.count("保存为") == 1  # every other sheet re-scores to what it stored
