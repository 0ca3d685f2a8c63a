"""CPU seconds per test, for comparing the suite's cost on a busy machine (wall times there mean little).

    .venv/bin/python -m pytest -p bench.cpu_durations --cpu-durations=20 [-n 2]

Each test's user+sys time of the test process and of the child processes it waited for (CLI
subprocesses), setup and teardown included, then the slowest tests and the total. With ``-n`` every
worker measures its own tests and the controller prints the merged table."""

from __future__ import annotations

import resource
from collections.abc import Iterator
from typing import Any

import pytest

_KEY = "cpu_seconds"


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--cpu-durations", type=int, default=20, help="show the N tests that used the most CPU")


class _Collector:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.seconds: dict[str, float] = {}
        self.started = 0.0

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: Any) -> Iterator[None]:
        outcome = yield
        report = outcome.get_result()
        if report.when == "teardown":  # the teardown report travels to the xdist controller
            report.user_properties.append((_KEY, _cpu() - self.started))

    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
        self.started = _cpu()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "teardown":
            for key, value in report.user_properties:
                if key == _KEY:
                    self.seconds[report.nodeid] = value

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        count = self.config.getoption("cpu_durations")
        ranked = sorted(self.seconds.items(), key=lambda pair: -pair[1])
        terminalreporter.write_sep("=", f"CPU seconds per test (top {count})")
        for nodeid, seconds in ranked[:count]:
            terminalreporter.write_line(f"{seconds:8.2f}  {nodeid[:160]}")
        terminalreporter.write_line(f"{sum(self.seconds.values()):8.2f}  total over {len(self.seconds)} tests")


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_Collector(config), "cpu-durations-collector")
