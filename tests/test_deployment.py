"""The container deployment (``compose.yaml``, ``Dockerfile``): what runs is real sswis.

No container is started here: the files are read and every command, module and environment variable
they name is checked against sswis itself, so that a renamed command or setting breaks this test rather
than a ministry's deployment.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ROOT / "src" / "sswis" / "settings"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


def command_line(service: dict[str, Any]) -> list[str]:
    """The argument list a service runs; ``sh -c "a && b"`` is split into its commands' words."""
    command = service["command"]
    if command[:2] == ["sh", "-c"]:
        return [word for part in command[2].split("&&") for word in shlex.split(part)]
    return list(command)


def sswis_commands(words: list[str]) -> list[str]:
    return [words[index + 1] for index, word in enumerate(words[:-1]) if word == "sswis"]


def settings_read_from_environment() -> set[str]:
    text = "".join(path.read_text(encoding="utf-8") for path in SETTINGS.glob("*.py"))
    return set(re.findall(r"os\.environ(?:\.get\(|\[)\"([A-Z_]+)\"", text))


def test_the_services_are_the_database_the_migrations_the_web_server_and_the_worker(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    assert sorted(services) == ["db", "migrate", "web", "worker"]
    assert services["db"]["image"] == "postgres:15"
    # PostgreSQL's own memory settings (docs/load.md): each "-c name=value" is a real server setting.
    database = services["db"]["command"]
    assert database[0] == "postgres"
    settings = dict(value.split("=", 1) for flag, value in zip(database[1::2], database[2::2], strict=True))
    assert {flag for flag in database[1::2]} == {"-c"}
    assert settings == {"shared_buffers": "32MB", "jit": "off", "max_connections": "30", "work_mem": "4MB"}
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    for name in ("web", "worker"):
        assert services[name]["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
        assert services[name]["image"] == services["migrate"]["image"] == "sswis:latest"


def test_every_sswis_command_of_the_services_is_a_real_command(compose: dict[str, Any]) -> None:
    services = compose["services"]
    named = {name: sswis_commands(command_line(services[name])) for name in ("migrate", "web", "worker")}
    assert named == {"migrate": ["migrate", "regulation_daily"], "web": [], "worker": ["db_worker"]}
    available = get_commands()
    assert [command for commands in named.values() for command in commands if command not in available] == []


def test_the_web_server_serves_the_sswis_wsgi_application_like_the_image(compose: dict[str, Any]) -> None:
    web = command_line(compose["services"]["web"])
    assert (web[0], web[-1]) == ("gunicorn", "sswis.wsgi")
    assert importlib.util.find_spec("sswis.wsgi") is not None
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    [cmd] = re.findall(r"^CMD (\[.*\])$", dockerfile, flags=re.MULTILINE)
    assert json.loads(cmd) == web


def test_the_web_server_runs_with_the_sswis_gunicorn_config_that_preloads_the_application(
    compose: dict[str, Any],
) -> None:
    web = command_line(compose["services"]["web"])
    config = web[web.index("--config") + 1]
    assert config == "python:sswis.gunicorn_config"
    module = importlib.import_module(config.removeprefix("python:"))
    assert module.preload_app is True


def test_the_worker_skips_the_system_checks_that_the_migrations_ran(compose: dict[str, Any]) -> None:
    from django.core.management import load_command_class

    worker = command_line(compose["services"]["worker"])
    assert worker == ["sswis", "db_worker", "--skip-checks"]
    # The option exists (a command that requires system checks takes it), so the worker starts.
    parser = load_command_class("django_tasks_db", "db_worker").create_parser("sswis", "db_worker")
    assert any("--skip-checks" in action.option_strings for action in parser._actions)
    assert "migrate" in sswis_commands(command_line(compose["services"]["migrate"]))


def test_the_environment_names_only_settings_that_sswis_reads(compose: dict[str, Any]) -> None:
    environment = compose["x-sswis-environment"]
    module = environment["DJANGO_SETTINGS_MODULE"]
    assert module == "sswis.settings.production"
    assert importlib.util.find_spec(module) is not None
    for name in ("migrate", "web", "worker"):
        assert compose["services"][name]["environment"] == environment
    unread = sorted(
        name
        for name in environment
        if name.startswith("SSWIS_") and name not in settings_read_from_environment()
    )
    assert unread == []
    # The production settings refuse to start without a secret key: compose refuses to start without one too.
    assert environment["SSWIS_SECRET_KEY"].startswith("${SSWIS_SECRET_KEY:?")
    assert environment["SSWIS_DATABASE_URL"].startswith("postgres://sswis:${SSWIS_DB_PASSWORD:?")


def test_the_image_is_python_3_11_with_sswis_installed_and_static_files_collected() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.findall(r"^FROM (.+)$", dockerfile, flags=re.MULTILINE) == ["python:3.11-slim"]
    assert "pip install /tmp/sswis-source" in dockerfile
    assert "sswis collectstatic --noinput" in dockerfile
    assert "DJANGO_SETTINGS_MODULE=sswis.settings.production" in dockerfile
    assert "\nUSER sswis\n" in dockerfile
