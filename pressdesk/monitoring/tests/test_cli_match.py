"""`pressdesk monitor match`: watch queries over local files, without a database."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

QUERIES = """\
Marie Dupont:
  aliases: ["Mme Dupont", "M. Dupont"]
Orange:
  query: 'Orange NOT (jus OR fruit*)'
  case: true
  group: Competitors
Broken: 'Orange AND'
Jean-Luc: '"Jean-Luc Martin" lang:fr'
"""

FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Ouest</title>
<item><title>Orange à Rennes</title><link>https://example.org/1</link>
<description>&lt;p&gt;L’opérateur &lt;b&gt;Orange&lt;/b&gt; ouvre une boutique.&lt;/p&gt;
</description></item>
<item><title>Marché</title><link>https://example.org/2</link>
<description>Des oranges et du jus d’orange.</description></item>
</channel></rss>
"""


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "queries.yaml").write_text(QUERIES, encoding="utf-8")
    inputs = tmp_path / "in"
    (inputs / "sub").mkdir(parents=True)
    (inputs / "a.txt").write_text("Selon Mme Dupont, l’ORANGE de Jean-Luc Martin…", "utf-8")
    (inputs / "sub" / "b.html").write_text(
        "<html><head><title>Orange</title><script>Marie Dupont</script></head>"
        "<body><p>Un jus d’orange.</p><p>Marie&nbsp;Dupont arrive.</p></body></html>",
        "utf-8",
    )
    (inputs / "sub" / "feed.xml").write_text(FEED, "utf-8")
    (inputs / "notes.pdf").write_bytes(b"%PDF")
    return tmp_path


def run(*args: str) -> tuple[list[dict[str, object]], str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("monitor", "match", *args, stdout=out, stderr=err)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_it_prints_one_json_line_per_document_and_query(files: Path) -> None:
    lines, errors = run(
        "--queries",
        str(files / "queries.yaml"),
        "--input",
        str(files / "in"),
        "--json",
        "--lang",
        "fr",
    )
    found = {(Path(str(line["document"])).name, line["query"], line.get("item")) for line in lines}
    assert found == {
        ("a.txt", "Marie Dupont", None),
        ("a.txt", "Jean-Luc", None),
        ("b.html", "Marie Dupont", None),
        ("feed.xml", "Orange", "https://example.org/1"),
    }
    first = next(line for line in lines if line["query"] == "Marie Dupont")
    assert first["spans"] == [
        {"field": "text", "start": 6, "end": 16, "term": "Mme Dupont", "text": "Mme Dupont"}
    ]
    assert "“Mme Dupont” found in the text at 6–16" in str(first["explanation"])
    orange = next(line for line in lines if line["query"] == "Orange")
    assert "not excluded by NOT (jus OR fruit*)" in str(orange["explanation"])
    # The broken query is reported with its name and position; the others ran.
    report = json.loads(errors.splitlines()[0])
    assert report["query"] == "Broken"
    assert report["error"]["position"] == 7


def test_it_reports_a_bad_query_in_the_users_language(files: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    from django.utils import translation

    with translation.override("fr"):
        call_command(
            "monitor",
            "match",
            "--queries",
            str(files / "queries.yaml"),
            "--input",
            str(files / "in" / "a.txt"),
            stdout=out,
            stderr=err,
        )
    assert "La requête «\u00a0Broken\u00a0» n’est pas utilisée" in err.getvalue()
    assert "caractère 8" in err.getvalue()
    assert "Marie Dupont" in out.getvalue()


def test_it_fails_only_when_no_query_can_run(tmp_path: Path) -> None:
    (tmp_path / "q.yaml").write_text("A: 'x AND'\nB: '(y'\n", "utf-8")
    (tmp_path / "a.txt").write_text("x y", "utf-8")
    with pytest.raises(CommandError, match="No query could be read"):
        run("--queries", str(tmp_path / "q.yaml"), "--input", str(tmp_path / "a.txt"))


def test_it_refuses_a_query_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "q.yaml").write_text("- just\n- a list\n", "utf-8")
    with pytest.raises(CommandError, match="must map each query"):
        run("--queries", str(tmp_path / "q.yaml"), "--input", str(tmp_path))


def test_it_reads_yaml_safely(tmp_path: Path) -> None:
    (tmp_path / "q.yaml").write_text("A: !!python/object/apply:os.system ['true']\n", "utf-8")
    with pytest.raises(CommandError, match="not valid YAML"):
        run("--queries", str(tmp_path / "q.yaml"), "--input", str(tmp_path))


def test_it_runs_from_the_command_line_without_a_database(files: Path, tmp_path: Path) -> None:
    env = {"PRESSDESK_VAR": str(tmp_path / "nowhere"), "PATH": "/usr/bin:/bin", "LANG": "C"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pressdesk.cli",
            "monitor",
            "match",
            "--queries",
            str(files / "queries.yaml"),
            "--input",
            str(files / "in" / "a.txt"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Marie Dupont" in done.stdout
    assert not (tmp_path / "nowhere" / "pressdesk.sqlite3").exists()
