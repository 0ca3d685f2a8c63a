"""A deterministic demo dataset: a believable portfolio relative to "now".

``build_demo(engine, size="small")`` fills an empty database with about forty
client companies and a year of history around them, arranged so that every
alert and list of the application has something to show today: birthdays this
week, overdue invoices in every aging bucket, silent clients, unanswered
messages, visits without a meeting report, delegated tasks whose check-in has
passed, contracts running out. ``size="large"`` builds a benchmark portfolio of
2,000 clients and about 600,000 rows in a few seconds.

Everything is computed from ``now`` (UTC) and the user's zone, so the data
always looks current, and from ``random.Random(seed)``: the same seed and the
same ``now`` give the same rows, byte for byte.

Rows are generated as plain tuples (one keyword-only ``_*_row`` function per
table defines the column order) and inserted in one transaction. On SQLite
through the standard driver, times and dates are written as the exact strings
SQLAlchemy stores for them (``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC, and
``YYYY-MM-DD``), skipping per-value type processing, which would otherwise
triple the build time; other databases get typed values through SQLAlchemy
Core inserts.
"""

from __future__ import annotations

import random
import time as _time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from amtui.config import local_zone
from amtui.services.errors import AmtuiError
from amtui.services.text import fold, normalise_email, normalise_phone
from amtui.services.workweek import check_in_moment
from amtui.vocabulary import REPORTED_KINDS

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection, Engine

__all__ = ["LARGE_COUNTS", "DemoRefusedError", "DemoSummary", "build_demo"]

Size = Literal["small", "large"]
Row = tuple[Any, ...]
# A time is an int: minutes since UTC midnight of the local "today"; a day is an
# int: days since the local today. The clock turns them into stored values.
Stamp = Any  # str (SQLite fast path) or an aware datetime
Day = Any  # str (SQLite fast path) or a date

# Exact row counts of the large (benchmark) build for the main tables.
LARGE_COUNTS: dict[str, int] = {
    "client": 2_000,
    "contact": 10_000,
    "interaction": 200_000,
    "task": 20_000,
    "contract": 5_000,
    "invoice": 50_000,
    "complaint": 600,
}

_CADENCE = {"A": 14, "B": 30, "C": 90}
_INSERT_CHUNK = 5_000
# SQLite page cache during the bulk load (negative: KiB), restored afterwards.
_BULK_CACHE_KIB = -65_536
_SPAN_DAYS = 1_500  # generated dates stay within today +- this many days


class DemoRefusedError(AmtuiError):
    """The database already holds data and ``force`` was not given."""


@dataclass(frozen=True)
class DemoSummary:
    counts: dict[str, int]
    seconds: float

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())


# ---------------------------------------------------------------------------
# Row functions: one per table; the keyword order is the column order.
# ---------------------------------------------------------------------------


def _client_row(
    *,
    id: int,
    name: str,
    name_folded: str,
    legal_name: str | None,
    tax_id: str | None,
    segment: str | None,
    tier: str,
    status: str,
    cadence_days: int | None,
    city: str | None,
    address: str | None,
    website: str | None,
    phone: str | None,
    email: str | None,
    currency: str,
    credit_limit_minor: int | None,
    payment_terms_days: int | None,
    discount_bp: int | None,
    annual_potential_minor: int | None,
    needs: str | None,
    competitors: str | None,
    created_at: Stamp,
    updated_at: Stamp,
    language: str | None = None,
) -> Row:
    return (
        id, name, name_folded, legal_name, tax_id, segment, tier, status, cadence_days, city,
        address, website, phone, email, currency, credit_limit_minor, payment_terms_days,
        discount_bp, annual_potential_minor, needs, competitors, created_at, updated_at, language,
    )  # fmt: skip


def _contact_row(
    *,
    id: int,
    client_id: int,
    full_name: str,
    full_name_folded: str,
    given_name: str | None,
    middle_name: str | None,
    family_name: str | None,
    title: str | None,
    department: str | None,
    role: str | None,
    preferred_channel: str | None,
    birthday_md: str | None,
    birthday_year: int | None,
    personal_notes: str | None,
    created_at: Stamp,
    updated_at: Stamp,
) -> Row:
    return (
        id, client_id, full_name, full_name_folded, given_name, middle_name, family_name, title,
        department, role, preferred_channel, birthday_md, birthday_year, personal_notes,
        created_at, updated_at,
    )  # fmt: skip


def _contact_method_row(
    *,
    id: int,
    contact_id: int,
    kind: str,
    value: str,
    value_norm: str,
    label: str | None,
    position: int,
) -> Row:
    return (id, contact_id, kind, value, value_norm, label, position)


def _interaction_row(
    *,
    id: int,
    client_id: int,
    kind: str,
    direction: str,
    status: str,
    planned_at: Stamp,
    duration_min: int | None,
    done_at: Stamp,
    place: str | None,
    city: str | None,
    subject: str | None,
    outcome: str | None,
    needs_reply: bool,
    replied_at: Stamp,
    created_at: Stamp,
    updated_at: Stamp,
) -> Row:
    return (
        id, client_id, kind, direction, status, planned_at, duration_min, done_at, place, city,
        subject, outcome, needs_reply, replied_at, created_at, updated_at,
    )  # fmt: skip


def _interaction_contact_row(*, interaction_id: int, contact_id: int) -> Row:
    return (interaction_id, contact_id)


def _meeting_report_row(
    *,
    id: int,
    interaction_id: int,
    client_id: int,
    other_attendees: str | None,
    agenda: str | None,
    agreements: str | None,
    created_at: Stamp,
    updated_at: Stamp,
    sent_at: Stamp,
) -> Row:
    return (
        id, interaction_id, client_id, other_attendees, agenda, agreements, created_at,
        updated_at, sent_at,
    )  # fmt: skip


def _report_attendee_row(*, report_id: int, contact_id: int) -> Row:
    return (report_id, contact_id)


def _task_row(
    *,
    id: int,
    title: str,
    client_id: int | None,
    assignee: str | None,
    status: str,
    priority: str,
    due_on: Day,
    check_in_at: Stamp,
    checked_in_at: Stamp,
    notes: str | None,
    report_id: int | None,
    created_at: Stamp,
    updated_at: Stamp,
    completed_at: Stamp,
) -> Row:
    return (
        id, title, client_id, assignee, status, priority, due_on, check_in_at, checked_in_at,
        notes, report_id, created_at, updated_at, completed_at,
    )  # fmt: skip


def _next_step_row(
    *,
    id: int,
    report_id: int,
    position: int,
    text: str,
    owner: str | None,
    due_on: Day,
    task_id: int | None,
) -> Row:
    return (id, report_id, position, text, owner, due_on, task_id)


def _contract_row(
    *,
    id: int,
    client_id: int,
    number: str,
    title: str | None,
    start_on: Day,
    end_on: Day,
    auto_renew: bool,
    notice_days: int,
    value_minor: int | None,
    currency: str,
    status: str,
    created_at: Stamp,
    updated_at: Stamp,
) -> Row:
    return (
        id, client_id, number, title, start_on, end_on, auto_renew, notice_days, value_minor,
        currency, status, created_at, updated_at,
    )  # fmt: skip


def _invoice_row(
    *,
    id: int,
    client_id: int,
    contract_id: int | None,
    number: str,
    issued_on: Day,
    due_on: Day,
    amount_minor: int,
    paid_minor: int,
    currency: str,
    paid_on: Day,
    created_at: Stamp,
    updated_at: Stamp,
) -> Row:
    return (
        id, client_id, contract_id, number, issued_on, due_on, amount_minor, paid_minor,
        currency, paid_on, created_at, updated_at,
    )  # fmt: skip


def _deal_row(
    *,
    id: int,
    client_id: int,
    title: str,
    kind: str,
    stage: str,
    amount_minor: int | None,
    currency: str,
    probability: int | None,
    expected_close: Day,
    closed_on: Day,
    created_at: Stamp,
    updated_at: Stamp,
    stage_changed_at: Stamp,
) -> Row:
    return (
        id, client_id, title, kind, stage, amount_minor, currency, probability, expected_close,
        closed_on, created_at, updated_at, stage_changed_at,
    )  # fmt: skip


def _complaint_row(
    *,
    id: int,
    client_id: int,
    contact_id: int | None,
    invoice_id: int | None,
    kind: str,
    title: str,
    description: str | None,
    amount_minor: int | None,
    currency: str,
    opened_on: Day,
    due_on: Day,
    owner: str | None,
    check_in_at: Stamp,
    status: str,
    resolution: str | None,
    resolved_on: Day,
    touched_at: Stamp,
    created_at: Stamp,
    updated_at: Stamp,
) -> Row:
    return (
        id, client_id, contact_id, invoice_id, kind, title, description, amount_minor, currency, opened_on,
        due_on, owner, check_in_at, status, resolution, resolved_on, touched_at, created_at, updated_at,
    )  # fmt: skip


def _note_row(*, id: int, client_id: int, text: str, tag: str, created_at: Stamp) -> Row:
    return (id, client_id, text, tag, created_at)


def _sales_target_row(*, id: int, period: Day, amount_minor: int, currency: str) -> Row:
    return (id, period, amount_minor, currency)


# Insertion order: parents before children (foreign keys are enforced).
_ROW_FUNCTIONS: dict[str, Callable[..., Row]] = {
    "client": _client_row,
    "contact": _contact_row,
    "contact_method": _contact_method_row,
    "interaction": _interaction_row,
    "interaction_contact": _interaction_contact_row,
    "meeting_report": _meeting_report_row,
    "report_attendee": _report_attendee_row,
    "task": _task_row,
    "next_step": _next_step_row,
    "contract": _contract_row,
    "invoice": _invoice_row,
    "deal": _deal_row,
    "complaint": _complaint_row,
    "note": _note_row,
    "sales_target": _sales_target_row,
}


def _columns(function: Callable[..., Row]) -> tuple[str, ...]:
    code = function.__code__
    return code.co_varnames[code.co_argcount : code.co_argcount + code.co_kwonlyargcount]


COLUMNS: dict[str, tuple[str, ...]] = {name: _columns(fn) for name, fn in _ROW_FUNCTIONS.items()}


# ---------------------------------------------------------------------------
# The clock: integer minutes and days relative to the local today.
# ---------------------------------------------------------------------------


