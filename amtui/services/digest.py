"""The morning digest: alerts grouped by kind, ordered by urgency, with totals; rendered as
plain text, Markdown, HTML or JSON (``render_rich`` draws it on a terminal).

Plain text and JSON are what cron and scripts read, so they never contain ANSI
codes and the JSON shape is versioned (see docs/digest.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from amtui.i18n import N_, _, current_language, ngettext
from amtui.services.alerts import KIND_ORDER, Alert, AlertKind, Severity, Summary, client_order
from amtui.services.locale_format import money as format_money
from amtui.services.locale_format import short_date
from amtui.services.sanitize import json_safe, safe_display
from amtui.vocabulary import ALERT_KINDS, label

if TYPE_CHECKING:
    from rich.console import Console

JSON_SCHEMA = "amtui.digest/1"
# The kinds whose groups add up their money per currency.
MONEY_KINDS = frozenset({AlertKind.RECEIVABLE})
DEFAULT_LIMIT = 25

# Title of each group and the noun of its count line ("3 overdue invoices, 412 500 RUB"), from the vocabulary
# (marked there for translation; shown translated by group_title and Group.summary).
GROUP_TITLES: dict[AlertKind, tuple[str, str, str]] = {
    kind: (info.title, info.one, info.many) for kind, info in ALERT_KINDS.items()
}
_WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))


def group_title(kind: str) -> str:
    """The title of a group of alerts in the interface language ("Overdue invoices")."""
    return _(GROUP_TITLES[AlertKind(kind)][0])


def severity_word(severity: str) -> str:
    return label(Severity, severity)


def _count_words(kind: str, count: int) -> str:
    _title, singular, plural = GROUP_TITLES[AlertKind(kind)]
    words = ngettext(singular, plural, count)
    return words.format(n=count) if "{n}" in words else f"{count} {words}"


MARKERS = {Severity.CRITICAL: "!!", Severity.HIGH: "! ", Severity.NORMAL: "- ", Severity.INFO: "  "}
_RICH_STYLES = {Severity.CRITICAL: "bold red", Severity.HIGH: "red", Severity.NORMAL: "default", Severity.INFO: "dim"}
_HTML_COLOURS = {
    Severity.CRITICAL: "#b00020",
    Severity.HIGH: "#c75000",
    Severity.NORMAL: "#222222",
    Severity.INFO: "#777777",
}


@dataclass(frozen=True, slots=True)
class ClientTotal:
    client_id: int | None
    client_name: str | None
    currency: str
    amount_minor: int
    count: int


@dataclass(frozen=True, slots=True)
class Group:
    kind: str
    title: str
    severity: str  # the worst in the group
    alerts: tuple[Alert, ...]
    totals: tuple[tuple[str, int], ...]  # (currency, minor units), money kinds only
    clients: tuple[ClientTotal, ...]  # receivables per client, largest first
    by_severity: tuple[tuple[str, int], ...] = ()  # how many of each severity (worst first; none: zero)
    # How many alerts the group has when ``alerts`` holds only the first ones (a Summary); None: all are there.
    total: int | None = None
    # Likewise, how many clients when ``clients`` holds only the first ones.
    client_total: int | None = None

    @property
    def count(self) -> int:
        return len(self.alerts) if self.total is None else self.total

    def summary(self) -> str:
        """``3 overdue invoices, 412 500 RUB``."""
        return count_summary(self.kind, self.count, self.totals)


def count_summary(kind: str, count: int, totals: Sequence[tuple[str, int]]) -> str:
    """A group's count line, ``3 overdue invoices, 412 500 RUB`` (money only for MONEY_KINDS)."""
    words = _count_words(kind, count)
    money = ", ".join(format_money(minor, currency) for currency, minor in totals) if kind in MONEY_KINDS else ""
    return f"{words}, {money}" if money else words


def backlog_order(kind: str, severity: str) -> tuple[int, int]:
    """Where a group goes: the worst alerts first, then the kinds' order."""
    return (Severity(severity).rank, KIND_ORDER[AlertKind(kind)])


