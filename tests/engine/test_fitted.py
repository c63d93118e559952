"""The shipped parameters files: written in one format, read once and kept, the defaults when absent."""

import json

from concord.engine.fitted import Shipped, save_params


def test_save_params_writes_sorted_json_indented_by_one(tmp_path):
    path = tmp_path / "p.json"
    save_params(path, {"b": 1, "a": [2]})
    assert path.read_text(encoding="utf-8") == '{\n "a": [\n  2\n ],\n "b": 1\n}\n'


def test_shipped_reads_the_file_once_and_keeps_it(tmp_path):
    path = tmp_path / "p.json"
    save_params(path, {"weight": 0.5})
    shipped = Shipped(path, dict, lambda: {"weight": 0.0})
    first = shipped.load()
    save_params(path, {"weight": 0.9})
    assert first == {"weight": 0.5}
    assert shipped.load() is first


def test_shipped_falls_back_to_the_default_when_the_file_is_absent(tmp_path):
    shipped = Shipped(tmp_path / "none.json", dict, lambda: {"weight": 0.0})
    assert shipped.load() == {"weight": 0.0}


def test_a_path_given_is_read_each_time_and_not_kept(tmp_path):
    shipped = Shipped(tmp_path / "none.json", dict, lambda: {"weight": 0.0})
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"weight": 0.3}), encoding="utf-8")
    assert shipped.load(other) == {"weight": 0.3}
    other.write_text(json.dumps({"weight": 0.4}), encoding="utf-8")
    assert shipped.load(other) == {"weight": 0.4}
    assert shipped.load() == {"weight": 0.0}
