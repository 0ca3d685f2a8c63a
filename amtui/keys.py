"""Keys every screen shares, and the user's keymap.

Every ``Binding`` in amtui has an id (``screen.action``) and a description; the config
file's ``[keymap]`` table maps binding ids to other keys (``app.go-alerts = "f9,5"``),
applied through Textual's own ``App.set_keymap``. Here, not in ``app.py``, so that the
help screen can list the app-wide keys without importing the app.
"""

from __future__ import annotations

from textual.binding import Binding

from amtui.i18n import N_

APP_BINDINGS: tuple[Binding, ...] = (
    Binding("f1", "switch_mode('today')", N_("Today"), show=False, id="app.go-today"),
    Binding("f2", "switch_mode('clients')", N_("Clients"), show=False, id="app.go-clients"),
    Binding("f3", "switch_mode('planner')", N_("Planner"), show=False, id="app.go-planner"),
    Binding("f4", "switch_mode('tasks')", N_("Tasks"), show=False, id="app.go-tasks"),
    Binding("f5", "switch_mode('alerts')", N_("Alerts"), show=False, id="app.go-alerts"),
    Binding("f6", "switch_mode('portfolio')", N_("Portfolio"), show=False, id="app.go-portfolio"),
    Binding("1", "switch_mode('today')", N_("Today"), show=False, id="app.go-today"),
    Binding("2", "switch_mode('clients')", N_("Clients"), show=False, id="app.go-clients"),
    Binding("3", "switch_mode('planner')", N_("Planner"), show=False, id="app.go-planner"),
    Binding("4", "switch_mode('tasks')", N_("Tasks"), show=False, id="app.go-tasks"),
    Binding("5", "switch_mode('alerts')", N_("Alerts"), show=False, id="app.go-alerts"),
    Binding("6", "switch_mode('portfolio')", N_("Portfolio"), show=False, id="app.go-portfolio"),
    Binding("question_mark", "help", N_("Help"), key_display="?", id="app.help"),
    Binding("ctrl+z", "undo", N_("Undo"), show=False, id="app.undo"),
    Binding("ctrl+q", "quit", N_("Quit"), show=False, priority=True, id="app.quit"),
)