class _Memo(dict[Any, Any]):
    """A dict that computes a missing value once: ``memo[key]`` is a C-level lookup."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self._make(key)
        return value


class _Clock:
    """Times are ints (minutes since UTC midnight of the local today's date), days are
    ints (days since the local today); ``ts``/``day`` turn them into stored values.

    Both are memoised lookups (``dict.__getitem__``): hundreds of thousands of rows share
    a few tens of thousands of distinct times, and a lookup costs less than a call.
    """

    def __init__(self, now: datetime, zone: tzinfo, *, fast: bool) -> None:
        self.now = now.astimezone(UTC)
        self.zone = zone
        self.today = self.now.astimezone(zone).date()
        self.weekday = self.today.weekday()
        self.base = datetime.combine(self.today, time(0), tzinfo=UTC)
        # The minute now falls in: any m < now_m is strictly in the past.
        self.now_m = int((self.now - self.base).total_seconds() // 60)
        self._noon_offsets: dict[int, int] = {}
        self._midnight_offsets: dict[int, int] = {}
        self.fast = fast
        if fast:
            self._times = [f" {h:02d}:{m:02d}:00.000000" for h in range(24) for m in range(60)]
        self.ts: Callable[[int | None], Stamp] = _Memo(self._stamp).__getitem__
        self.day: Callable[[int | None], Day] = _Memo(self._date).__getitem__
        self.md: Callable[[int], str] = _Memo(self._md).__getitem__

    def at(self, m: int) -> datetime:
        """Minute ``m`` as an aware datetime (UTC)."""
        return self.base + timedelta(minutes=m)

    def minutes(self, moment: datetime) -> int:
        return int((moment - self.base).total_seconds() // 60)

    def _date(self, d: int | None) -> Day:
        if d is None:
            return None
        if not -_SPAN_DAYS <= d <= _SPAN_DAYS:
            raise ValueError(f"demo date out of range: {d} days from today")
        value = self.today + timedelta(days=d)
        # SQLAlchemy's SQLite DATE storage format.
        return value.isoformat() if self.fast else value

    def _stamp(self, m: int | None) -> Stamp:
        if m is None:
            return None
        if self.fast:
            # SQLAlchemy's SQLite DATETIME storage format, in UTC.
            return self.day(m // 1440) + self._times[m % 1440]
        self.day(m // 1440)  # the same range check
        return self.base + timedelta(minutes=m)

    def _offset(self, d: int, at: time, cache: dict[int, int]) -> int:
        offset = cache.get(d)
        if offset is None:
            local = datetime.combine(self.today + timedelta(days=d), at, tzinfo=self.zone)
            delta = local.utcoffset() or timedelta(0)
            offset = cache[d] = int(delta.total_seconds() // 60)
        return offset

    def offset(self, d: int) -> int:
        """The zone's UTC offset in minutes during working hours of day ``d``."""
        return self._offset(d, time(12), self._noon_offsets)

    def local(self, d: int, hour: int, minute: int = 0) -> int:
        """Local ``hour:minute`` on day ``d`` (working hours, never in a DST gap)."""
        return d * 1440 + hour * 60 + minute - self.offset(d)

    def day_start(self, d: int) -> int:
        """Local midnight starting day ``d``."""
        return d * 1440 - self._offset(d, time(0), self._midnight_offsets)

    def is_weekday(self, d: int) -> bool:
        return (self.weekday + d) % 7 < 5

    def workday_on_or_before(self, d: int) -> int:
        while not self.is_weekday(d):
            d -= 1
        return d

    def workday_on_or_after(self, d: int) -> int:
        while not self.is_weekday(d):
            d += 1
        return d

    def month_start(self, months: int) -> int:
        """Day offset of the first day of the month ``months`` from the current one."""
        index = self.today.year * 12 + self.today.month - 1 + months
        first = date(index // 12, index % 12 + 1, 1)
        return (first - self.today).days

    def _md(self, d: int) -> str:
        """The ``MM-DD`` key of day ``d`` (memoised as ``md``)."""
        return (self.today + timedelta(days=d)).strftime("%m-%d")


# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

_MALE_NAMES = (
    "Александр", "Алексей", "Андрей", "Антон", "Артём", "Борис", "Вадим", "Валерий", "Василий",
    "Виктор", "Владимир", "Дмитрий", "Евгений", "Иван", "Игорь", "Константин", "Максим",
    "Михаил", "Николай", "Олег", "Павел", "Роман", "Сергей", "Станислав", "Юрий", "Фёдор",
)  # fmt: skip
_FEMALE_NAMES = (
    "Анна", "Виктория", "Галина", "Дарья", "Екатерина", "Елена", "Ирина", "Людмила", "Марина",
    "Мария", "Наталья", "Надежда", "Оксана", "Ольга", "Светлана", "Татьяна", "Юлия", "Алёна",
)  # fmt: skip
# Patronymics (his, hers) from a father's name.
_PATRONYMICS = (
    ("Александрович", "Александровна"), ("Алексеевич", "Алексеевна"),
    ("Андреевич", "Андреевна"), ("Борисович", "Борисовна"), ("Васильевич", "Васильевна"),
    ("Викторович", "Викторовна"), ("Владимирович", "Владимировна"),
    ("Геннадьевич", "Геннадьевна"), ("Дмитриевич", "Дмитриевна"),
    ("Евгеньевич", "Евгеньевна"), ("Иванович", "Ивановна"), ("Игоревич", "Игоревна"),
    ("Михайлович", "Михайловна"), ("Николаевич", "Николаевна"), ("Олегович", "Олеговна"),
    ("Павлович", "Павловна"), ("Петрович", "Петровна"), ("Сергеевич", "Сергеевна"),
    ("Юрьевич", "Юрьевна"), ("Анатольевич", "Анатольевна"), ("Валерьевич", "Валерьевна"),
    ("Фёдорович", "Фёдоровна"),
)  # fmt: skip
_FAMILY_NAMES = (
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
    "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
    "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
    "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв",
    "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв",
    "Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев",
    "Антонов", "Тарасов", "Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев",
    "Герасимов", "Богданов", "Осипов", "Сидоров", "Матвеев", "Титов", "Марков", "Миронов",
    "Крылов", "Куликов", "Карпов", "Власов", "Мельников", "Денисов", "Гаврилов", "Тихонов",
    "Вишневский", "Ковальский", "Черных", "Ковальчук", "Шевченко", "Бондаренко", "Гарипов",
    "Хабибуллин", "Сафин", "Громов", "Щукин", "Ефимов",
)  # fmt: skip
_FOREIGN_PEOPLE = {
    "de": (
        ("Klaus", "Müller", "m"), ("Sabine", "Weiß", "f"), ("Jürgen", "Groß", "m"),
        ("Stefanie", "Schäfer", "f"), ("Matthias", "Böhm", "m"), ("Katrin", "Köhler", "f"),
    ),
    "en": (
        ("John", "Carter", "m"), ("Emily", "Clarke", "f"), ("Oliver", "Hughes", "m"),
        ("Sophie", "Turner", "f"), ("Daniel", "O'Brien", "m"),
    ),
    "it": (
        ("Giulia", "Bianchi", "f"), ("Marco", "Rossi", "m"), ("Francesca", "Esposito", "f"),
        ("Luca", "Ferrari", "m"), ("Chiara", "Colombo", "f"), ("Niccolò", "Galli", "m"),
    ),
}  # fmt: skip
_FOREIGN_TITLES = {
    "de": (
        ("Geschäftsführer", "Geschäftsleitung", "decision_maker"),
        ("Einkaufsleiterin", "Einkauf", "influencer"),
        ("Buchhaltung", "Finanzen", "user"),
        ("Assistenz der Geschäftsführung", "Geschäftsleitung", "gatekeeper"),
    ),
    "en": (
        ("Managing Director", "Management", "decision_maker"),
        ("Procurement Manager", "Procurement", "influencer"),
        ("Accounts Payable", "Finance", "user"),
    ),
    "it": (
        ("Amministratore delegato", "Direzione", "decision_maker"),
        ("Responsabile acquisti", "Acquisti", "influencer"),
        ("Contabilità fornitori", "Amministrazione", "user"),
    ),
}
_DECISION_MAKER_TITLES = (
    ("Генеральный директор", "Руководство"),
    ("Коммерческий директор", "Руководство"),
    ("Директор по закупкам", "Закупки"),
)
_OTHER_TITLES = (
    ("Главный бухгалтер", "Бухгалтерия", "influencer"),
    ("Начальник отдела закупок", "Закупки", "influencer"),
    ("Менеджер по закупкам", "Закупки", "user"),
    ("Начальник склада", "Логистика", "user"),
    ("Офис-менеджер", "Администрация", "gatekeeper"),
    ("Главный инженер", "Производство", "influencer"),
    ("Руководитель отдела логистики", "Логистика", "user"),
    ("Финансовый директор", "Финансы", "influencer"),
    ("Помощник руководителя", "Администрация", "gatekeeper"),
    ("Технолог", "Производство", "user"),
)
_PERSONAL_NOTES = (
    "Сын сдаёт ЕГЭ в июне",
    "Рыбалка, собака участвует в выставках",
    "Двое детей, дочь занимается фигурным катанием",
    "Болеет за «Зенит», не звонить во время матчей",
    "Пьёт только чай с чабрецом, кофе не предлагать",
    "Бегает марафоны, готовится к Московскому марафону",
    "Коллекционирует виниловые пластинки, любит джаз",
    "В марте родился внук",
    "Отпуск всегда в августе, на даче под Тверью",
    "После 18:00 не звонить, лучше писать в Telegram",
    "Играет в теннис по субботам",
    "Жена врач, двое сыновей-школьников",
    "Горные лыжи, каждую зиму ездит в Шерегеш",
    "Поёт в хоре, зовёт на концерты",
    "Вегетарианец: учитывать на деловых обедах",
    "Через два года собирается на пенсию, ищет преемника",
    "Выращивает томаты, любит обсуждать дачу",
    "Дочь поступила в МГУ на экономический",
)
_COLLEAGUES = (
    "Петров (логистика)",
    "Анна Смирнова",
    "Бухгалтерия (Ольга Петровна)",
    "Юрист Елена Кравец",
    "Сервис (Дмитрий Орлов)",
)
_SEGMENTS = (
    "Розничные сети", "Логистика", "Машиностроение", "Пищевое производство", "Строительство",
    "Дистрибуция", "HoReCa", "Фармацевтика", "Агропром", "Энергетика", "IT-услуги", "Химия",
    "Металлоторговля", "Полиграфия", "Мебель", "Медицина",
)  # fmt: skip


class _City(NamedTuple):
    phone_code: str  # after +7, or a whole foreign prefix
    inn_region: str
    streets: tuple[str, ...]


# city | phone code | INN region | streets
_CITIES_TABLE = """
Москва | 495 | 77 | ул. Тверская; Пресненская наб.; ул. Большая Ордынка; Варшавское ш.
Санкт-Петербург | 812 | 78 | Невский пр.; ул. Савушкина; Московский пр.; наб. Обводного канала
Казань | 843 | 16 | ул. Баумана; пр. Победы; ул. Декабристов
Екатеринбург | 343 | 66 | ул. Малышева; пр. Ленина; ул. Фронтовых бригад
Нижний Новгород | 831 | 52 | ул. Большая Покровская; Московское ш.; ул. Родионова
Самара | 846 | 63 | Московское ш.; ул. Куйбышева
Новосибирск | 383 | 54 | Красный пр.; ул. Станционная
Краснодар | 861 | 23 | ул. Красная; ул. Уральская
Воронеж | 473 | 36 | ул. Плехановская; Московский пр.
Мурманск | 8152 | 51 | ул. Траловая; пр. Кольский
Челябинск | 351 | 74 | пр. Ленина; Копейское ш.
Ульяновск | 8422 | 73 | ул. Гончарова; Московское ш.
Набережные Челны | 8552 | 16 | пр. Мира; Промкомзона
"""
_CITIES: dict[str, _City] = {
    city: _City(code, region, tuple(streets.split("; ")))
    for city, code, region, streets in (
        [part.strip() for part in line.split("|")] for line in _CITIES_TABLE.strip().splitlines()
    )
}
_LARGE_CITIES = tuple(_CITIES)

_KIND_TEXTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "call": (
        (
            "Уточнить объём заказа на следующий месяц",
            "Согласовать график отгрузок",
            "Напомнить об оплате счёта",
            "Обсудить новые условия поставки",
            "Статус рекламации по последней партии",
            "Предложить акцию месяца",
            "Узнать, как прошла приёмка товара",
        ),
        (
            "Договорились о заказе на следующей неделе",
            "Просят КП до пятницы",
            "Оплату обещали до конца недели",
            "График подтвердили без изменений",
            "Перезвонить после совещания у директора",
            "Рекламация закрыта, претензий нет",
            "Интересуются отсрочкой платежа 45 дней",
        ),
    ),
    "visit": (
        (
            "Плановый визит: итоги поставок за квартал",
            "Презентация новой линейки продукции",
            "Аудит остатков на складе клиента",
            "Переговоры по условиям на следующий год",
        ),
        (
            "Согласовали пилотную поставку",
            "Ассортимент расширяем на две позиции",
            "Нужна доработка упаковки, ждут образцы",
            "Условия устраивают, ждём подписи договора",
        ),
    ),
    "meeting": (
        (
            "Квартальный бизнес-обзор (QBR)",
            "Встреча с закупками по тендеру",
            "Обсуждение продления договора",
            "Видеовстреча: переход на ЭДО",
        ),
        (
            "Тендер объявят в следующем месяце, нас пригласят",
            "Продление в принципе согласовано, обсуждаем цену",
            "ЭДО через Диадок с первого числа",
            "Договорились о ежемесячных созвонах",
        ),
    ),
    "email": (
        (
            "Коммерческое предложение на поставку",
            "Акт сверки за квартал",
            "Прайс-лист на следующий месяц",
            "Счёт и закрывающие документы",
        ),
        (
            "Отправлено, получение подтвердили",
            "Акт подписан без расхождений",
            "Просят скидку на объём",
            "Документы приняты бухгалтерией",
        ),
    ),
    "message": (
        (
            "Вопрос по отгрузке (Telegram)",
            "Фото брака в партии (WhatsApp)",
            "Уточнение адреса доставки",
        ),
        (
            "Ответил, отгрузка по графику",
            "Передал в сервис, замену согласовали",
            "Адрес обновили в заявке",
        ),
    ),
}
_AGENDAS = (
    "Итоги поставок, планы на квартал, условия оплаты",
    "Новая линейка, пилотная поставка, обучение персонала",
    "Продление договора, цены на следующий год",
    "Рекламации и сервис, график отгрузок",
)
_AGREEMENTS = (
    "Пилотная поставка в следующем месяце; цена фиксируется на полгода",
    "Клиент готовит спецификацию, мы присылаем КП в течение недели",
    "Продлеваем договор на год, скидка 3 % при предоплате",
    "Отгрузки по вторникам и четвергам, ЭДО с первого числа",
)
_NEXT_STEPS = (
    "Отправить КП с учётом скидки за объём",
    "Подготовить образцы для тестирования",
    "Согласовать график поставок со складом",
    "Прислать проект допсоглашения",
    "Организовать обучение персонала клиента",
    "Проверить возможность отсрочки платежа",
)
_NOTES: dict[str, tuple[str, ...]] = {
    "competitor": (
        "Конкурент «ПромПоставка» предложил скидку 7 % на второе полугодие",
        "Параллельно работают с «Вектор-Трейд» по упаковке",
        "Metro Cash & Carry забирает у нас мелкий опт",
        "Пробовали китайского поставщика, остались недовольны качеством",
    ),
    "need": (
        "Нужен график поставок под сезон: пик в апреле-мае",
        "Хотят ЭДО через Диадок и отсрочку 45 дней",
        "Ищут поставщика с доставкой в регионы",
        "Интересует складская программа: держать запас у нас",
    ),
    "personal": (
        "Директор вернулся из отпуска, спрашивал про рыбалку на Волге",
        "Главбух просит не звонить в дни сдачи отчётности",
        "Закупщица уходит в декрет весной, познакомиться с заменой",
    ),
    "general": (
        "Сменили юридический адрес, счета выставлять на новый",
        "Пропуск на территорию заказывать за сутки",
        "Документы только оригиналы, сканы не принимают",
        "Годовой бюджет утверждают в декабре",
    ),
}
_DEAL_PROBABILITY = {
    "lead": 10, "qualified": 25, "proposal": 50, "negotiation": 75, "won": 100, "lost": 0,
}  # fmt: skip
_DEAL_TITLES = {
    "new": "Первая поставка",
    "upsell": "Расширение объёма",
    "cross_sell": "Новая категория: упаковка",
    "renewal": "Продление договора",
}

_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya", "ß": "ss", "'": "",
    }
)  # fmt: skip


