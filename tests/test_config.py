import pytest

from tracker.config import load_config, parse_window
from tracker.errors import TrackerError


def test_parse_window_accepts_negative_ranges():
    assert parse_window("-10:10", "--window") == (-10, 10)
    assert parse_window("-250:-11", "--estimation") == (-250, -11)


@pytest.mark.parametrize("text", ["10", "a:b", "5:-5", ""])
def test_parse_window_rejects_nonsense(text):
    with pytest.raises(TrackerError, match="--window"):
        parse_window(text, "--window")


def test_config_file_sets_study_and_registry(tmp_path):
    cfg = tmp_path / "tracker.toml"
    cfg.write_text('[study]\nmodel = "constant_mean"\nwindow = [-5, 5]\n[registry]\nfiles = ["mine.toml"]\n')
    config = load_config(cfg)
    assert config.study == {"model": "constant_mean", "window": (-5, 5)}
    assert config.registry_files == [tmp_path / "mine.toml"]


@pytest.mark.parametrize(
    "body, message",
    [("[study\n", "not valid TOML"), ('[study]\nmodel = "garch"\n', "study.model"), ("[study]\nwindow = [3]\n", "two integers")],
)
def test_bad_config_is_one_clear_error(tmp_path, body, message):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(body)
    with pytest.raises(TrackerError, match=message):
        load_config(cfg)


def test_missing_config_file(tmp_path):
    with pytest.raises(TrackerError, match="not found"):
        load_config(tmp_path / "absent.toml")
