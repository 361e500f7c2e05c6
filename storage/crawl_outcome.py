"""What one crawl run came to, as the crawl reports it and as the scheduler reads it back.

One type on both sides of the process boundary: the crawl builds it from its Scrapy stats
(crawler.runs), records it in its crawl_runs row and prints `line()`; the scheduler (process
runner or worker dispatcher) reads the row back with `of_run` and logs `figures()`. It lives in
storage because both rooms may import storage and neither may import the other's modules
freely (the daemon never loads Scrapy).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fundwatch.storage.models import CrawlRun

FINISHED_STATUSES = ("ok", "partial", "error", "timeout", "killed", "unhealthy")
# a run that ran but left pages failed or articles unstored (they stay in the frontier): the
# source is healthy (no backoff), the reason is kept
RAN_STATUSES = ("ok", "partial")


@dataclass(frozen=True)
class CrawlOutcome:
    source: str
    run_id: int | None
    status: str
    pages: int = 0
    new: int = 0
    duplicates: int = 0
    flagged: int = 0
    errors: int = 0
    message: str | None = None
    failed_pages: int = 0
    not_stored: int = 0
    reasons: tuple[str, ...] = ()
    # the crawl's entry URL is gone (HTTP 410): the source is disabled with the run
    disable: bool = False
    # seen by the scheduler only: how long it waited for the run, and the child's exit status
    duration_s: float | None = None
    exit_code: int | None = None

    @classmethod
    def of_run(
        cls, run: CrawlRun, *, duration_s: float | None = None, exit_code: int | None = None
    ) -> CrawlOutcome:
        """The outcome as the crawl_runs row records it."""
        return cls(
            source=run.source,
            run_id=run.id,
            status=run.status,
            pages=run.pages,
            new=run.new,
            duplicates=run.duplicates,
            flagged=run.flagged,
            errors=run.errors,
            message=run.message,
            failed_pages=run.failed_pages,
            not_stored=run.not_stored,
            reasons=tuple(run.reasons or ()),
            duration_s=duration_s,
            exit_code=exit_code,
        )

    @property
    def ok(self) -> bool:
        """The crawl ran (`partial`: some pages failed; the frontier retries them)."""
        return self.status in RAN_STATUSES

    def line(self) -> str:
        """The one line a crawl prints on stdout when it ends."""
        text = (
            f"{self.source}: {self.status} (run {self.run_id}) pages={self.pages} new={self.new} "
            f"duplicates={self.duplicates} flagged={self.flagged} errors={self.errors}"
        )
        if self.failed_pages or self.not_stored:
            text += f" failed_pages={self.failed_pages} not_stored={self.not_stored}"
        return text + (f" — {self.message}" if self.message else "")

    def figures(self) -> dict[str, object]:
        """The fields of the daemon's structured `crawl` log line."""
        figures: dict[str, object] = {
            "source": self.source,
            "run_id": self.run_id,
            "status": self.status,
            "pages": self.pages,
            "new": self.new,
            "duplicates": self.duplicates,
            "flagged": self.flagged,
            "errors": self.errors,
        }
        if self.failed_pages or self.not_stored:
            figures.update(failed_pages=self.failed_pages, not_stored=self.not_stored)
        figures.update(
            duration_s=None if self.duration_s is None else round(self.duration_s, 3),
            exit_code=self.exit_code,
            detail=self.message,
        )
        return figures