@dataclass(frozen=True, slots=True)
class Digest:
    day: date
    generated_at: datetime
    timezone: str
    groups: tuple[Group, ...]

    @property
    def alerts(self) -> list[Alert]:
        return [alert for group in self.groups for alert in group.alerts]

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def counts(self) -> dict[str, int]:
        """How many alerts in all and of each severity (added up from the groups' counts)."""
        counts = {"total": 0} | {severity.value: 0 for severity in Severity}
        for group in self.groups:
            counts["total"] += group.count
            for severity, count in group.by_severity:
                counts[severity] += count
        return counts

    def headline(self) -> str:
        counts = self.counts()
        if not counts["total"]:
            return _("Nothing is due. All clear.")
        parts = [
            _("{n} {severity}").format(n=counts[s.value], severity=severity_word(s.value))
            for s in Severity
            if counts[s.value]
        ]
        return ngettext("{n} alert: {parts}", "{n} alerts: {parts}", counts["total"]).format(
            n=counts["total"], parts=", ".join(parts)
        )

    def subject(self) -> str:
        counts = self.counts()
        urgent = _(" ({n} critical)").format(n=counts["critical"]) if counts["critical"] else ""
        return ngettext(
            "amtui digest {date}: {n} alert{urgent}", "amtui digest {date}: {n} alerts{urgent}", counts["total"]
        ).format(date=short_date(self.day), n=counts["total"], urgent=urgent)


def _money_totals(alerts: Iterable[Alert]) -> tuple[tuple[str, int], ...]:
    totals: dict[str, int] = {}
    for alert in alerts:
        if alert.amount_minor is not None and alert.currency:
            totals[alert.currency] = totals.get(alert.currency, 0) + alert.amount_minor
    return tuple(sorted(totals.items()))


def _client_totals(alerts: Iterable[Alert]) -> tuple[ClientTotal, ...]:
    sums: dict[tuple[int | None, str | None, str], list[int]] = {}
    for alert in alerts:
        if alert.amount_minor is None or not alert.currency:
            continue
        entry = sums.setdefault((alert.client_id, alert.client_name, alert.currency), [0, 0])
        entry[0] += alert.amount_minor
        entry[1] += 1
    rows = [(cid, name, currency, total, count) for (cid, name, currency), (total, count) in sums.items()]
    rows.sort(key=client_order)
    return tuple(ClientTotal(*row) for row in rows)


def build_digest(
    alerts: Sequence[Alert],
    *,
    day: date,
    generated_at: datetime,
    zone: tzinfo,
    per_client: bool = True,
    summaries: Mapping[str, Summary] | None = None,
) -> Digest:
    """Group ``alerts`` (already sorted by urgency) by kind; groups with the worst alerts come first.
    ``per_client=False`` leaves the money groups' ``clients`` empty (Today shows only the totals).
    ``summaries`` (:func:`amtui.services.alerts.alerts_and_summaries`): groups of kinds not built in full,
    holding only their first alerts and the rest as counts (what text, Markdown and HTML show)."""
    by_kind: dict[str, list[Alert]] = {}
    severities: dict[str, dict[str, int]] = {}
    for alert in alerts:
        found = by_kind.get(alert.kind)
        if found is None:
            found = by_kind[alert.kind] = []
            severities[alert.kind] = dict.fromkeys(_SEVERITIES, 0)
        found.append(alert)
        severities[alert.kind][alert.severity] += 1
    groups = []
    for kind, items in by_kind.items():
        counted = tuple((severity, count) for severity, count in severities[kind].items() if count)
        money = kind in MONEY_KINDS
        groups.append(
            Group(
                kind=str(kind),
                title=group_title(kind),
                severity=str(counted[0][0]),  # the worst present
                alerts=tuple(items),
                totals=_money_totals(items) if money else (),
                clients=_client_totals(items) if money and per_client else (),
                by_severity=counted,
            )
        )
    for kind, summary in (summaries or {}).items():
        money = kind in MONEY_KINDS
        groups.append(
            Group(
                kind=str(kind),
                title=group_title(kind),
                severity=str(summary.severity),
                alerts=summary.first,
                totals=summary.totals if money else (),
                clients=tuple(ClientTotal(*row) for row in summary.clients) if money and per_client else (),
                by_severity=summary.by_severity,
                total=summary.count,
                client_total=summary.client_count if money and per_client else None,
            )
        )
    groups.sort(key=lambda group: backlog_order(group.kind, group.severity))
    return Digest(day=day, generated_at=generated_at, timezone=_zone_name(zone), groups=tuple(groups))


_SEVERITIES = tuple(sorted((severity.value for severity in Severity), key=lambda value: Severity(value).rank))


def _zone_name(zone: tzinfo) -> str:
    return str(getattr(zone, "key", None) or zone)


# --- JSON ------------------------------------------------------------------------------------------------------


def alert_to_dict(alert: Alert) -> dict[str, Any]:
    """The documented JSON shape of one alert (docs/digest.md)."""
    return {
        "id": alert.id,
        "kind": str(alert.kind),
        "severity": str(alert.severity),
        "date": alert.date.isoformat(),
        "days": alert.days,
        "text": alert.text,
        "client_id": alert.client_id,
        "client_name": alert.client_name,
        "contact_id": alert.contact_id,
        "contact_name": alert.contact_name,
        "interaction_id": alert.interaction_id,
        "task_id": alert.task_id,
        "contract_id": alert.contract_id,
        "invoice_id": alert.invoice_id,
        "deal_id": alert.deal_id,
        "amount_minor": alert.amount_minor,
        "currency": alert.currency,
        "bucket": alert.bucket,
        "at": alert.at.isoformat() if alert.at else None,
        "fingerprint": alert.fingerprint,
        "mark": alert.mark,
        "snoozed_until": alert.snoozed_until.isoformat() if alert.snoozed_until else None,
    }


