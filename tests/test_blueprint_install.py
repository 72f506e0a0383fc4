"""Tests for install_blueprints: HA's default blueprints stay, ours is a real file."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.harness import REPO
from tests.e2e.hass_config import install_blueprints, write_config

OURS = Path("blueprints/automation/smspartner/low_credit.yaml")
ESCALATION = Path("blueprints/automation/smspartner/sms_then_call.yaml")
DEFAULTS = (
    Path("blueprints/automation/homeassistant/motion_light.yaml"),
    Path("blueprints/script/homeassistant/confirmable_notification.yaml"),
)


def test_new_config_gets_defaults_and_a_copy(tmp_path: Path) -> None:
    """A new config gets Home Assistant's defaults and a copy (no symlink) of ours."""
    copied = install_blueprints(tmp_path)
    assert copied == [tmp_path / OURS, tmp_path / ESCALATION]
    assert not (tmp_path / OURS).is_symlink()
    assert not (tmp_path / OURS).parent.is_symlink()
    assert (tmp_path / OURS).read_text() == (REPO / OURS).read_text()
    for default in DEFAULTS:
        assert (tmp_path / default).is_file()


def test_old_symlink_is_replaced_and_defaults_added(tmp_path: Path) -> None:
    """A folder with only the link older scripts/develop made gets fixed."""
    link = tmp_path / OURS.parent
    link.parent.mkdir(parents=True)
    link.symlink_to(REPO / OURS.parent, target_is_directory=True)
    install_blueprints(tmp_path)
    assert not link.is_symlink()
    assert (tmp_path / OURS).is_file()
    assert (tmp_path / DEFAULTS[0]).is_file()


def test_user_blueprints_are_left_alone(tmp_path: Path) -> None:
    """Where the user has blueprints of their own, no defaults are added back."""
    mine = tmp_path / "blueprints/automation/me/mine.yaml"
    mine.parent.mkdir(parents=True)
    mine.write_text("blueprint: {}\n")
    install_blueprints(tmp_path)
    assert mine.read_text() == "blueprint: {}\n"
    assert not (tmp_path / DEFAULTS[0]).exists()
    assert (tmp_path / DEFAULTS[1]).is_file()  # the script folder was absent
    assert (tmp_path / OURS).is_file()


def test_demo_config_can_save_automations(tmp_path: Path) -> None:
    """The demo's configuration includes the files the UI editors save to."""
    write_config(tmp_path, 8123, ui=True)
    yaml = (tmp_path / "configuration.yaml").read_text()
    assert "automation: !include automations.yaml\n" in yaml
    assert "script: !include scripts.yaml\n" in yaml
    assert "default_config" not in yaml
    assert (tmp_path / "automations.yaml").read_text() == "[]\n"
    assert (tmp_path / OURS).is_file()