@lru_cache(maxsize=4096)
def _latin(text: str) -> str:
    """An e-mail-safe lowercase spelling of a name."""
    lowered = text.lower().translate(_TRANSLIT)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if ch.isascii() and (ch.isalnum() or ch in ".-"))


def _female_family(name: str) -> str:
    if name.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return name + "а"
    if name.endswith("ский"):
        return name[:-2] + "ая"
    return name


def _inn(rng: random.Random, region: str, *, person: bool = False) -> str:
    """A tax id whose check digits are valid (python-stdnum computes them): 10 digits, or 12 for a sole trader."""
    from stdnum.ru import inn

    if person:
        body = region + "".join(str(rng.randrange(10)) for _ in range(8))
        return body + inn.calc_personal_check_digits(body)
    body = region + "".join(str(rng.randrange(10)) for _ in range(7))
    return body + inn.calc_company_check_digit(body)


# Phones are stored as E.164 (services/phones.py), the way a typed or imported number is.
def _mobile(rng: random.Random) -> str:
    return f"+79{rng.randrange(10, 100)}{rng.randrange(100, 1000)}{rng.randrange(10, 100)}{rng.randrange(10, 100)}"


def _landline(rng: random.Random, code: str) -> str:
    if code.startswith("+"):
        return f"{code.replace(' ', '')}{rng.randrange(1000000, 9999999)}"
    width = 10 - len(code)
    return f"+7{code}{rng.randrange(10 ** (width - 1), 10**width)}"


def _legal_name(name: str) -> str:
    forms = {
        "ООО ": "Общество с ограниченной ответственностью ",
        "АО ": "Акционерное общество ",
        "ПАО ": "Публичное акционерное общество ",
    }
    for short, full in forms.items():
        if name.startswith(short):
            return full + name[len(short) :]
    return name


def _money(rng: random.Random, low_rub: int, high_rub: int) -> int:
    """An amount in kopecks: whole roubles mostly, sometimes with kopecks."""
    rub = rng.randrange(low_rub, high_rub) // 100 * 100
    return rub * 100 + rng.choice((0, 0, 0, 50, 25, 90))


# ---------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------


@dataclass
class _ClientInfo:
    id: int
    name: str
    tier: str
    status: str
    city: str
    address: str
    currency: str
    domain: str | None
    terms: int
    cadence: int
    created_d: int
    contacts: list[int] = field(default_factory=list)
    contact_names: list[str] = field(default_factory=list)
    contracts: list[int] = field(default_factory=list)


