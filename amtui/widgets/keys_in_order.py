"""Text widgets whose keys act in the order they were typed.

Textual inserts a printable key into the focused Input or TextArea at once, but a key bound to one of
the widget's actions (backspace, delete, the arrows, enter...) first climbs through every parent's
message queue to the app, which then runs the widget's action. Keys that arrive together (one read
from the terminal: a paste without bracketing, tmux, a slow SSH link, a quick typist) overtake it:
``q``, backspace, ``w`` gave "q" instead of "w", and enter submitted what was typed after it. Here a
key the widget itself binds runs its action when the widget receives it, as the app would have run
it a moment later (the focused widget's own bindings come first for a key no priority binding
took). Relies on ``DOMNode._bindings`` (textual is pinned), checked by tests/test_keys_in_order.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Input, TextArea

if TYPE_CHECKING:
    from textual.dom import DOMNode

    _Base = DOMNode
else:
    _Base = object


class KeysInOrder(_Base):
    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            for binding in self._bindings.key_to_bindings.get(event.key, ()):
                # Priority bindings were tried before the key came here; the app runs the rest in this order.
                if not binding.priority and await self.app.run_action(binding.action, self):
                    event.stop()
                    event.prevent_default()
                    return
        await super()._on_key(event)  # type: ignore[misc]


class OrderedInput(KeysInOrder, Input):
    """An Input whose keys act in the order they were typed."""


class OrderedTextArea(KeysInOrder, TextArea):
    """A TextArea whose keys act in the order they were typed."""