def digest_to_dict(digest: Digest) -> dict[str, Any]:
    return {
        "schema": JSON_SCHEMA,
        "date": digest.day.isoformat(),
        "generated_at": digest.generated_at.isoformat(),
        "timezone": digest.timezone,
        "counts": digest.counts(),
        "groups": [
            {
                "kind": group.kind,
                "title": group.title,
                "severity": group.severity,
                "count": group.count,
                "summary": group.summary(),
                "totals": [{"currency": currency, "amount_minor": minor} for currency, minor in group.totals],
                "clients": [
                    {
                        "client_id": row.client_id,
                        "client_name": row.client_name,
                        "currency": row.currency,
                        "amount_minor": row.amount_minor,
                        "count": row.count,
                    }
                    for row in group.clients
                ],
                "alerts": [alert_to_dict(alert) for alert in group.alerts],
            }
            for group in digest.groups
        ],
    }


def render_json(digest: Digest) -> str:
    import json  # the text digest (cron's) never needs it

    return json_safe(json.dumps(digest_to_dict(digest), ensure_ascii=False, indent=2)) + "\n"


# --- text and Markdown -------------------------------------------------------------------------------------------


def weekday_name(day: date) -> str:
    """``Wednesday``, ``среда``, ``mercoledì``."""
    return _(_WEEKDAYS[day.weekday()])


def _title_line(digest: Digest) -> str:
    return _("amtui digest for {weekday} {date} ({zone})").format(
        weekday=_(_WEEKDAYS[digest.day.weekday()]), date=short_date(digest.day), zone=digest.timezone
    )


def _shown(group: Group, limit: int) -> tuple[tuple[Alert, ...], int]:
    if limit <= 0 or group.count <= limit:
        return group.alerts, 0
    return group.alerts[:limit], group.count - limit


def _shown_clients(group: Group, limit: int) -> tuple[tuple[ClientTotal, ...], int]:
    """The per-client lines a group shows (the largest first) and how many are left out: like the alerts,
    at most ``limit`` (0: all); the JSON keeps them all."""
    count = len(group.clients) if group.client_total is None else group.client_total
    if limit <= 0 or count <= limit:
        return group.clients, 0
    return group.clients[:limit], count - limit


def _more_clients(hidden: int) -> str:
    return ngettext("... and {n} more client", "... and {n} more clients", hidden).format(n=hidden)


def _more(group: Group, hidden: int) -> str:
    return ngettext(
        "... and {n} more: amtui alerts --kind {kind}", "... and {n} more: amtui alerts --kind {kind}", hidden
    ).format(n=hidden, kind=group.kind)


def _client_line(row: ClientTotal) -> str:
    return ngettext("{client}: {amount} in {n} invoice", "{client}: {amount} in {n} invoices", row.count).format(
        client=row.client_name, amount=format_money(row.amount_minor, row.currency), n=row.count
    )


def _in_count(row: ClientTotal) -> str:
    """``412 500 RUB in 3`` (Markdown and HTML put the client's name in bold before it)."""
    return _("{amount} in {n}").format(amount=format_money(row.amount_minor, row.currency), n=row.count)


def render_text(digest: Digest, *, limit: int = DEFAULT_LIMIT) -> str:
    """Plain text for pipes, cron mail and the mail's text part: no ANSI codes, ever."""
    title = _title_line(digest)
    lines = [title, "=" * len(title), digest.headline()]
    for group in digest.groups:
        lines += ["", f"{group.title}: {group.summary()}"]
        clients, more = _shown_clients(group, limit)
        lines += [f"   {_client_line(row)}" for row in clients]
        if more:
            lines.append(f"   {_more_clients(more)}")
        shown, hidden = _shown(group, limit)
        lines += [f"{MARKERS[Severity(alert.severity)]} {alert.text}  [{alert.id}]" for alert in shown]
        if hidden:
            lines.append(f"   {_more(group, hidden)}")
    # Names from the data may hold control characters (an older database): never raw in a mail or a pipe.
    return safe_display("\n".join(lines)) + "\n"


def _md_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in text)


