"""The configuration of a throw-away Home Assistant: YAML, onboarding, blueprints."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
import shutil
from typing import Final

from .harness import CORE_INTEGRATIONS, DOMAIN, HOST, REPO, UI_INTEGRATIONS

# Integrations whose UI editor saves to a file that configuration.yaml must include.
UI_INCLUDES: Final = {"automation": "automations.yaml", "script": "scripts.yaml"}
BLUEPRINTS: Final = REPO / "blueprints"


def _http_yaml(config_dir: Path, port: int) -> str:
    """Bind Home Assistant to 127.0.0.1:port; return the YAML this needs, if any.

    Up to 2025.x the http: YAML section does it. Newer releases keep these settings
    in .storage/http and treat YAML as a change to confirm within 5 minutes, so
    there they are written to the store, validated by Home Assistant's own schema.
    """
    try:
        http_config = importlib.import_module("homeassistant.components.http.config")
    except ImportError:
        return f"http:\n  server_host: {HOST}\n  server_port: {port}\n"
    stable = {
        **http_config.HTTP_STORAGE_SCHEMA({"server_host": [HOST], "server_port": port}),
        "created_at": "1970-01-01T00:00:00+00:00",
        "error": None,
        "error_message": None,
    }
    store = config_dir / ".storage" / http_config.STORAGE_KEY
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text(
        json.dumps(
            {
                "version": http_config.STORAGE_VERSION,
                "minor_version": http_config.STORAGE_MINOR_VERSION,
                "key": http_config.STORAGE_KEY,
                "data": {
                    "stable": stable,
                    "pending": None,
                    "yaml_migration_done": True,
                },
            }
        )
    )
    return ""


def skip_online_onboarding_steps(config_dir: Path) -> None:
    """Mark every onboarding step but the user's as done.

    Finishing the core_config step sets up Met.no, Radio Browser and Google
    Translate, which reach the internet. The location, currency and language come
    from configuration.yaml instead, so the wizard has nothing left to ask.
    """
    onboarding = importlib.import_module("homeassistant.components.onboarding")
    const = importlib.import_module("homeassistant.components.onboarding.const")
    store = config_dir / ".storage" / onboarding.STORAGE_KEY
    store.parent.mkdir(parents=True, exist_ok=True)
    done = [step for step in const.STEPS if step != const.STEP_USER]
    store.write_text(
        json.dumps(
            {
                "version": onboarding.STORAGE_VERSION,
                "minor_version": 1,
                "key": onboarding.STORAGE_KEY,
                "data": {"done": done},
            }
        )
    )


def install_blueprints(config_dir: Path) -> list[Path]:
    """Copy this repository's blueprints into the config, after HA's default ones.

    Home Assistant copies its own example blueprints into blueprints/<domain>/ only
    when that folder is absent, and up to 2025.x lists blueprints with a glob that
    does not follow symlinks. So: first the defaults, as Home Assistant would (also
    into a folder that holds nothing but ours, as older scripts/develop left it),
    then a copy, not a link, of ours. Returns the blueprint files copied.
    """
    components = Path(importlib.import_module("homeassistant.components").__path__[0])
    copied: list[Path] = []
    for domain in ("automation", "script"):
        folder = config_dir / "blueprints" / domain
        ours = {p.name for p in (BLUEPRINTS / domain).glob("*") if p.is_dir()}
        theirs = {p.name for p in folder.glob("*")} - ours if folder.exists() else set()
        defaults = components / domain / "blueprints"
        if not theirs and defaults.is_dir():
            shutil.copytree(defaults, folder / "homeassistant", dirs_exist_ok=True)
        for name in sorted(ours):
            target = folder / name
            if target.is_symlink():
                target.unlink()
            target.mkdir(parents=True, exist_ok=True)
            copied.extend(
                Path(shutil.copy2(source, target / source.name))
                for source in sorted((BLUEPRINTS / domain / name).glob("*.yaml"))
            )
    return copied


def write_config(
    config_dir: Path,
    port: int,
    *,
    ui: bool = False,
    external_url: bool = False,
    extra_yaml: str = "",
) -> None:
    """Write a fresh configuration: no default_config (it needs the internet).

    With `external_url`, Home Assistant's own address is its external URL: the
    simulator, on the same machine, can then reach the entries' webhooks, so
    delivery reports, replies and call results are pushed.
    """
    config_dir.mkdir(parents=True, exist_ok=True)
    integrations = CORE_INTEGRATIONS + (UI_INTEGRATIONS if ui else ())
    lines = [
        "homeassistant:",
        "  name: SMS Partner demo",
        "  country: FR",
        "  currency: EUR",
        "  language: en",
        "  time_zone: Europe/Paris",
        "  unit_system: metric",
        "  latitude: 48.8566",
        "  longitude: 2.3522",
        "  elevation: 35",
        *([f"  external_url: http://{HOST}:{port}"] if external_url else []),
        *(
            f"{domain}: !include {UI_INCLUDES[domain]}"
            if domain in UI_INCLUDES
            else f"{domain}:"
            for domain in sorted(integrations)
        ),
        "logger:",
        "  default: warning",
        "  logs:",
        f"    custom_components.{DOMAIN}: debug",
    ]
    yaml = "\n".join(lines) + "\n" + _http_yaml(config_dir, port) + extra_yaml
    (config_dir / "configuration.yaml").write_text(yaml)
    skip_online_onboarding_steps(config_dir)
    if ui:
        (config_dir / "automations.yaml").write_text("[]\n")
        (config_dir / "scripts.yaml").write_text("{}\n")
        install_blueprints(config_dir)
    custom = config_dir / "custom_components"
    custom.mkdir(exist_ok=True)
    link = custom / DOMAIN
    if not link.is_symlink():
        link.symlink_to(REPO / "custom_components" / DOMAIN, target_is_directory=True)
