"""The worker's cheap settings copy behaves as Scrapy's deep copy does."""

from __future__ import annotations

from scrapy.settings import Settings

from fundwatch.scheduler.worker_settings import WorkerSettings


def project_settings() -> WorkerSettings:
    settings = WorkerSettings()
    settings.setmodule("fundwatch.crawler.settings", priority="project")
    return settings


def test_the_copy_has_the_same_values_and_priorities() -> None:
    original = project_settings()
    copied = original.copy()
    assert isinstance(copied, WorkerSettings)
    reference = Settings.copy(original)  # Scrapy's deepcopy
    for name in reference.attributes:
        assert copied.getpriority(name) == reference.getpriority(name), name
        assert copied[name] == reference[name], name
    assert copied.getwithbase("DOWNLOADER_MIDDLEWARES") == reference.getwithbase(
        "DOWNLOADER_MIDDLEWARES"
    )


def test_changing_the_copy_leaves_the_original_alone() -> None:
    original = project_settings()
    original.freeze()
    copied = original.copy()
    assert not copied.frozen
    copied.set("CLOSESPIDER_TIMEOUT", 5, priority="spider")
    copied["RETRY_HTTP_CODES"].append(599)
    copied.getdict("DOWNLOAD_HANDLERS")  # a component map, itself settings
    copied.set("DOWNLOAD_HANDLERS", {"ftp": None}, priority="cmdline")
    copied["DOWNLOADER_MIDDLEWARES_BASE"]["x.Y"] = 1
    assert original.getfloat("CLOSESPIDER_TIMEOUT") == 0
    assert 599 not in original["RETRY_HTTP_CODES"]
    assert "ftp" not in original.getdict("DOWNLOAD_HANDLERS")
    assert "x.Y" not in original["DOWNLOADER_MIDDLEWARES_BASE"]
    assert original.frozen
