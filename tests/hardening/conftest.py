"""Hypothesis profiles for the hardening tests.

``ci`` (selected when ``CI=true``): 200 examples per resolver, the whole
property module in about a minute on two cores. ``dev`` (the default): 100.
``long`` (``HYPOTHESIS_PROFILE=long``): 5,000 per resolver, for a run on demand.
Each example also runs under a SIGALRM guard (``fuzzkit.guard``), so a hang
fails the example instead of the run.
"""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, settings

_COMMON = {
    "suppress_health_check": (HealthCheck.too_slow, HealthCheck.data_too_large),
    "deadline": timedelta(seconds=5),
    "derandomize": False,
    "print_blob": True,
}
settings.register_profile("dev", max_examples=100, **_COMMON)
settings.register_profile("ci", max_examples=200, **_COMMON)
settings.register_profile("long", max_examples=5000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev"))