def render_markdown(digest: Digest, *, limit: int = DEFAULT_LIMIT) -> str:
    lines = [f"# {_md_escape(_title_line(digest))}", "", f"**{digest.headline()}**"]
    for group in digest.groups:
        lines += ["", f"## {group.title}", "", f"_{_md_escape(group.summary())}_", ""]
        if group.clients:
            clients, more = _shown_clients(group, limit)
            lines += [f"- **{_md_escape(row.client_name or '')}**: {_in_count(row)}" for row in clients]
            if more:
                lines.append(f"- {_md_escape(_more_clients(more))}")
            lines.append("")
        shown, hidden = _shown(group, limit)
        for alert in shown:
            word = severity_word(alert.severity)
            badge = f"**{word}**" if alert.severity in (Severity.CRITICAL, Severity.HIGH) else word
            lines.append(f"- {badge}: {_md_escape(alert.text)} `{alert.id}`")
        if hidden:
            lines.append(f"- {_md_escape(_more(group, hidden))}")
    return safe_display("\n".join(lines)) + "\n"


# --- HTML --------------------------------------------------------------------------------------------------------


def render_html(digest: Digest, *, limit: int = DEFAULT_LIMIT) -> str:
    """A self-contained page with inline styles (mail clients drop <style> blocks)."""
    import html  # only the HTML digest needs it

    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{current_language()}"><head><meta charset="utf-8">',
        f"<title>{esc(_title_line(digest))}</title></head>",
        '<body style="font-family: sans-serif; font-size: 14px; color: #222;">',
        f'<h1 style="font-size: 18px;">{esc(_title_line(digest))}</h1>',
        f"<p><strong>{esc(digest.headline())}</strong></p>",
    ]
    for group in digest.groups:
        colour = _HTML_COLOURS[Severity(group.severity)]
        out.append(f'<h2 style="font-size: 16px; color: {colour};">{esc(group.title)}</h2>')
        out.append(f"<p><em>{esc(group.summary())}</em></p>")
        if group.clients:
            clients, more = _shown_clients(group, limit)
            out.append("<ul>")
            out += [f"<li><strong>{esc(row.client_name or '')}</strong>: {esc(_in_count(row))}</li>" for row in clients]
            if more:
                out.append(f"<li>{esc(_more_clients(more))}</li>")
            out.append("</ul>")
        shown, hidden = _shown(group, limit)
        out.append('<table style="border-collapse: collapse;">')
        for alert in shown:
            colour = _HTML_COLOURS[Severity(alert.severity)]
            out.append(
                f'<tr><td style="padding: 2px 8px; color: {colour};">{esc(severity_word(alert.severity))}</td>'
                f'<td style="padding: 2px 8px;">{esc(alert.text)}</td>'
                f'<td style="padding: 2px 8px; color: #777;"><code>{esc(alert.id)}</code></td></tr>'
            )
        out.append("</table>")
        if hidden:
            out.append(f"<p>{esc(_more(group, hidden))}</p>")
    out += ["</body></html>", ""]
    return safe_display("\n".join(out))


# --- terminal ------------------------------------------------------------------------------------------------------


def render_rich(digest: Digest, console: Console, *, limit: int = DEFAULT_LIMIT) -> None:
    """Colour for a terminal; rich is imported only here (cron never pays for it)."""
    from rich.text import Text

    def line(text: str, style: str = "") -> Text:
        """A rich Text of ``text`` as it is (rich Text parses no markup), control characters shown as U+FFFD."""
        return Text(safe_display(text, multiline=False), style=style)

    console.print(line(_title_line(digest), style="bold"))
    console.print(line(digest.headline(), style="bold red" if digest.counts()["critical"] else "bold"))
    for group in digest.groups:
        console.print()
        header = line(group.title, style=f"bold {_RICH_STYLES[Severity(group.severity)]}".replace(" default", ""))
        header.append(safe_display(f"  {group.summary()}", multiline=False), style="dim")
        console.print(header)
        clients, more = _shown_clients(group, limit)
        for row in clients:
            console.print(line(f"   {_client_line(row)}"))
        if more:
            console.print(line(f"   {_more_clients(more)}", style="dim"))
        shown, hidden = _shown(group, limit)
        for alert in shown:
            marked = line(f"{MARKERS[Severity(alert.severity)]} ", style=_RICH_STYLES[Severity(alert.severity)])
            marked.append(safe_display(alert.text, multiline=False), style=_RICH_STYLES[Severity(alert.severity)])
            marked.append(f"  [{alert.id}]", style="dim")
            console.print(marked)
        if hidden:
            console.print(line(f"   {_more(group, hidden)}", style="dim"))


RENDERERS = {"text": render_text, "markdown": render_markdown, "html": render_html}


def render(digest: Digest, fmt: str, *, limit: int = DEFAULT_LIMIT) -> str:
    if fmt == "json":
        return render_json(digest)
    return RENDERERS[fmt](digest, limit=limit)
