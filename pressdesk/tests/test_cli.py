from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from django.utils import translation

from pressdesk.accounts.models import Organisation
from pressdesk.cli import COMMANDS, UsageError, split_global_options
from pressdesk.management.commands.worker import Command as WorkerCommand
from pressdesk.orgs import resolve_org
from pressdesk.tests.conftest import Cli

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_it_lists_the_commands(cli: Cli) -> None:
    result = cli("--help")
    assert result.returncode == 0
    assert "usage: pressdesk [--org SLUG] COMMAND" in result.stdout
    for name in COMMANDS:
        assert f"\n  {name} " in result.stdout
    assert "Run background tasks and periodic jobs." in result.stdout
    assert "--org SLUG" in result.stdout


def test_it_shows_help_without_a_command(cli: Cli) -> None:
    assert cli().stdout == cli("--help").stdout


def worker_help(language: str) -> str:
    with translation.override(language):
        return str(WorkerCommand.help)


def test_it_speaks_french_when_the_locale_is_french(cli: Cli) -> None:
    french = worker_help("fr")
    assert french != worker_help("en"), "the French catalog lacks the worker's help"
    result = cli("--help", LANG="fr_FR.UTF-8")
    assert result.returncode == 0
    assert french.split(". ")[0] in result.stdout
    assert "Run background tasks" not in result.stdout
    assert "--org SLUG" in result.stdout


def test_it_prefers_lc_all_to_lang(cli: Cli) -> None:
    result = cli("worker", "--help", LC_ALL="fr_FR.UTF-8", LANG="en_GB.UTF-8")
    assert worker_help("fr").split(". ")[0] in " ".join(result.stdout.split())
    result = cli("worker", "--help", LC_ALL="en_GB.UTF-8", LANG="fr_FR.UTF-8")
    assert "Run background tasks and periodic jobs." in result.stdout


def test_it_names_the_check_command_as_typed(cli: Cli) -> None:
    result = cli("check", "--help")
    assert result.returncode == 0
    assert "usage: pressdesk check" in result.stdout


def test_it_passes_other_commands_to_django(cli: Cli) -> None:
    result = cli("showmigrations", "accounts")
    assert result.returncode == 0
    assert "[X] 0001_initial" in result.stdout


def test_it_rejects_an_unknown_global_option(cli: Cli) -> None:
    result = cli("--frobnicate", "serve")
    assert result.returncode == 2
    assert "Unknown option --frobnicate" in result.stderr


def test_it_rejects_org_without_a_slug(cli: Cli) -> None:
    result = cli("--org")
    assert result.returncode == 2
    assert "--org needs" in result.stderr


def test_it_reports_an_unknown_org(cli: Cli) -> None:
    assert cli("org", "create", "Mairie de Tours", "--slug", "tours").returncode == 0
    result = cli("--org", "nantes", "createuser", "a@example.org", "--role", "viewer")
    assert result.returncode == 1
    assert "There is no organisation nantes. Known organisations: tours." in result.stderr


def test_it_asks_for_org_when_several_exist(cli: Cli) -> None:
    cli("org", "create", "Mairie de Tours", "--slug", "tours")
    cli("org", "create", "Mairie de Blois", "--slug", "blois")
    result = cli("createuser", "a@example.org", "--role", "viewer")
    assert result.returncode == 1
    assert "choose one with `pressdesk --org SLUG" in result.stderr
    assert "blois, tours" in result.stderr
    ok = cli("--org=blois", "createuser", "a@example.org", "--role", "viewer")
    assert ok.returncode == 0, ok.stderr
    assert "Mairie de Blois" in ok.stdout


def test_it_splits_global_options() -> None:
    assert split_global_options(["--org", "a", "serve", "--org", "b"]) == (
        "a",
        False,
        ["serve", "--org", "b"],
    )
    assert split_global_options(["--org=a", "-h"]) == ("a", True, [])
    with pytest.raises(UsageError):
        split_global_options(["--nope", "serve"])


def test_it_resolves_the_only_org(org: Organisation, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PRESSDESK_ORG", raising=False)
    assert resolve_org(None) == org


def test_it_resolves_org_from_the_environment(
    org: Organisation, other_org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRESSDESK_ORG", "other")
    assert resolve_org(None) == other_org
    assert resolve_org("acme") == org  # --org wins over the environment


def test_it_explains_when_there_is_no_org(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PRESSDESK_ORG", raising=False)
    with pytest.raises(CommandError, match="pressdesk org create NAME"):
        resolve_org(None)


def test_it_lists_slugs_when_several_orgs_exist(
    org: Organisation, other_org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PRESSDESK_ORG", raising=False)
    with pytest.raises(CommandError, match="acme, other"):
        resolve_org(None)


def test_it_explains_a_database_that_is_not_ready(tmp_path: Path) -> None:
    result = Cli(tmp_path)("org", "list")  # no `pressdesk migrate` in this folder
    assert result.returncode == 1
    assert "no such table: accounts_organisation" in result.stderr
    assert "`pressdesk check` tells" in result.stderr
    assert "Traceback" not in result.stderr


GENERIC = ("--settings", "--pythonpath", "--skip-checks", "--traceback", "--no-color")


def test_command_help_lists_only_its_own_options(cli: Cli) -> None:
    for command in ("contacts", "check", "createuser", "user", "migrate"):
        result = cli(command, "--help")
        assert result.returncode == 0, result.stderr
        for option in GENERIC:
            assert option not in result.stdout, (command, option)
    # -v stays where it changes something (the worker logs each task), and nowhere else.
    assert "--verbosity" in cli("worker", "--help").stdout
    assert "--verbosity" not in cli("check", "--help").stdout


def test_hidden_options_still_work(cli: Cli) -> None:
    assert cli("check", "--help", "--no-color").returncode == 0


def test_argparse_speaks_french(cli: Cli) -> None:
    result = cli("contacts", "--help", LANG="fr_FR.UTF-8")
    assert result.stdout.startswith("utilisation\u00a0: pressdesk contacts")
    assert "afficher cette aide et quitter" in result.stdout
    for english in ("usage:", "show this help message and exit", "positional arguments"):
        assert english not in result.stdout
    result = cli("contacts", "import", LANG="fr_FR.UTF-8")
    assert result.returncode == 2
    assert "erreur\u00a0: ces arguments sont obligatoires\u00a0: file" in result.stderr
