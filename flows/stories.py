"""Prefect flow: place the articles that have no story yet (after a bulk load, or on a schedule).

Ingest and fetch runs already do this at their end; this flow is for everything else, and
what `marsad stories --update` runs. The state is in the index, so a run that stops is
resumed by the next one.
"""

from __future__ import annotations

from prefect import flow, get_run_logger

from marsad.flows.tasks import place_stories


@flow(name="place-stories", log_prints=True)
def place_stories_flow(batch_size: int = 500) -> str:
    """Place every unplaced article in its story; the one-line summary."""
    line = place_stories(batch_size)
    get_run_logger().info(line)
    return line
