"""User settings: defaults, saving, refusing bad keys and values, surviving a damaged file."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from inspect_kit.base.config import (
    Settings,
    config_path,
    load_settings,
    save_settings,
    update_setting,
)
from inspect_kit.base.errors import InspectKitError


def test_settings_live_where_inspect_kit_config_points(tmp_path):
    assert str(config_path()) == os.environ["INSPECT_KIT_CONFIG"]
    assert load_settings() == Settings()  # no file yet: defaults
    assert load_settings().lang == "zh"


def test_update_setting_saves_and_keeps_the_others():
    update_setting("rater", "王建国")
    update_setting("round", "2025")
    settings = load_settings()
    assert (settings.rater, settings.round, settings.lang) == ("王建国", "2025", "zh")
    on_disk = json.loads(config_path().read_text(encoding="utf-8"))
    assert on_disk["rater"] == "王建国"


def test_unknown_key_and_bad_value_are_refused_in_plain_words():
    with pytest.raises(InspectKitError, match="没有设置项"):
        update_setting("colour", "red")
    with pytest.raises(InspectKitError, match="无效"):
        update_setting("lang", "fr")
    assert not config_path().exists()


def test_damaged_settings_file_falls_back_to_defaults():
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text("{not json", encoding="utf-8")
    assert load_settings() == Settings()
    save_settings(Settings(rater="李秀英"))
    assert load_settings().rater == "李秀英"


def test_config_command_shows_and_sets(tmp_path):
    from inspect_kit.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["--workspace", str(tmp_path), "config", "rater", "张志强"])
    assert result.exit_code == 0 and load_settings().rater == "张志强"
    result = runner.invoke(cli, ["--workspace", str(tmp_path), "config"])
    assert "rater = 张志强" in result.output
    result = runner.invoke(cli, ["--workspace", str(tmp_path), "config", "rater"])
    assert result.output.strip() == "张志强"
    result = runner.invoke(cli, ["--workspace", str(tmp_path), "config", "nope", "x"])
    assert result.exit_code == 1 and "没有设置项" in result.output
    assert "Traceback" not in result.output


def test_config_lang_en_is_used_by_commands(tmp_path):
    from inspect_kit.cli import cli

    update_setting("lang", "en")
    result = CliRunner().invoke(cli, ["--workspace", str(tmp_path), "forms", "show",
                                      "four-oclock-school"])  # fmt: skip
    assert result.exit_code == 0 and "Grades:" in result.output