class _Generator:
    def __init__(self, clock: _Clock, rng: random.Random) -> None:
        self.clock = clock
        self.rng = rng
        self.rows: dict[str, list[Row]] = {name: [] for name in _ROW_FUNCTIONS}
        self._ids: dict[str, int] = dict.fromkeys(_ROW_FUNCTIONS, 0)
        self.clients: dict[str, _ClientInfo] = {}

    def next_id(self, table: str) -> int:
        self._ids[table] += 1
        return self._ids[table]

    def past(self, m: int) -> int:
        """``m``, or a minute just before now if ``m`` is not in the past."""
        return m if m < self.clock.now_m else self.clock.now_m - 1 - self.rng.randrange(30)

    # -- people --------------------------------------------------------------

    def person(self) -> tuple[str, str, str, str]:
        """(given, middle, family, sex) of a random Russian person."""
        rng = self.rng
        sex = "m" if rng.random() < 0.6 else "f"
        family = rng.choice(_FAMILY_NAMES)
        his, hers = rng.choice(_PATRONYMICS)
        if sex == "m":
            return rng.choice(_MALE_NAMES), his, family, sex
        return rng.choice(_FEMALE_NAMES), hers, _female_family(family), sex

    def add_contact(
        self,
        client: _ClientInfo,
        *,
        given: str,
        middle: str | None,
        family: str,
        title: str,
        department: str,
        role: str,
        birthday_md: str | None,
        birthday_year: int | None,
        notes: str | None,
        channel: str | None,
        created_d: int,
        foreign: bool = False,
    ) -> int:
        rng, clock = self.rng, self.clock
        contact_id = self.next_id("contact")
        # Russian order (family, given, patronymic); foreign names as they are written.
        parts = (given, family) if foreign else (family, given, middle)
        full_name = " ".join(part for part in parts if part)
        created = self.past(clock.local(min(created_d, 0), 9 + rng.randrange(9), rng.randrange(60)))
        self.rows["contact"].append(
            _contact_row(
                id=contact_id,
                client_id=client.id,
                full_name=full_name,
                full_name_folded=fold(full_name),
                given_name=given,
                middle_name=middle,
                family_name=family,
                title=title,
                department=department,
                role=role,
                preferred_channel=channel,
                birthday_md=birthday_md,
                birthday_year=birthday_year,
                personal_notes=notes,
                created_at=clock.ts(created),
                updated_at=clock.ts(max(created, self.past(created + 1440 * rng.randrange(0, 200)))),
            )
        )
        foreign_code = _CITY_PHONE_FOREIGN.get(client.city, "+49 30")
        phone = _landline(rng, foreign_code) if foreign else _mobile(rng)
        local_part = f"{_latin(given)[:1]}.{_latin(family)}"
        domain = client.domain or rng.choice(("mail.ru", "yandex.ru", "gmail.com"))
        email = f"{local_part}@{domain}"
        methods = [("phone", phone, "мобильный" if not foreign else "office")]
        methods.append(("email", email, "рабочий" if not foreign else "work"))
        if not foreign and rng.random() < 0.3:
            city = _CITIES.get(client.city)
            if city is not None:
                methods.append(("phone", _landline(rng, city.phone_code), "рабочий"))
        for position, (kind, value, label) in enumerate(methods):
            norm = normalise_phone(value) if kind == "phone" else normalise_email(value)
            self.rows["contact_method"].append(
                _contact_method_row(
                    id=self.next_id("contact_method"),
                    contact_id=contact_id,
                    kind=kind,
                    value=value,
                    value_norm=norm,
                    label=label,
                    position=position,
                )
            )
        client.contacts.append(contact_id)
        initials = f"{given[:1]}.{middle[:1]}." if middle else f"{given[:1]}."
        client.contact_names.append(f"{family} {initials}")
        return contact_id

    def random_birthday(self, avoid: tuple[int, int] = (-1, 9)) -> tuple[str, int | None]:
        """A birthday outside ``avoid`` (days from today, inclusive): the demo's
        birthdays this week are placed on purpose, not by chance."""
        rng, clock = self.rng, self.clock
        while True:
            d = rng.randrange(-182, 183)
            if not avoid[0] <= d <= avoid[1]:
                md = clock.md(d)
                if md != "02-29":
                    break
        year = rng.randrange(1962, 2000) if rng.random() < 0.7 else None
        return md, year

    # -- interactions ----------------------------------------------------------

    def add_interaction(
        self,
        client: _ClientInfo,
        *,
        kind: str,
        at: int,
        status: str = "done",
        direction: str = "outbound",
        subject: str | None = None,
        outcome: str | None = None,
        needs_reply: bool = False,
        replied: int | None = None,
        contacts: Sequence[int] | None = None,
        place: str | None = None,
    ) -> int:
        rng, clock = self.rng, self.clock
        interaction_id = self.next_id("interaction")
        subjects, outcomes = _KIND_TEXTS[kind]
        if subject is None:
            subject = rng.choice(subjects)
        if outcome is None and status == "done":
            outcome = rng.choice(outcomes)
        duration = {"call": 10, "visit": 90, "meeting": 60, "email": None, "message": None}[kind]
        if kind == "visit" and place is None:
            place = client.address
        elif kind == "meeting" and place is None:
            place = rng.choice(("Переговорная, наш офис", "Яндекс Телемост", "Офис клиента"))
        planned = at if status != "done" or kind in REPORTED_KINDS else None
        created = at - 1440 * rng.randrange(1, 8) if planned is not None else at
        created = min(created, clock.now_m - 1)
        updated = at if status == "done" else created
        if replied is not None:
            updated = replied
        self.rows["interaction"].append(
            _interaction_row(
                id=interaction_id,
                client_id=client.id,
                kind=kind,
                direction=direction,
                status=status,
                planned_at=clock.ts(planned),
                duration_min=duration,
                done_at=clock.ts(at if status == "done" else None),
                place=place,
                city=client.city if kind == "visit" else None,
                subject=subject,
                outcome=outcome,
                needs_reply=needs_reply,
                replied_at=clock.ts(replied),
                created_at=clock.ts(created),
                updated_at=clock.ts(updated),
            )
        )
        if contacts is None:
            count = 2 if kind in REPORTED_KINDS and len(client.contacts) > 1 else 1
            contacts = rng.sample(client.contacts, count) if client.contacts else []
        for contact_id in contacts:
            self.rows["interaction_contact"].append(
                _interaction_contact_row(interaction_id=interaction_id, contact_id=contact_id)
            )
        return interaction_id

    def add_report(self, client: _ClientInfo, interaction_id: int, at: int, contacts: Sequence[int]) -> None:
        rng, clock = self.rng, self.clock
        report_id = self.next_id("meeting_report")
        created = min(at + 60 + rng.randrange(0, 240), clock.now_m - 2)
        sent = min(created + 5 + rng.randrange(30), clock.now_m - 1)
        self.rows["meeting_report"].append(
            _meeting_report_row(
                id=report_id,
                interaction_id=interaction_id,
                client_id=client.id,
                other_attendees=rng.choice((None, None, "Петров (логистика)", "Анна Смирнова")),
                agenda=rng.choice(_AGENDAS),
                agreements=rng.choice(_AGREEMENTS),
                created_at=clock.ts(created),
                updated_at=clock.ts(sent),
                sent_at=clock.ts(sent),
            )
        )
        for contact_id in contacts:
            self.rows["report_attendee"].append(_report_attendee_row(report_id=report_id, contact_id=contact_id))
        day = (at + clock.offset(0)) // 1440
        for position, text in enumerate(rng.sample(_NEXT_STEPS, rng.randrange(1, 3))):
            owner: str | None
            due: int | None
            task_id: int | None = None
            choice = rng.random()
            if choice < 0.35:
                owner = rng.choice(_COLLEAGUES)
                due = day + rng.randrange(3, 22)
                done = due < -2 or (due < 0 and rng.random() < 0.5)
                task_id = self.add_task(
                    title=text,
                    client=client,
                    assignee=owner,
                    created=created + 10,
                    due=due,
                    status="done" if done else "open",
                    priority="normal",
                    report_id=report_id,
                    checked_in=rng.random() < 0.7,
                )
            elif choice < 0.8:
                names = client.contact_names
                owner = f"{rng.choice(names)} (клиент)" if names else None
                due = None
            else:
                owner, due = None, None
            self.rows["next_step"].append(
                _next_step_row(
                    id=self.next_id("next_step"),
                    report_id=report_id,
                    position=position,
                    text=text,
                    owner=owner,
                    due_on=clock.day(due),
                    task_id=task_id,
                )
            )

    # -- tasks -------------------------------------------------------------------

    def add_task(
        self,
        *,
        title: str,
        client: _ClientInfo | None,
        assignee: str | None,
        created: int,
        due: int,
        status: str = "open",
        priority: str = "normal",
        report_id: int | None = None,
        checked_in: bool = False,
        notes: str | None = None,
    ) -> int:
        """A task; a delegated one gets ``check_in_at`` as ``amtui task add`` sets it: the
        working day 35 % of the way from creation to its due day, at 10:00 local
        (:func:`amtui.services.workweek.check_in_moment`)."""
        clock = self.clock
        task_id = self.next_id("task")
        due_start = clock.day_start(due)
        created += (due_start - created) % 20
        if created >= clock.now_m:
            created -= 20
        check_in = checked = completed = None
        if assignee is not None:
            check_in = clock.minutes(check_in_moment(clock.at(created), clock.today + timedelta(days=due), clock.zone))
            if checked_in and check_in < clock.now_m:
                checked = max(check_in, self.past(check_in + 60 * self.rng.randrange(1, 30)))
        if status == "done":
            finished = due_start - 1440 * self.rng.randrange(0, 4)
            completed = max(created + 1, self.past(max(created + 30, finished)))
        updated = max(x for x in (created, checked, completed) if x is not None)
        self.rows["task"].append(
            _task_row(
                id=task_id,
                title=title,
                client_id=client.id if client else None,
                assignee=assignee,
                status=status,
                priority=priority,
                due_on=clock.day(due),
                check_in_at=clock.ts(check_in),
                checked_in_at=clock.ts(checked),
                notes=notes,
                report_id=report_id,
                created_at=clock.ts(created),
                updated_at=clock.ts(updated),
                completed_at=clock.ts(completed),
            )
        )
        return task_id

    # -- money ---------------------------------------------------------------------

    def add_contract(
        self,
        client: _ClientInfo,
        *,
        number: str,
        title: str,
        start: int | None,
        end: int | None,
        auto_renew: bool,
        notice_days: int,
        value_minor: int,
        status: str,
    ) -> int:
        clock = self.clock
        contract_id = self.next_id("contract")
        created = clock.local(min(start if start is not None else -20, -1) - 10, 11)
        self.rows["contract"].append(
            _contract_row(
                id=contract_id,
                client_id=client.id,
                number=number,
                title=title,
                start_on=clock.day(start),
                end_on=clock.day(end),
                auto_renew=auto_renew,
                notice_days=notice_days,
                value_minor=value_minor,
                currency=client.currency,
                status=status,
                created_at=clock.ts(created),
                updated_at=clock.ts(created),
            )
        )
        client.contracts.append(contract_id)
        return contract_id

    def add_invoice(
        self,
        client: _ClientInfo,
        *,
        issued: int,
        due: int,
        amount: int,
        paid: int,
        paid_on: int | None,
    ) -> None:
        clock = self.clock
        invoice_id = self.next_id("invoice")
        prefix = "СЧ" if client.currency == "RUB" else "INV"
        issued_at = self.past(clock.local(issued, 10))
        paid_at = clock.local(paid_on, 12) if paid_on is not None else None
        self.rows["invoice"].append(
            _invoice_row(
                id=invoice_id,
                client_id=client.id,
                contract_id=client.contracts[-1] if client.contracts else None,
                number=f"{prefix}-{invoice_id:05d}",
                issued_on=clock.day(issued),
                due_on=clock.day(due),
                amount_minor=amount,
                paid_minor=paid,
                currency=client.currency,
                paid_on=clock.day(paid_on),
                created_at=clock.ts(issued_at),
                updated_at=clock.ts(self.past(paid_at) if paid_at is not None else issued_at),
            )
        )

    def add_deal(
        self,
        client: _ClientInfo,
        *,
        kind: str,
        stage: str,
        amount: int,
        expected: int,
        title: str | None = None,
    ) -> None:
        clock = self.clock
        closed = expected if stage in ("won", "lost") else None
        created = clock.local(min(expected, 0) - 30 - self.rng.randrange(60), 10)
        # An open deal entered its stage some days after it was created: most recently, a few long ago (stalled).
        moved = created if self.rng.random() < 0.08 else clock.local(-self.rng.randrange(12), 11)
        self.rows["deal"].append(
            _deal_row(
                id=self.next_id("deal"),
                client_id=client.id,
                title=title or _DEAL_TITLES[kind],
                kind=kind,
                stage=stage,
                amount_minor=amount,
                currency=client.currency,
                probability=_DEAL_PROBABILITY[stage],
                expected_close=clock.day(expected),
                closed_on=clock.day(closed),
                created_at=clock.ts(created),
                updated_at=clock.ts(self.past(clock.local(closed, 16)) if closed else created),
                stage_changed_at=clock.ts(self.past(clock.local(closed, 16)) if closed else max(moved, created)),
            )
        )

    def add_complaint(
        self,
        client: _ClientInfo,
        *,
        kind: str,
        title: str,
        opened: int,
        due: int | None,
        status: str = "open",
        touched: int | None = None,
        amount: int | None = None,
        owner: str | None = None,
        resolved: int | None = None,
        resolution: str | None = None,
        description: str | None = None,
        contact: int | None = None,
    ) -> None:
        """A complaint opened on day ``opened``, promised for ``due``, last worked on day ``touched``."""
        clock = self.clock
        created = self.past(clock.local(opened, 10 + self.rng.randrange(7)))
        touched_m = self.past(clock.local(touched, 12)) if touched is not None else created
        check_in = None
        if owner is not None and due is not None and status in ("open", "in_progress"):
            # The tasks' rule: about a third of the way from opening to the promised day, at 10:00.
            check_in = clock.local(opened + max((due - opened) * 35 // 100, 0), 10)
        self.rows["complaint"].append(
            _complaint_row(
                id=self.next_id("complaint"),
                client_id=client.id,
                contact_id=contact,
                invoice_id=None,
                kind=kind,
                title=title,
                description=description,
                amount_minor=amount,
                currency=client.currency,
                opened_on=clock.day(opened),
                due_on=clock.day(due),
                owner=owner,
                check_in_at=clock.ts(check_in),
                status=status,
                resolution=resolution,
                resolved_on=clock.day(resolved),
                touched_at=clock.ts(max(touched_m, created)),
                created_at=clock.ts(created),
                updated_at=clock.ts(max(touched_m, created)),
            )
        )

    def add_note(self, client: _ClientInfo, tag: str, text: str, d: int) -> None:
        clock = self.clock
        self.rows["note"].append(
            _note_row(
                id=self.next_id("note"),
                client_id=client.id,
                text=text,
                tag=tag,
                created_at=clock.ts(self.past(clock.local(d, 9 + self.rng.randrange(9)))),
            )
        )

    def add_targets(self, monthly_rub: int) -> None:
        for months in range(-12, 4):
            amount = (monthly_rub + self.rng.randrange(-10, 11) * monthly_rub // 100) * 100
            self.rows["sales_target"].append(
                _sales_target_row(
                    id=self.next_id("sales_target"),
                    period=self.clock.day(self.clock.month_start(months)),
                    amount_minor=amount,
                    currency="RUB",
                )
            )


_CITY_PHONE_FOREIGN = {
    "Berlin": "+49 30", "London": "+44 20", "München": "+49 89", "Milano": "+39 02", "Bologna": "+39 051",
    "Napoli": "+39 081",
}  # fmt: skip
_ITALIAN_CITIES = ("Milano", "Bologna", "Napoli")


# ---------------------------------------------------------------------------
# The small (README) portfolio
# ---------------------------------------------------------------------------


class _Firm(NamedTuple):
    key: str
    name: str
    tier: str
    status: str
    city: str
    segment: str
    domain: str | None
    currency: str = "RUB"


# key | name | tier | status | city | segment | domain | currency (RUB unless given)
_FIRMS_TABLE = """
romashka | ООО «Ромашка» | A | active | Москва | Розничные сети | romashka-opt.ru
severstal | АО «Северсталь-Логистика» | A | active | Санкт-Петербург | Логистика | sev-logistika.ru
kuznetsov | ИП Кузнецов А.В. | C | active | Казань | HoReCa | -
uralhim | ПАО «Уралхиммаш» | A | active | Екатеринбург | Машиностроение | uralhimmash.ru
volga | ООО «Волга-Агро» | B | active | Нижний Новгород | Агропром | volga-agro.ru
tehnosfera | ООО «ТехноСфера» | B | active | Москва | IT-дистрибуция | technosfera.ru
baltverf | АО «Балтийская верфь-Сервис» | B | active | Санкт-Петербург | Судостроение | baltverf-service.ru
kamsky | ООО «Камский бройлер» | B | active | Набережные Челны | Пищевое производство | kambroiler.ru
sibdom | ООО «Сибирский дом» | C | active | Новосибирск | Строительство | sibdom.ru
hlebnitsa | ООО «Пекарня „Хлебница“» | C | active | Москва | HoReCa | hlebnitsa.ru
alfasnab | ООО «Альфа-Снаб» | B | active | Екатеринбург | Дистрибуция | alfa-snab.ru
neftemash | АО «Нефтемаш» | A | active | Самара | Нефтегаз | neftemash.ru
ekoplast | ООО «ЭкоПласт» | C | active | Нижний Новгород | Производство упаковки | ekoplast.ru
farmtrade | ООО «Фармтрейд» | A | active | Москва | Фармацевтика | farmtrade.ru
stroymarket | ООО «СтройМаркет Юг» | B | active | Краснодар | Строительная розница | stroymarket-yug.ru
yolochka | ООО «Ёлочка» | C | active | Казань | Розничные сети | yolochka-kzn.ru
sokolova | ИП Соколова Е.Н. | C | active | Санкт-Петербург | Салоны красоты | -
medtech | ООО «Медтехника Плюс» | B | active | Екатеринбург | Медицина | medtehnika-plus.ru
tranzit | ООО «Транзит-Авто» | C | active | Нижний Новгород | Логистика | tranzit-avto.ru
gidromash | АО «Гидромаш-Инжиниринг» | A | prospect | Москва | Инжиниринг | gidromash-eng.ru
zelkvartal | ООО «Зелёный квартал» | B | prospect | Москва | Девелопмент | zelkvartal.ru
arbat | ООО «Кофейня на Арбате» | C | lost | Москва | HoReCa | coffee-arbat.ru
zarya | ООО «Агрохолдинг „Заря“» | B | active | Воронеж | Агропром | zarya-agro.ru
polimer | ООО «Полимер-Центр» | B | active | Казань | Химия | polimer-center.ru
dekor | ООО «Декор-Профи» | C | dormant | Санкт-Петербург | Отделочные материалы | dekor-profi.ru
sevveter | ООО «Северный ветер» | B | active | Мурманск | Рыбопереработка | sevveter.ru
energosbyt | АО «ЭнергоСбыт-Сервис» | A | active | Екатеринбург | Энергетика | energosbyt-service.ru
kantsopt | ООО «КанцОпт» | C | dormant | Москва | Дистрибуция | kantsopt.ru
optima | ООО «Оптима-Логистик» | B | active | Москва | Логистика | optima-log.ru
metallurg | ООО «ТД „Металлург“» | B | active | Челябинск | Металлоторговля | td-metallurg.ru
pechdvor | ООО «Типография „Печатный двор“» | C | active | Санкт-Петербург | Полиграфия | pechdvor.ru
gorizont | ООО «Горизонт» | C | prospect | Нижний Новгород | Оптовая торговля | gorizont-nn.ru
uyut | ООО «Мебельная фабрика „Уют“» | C | active | Ульяновск | Мебель | uyut-mebel.ru
itresh | ООО «IT-Решения» | B | active | Москва | IT-услуги | it-resheniya.ru
ladoga | ООО «Ладога Продукт» | B | active | Санкт-Петербург | Пищевое производство | ladoga-product.ru
samotsvety | ООО «Уральские самоцветы» | C | active | Екатеринбург | Ювелирная розница | ural-samotsvety.ru
ahmetov | ИП Ахметов Р.Ф. | C | active | Казань | Автосервис | -
mueller | Müller Straße GmbH | B | active | Berlin | Машиностроение | mueller-strasse.de | EUR
northwind | Northwind Traders Ltd | C | active | London | Дистрибуция | northwind.co.uk | GBP
schaefer | Schäfer & Söhne AG | B | active | München | Автокомпоненты | schaefer-soehne.de | EUR
"""
# Italian clients (documents in Italian): built last, from their own random stream, so the rest
# of the portfolio stays as it was.
_ITALIAN_FIRMS_TABLE = """
rossi | Ferramenta Rossi S.r.l. | B | active | Milano | Строительная розница | ferramentarossi.it | EUR
bianchi | Bianchi Alimentari S.p.A. | A | active | Bologna | Пищевое производство | bianchialimentari.it | EUR
esposito | Logistica Esposito & Figli S.r.l. | C | active | Napoli | Логистика | logisticaesposito.it | EUR
"""


def _parse_firms(text: str) -> tuple[_Firm, ...]:
    firms = []
    for line in text.strip().splitlines():
        key, name, tier, status, city, segment, domain, *currency = (part.strip() for part in line.split("|"))
        firms.append(_Firm(key, name, tier, status, city, segment, None if domain == "-" else domain, *currency))
    return tuple(firms)


_FIRMS = _parse_firms(_FIRMS_TABLE)
_ITALIAN_FIRMS = _parse_firms(_ITALIAN_FIRMS_TABLE)

# The sole traders themselves, as their only (or first) contact.
_SOLE_TRADERS = {
    "kuznetsov": ("Алексей", "Викторович", "Кузнецов"),
    "sokolova": ("Елена", "Николаевна", "Соколова"),
    "ahmetov": ("Руслан", "Фаридович", "Ахметов"),
}
_FOREIGN_ADDRESSES = {
    "Berlin": "Straße des 17. Juni 112, 10623 Berlin",
    "London": "12 Wharf Road, London N1 7GS",
    "München": "Leopoldstraße 45, 80802 München",
    "Milano": "Via Giuseppe Verdi 8, 20121 Milano MI",
    "Bologna": "Via dell'Indipendenza 24, 40121 Bologna BO",
    "Napoli": "Corso Umberto I 154, 80138 Napoli NA",
}
# Days since the last touch, for clients left silent longer than their cadence.
_SILENT = {"neftemash": 23, "alfasnab": 47, "sibdom": 130, "metallurg": 38, "schaefer": 61}
_NEVER_CONTACTED = "samotsvety"
_NO_DECISION_MAKER = ("alfasnab", "polimer")


def _build_small(gen: _Generator) -> None:
    clock = gen.clock
    gen.add_targets(14_500_000)
    for firm in _FIRMS:
        _small_client(gen, firm)
    clients = gen.clients

    # Birthdays placed relative to today: (client, contact index) -> (days from today, year).
    for (key, index), (d, year) in {
        ("romashka", 1): (0, 1979),
        ("uralhim", 0): (1, None),
        ("farmtrade", 0): (3, 1985),
        ("energosbyt", 1): (6, None),
        ("severstal", 0): (-1, 1971),
        ("tehnosfera", 0): (9, 1990),
    }.items():
        _set_birthday(gen, clients[key].contacts[index], clock.md(d), year)

    # A year of history, silent where the scenario wants silence.
    for firm in _FIRMS:
        _small_history(gen, firm.key)

    _small_scenario(gen)
    _small_money(gen)
    _small_tasks(gen)
    _small_deals_and_notes(gen)
    _small_complaints(gen)
    _italian_clients(gen)
    _year_before(gen)


def _italian_clients(gen: _Generator) -> None:
    """A few Italian clients with Italian people and addresses, their documents in Italian."""
    shared_rng, gen.rng = gen.rng, random.Random("amtui italian clients")
    try:
        for firm in _ITALIAN_FIRMS:
            _small_client(gen, firm)
            _small_history(gen, firm.key)
        year = gen.clock.today.year
        for firm in _ITALIAN_FIRMS:
            client = gen.clients[firm.key]
            end = gen.rng.randrange(120, 400)
            gen.add_contract(
                client,
                number=f"C-{year - 1}/{client.id:03d}",
                title="Contratto di fornitura",
                start=end - 730,
                end=end,
                auto_renew=True,
                notice_days=60,
                value_minor=_money(gen.rng, 3_000_000, 40_000_000),
                status="active",
            )
            _invoice_history(gen, firm, [])
    finally:
        gen.rng = shared_rng


def _set_birthday(gen: _Generator, contact_id: int, md: str, year: int | None) -> None:
    rows = gen.rows["contact"]
    index = contact_id - 1  # contacts are numbered from 1 in insertion order
    columns = COLUMNS["contact"]
    row = list(rows[index])
    row[columns.index("birthday_md")] = md
    row[columns.index("birthday_year")] = year
    rows[index] = tuple(row)


def _small_client(gen: _Generator, firm: _Firm) -> None:
    rng, clock = gen.rng, gen.clock
    client_id = gen.next_id("client")
    foreign = firm.currency != "RUB"
    if foreign:
        address = _FOREIGN_ADDRESSES[firm.city]
        phone = _landline(rng, _CITY_PHONE_FOREIGN[firm.city])
        tax_id = None
    else:
        city = _CITIES[firm.city]
        address = f"{firm.city}, {rng.choice(city.streets)}, д. {rng.randrange(1, 120)}"
        phone = _landline(rng, city.phone_code)
        tax_id = _inn(rng, city.inn_region, person=firm.key in _SOLE_TRADERS)
    if firm.key in _SOLE_TRADERS:
        given, middle, family = _SOLE_TRADERS[firm.key]
        legal_name = f"Индивидуальный предприниматель {family} {given} {middle}"
    else:
        legal_name = _legal_name(firm.name)
    created_d = {"prospect": -rng.randrange(40, 120), "active": -rng.randrange(400, 1100)}.get(
        firm.status, -rng.randrange(500, 1100)
    )
    if firm.key == _NEVER_CONTACTED:
        created_d = -12
    terms = rng.choice((14, 30, 30, 45, 60))
    email_domain = firm.domain or "mail.ru"
    created = clock.local(created_d, 10 + rng.randrange(7), rng.randrange(60))
    cadence_override = 7 if firm.key == "romashka" else None
    needs = rng.choice(_NOTES["need"]) if rng.random() < 0.7 else None
    competitors = rng.choice(("«ПромПоставка»", "«Вектор-Трейд»", "Metro Cash & Carry", None))
    gen.rows["client"].append(
        _client_row(
            id=client_id,
            name=firm.name,
            name_folded=fold(firm.name),
            legal_name=legal_name,
            tax_id=tax_id,
            segment=firm.segment,
            tier=firm.tier,
            status=firm.status,
            cadence_days=cadence_override,
            city=firm.city,
            address=address,
            website=f"https://{firm.domain}" if firm.domain else None,
            phone=phone,
            email=f"info@{firm.domain}" if firm.domain else f"{_latin(_SOLE_TRADERS[firm.key][2])}.ip@{email_domain}",
            currency=firm.currency,
            credit_limit_minor={"A": 5_000_000_00, "B": 2_000_000_00, "C": 500_000_00}[firm.tier],
            payment_terms_days=terms,
            discount_bp={"A": 700, "B": 300, "C": None}[firm.tier],
            annual_potential_minor=_money(rng, 2_000_000, 60_000_000),
            needs=needs,
            competitors=competitors,
            created_at=clock.ts(created),
            updated_at=clock.ts(gen.past(clock.local(-rng.randrange(1, 30), 12))),
            language="it" if firm.city in _ITALIAN_CITIES else ("en" if foreign else None),
        )
    )
    info = _ClientInfo(
        id=client_id,
        name=firm.name,
        tier=firm.tier,
        status=firm.status,
        city=firm.city,
        address=address,
        currency=firm.currency,
        domain=firm.domain,
        terms=terms,
        cadence=cadence_override or _CADENCE[firm.tier],
        created_d=created_d,
    )
    gen.clients[firm.key] = info
    contact_d = min(created_d + 3, -1)
    if foreign:
        language = "de" if firm.city in ("Berlin", "München") else "it" if firm.city in _ITALIAN_CITIES else "en"
        people = rng.sample(_FOREIGN_PEOPLE[language], 3)
        for (given, family, _sex), (title, department, role) in zip(people, _FOREIGN_TITLES[language], strict=False):
            md, year = gen.random_birthday()
            gen.add_contact(
                info,
                given=given,
                middle=None,
                family=family,
                title=title,
                department=department,
                role=role,
                birthday_md=md,
                birthday_year=year,
                notes=None,
                channel="email",
                created_d=contact_d,
                foreign=True,
            )
        return
    if firm.key == "romashka":
        _romashka_contacts(gen, info, contact_d)
        return
    count = {"kuznetsov": 1, "sokolova": 2, "ahmetov": 2}.get(firm.key) or rng.choice((2, 3, 3, 4, 4, 5))
    others = rng.sample(_OTHER_TITLES, count)
    for index in range(count):
        if index == 0 and firm.key in _SOLE_TRADERS:
            given, middle, family = _SOLE_TRADERS[firm.key]
            title, department, role = "Индивидуальный предприниматель", "Руководство", "decision_maker"
        else:
            given, middle, family, _sex = gen.person()
            if index == 0 and firm.key not in _NO_DECISION_MAKER:
                title, department = rng.choice(_DECISION_MAKER_TITLES)
                role = "decision_maker"
            else:
                title, department, role = others[index]
        md, year = gen.random_birthday()
        gen.add_contact(
            info,
            given=given,
            middle=middle,
            family=family,
            title=title,
            department=department,
            role=role,
            birthday_md=md if rng.random() < 0.85 else None,
            birthday_year=year,
            notes=rng.choice(_PERSONAL_NOTES) if rng.random() < 0.5 else None,
            channel=rng.choice(("phone", "phone", "email", "messenger", "visit")),
            created_d=contact_d + rng.randrange(0, 30),
        )


def _romashka_contacts(gen: _Generator, info: _ClientInfo, created_d: int) -> None:
    people = (
        ("Андрей", "Николаевич", "Громов", "Генеральный директор", "Руководство", "decision_maker",
         "Рыбалка, собака (курцхаар) участвует в выставках", "phone"),
        ("Ирина", "Викторовна", "Лебедева", "Главный бухгалтер", "Бухгалтерия", "influencer",
         "Сын сдаёт ЕГЭ в июне; любит пионы", "email"),
        ("Павел", "Сергеевич", "Орлов", "Начальник отдела закупок", "Закупки", "influencer",
         "Болеет за «Спартак», не звонить во время матчей", "phone"),
        ("Мария", "Олеговна", "Киселёва", "Менеджер по закупкам", "Закупки", "user", None, "messenger"),
    )  # fmt: skip
    for given, middle, family, title, department, role, notes, channel in people:
        md, year = gen.random_birthday()
        gen.add_contact(
            info,
            given=given,
            middle=middle,
            family=family,
            title=title,
            department=department,
            role=role,
            birthday_md=md,
            birthday_year=year,
            notes=notes,
            channel=channel,
            created_d=created_d,
        )


_KIND_POOLS = {
    "A": ("call",) * 9 + ("meeting",) * 3 + ("visit",) * 3 + ("email",) * 4 + ("message",),
    "B": ("call",) * 10 + ("meeting",) * 2 + ("visit",) * 2 + ("email",) * 5 + ("message",),
    "C": ("call",) * 11 + ("meeting",) + ("visit",) + ("email",) * 7,
}


def _small_history(gen: _Generator, key: str) -> None:
    """Past done touches from the most recent one back to a year ago (or the client's start)."""
    rng, clock = gen.rng, gen.clock
    client = gen.clients[key]
    if key == _NEVER_CONTACTED:
        return
    cadence = client.cadence
    if key in _SILENT:
        last = _SILENT[key]
    elif client.status == "dormant":
        last = rng.randrange(150, 220)
    elif client.status == "lost":
        last = rng.randrange(90, 120)
    else:
        last = rng.randrange(1, max(2, cadence * 6 // 10))
    start = min(365, -client.created_d)
    d = -last
    while -d <= start:
        day = d if key in _SILENT else clock.workday_on_or_before(d)
        if -day > start:
            break
        kind = rng.choice(_KIND_POOLS[client.tier])
        at = gen.past(clock.local(day, 9 + rng.randrange(9), rng.randrange(0, 60, 5)))
        direction, needs_reply, replied = "outbound", False, None
        if day < -30 and kind in ("call", "email", "message") and rng.random() < 0.2:
            direction = "inbound"
            if kind != "call":
                needs_reply, replied = True, at + rng.randrange(20, 300)
        interaction_id = gen.add_interaction(
            client,
            kind=kind,
            at=at,
            direction=direction,
            needs_reply=needs_reply,
            replied=replied,
        )
        if kind in REPORTED_KINDS:
            _report_for_last(gen, client, interaction_id, at)
        d = day - rng.randrange(max(1, cadence * 45 // 100), cadence + 1)


def _report_for_last(gen: _Generator, client: _ClientInfo, interaction_id: int, at: int) -> None:
    contacts = [row[1] for row in gen.rows["interaction_contact"] if row[0] == interaction_id]
    gen.add_report(client, interaction_id, at, contacts)


def _today_slots(clock: _Clock, count: int) -> list[int]:
    """``count`` half-hour slots of today's working hours (09:00-17:30 local, in minutes after
    midnight): one already past (not logged yet) and the rest spread over what is left of the
    day; the last slots of the day when it is nearly over."""
    local_now = clock.now_m + clock.offset(0)  # minutes since local midnight
    slots = list(range(9 * 60, 18 * 60, 30))
    ahead = [slot for slot in slots if slot >= local_now + 30]
    behind = [slot for slot in reversed(slots) if slot <= local_now - 30]
    n_ahead = min(len(ahead), count - (1 if behind else 0))
    if n_ahead == 1:
        chosen = ahead[:1]
    else:
        chosen = [ahead[i * (len(ahead) - 1) // (n_ahead - 1)] for i in range(n_ahead)] if n_ahead else []
    chosen += behind[: count - len(chosen)]
    chosen += [slot for slot in slots if slot not in chosen][: count - len(chosen)]
    return sorted(chosen)


def _small_scenario(gen: _Generator) -> None:
    """The events the demo is about: today's agenda, misses, messages, owed reports."""
    rng, clock = gen.rng, gen.clock
    c = gen.clients
    # Planned for today, in working hours, mostly still ahead of now.
    today = (
        ("romashka", "call", "Подтвердить заказ на следующий месяц"),
        ("tehnosfera", "meeting", "Встреча с ИТ-директором: продление лицензий"),
        ("severstal", "call", "Согласовать тарифы на перевозку"),
        ("mueller", "call", "Созвон по срокам поставки станков"),
    )
    for (key, kind, subject), minute in zip(today, _today_slots(clock, len(today)), strict=True):
        gen.add_interaction(c[key], kind=kind, at=clock.local(0, 0, minute), status="planned", subject=subject)
    # Planned over the next two weeks, on working days.
    busy = [k for k, v in c.items() if v.status in ("active", "prospect")]
    busy = [k for k in busy if k not in _SILENT and k != _NEVER_CONTACTED]
    for n in range(16):
        d = clock.workday_on_or_after(1 + n * 11 // 16)
        key = rng.choice(busy)
        kind = rng.choice(("call", "call", "visit", "meeting"))
        hour = rng.randrange(9, 18) if kind == "call" else rng.choice((10, 11, 14, 15))
        gen.add_interaction(c[key], kind=kind, at=clock.local(d, hour, rng.choice((0, 15, 30))), status="planned")
    # Planned in the past and never done: missed.
    gen.add_interaction(
        c["polimer"], kind="call", at=clock.local(-2, 11), status="planned", subject="Перезвонить по образцам"
    )
    gen.add_interaction(
        c["optima"],
        kind="visit",
        at=clock.local(-1, 15),
        status="planned",
        subject="Визит на склад: новая схема отгрузок",
    )
    # Done visits and meetings of the last ten days still without a meeting report.
    for key, kind, d, hour, subject in (
        ("romashka", "visit", -2, 11, "Визит: выкладка в новых магазинах сети"),
        ("farmtrade", "meeting", -4, 14, "Встреча с закупками по тендеру"),
        ("energosbyt", "visit", -6, 10, "Визит на объект: аудит поставок"),
        ("ladoga", "meeting", -9, 15, "Переговоры по условиям на следующий год"),
    ):
        gen.add_interaction(c[key], kind=kind, at=clock.local(d, hour, 30), subject=subject)
    # ...and a recent one whose report was written.
    at = clock.local(-5, 11)
    meeting = gen.add_interaction(c["severstal"], kind="meeting", at=at, subject="Квартальный бизнес-обзор (QBR)")
    _report_for_last(gen, c["severstal"], meeting, at)
    # The client had to call first.
    for key, d, hour, minute, subject in (
        ("volga", -5, 9, 40, "Клиент звонил сам: где отгрузка по заказу № 1187?"),
        ("farmtrade", -2, 16, 10, "Клиент звонил сам: не пришли закрывающие документы"),
        ("tranzit", -20, 12, 15, "Звонили сами: просят перенести поставку"),
    ):
        gen.add_interaction(
            c[key],
            kind="call",
            at=clock.local(d, hour, minute),
            direction="inbound",
            subject=subject,
            outcome="Разобрался, перезвонил с ответом",
        )
    # Messages waiting for an answer.
    for key, kind, at, subject in (
        ("romashka", "message", clock.now_m - 95, "Можно добавить 20 коробок к заказу?"),
        ("kamsky", "email", clock.local(-1, 16, 20), "Запрос КП на упаковку для новой линии"),
        ("northwind", "email", clock.local(-2, 11, 5), "Request for quotation: 2 containers"),
    ):
        gen.add_interaction(
            c[key], kind=kind, at=at, direction="inbound", subject=subject, outcome=None, needs_reply=True
        )


def _small_money(gen: _Generator) -> None:
    rng, clock = gen.rng, gen.clock
    c = gen.clients
    # Contracts whose end (and notice) is near, then ordinary ones.
    special = {
        "romashka": (25, False, 30),
        "energosbyt": (14, True, 30),
        "neftemash": (40, False, 30),
        "uralhim": (50, True, 60),
        "farmtrade": (80, False, 60),
        "volga": (88, True, 30),
    }
    year = clock.today.year
    for firm in _FIRMS:
        client = c[firm.key]
        number = f"Д-{year - 1}/{client.id:03d}"
        value = _money(rng, 3_000_000, 40_000_000)
        if firm.key in special:
            end, renew, notice = special[firm.key]
            gen.add_contract(
                client,
                number=number,
                title="Договор поставки",
                start=end - 730,
                end=end,
                auto_renew=renew,
                notice_days=notice,
                value_minor=value,
                status="active",
            )
        elif firm.status == "prospect":
            if firm.key == "zelkvartal":
                gen.add_contract(
                    client,
                    number=f"Д-{year}/проект",
                    title="Договор поставки (проект)",
                    start=None,
                    end=None,
                    auto_renew=False,
                    notice_days=30,
                    value_minor=value,
                    status="draft",
                )
        elif firm.status in ("dormant", "lost"):
            end = -rng.randrange(40, 200)
            gen.add_contract(
                client,
                number=number,
                title="Договор поставки",
                start=end - 365,
                end=end,
                auto_renew=False,
                notice_days=30,
                value_minor=value,
                status="terminated" if firm.key == "dekor" else "expired",
            )
        elif firm.key != _NEVER_CONTACTED:
            if firm.key == "severstal":
                gen.add_contract(
                    client,
                    number=f"Д-{year - 3}/{client.id:03d}",
                    title="Договор перевозки",
                    start=-760,
                    end=-30,
                    auto_renew=False,
                    notice_days=30,
                    value_minor=value,
                    status="expired",
                )
            end = rng.randrange(100, 500)
            gen.add_contract(
                client,
                number=number,
                title="Договор поставки",
                start=end - 730,
                end=end,
                auto_renew=rng.random() < 0.5,
                notice_days=rng.choice((0, 30, 60)),
                value_minor=value,
                status="active",
            )

    # Invoices: a monthly history, paid, with the unpaid ones placed on purpose.
    # key -> (days overdue, amount or None for a random one, paid share %)
    overdue: dict[str, list[tuple[int, int | None, int]]] = {
        "romashka": [(12, 41_250_050, 0)],
        "alfasnab": [(5, None, 0)],
        "metallurg": [(25, None, 40)],
        "northwind": [(35, None, 0)],
        "volga": [(45, None, 50)],
        "kamsky": [(75, None, 0)],
        "sibdom": [(130, None, 0)],
        "dekor": [(200, None, 0)],
    }
    for firm in _FIRMS:
        if firm.status == "prospect" or firm.key == _NEVER_CONTACTED:
            continue
        _invoice_history(gen, firm, overdue.get(firm.key, []))


# Invoice sizes by the client's stored tier, so that the demo's ABC suggestions are a few real
# changes to review, not a reshuffle of the whole portfolio.
# Roubles; roughly the monthly plan (add_targets) in all, A clients making ~80% of it.
_INVOICE_RANGE = {"A": (1_800_000, 2_600_000), "B": (110_000, 240_000), "C": (90_000, 200_000)}
# A euro or a pound buys more: invoices in them are this many times smaller in number.
_CURRENCY_SCALE = {"RUB": 1, "EUR": 90, "GBP": 100}


def _invoice_history(gen: _Generator, firm: _Firm, overdue: list[tuple[int, int | None, int]]) -> None:
    """A client's monthly invoices over the last year, paid, then the unpaid ones placed on purpose."""
    rng, clock = gen.rng, gen.clock
    client = gen.clients[firm.key]
    terms = client.terms
    first = -rng.randrange(330, 365) if firm.status == "active" else -360
    last = 0 if firm.status == "active" else -200 - terms
    issued = first
    while issued <= last:
        d = clock.workday_on_or_before(issued)
        due = d + terms
        low, high = _INVOICE_RANGE.get(firm.tier, (80_000, 2_500_000))
        scale = _CURRENCY_SCALE.get(client.currency, 1)
        amount = _money(rng, low // scale, high // scale)
        if due >= 0:
            partial = rng.random() < 0.2
            paid = amount * rng.choice((30, 50)) // 100 if partial else 0
            gen.add_invoice(
                client,
                issued=d,
                due=due,
                amount=amount,
                paid=paid,
                paid_on=max(d, clock.workday_on_or_before(-1)) if partial else None,
            )
        else:
            paid_on = min(due + rng.randrange(-10, 8), -1)
            gen.add_invoice(client, issued=d, due=due, amount=amount, paid=amount, paid_on=max(paid_on, d))
        issued += rng.randrange(25, 40) if firm.tier != "C" else rng.randrange(50, 80)
    for days_overdue, amount_or_none, share in overdue:
        due = -days_overdue
        amount = amount_or_none or _money(rng, 150_000, 1_800_000)
        paid = amount * share // 100
        gen.add_invoice(
            client, issued=due - terms, due=due, amount=amount, paid=paid, paid_on=due + 3 if paid else None
        )


def _year_before(gen: _Generator) -> None:
    """The year before the last one, paid in full and a little smaller, so that growth against a year
    earlier compares real months. It ends before the trailing twelve months, so ABC is the same; its own
    random numbers keep the rest of the demo as it was."""
    shared_rng, gen.rng = gen.rng, random.Random("amtui the year before")
    rng, clock = gen.rng, gen.clock
    try:
        last = clock.month_start(-12) - 1
        for firm in (*_FIRMS, *_ITALIAN_FIRMS):
            if firm.status == "prospect" or firm.key == _NEVER_CONTACTED:
                continue
            client = gen.clients[firm.key]
            low, high = _INVOICE_RANGE.get(firm.tier, (80_000, 2_500_000))
            scale = _CURRENCY_SCALE.get(client.currency, 1)
            issued = last - rng.randrange(0, 20) - 365
            while issued <= last:
                d = clock.workday_on_or_before(issued)
                due = d + client.terms
                amount = _money(rng, low * 8 // 10 // scale, high * 9 // 10 // scale)
                paid_on = min(due + rng.randrange(-10, 8), -1)
                gen.add_invoice(client, issued=d, due=due, amount=amount, paid=amount, paid_on=max(paid_on, d))
                issued += rng.randrange(25, 40) if firm.tier != "C" else rng.randrange(50, 80)
    finally:
        gen.rng = shared_rng


def _small_tasks(gen: _Generator) -> None:
    rng, clock = gen.rng, gen.clock
    c = gen.clients

    def at(d: int, hour: int = 10) -> int:
        return gen.past(clock.local(d, hour, 0))

    own = (
        ("Подготовить КП для «Ромашки» на новый ассортимент", "romashka", -3, 0, "high"),
        ("Выставить счёт «Волга-Агро» за последнюю поставку", "volga", -1, 0, "normal"),
        ("Поздравить Ирину Викторовну («Ромашка») с днём рождения", "romashka", -5, 0, "normal"),
        ("Отправить акт сверки «Сибирскому дому»", "sibdom", -14, -3, "normal"),
        ("Позвонить в «Нефтемаш» по продлению договора", "neftemash", -20, -8, "high"),
        ("Согласовать скидку для «Фармтрейда» с руководителем", "farmtrade", -2, 2, "normal"),
        ("Подготовить отчёт по продажам за месяц", None, -6, 5, "normal"),
        ("Обновить прайс-лист для дилеров", None, -4, 9, "low"),
        ("Запросить у «Ладоги» спецификацию на новый год", "ladoga", -9, -1, "normal"),
    )
    for title, key, created_d, due, priority in own:
        gen.add_task(
            title=title,
            client=c[key] if key else None,
            assignee=None,
            created=at(created_d),
            due=due,
            priority=priority,
        )
    delegated = (
        # title, client, assignee, created, due, checked in
        ("Проверить остатки на складе под заказ «Ромашки»", "romashka", "Петров (логистика)", -6, 4, False),
        (
            "Подготовить допсоглашение о продлении для «ЭнергоСбыт-Сервиса»",
            "energosbyt",
            "Юрист Елена Кравец",
            -10,
            6,
            False,
        ),
        ("Сверить оплаты «Уралхиммаша» за квартал", "uralhim", "Бухгалтерия (Ольга Петровна)", -8, 1, False),
        ("Организовать доставку образцов в «Полимер-Центр»", "polimer", "Петров (логистика)", -12, -2, True),
        ("Собрать отзывы клиентов для кейса на сайт", None, "Анна Смирнова", -3, 20, False),
        ("Проверить протокол разногласий «Нефтемаша»", "neftemash", "Юрист Елена Кравец", -2, 12, False),
        ("Настроить ЭДО с «ТехноСферой»", "tehnosfera", "Анна Смирнова", -15, 3, True),
    )
    for title, key, assignee, created_d, due, checked in delegated:
        gen.add_task(
            title=title,
            client=c[key] if key else None,
            assignee=assignee,
            created=at(created_d, 11),
            due=due,
            checked_in=checked,
            priority="high" if due <= 1 else "normal",
        )
    # Finished and cancelled work over the past months.
    active = [k for k, v in c.items() if v.status == "active" and k != _NEVER_CONTACTED]
    for n in range(18):
        due = -rng.randrange(5, 300)
        key = rng.choice(active)
        helper = rng.choice(_COLLEAGUES) if n % 3 == 0 else None
        gen.add_task(
            title=rng.choice(_NEXT_STEPS),
            client=c[key],
            assignee=helper,
            created=clock.local(due - rng.randrange(3, 20), 10),
            due=due,
            status="cancelled" if n == 7 else "done",
            checked_in=True,
        )


def _small_deals_and_notes(gen: _Generator) -> None:
    rng = gen.rng
    c = gen.clients
    deals = (
        ("romashka", "upsell", "proposal", 20, "Расширение ассортимента на 30 SKU"),
        ("romashka", "renewal", "negotiation", 25, "Продление договора поставки"),
        ("uralhim", "cross_sell", "qualified", 45, "Поставка упаковки для запчастей"),
        ("farmtrade", "upsell", "negotiation", 15, "Объём на следующий год +20 %"),
        ("zelkvartal", "new", "proposal", -7, "Первая поставка на объект в Коммунарке"),
        ("gorizont", "new", "lead", -15, None),
        ("gidromash", "new", "qualified", 30, "Пилот на насосной станции"),
        ("neftemash", "renewal", "negotiation", -3, "Продление рамочного договора"),
        ("schaefer", "cross_sell", "lead", 90, "Ersatzteile: новая категория"),
        ("energosbyt", "renewal", "proposal", 10, None),
        ("tehnosfera", "upsell", "lead", 60, None),
        ("severstal", "cross_sell", "proposal", 35, "Складские услуги в Шушарах"),
        ("kamsky", "new", "qualified", 50, "Упаковка для новой линии"),
        ("itresh", "upsell", "negotiation", -10, "Расширение лицензий"),
        ("volga", "renewal", "won", -40, None),
        ("romashka", "upsell", "won", -70, "Сезонная поставка"),
        ("farmtrade", "cross_sell", "won", -110, None),
        ("severstal", "renewal", "won", -150, None),
        ("ladoga", "new", "won", -200, None),
        ("uralhim", "upsell", "won", -20, None),
        ("medtech", "cross_sell", "lost", -60, None),
        ("arbat", "renewal", "lost", -95, None),
        ("mueller", "new", "won", -130, "Erstlieferung"),
        ("stroymarket", "upsell", "lost", -25, None),
    )
    for key, kind, stage, expected, title in deals:
        gen.add_deal(
            c[key], kind=kind, stage=stage, amount=_money(rng, 400_000, 9_000_000), expected=expected, title=title
        )
    for firm in _FIRMS:
        client = c[firm.key]
        for tag in rng.sample(("competitor", "need", "personal", "general"), 2):
            gen.add_note(client, tag, rng.choice(_NOTES[tag]), -rng.randrange(1, 200))
    gen.add_note(c["romashka"], "competitor", "«ПромПоставка» снова звонила Орлову: предлагают -7 % на год", -4)


def _small_complaints(gen: _Generator) -> None:
    """A complaint in every state: due tomorrow, overdue, delegated (check-in due), untouched for long,
    resolved three days ago (the follow-up call), resolved and followed up long ago, rejected."""
    c, rng = gen.clients, gen.rng
    gen.add_complaint(
        c["romashka"], kind="claim", title="Бой стекла в партии от 18-го", opened=-2, due=1, touched=-1,
        amount=_money(rng, 40_000, 90_000), contact=c["romashka"].contacts[0],
        description="12 коробок из 40 пришли с разбитыми банками; фото в письме от закупщика",
    )  # fmt: skip
    gen.add_complaint(
        c["uralhim"], kind="shortage", title="Недовложение по накладной 4417", opened=-12, due=-3, touched=-6,
        amount=_money(rng, 15_000, 60_000), status="in_progress",
    )  # fmt: skip
    gen.add_complaint(
        c["farmtrade"], kind="return", title="Возврат партии с коротким сроком годности", opened=-6, due=9,
        touched=-5, owner=_COLLEAGUES[0], status="in_progress",
    )  # fmt: skip
    gen.add_complaint(
        c["gidromash"], kind="dispute", title="Спор о цене доставки", opened=-20, due=None, touched=-12,
        amount=_money(rng, 5_000, 20_000),
    )  # fmt: skip
    gen.add_complaint(
        c["metallurg"], kind="complaint", title="Водитель не дождался приёмки", opened=-9, due=-4, touched=-3,
        status="resolved", resolved=-3, resolution="Извинились, следующая поставка со скидкой 3 %",
    )  # fmt: skip
    gen.add_complaint(
        c["severstal"], kind="claim", title="Пересорт в поставке", opened=-90, due=-80, touched=-81,
        status="resolved", resolved=-81, resolution="Заменили товар за свой счёт", amount=_money(rng, 20_000, 50_000),
    )  # fmt: skip
    gen.add_complaint(
        c["medtech"], kind="complaint", title="Менеджер не перезвонил", opened=-40, due=-35, touched=-36,
        status="rejected", resolved=-36, resolution="Звонок был, клиент не ответил: показали журнал звонков",
    )  # fmt: skip


_COMPLAINT_TITLES = (
    ("claim", "Бой при доставке"), ("shortage", "Недовложение"), ("return", "Возврат некондиции"),
    ("dispute", "Спор о цене"), ("complaint", "Опоздание поставки"), ("complaint", "Ошибка в счёте"),
)  # fmt: skip


def _large_complaints(gen: _Generator, clients: list[_ClientInfo]) -> None:
    """A few hundred complaints over the year: most settled, some open, a handful late or stale."""
    rng = gen.rng
    rnd = rng.random
    for _ in range(LARGE_COUNTS["complaint"]):
        client = clients[int(rnd() * len(clients))]
        kind, title = _COMPLAINT_TITLES[int(rnd() * len(_COMPLAINT_TITLES))]
        opened = -int(rnd() * 360)
        due = opened + 3 + int(rnd() * 20)
        u = rnd()
        settled = opened < -30 or u < 0.6
        resolved = min(due + int(rnd() * 6) - 3, 0) if settled else None
        if resolved is not None:
            resolved = max(resolved, opened)
        gen.add_complaint(
            client, kind=kind, title=title, opened=opened, due=due,
            status=("resolved" if rnd() < 0.85 else "rejected") if settled else ("open", "in_progress")[int(u * 2)],
            touched=resolved if resolved is not None else min(opened + int(rnd() * 15), 0),
            amount=_money(rng, 5_000, 300_000) if rnd() < 0.6 else None,
            owner=_COLLEAGUES[int(rnd() * len(_COLLEAGUES))] if rnd() < 0.3 else None,
            resolved=resolved, resolution="Урегулировано" if settled else None,
        )  # fmt: skip


# ---------------------------------------------------------------------------
# The large (benchmark) portfolio
# ---------------------------------------------------------------------------

_STEMS = (
    "Альфа",
    "Вектор",
    "Гранит",
    "Меридиан",
    "Прогресс",
    "Континент",
    "Север",
    "Восток",
    "Стандарт",
    "Импульс",
    "Орион",
    "Спектр",
    "Титан",
    "Феникс",
    "Эталон",
    "Ресурс",
    "Союз",
    "Магистраль",
    "Атлант",
    "Волга",
    "Урал",
    "Байкал",
    "Енисей",
    "Кама",
    "Ладога",
    "Нева",
    "Сфера",
    "Кристалл",
    "Арсенал",
    "Горизонт",
    "Зенит",
    "Квант",
    "Лидер",
    "Монолит",
    "Навигатор",
    "Олимп",
    "Пульсар",
    "Радуга",
    "Сигма",
    "Тандем",
    "Форвард",
    "Хронос",
    "Циркон",
    "Эверест",
    "Ямал",
    "Ёлка",
    "Аврора",
    "Бриз",
    "Гелиос",
    "Дельта",
    "Заря",
    "Исток",
    "Кедр",
    "Легион",
    "Мегаполис",
    "Нордик",
    "Омега",
    "Пилот",
    "Ритм",
    "Старт",
    "Триумф",
    "Уют",
    "Фактор",
    "Чайка",
    "Шторм",
    "Энергия",
    "Юпитер",
    "Якорь",
    "Сокол",
    "Берёза",
)
_SUFFIXES = (
    "Строй",
    "Трейд",
    "Логистик",
    "Пром",
    "Снаб",
    "Сервис",
    "Групп",
    "Маркет",
    "Инвест",
    "Агро",
    "Тех",
    "Мед",
    "Энерго",
    "Холдинг",
    "Опт",
    "Пласт",
    "Металл",
    "Авто",
    "Фуд",
    "Хим",
    "Транс",
    "Дом",
    "Софт",
    "Мебель",
    "Текстиль",
    "Терминал",
    "Систем",
    "Проект",
    "Ойл",
    "Фарм",
)


def _build_large(gen: _Generator) -> None:
    rng, clock = gen.rng, gen.clock
    rnd = rng.random
    n_clients = LARGE_COUNTS["client"]
    gen.add_targets(450_000_000)

    # Clients.
    names = [f"{stem}-{suffix}" for stem in _STEMS for suffix in _SUFFIXES]
    rng.shuffle(names)
    clients: list[_ClientInfo] = []
    silent_gap: list[int] = []
    for index in range(n_clients):
        client_id = gen.next_id("client")
        tier = "A" if index % 10 == 0 else ("B" if index % 10 < 4 else "C")
        u = rnd()
        status = "active" if u < 0.85 else ("prospect" if u < 0.92 else ("dormant" if u < 0.97 else "lost"))
        city = _LARGE_CITIES[int(rnd() * len(_LARGE_CITIES))]
        info = _CITIES[city]
        sole = rnd() < 0.08
        if sole:
            given, middle, family, _sex = gen.person()
            name = f"ИП {family} {given[0]}.{middle[0]}."
            legal = f"Индивидуальный предприниматель {family} {given} {middle}"
            domain = None
        else:
            form = "ООО" if rnd() < 0.85 else ("АО" if rnd() < 0.8 else "ПАО")
            stem = names[index % len(names)]
            if index >= len(names):
                stem = f"{stem} {city}"
            name = f"{form} «{stem}»"
            legal = _legal_name(name)
            domain = f"{_latin(names[index % len(names)])}{index // len(names) or ''}.ru"
        address = f"{city}, {rng.choice(info.streets)}, д. {rng.randrange(1, 150)}"
        terms = (14, 30, 30, 45, 60)[int(rnd() * 5)]
        created_d = -rng.randrange(400, 1400) if status != "prospect" else -rng.randrange(20, 200)
        created = clock.local(created_d, 10)
        gen.rows["client"].append(
            _client_row(
                id=client_id,
                name=name,
                name_folded=fold(name),
                legal_name=legal,
                tax_id=_inn(rng, info.inn_region, person=sole),
                segment=_SEGMENTS[int(rnd() * len(_SEGMENTS))],
                tier=tier,
                status=status,
                cadence_days=None,
                city=city,
                address=address,
                website=f"https://{domain}" if domain else None,
                phone=_landline(rng, info.phone_code),
                email=f"info@{domain}" if domain else None,
                currency="RUB",
                credit_limit_minor=None,
                payment_terms_days=terms,
                discount_bp=(700, 300, None)["ABC".index(tier)],
                annual_potential_minor=rng.randrange(1_000_000, 80_000_000) * 100,
                needs=None,
                competitors=None,
                created_at=clock.ts(created),
                updated_at=clock.ts(created + 1440 * 30),
            )
        )
        clients.append(
            _ClientInfo(
                id=client_id,
                name=name,
                tier=tier,
                status=status,
                city=city,
                address=address,
                currency="RUB",
                domain=domain,
                terms=terms,
                cadence=_CADENCE[tier],
                created_d=created_d,
            )
        )
        # One client in ten (and the dormant and lost ones) has gone quiet.
        quiet = status in ("dormant", "lost") or rnd() < 0.1
        silent_gap.append(_CADENCE[tier] + 2 + int(rnd() * 60) if quiet else 0)

    # Contacts: two per client, the rest spread at random.
    per_client = [2] * n_clients
    for _ in range(LARGE_COUNTS["contact"] - 2 * n_clients):
        per_client[int(rnd() * n_clients)] += 1
    for client, count in zip(clients, per_client, strict=True):
        for index in range(count):
            given, middle, family, _sex = gen.person()
            if index == 0 and rnd() < 0.95:
                title, department = _DECISION_MAKER_TITLES[int(rnd() * 3)]
                role = "decision_maker"
            else:
                title, department, role = _OTHER_TITLES[int(rnd() * len(_OTHER_TITLES))]
            md, year = gen.random_birthday(avoid=(1, 0))
            gen.add_contact(
                client,
                given=given,
                middle=middle,
                family=family,
                title=title,
                department=department,
                role=role,
                birthday_md=md,
                birthday_year=year,
                notes=_PERSONAL_NOTES[int(rnd() * len(_PERSONAL_NOTES))] if rnd() < 0.3 else None,
                channel=None,
                created_d=min(client.created_d + 10, -1),
            )

    _large_interactions(gen, clients, silent_gap)
    _large_tasks(gen, clients)
    _large_money(gen, clients)
    _large_complaints(gen, clients)


def _large_interactions(gen: _Generator, clients: list[_ClientInfo], silent_gap: list[int]) -> None:
    rng, clock = gen.rng, gen.clock
    rnd = rng.random
    ts = clock.ts
    now_m = clock.now_m
    # Clients drawn in proportion to how often a tier is touched.
    weights = {"A": 8, "B": 3, "C": 1}
    pool = [i for i, c in enumerate(clients) for _ in range(weights[c.tier])]
    n_pool = len(pool)
    kinds = ("call",) * 50 + ("email",) * 25 + ("message",) * 9 + ("visit",) * 8 + ("meeting",) * 8
    offsets = [clock.offset(d) for d in range(-400, 16)]  # index d + 400
    texts = {kind: (pair[0], pair[1], len(pair[0]), len(pair[1])) for kind, pair in _KIND_TEXTS.items()}
    durations = {"call": 10, "visit": 90, "meeting": 60, "email": None, "message": None}
    interaction_rows = gen.rows["interaction"]
    link_rows = gen.rows["interaction_contact"]
    report_rows = gen.rows["meeting_report"]
    attendee_rows = gen.rows["report_attendee"]
    step_rows = gen.rows["next_step"]
    day = clock.day
    n_agenda, n_agree, n_steps = len(_AGENDAS), len(_AGREEMENTS), len(_NEXT_STEPS)
    for _ in range(LARGE_COUNTS["interaction"]):
        index = pool[int(rnd() * n_pool)]
        client = clients[index]
        kind = kinds[int(rnd() * 100)]
        gap = silent_gap[index]
        u = rnd()
        if gap:
            d, status = -gap - int(rnd() * (366 - gap)), "done"
        elif u < 0.025:
            d, status = int(rnd() * 15), "planned"
        elif u < 0.026:
            d, status = -1 - int(rnd() * 20), "planned"
        elif u < 0.036:
            d, status = -int(rnd() * 366), "cancelled"
        else:
            d, status = -int(rnd() * 366), "done"
        m = d * 1440 + 540 + int(rnd() * 108) * 5 - offsets[d + 400]
        if status == "done" and m >= now_m:
            m = now_m - 1 - int(rnd() * 240)
        subjects, outcomes, n_subjects, n_outcomes = texts[kind]
        direction, needs_reply, replied = "outbound", False, None
        if kind != "visit" and kind != "meeting" and rnd() < 0.15:
            direction = "inbound"
            if kind != "call" and status == "done":
                needs_reply = True
                # A few of the last days' messages are still waiting for an answer.
                unanswered = d > -3 and rnd() < 0.3
                replied = None if unanswered else min(m + 20 + int(rnd() * 600), now_m - 1)
        planned = m if status != "done" or kind == "visit" or kind == "meeting" else None
        created = m - 1440 - int(rnd() * 7) * 1440 if planned is not None else m
        if created >= now_m:
            created = now_m - 1
        interaction_id = len(interaction_rows) + 1
        interaction_rows.append(
            (
                interaction_id,
                client.id,
                kind,
                direction,
                status,
                ts(planned),
                durations[kind],
                ts(m) if status == "done" else None,
                client.address if kind == "visit" else None,
                client.city if kind == "visit" else None,
                subjects[int(rnd() * n_subjects)],
                outcomes[int(rnd() * n_outcomes)] if status == "done" else None,
                needs_reply,
                ts(replied),
                ts(created),
                ts(m if status == "done" else created),
            )
        )
        contacts = client.contacts
        contact_id = contacts[int(rnd() * len(contacts))]
        link_rows.append((interaction_id, contact_id))
        if status == "done" and (kind == "visit" or kind == "meeting") and rnd() < (0.99 if d < -10 else 0.7):
            report_id = len(report_rows) + 1
            written = min(m + 120 + int(rnd() * 300), now_m - 11)
            report_rows.append(
                (
                    report_id,
                    interaction_id,
                    client.id,
                    None,
                    _AGENDAS[int(rnd() * n_agenda)],
                    _AGREEMENTS[int(rnd() * n_agree)],
                    ts(written),
                    ts(written + 10),
                    ts(written + 10),
                )
            )
            attendee_rows.append((report_id, contact_id))
            for position in range(1 + int(rnd() * 2)):
                step_rows.append(
                    (
                        len(step_rows) + 1,
                        report_id,
                        position,
                        _NEXT_STEPS[int(rnd() * n_steps)],
                        None,
                        day(d + 7 + position * 7),
                        None,
                    )
                )
    gen._ids["interaction"] = len(interaction_rows)
    gen._ids["meeting_report"] = len(report_rows)
    gen._ids["next_step"] = len(step_rows)


def _large_tasks(gen: _Generator, clients: list[_ClientInfo]) -> None:
    rng = gen.rng
    rnd = rng.random
    n_clients = len(clients)
    for _ in range(LARGE_COUNTS["task"]):
        client = clients[int(rnd() * n_clients)] if rnd() < 0.9 else None
        due = 60 - int(rnd() * 360)
        created = gen.clock.local(due - 2 - int(rnd() * 30), 9 + int(rnd() * 9))
        u = rnd()
        # A well-kept list: old tasks are closed, a few recent ones are late.
        if due < -14:
            status = "done" if u < 0.97 else ("cancelled" if u < 0.99 else "open")
        elif due < 0:
            status = "done" if u < 0.7 else ("cancelled" if u < 0.73 else "open")
        else:
            status = "done" if u < 0.2 else ("cancelled" if u < 0.22 else "open")
        assignee = _COLLEAGUES[int(rnd() * len(_COLLEAGUES))] if rnd() < 0.4 else None
        gen.add_task(
            title=_NEXT_STEPS[int(rnd() * len(_NEXT_STEPS))],
            client=client,
            assignee=assignee,
            created=created,
            due=due,
            status=status,
            priority=("high", "normal", "normal", "low")[int(rnd() * 4)],
            checked_in=rnd() < 0.6,
        )


_LARGE_INVOICE_FACTOR = {"A": 16, "B": 2, "C": 1}


def _large_money(gen: _Generator, clients: list[_ClientInfo]) -> None:
    rng, clock = gen.rng, gen.clock
    rnd = rng.random
    n_clients = len(clients)
    year = clock.today.year
    for n in range(LARGE_COUNTS["contract"]):
        client = clients[n % n_clients] if n < n_clients else clients[int(rnd() * n_clients)]
        start = -30 - int(rnd() * 1000)
        end = start + (365, 730, 1095)[int(rnd() * 3)]
        gen.add_contract(
            client,
            number=f"Д-{year + (start // 365)}/{n + 1:05d}",
            title="Договор поставки",
            start=start,
            end=end,
            auto_renew=rnd() < 0.4,
            notice_days=(0, 30, 60)[int(rnd() * 3)],
            value_minor=rng.randrange(1_000_000, 50_000_000) * 100,
            status="active" if end >= 0 else "expired",
        )
    weights = {"A": 6, "B": 3, "C": 1}
    pool = [c for c in clients for _ in range(weights[c.tier])]
    n_pool = len(pool)
    for _ in range(LARGE_COUNTS["invoice"]):
        client = pool[int(rnd() * n_pool)]
        issued = -int(rnd() * 400)
        due = issued + client.terms
        # Larger invoices from larger clients (about 80/15/5 % of revenue from tiers A/B/C, as stored),
        # so that the ABC rule suggests a realistic handful of changes, not a thousand.
        # Kopecks: on average 25,000 (C) to 400,000 RUB (A), ~540 million a month: near the plan (add_targets).
        amount = int(rnd() * 300_000_000) // 10 * _LARGE_INVOICE_FACTOR[client.tier] // 6
        u = rnd()
        if due >= 0:
            paid, paid_on = (amount // 2, max(-1, issued)) if u < 0.1 else (0, None)
        elif u < 0.97:
            paid, paid_on = amount, max(min(due + int(rnd() * 20) - 10, -1), issued)
        elif u < 0.99:
            paid, paid_on = 0, None
        else:
            paid, paid_on = amount // 3, max(due, issued)
        gen.add_invoice(client, issued=issued, due=due, amount=amount, paid=paid, paid_on=paid_on)
    kinds = ("new", "upsell", "cross_sell", "renewal")
    stages = tuple(_DEAL_PROBABILITY)
    for _ in range(6_000):
        client = clients[int(rnd() * n_clients)]
        stage = stages[int(rnd() * len(stages))]
        if stage in ("won", "lost"):
            expected = -int(rnd() * 300)
        else:  # open: one in twenty has slipped past its date
            expected = -1 - int(rnd() * 30) if rnd() < 0.05 else 1 + int(rnd() * 120)
        gen.add_deal(
            client, kind=kinds[int(rnd() * 4)], stage=stage, amount=int(rnd() * 1_000_000) * 1000, expected=expected
        )
    tags = tuple(_NOTES)
    for _ in range(8_000):
        client = clients[int(rnd() * n_clients)]
        tag = tags[int(rnd() * 4)]
        texts = _NOTES[tag]
        gen.add_note(client, tag, texts[int(rnd() * len(texts))], -int(rnd() * 365))


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def _is_fast(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite" and engine.dialect.driver == "pysqlite"


def _tables() -> dict[str, Table]:
    from sqlmodel import SQLModel

    import amtui.models  # noqa: F401  (registers every table)

    return {table.name: table for table in SQLModel.metadata.sorted_tables}


def _tables_with_rows(conn: Connection, tables: dict[str, Table]) -> list[str]:
    from sqlalchemy import literal, select

    return [
        name
        for name, table in tables.items()
        if conn.execute(select(literal(1)).select_from(table).limit(1)).first() is not None
    ]


def _describe(conn: Connection, tables: dict[str, Table], occupied: list[str]) -> str:
    """``40 clients``, or the first tables holding rows."""
    from sqlalchemy import func, select

    if "client" in occupied:
        clients = conn.execute(select(func.count()).select_from(tables["client"])).scalar_one()
        return f"{clients} client{'s' if clients != 1 else ''}" + (" and more" if len(occupied) > 1 else "")
    return "rows in " + ", ".join(occupied[:3]) + (" and more" if len(occupied) > 3 else "")


def _insert(conn: Connection, table: Table, rows: list[Row], *, fast: bool) -> None:
    if not rows:
        return
    columns = COLUMNS[table.name]
    if fast:
        names = ", ".join(f'"{name}"' for name in columns)
        marks = ", ".join("?" * len(columns))
        conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', rows)
        return
    statement = table.insert()
    for start in range(0, len(rows), _INSERT_CHUNK):
        chunk = rows[start : start + _INSERT_CHUNK]
        conn.execute(statement, [dict(zip(columns, row, strict=True)) for row in chunk])


def generate(size: Size, *, now: datetime, zone: tzinfo, seed: int, fast: bool) -> dict[str, list[Row]]:
    """The demo rows per table (in ``COLUMNS`` order), without touching a database."""
    if size not in ("small", "large"):
        raise ValueError(f"unknown demo size {size!r} (small or large)")
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    gen = _Generator(_Clock(now, zone, fast=fast), random.Random(seed))
    if size == "small":
        _build_small(gen)
    else:
        _build_large(gen)
    return gen.rows


def build_demo(
    engine: Engine,
    *,
    size: Size = "small",
    now: datetime | None = None,
    force: bool = False,
    seed: int = 2026,
) -> DemoSummary:
    """Fill the database behind ``engine`` (on the current schema) with the demo portfolio.

    Refuses (:class:`DemoRefusedError`) when any table holds rows, unless ``force``:
    then every row of every table is deleted first, in the same transaction.
    """
    return _build(engine, size=size, now=now, force=force, seed=seed, fast=_is_fast(engine))


def _build(engine: Engine, *, size: Size, now: datetime | None, force: bool, seed: int, fast: bool) -> DemoSummary:
    started = _time.perf_counter()
    now = now if now is not None else datetime.now(UTC)
    zone = local_zone()
    tables = _tables()
    with engine.connect() as conn:
        if fast:
            # A bulk load: foreign keys are not checked row by row (every id is generated
            # here and links by construction; the tests run PRAGMA foreign_key_check).
            # The pragma is ignored inside a transaction, so it is set around it.
            cache_size = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
            conn.exec_driver_sql(f"PRAGMA cache_size = {_BULK_CACHE_KIB}")
            conn.commit()
        try:
            with conn.begin():
                counts = _load(conn, tables, size=size, now=now, zone=zone, force=force, seed=seed, fast=fast)
        finally:
            if fast:
                conn.exec_driver_sql("PRAGMA foreign_keys = ON")
                conn.exec_driver_sql(f"PRAGMA cache_size = {int(cache_size or -2000)}")
                conn.commit()
    return DemoSummary(counts=counts, seconds=_time.perf_counter() - started)


def _load(
    conn: Connection,
    tables: dict[str, Table],
    *,
    size: Size,
    now: datetime,
    zone: tzinfo,
    force: bool,
    seed: int,
    fast: bool,
) -> dict[str, int]:
    if fast:
        # Take the write lock first, so that the emptiness check and the writes are one
        # atomic step: no other writer can slip in between.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    occupied = _tables_with_rows(conn, tables)
    if occupied and not force:
        raise DemoRefusedError(
            f"the database already holds data ({_describe(conn, tables, occupied)}); the demo only "
            "fills an empty database. Use --force to delete everything in it and load the demo instead"
        )
    rows = generate(size, now=now, zone=zone, seed=seed, fast=fast)
    for table in reversed(tables.values()) if occupied else ():
        conn.execute(table.delete())
    indexes: list[tuple[str, str]] = []
    if fast:
        # Building an index once over sorted keys is cheaper than keeping it up to date
        # over hundreds of thousands of random inserts; DDL is transactional in SQLite.
        names = ", ".join(f"'{name}'" for name in rows)
        indexes = [
            (str(name), str(sql))
            for name, sql in conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master "
                f"WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({names})"
            )
        ]
        for name, _sql in indexes:
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
    for name, table_rows in rows.items():
        _insert(conn, tables[name], table_rows, fast=fast)
    for _name, sql in indexes:
        conn.exec_driver_sql(sql)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("ANALYZE")
    elif conn.dialect.name == "postgresql":
        # The rows came with explicit ids: each id sequence must move past them, or the next
        # record added by hand collides with a demo row.
        for name, table in tables.items():
            if "id" in table.c and rows.get(name):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), max(id)) FROM {name} HAVING max(id) > 0"
                )
    return {name: len(table_rows) for name, table_rows in rows.items()}
