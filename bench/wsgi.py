"""The real application for the benchmark, with the anonymous page cache on or off."""

import os

from careerportal.wsgi import application  # noqa: F401 - configures Django first

if os.environ.get("BENCH_PAGE_CACHE", "1") == "0":
    from careerportal import cache

    cache.ENABLED = False
