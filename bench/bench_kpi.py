"""Speed of ``amtui kpi`` and ``amtui summary month`` on the large demo, beside ``amtui digest`` in the same run.

Run from the repository root:

    .venv/bin/python bench/bench_kpi.py            # builds the large demo in a temp dir
    .venv/bin/python bench/bench_kpi.py --db PATH  # reuse a database built with `amtui demo --size large`

Target (issue 12): each whole process within the digest's whole-process figure + 100 ms. Also timed
in-process, warm: compute_kpis() for the month, build_summary() for the month, and compute_alerts() with
and without the portfolio kinds (credit, stalled, abc) the issue added to the alert engine.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import AMTUI, NOW, ROOT, build_large_demo, median_ms, time_process


def _in_process(db: Path, runs: int) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from zoneinfo import ZoneInfo

    from amtui.db import open_engine, read_scope
    from amtui.services.alerts import AlertKind, compute_alerts
    from amtui.services.portfolio import compute_kpis, month_period
    from amtui.services.summary import build_summary

    zone = ZoneInfo("Europe/Moscow")
    period = month_period(NOW.astimezone(zone).date())
    older = [kind for kind in AlertKind if kind not in (AlertKind.CREDIT, AlertKind.STALLED, AlertKind.ABC)]
    engine = open_engine(f"sqlite:///{db}")
    with read_scope(engine) as connection:
        figures = {
            "compute_kpis (month)": median_ms(
                lambda: compute_kpis(session=connection, period=period, now=NOW, zone=zone), runs
            ),
            "build_summary (month)": median_ms(
                lambda: build_summary(session=connection, kind="month", period=period, now=NOW, zone=zone), runs
            ),
            "compute_alerts, all kinds": median_ms(
                lambda: compute_alerts(session=connection, now=NOW, zone=zone), runs
            ),
            "compute_alerts, without credit/stalled/abc": median_ms(
                lambda: compute_alerts(session=connection, now=NOW, zone=zone, kinds=older), runs
            ),
            "credit/stalled/abc alerts alone": median_ms(
                lambda: compute_alerts(
                    session=connection, now=NOW, zone=zone, kinds=[AlertKind.CREDIT, AlertKind.STALLED, AlertKind.ABC]
                ),
                runs,
            ),
        }
    engine.dispose()
    return figures


async def _portfolio_first_views(db: Path, runs: int) -> list[tuple[float, float]]:
    """ms from switching to the Portfolio screen until its first figures (plan against actual and the chart)
    are on it, and until the whole screen (ABC, credit, stalled deals) is, each after the frame that shows
    them; each time in a new app (only the first view of the screen reads the numbers)."""
    import asyncio
    import contextlib
    import time
    from zoneinfo import ZoneInfo

    from textual.worker import WorkerCancelled

    sys.path.insert(0, str(ROOT))
    from amtui.app import AmtuiApp
    from amtui.screens.portfolio import PortfolioScreen

    samples = []
    for _ in range(runs):
        app = AmtuiApp(db_url=f"sqlite:///{db}", now=NOW, zone=ZoneInfo("Europe/Moscow"))
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(3):
                await pilot.pause()
                for worker in list(app.workers):  # a reload replaced by a newer one ends cancelled
                    with contextlib.suppress(WorkerCancelled):
                        await worker.wait()
            started = time.perf_counter()
            app.switch_mode("portfolio")
            while not (isinstance(app.screen, PortfolioScreen) and app.screen.money is not None):
                await asyncio.sleep(0.002)
            # The frame with the plan and the chart: pending messages handled, then a render (pause(0) does not
            # wait for the CPU to go idle, which it does not while the second read runs in its thread).
            await pilot.pause(0)
            first = (time.perf_counter() - started) * 1000
            while app.screen.view is None:
                await asyncio.sleep(0.002)
            await pilot.pause()  # the frame with everything
            samples.append((first, (time.perf_counter() - started) * 1000))
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="an existing large demo database (built at 2026-11-25 06:00 UTC)")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "large.db"
        if args.db is None:
            print("building the large demo...", flush=True)
            build_large_demo(db)
        env = {**os.environ, "AMTUI_NOW": NOW.isoformat(), "AMTUI_TZ": "Europe/Moscow", "NO_COLOR": "1"}
        env["AMTUI_CONFIG"] = str(Path(tmp) / "none.toml")
        # Bytecode caching on, as an installed package has it (this machine sets PYTHONDONTWRITEBYTECODE, which
        # made every run recompile amtui's own sources: ~0.3 s more for the digest, more for the summary's
        # larger set of modules); the warm-up runs below fill the cache.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        base = [AMTUI, "--db", str(db)]
        commands = {
            "amtui digest": [*base, "digest"],
            "amtui kpi": [*base, "kpi"],
            "amtui kpi --json": [*base, "kpi", "--json"],
            "amtui summary month": [*base, "summary", "month"],
        }
        for argv in commands.values():  # warm the page cache and the bytecode
            subprocess.run(argv, stdout=subprocess.DEVNULL, env=env, check=True)
        # Interleaved rounds, so that a load spike hits every command alike; wall and CPU time (user + sys of
        # the child: on a shared machine the wall figure grows with the load, the CPU figure much less).
        samples: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, argv in commands.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                samples[name].append(time_process(argv, 1, env))
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[name].append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
        whole = {name: statistics.median(values) for name, values in samples.items()}
        cpu_ms = {name: statistics.median(values) for name, values in cpu.items()}
        digest, digest_cpu = whole["amtui digest"], cpu_ms["amtui digest"]
        print(f"\nwhole process, piped, medians of {args.runs} interleaved rounds (target: the digest + 100 ms):")
        for name, ms in whole.items():
            verdict = (
                ""
                if name == "amtui digest"
                else f"  digest {ms - digest:+.0f} ms ({ms / digest:.2f}x): "
                + ("met" if ms <= digest + 100 else "MISSED")
                + f"; CPU {cpu_ms[name] - digest_cpu:+.0f} ms ({cpu_ms[name] / digest_cpu:.2f}x)"
            )
            print(f"  {name:<24} {ms:7.0f} ms  CPU {cpu_ms[name]:5.0f} ms{verdict}")
        import asyncio

        views = asyncio.run(_portfolio_first_views(db, max(args.runs // 2, 3)))
        first_view = statistics.median(first for first, _ in views)
        print(
            f"\nPortfolio screen after the switch (in-process, 120x40, median of {len(views)} new apps): first view"
            f" (plan and chart) {first_view:.0f} ms  target < 300 ms: "
            + ("met" if first_view < 300 else "MISSED")
            + f"; whole screen {statistics.median(whole for _, whole in views):.0f} ms"
        )
        print("\nin-process, warm, through a Connection:")
        for name, ms in _in_process(db, args.runs).items():
            print(f"  {name:<45} {ms:7.1f} ms")


if __name__ == "__main__":
    main()
