"""Wake-up tasks of releases. Each carries one row id; the row holds the work's state, so a lost
or repeated wake-up changes nothing (docs/decisions/0002-durable-work.md)."""

from __future__ import annotations

from django_tasks import task

from pressdesk.releases import effects


@task()
def run_effect(effect_id: int) -> None:
    """Run a release's side effect at its instant (or go back to sleep until then)."""
    effects.run(effect_id)
