"""Settings: where the database lives, the user's time zone, mail.

Sources, strongest first: command-line options, environment variables, the
config file (``config.toml`` in the user's config dir, or ``AMTUI_CONFIG``),
defaults. Loading is cheap: no database or ORM import happens here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from amtui.services.workweek import WorkWeek

APP_NAME = "amtui"


class ConfigError(Exception):
    """The config file or an environment setting cannot be used."""


@dataclass(frozen=True)
class MailSettings:
    host: str = "localhost"
    port: int = 25
    security: str = "none"  # none | starttls | ssl
    user: str | None = None
    password: str | None = None
    sender: str = "amtui@localhost"
    timeout: float = 15.0


@dataclass(frozen=True)
class WorkSettings:
    """``[work]`` in config.toml: ``days = "mon-fri"``, ``hours = "09:00-18:00"``,
    ``holidays = "RU"`` (a country code for public holidays; ``""`` for none)."""

    days: str = "mon-fri"
    hours: str = "09:00-18:00"
    holidays: str = "RU"


@dataclass(frozen=True)
class Settings:
    db_url: str | None = None
    timezone: str | None = None
    currency: str = "RUB"
    mail: MailSettings = field(default_factory=MailSettings)
    birthday_days: int = 7
    # The country a phone number without a "+" belongs to (ISO 3166 code, e.g. RU, IT, DE).
    region: str = "RU"
    # The interface language (ru, it, en) as the config file sets it; amtui.i18n also weighs AMTUI_LANG and the locale.
    language: str | None = None
    # ``[cadence]`` in the config file: days between touches per client tier (A, B, C), over the defaults.
    cadence_days: dict[str, int] = field(default_factory=dict)
    # ``[keymap]`` in the config file: binding id -> keys ("ctrl+n,f6"), applied by the TUI.
    keymap: dict[str, str] = field(default_factory=dict)
    config_path: Path | None = None
    work: WorkSettings = field(default_factory=WorkSettings)
    portfolio: PortfolioConfig = field(default_factory=lambda: PortfolioConfig())
    # ``[complaints] stale_days``: an open complaint untouched this many days is an alert.
    complaint_stale_days: int = 7


@dataclass(frozen=True)
class PortfolioConfig:
    """The ``[portfolio]`` table: how the KPIs, ABC tiers, credit and stalled-deal alerts are judged."""

    active_days: int = 90
    upsell_days: int = 365
    abc_a: int = 80  # A: the clients making the first 80 % of revenue
    abc_b: int = 95  # B: up to 95 %; C: the rest
    abc_months: int = 12
    credit_warning_pct: int = 90
    # Days a deal may sit in a stage before it is stalled (stage -> days).
    stalled_days: tuple[tuple[str, int], ...] = (("lead", 30), ("qualified", 21), ("proposal", 14), ("negotiation", 21))


def user_data_dir() -> Path:
    from platformdirs import user_data_dir as _user_data_dir

    return Path(_user_data_dir(APP_NAME, appauthor=False))


def user_config_dir() -> Path:
    from platformdirs import user_config_dir as _user_config_dir

    return Path(_user_config_dir(APP_NAME, appauthor=False))


def user_cache_dir() -> Path:
    from platformdirs import user_cache_dir as _user_cache_dir

    return Path(_user_cache_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return user_data_dir() / "amtui.db"


def config_file_path() -> Path:
    explicit = os.environ.get("AMTUI_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    return user_config_dir() / "config.toml"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            import tomllib  # only when there is a file to read (~5 ms of a command's start-up)

            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except ValueError as exc:  # tomllib.TOMLDecodeError (or bytes that are not UTF-8)
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def _int_setting(value: Any, name: str, source: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{source}: {name}: expected a whole number, got {value!r}") from None


def _region_setting(value: Any, source: str) -> str:
    region = str(value).strip().upper()
    if len(region) != 2 or not region.isascii() or not region.isalpha():
        raise ConfigError(f"{source}: region: expected a two-letter country code like RU or IT, got {value!r}")
    return region


def _language_setting(value: Any, source: str) -> str | None:
    if value is None or value == "":
        return None
    from amtui.i18n import normalize_language

    language = normalize_language(str(value))
    if language is None:
        raise ConfigError(f"{source}: language: expected ru, it or en, got {value!r}")
    return language


def load_settings() -> Settings:
    path = config_file_path()
    data = _read_toml(path)
    env = os.environ
    mail_data = data.get("mail", {}) if isinstance(data.get("mail"), dict) else {}
    port_raw = env.get("AMTUI_SMTP_PORT", mail_data.get("port"))
    security = env.get("AMTUI_SMTP_SECURITY", mail_data.get("security", "none")).lower()
    if security not in {"none", "starttls", "ssl"}:
        raise ConfigError(f"mail.security: expected none, starttls or ssl, got {security!r}")
    default_port = {"none": 25, "starttls": 587, "ssl": 465}[security]
    mail = MailSettings(
        host=env.get("AMTUI_SMTP_HOST", mail_data.get("host", "localhost")),
        port=_int_setting(port_raw, "mail.port", str(path)) if port_raw else default_port,
        security=security,
        user=env.get("AMTUI_SMTP_USER", mail_data.get("user")),
        # The password is read from the environment only, never from a file.
        password=env.get("AMTUI_SMTP_PASSWORD"),
        sender=env.get("AMTUI_MAIL_FROM", mail_data.get("from", "amtui@localhost")),
    )
    db_url = env.get("AMTUI_DATABASE_URL") or None
    if db_url is None:
        db_path = env.get("AMTUI_DB") or data.get("db")
        if db_path:
            db_url = path_to_url(Path(str(db_path)))
    portfolio = _portfolio_config(data.get("portfolio"), str(path))
    return Settings(
        portfolio=portfolio,
        db_url=db_url,
        timezone=env.get("AMTUI_TZ") or data.get("timezone"),
        currency=str(data.get("currency", "RUB")).upper(),
        mail=mail,
        birthday_days=_int_setting(data.get("birthday_days", 7), "birthday_days", str(path)),
        region=_region_setting(env.get("AMTUI_REGION") or data.get("region") or "RU", str(path)),
        language=_language_setting(data.get("language"), str(path)),
        cadence_days=_cadence(data.get("cadence"), str(path)),
        keymap=_keymap(data.get("keymap"), str(path)),
        config_path=path,
        work=_work_settings(data, env),
        complaint_stale_days=_complaint_stale_days(data.get("complaints"), str(path)),
    )


def _complaint_stale_days(value: Any, source: str) -> int:
    if value is None:
        return 7
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: complaints: expected a table like [complaints] stale_days = 7")
    days = _int_setting(value.get("stale_days", 7), "complaints.stale_days", source)
    if not 1 <= days <= 365:
        raise ConfigError(f"{source}: complaints.stale_days: expected 1 to 365 days, got {days}")
    return days


def _work_settings(data: dict[str, Any], env: os._Environ[str] | dict[str, str]) -> WorkSettings:
    work = data.get("work", {}) if isinstance(data.get("work"), dict) else {}
    days = work.get("days", "mon-fri")
    return WorkSettings(
        days=",".join(str(day) for day in days) if isinstance(days, list) else str(days),
        hours=str(work.get("hours", "09:00-18:00")),
        holidays=str(env.get("AMTUI_HOLIDAYS", work.get("holidays", "RU"))).strip().upper(),
    )


def _cadence(value: Any, source: str) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: cadence: expected a table like [cadence] A = 14")
    cadence = {}
    for tier, days in value.items():
        key = str(tier).strip().upper()
        if key not in {"A", "B", "C"}:
            raise ConfigError(f"{source}: cadence.{tier}: expected a tier A, B or C")
        number = _int_setting(days, f"cadence.{tier}", source)
        if not 1 <= number <= 3650:
            raise ConfigError(f"{source}: cadence.{tier}: expected 1 to 3650 days, got {number}")
        cadence[key] = number
    return cadence


def _keymap(value: Any, source: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(keys, str) for keys in value.values()):
        raise ConfigError(f'{source}: keymap: expected a table like [keymap] new-call = "ctrl+n"')
    return {str(binding_id): keys for binding_id, keys in value.items()}


def check_mail_settings(mail: MailSettings) -> MailSettings:
    """Mail settings go into SMTP commands and mail headers: a CR or LF would inject new ones."""
    for name, value in (("AMTUI_MAIL_FROM / mail.from", mail.sender), ("AMTUI_SMTP_HOST / mail.host", mail.host),
                        ("AMTUI_SMTP_USER / mail.user", mail.user)):  # fmt: skip
        if value is not None and any(char in str(value) for char in "\r\n\x00"):
            raise ConfigError(f"{name}: a line break or NUL is not allowed in {str(value)!r}")
    return mail


def _portfolio_config(data: Any, source: str) -> PortfolioConfig:
    if not isinstance(data, dict):
        return PortfolioConfig()
    default = PortfolioConfig()
    numbers = {
        name: _int_setting(data.get(name, getattr(default, name)), f"portfolio.{name}", source)
        for name in ("active_days", "upsell_days", "abc_a", "abc_b", "abc_months", "credit_warning_pct")
    }
    if not 0 < numbers["abc_a"] < numbers["abc_b"] <= 100:
        raise ConfigError(f"{source}: portfolio.abc_a/abc_b: need 0 < abc_a < abc_b <= 100")
    stalled = dict(default.stalled_days)
    raw_stalled = data.get("stalled_days", {})
    if not isinstance(raw_stalled, dict):
        raise ConfigError(f"{source}: portfolio.stalled_days: expected a table like {{ proposal = 14 }}")
    for stage, days in raw_stalled.items():
        if stage not in stalled:
            raise ConfigError(
                f"{source}: portfolio.stalled_days: {stage!r} is not an open stage ({', '.join(stalled)})"
            )
        stalled[stage] = _int_setting(days, f"portfolio.stalled_days.{stage}", source)
    return PortfolioConfig(**numbers, stalled_days=tuple(stalled.items()))


def path_to_url(path: Path) -> str:
    return f"sqlite:///{path.expanduser().resolve()}"


def resolve_db_url(cli_db: str | None = None) -> str:
    """The database to use: ``--db`` (a path or a URL), then settings, then the default."""
    return resolve_db(cli_db)[0]


def resolve_db(cli_db: str | None = None) -> tuple[str, bool]:
    """``(url, is_default)``: only the default database (no ``--db``, no setting) is created when
    missing; a path the user named must exist (``amtui init PATH`` creates one), so a typo is an
    error instead of a new empty database."""
    if cli_db:
        return (cli_db if "://" in cli_db else path_to_url(Path(cli_db))), False
    settings = load_settings()
    if settings.db_url:
        return settings.db_url, False
    return path_to_url(default_db_path()), True


@lru_cache(maxsize=8)
def _zone(name: str | None) -> tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"unknown time zone {name!r} (use a name like Europe/Moscow)") from None
    system = _system_zone_name()
    if system:
        try:
            return ZoneInfo(system)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    # No zone name to be found: dateutil reads the C library's idea of local time (slower per call).
    from dateutil.tz import tzlocal

    return tzlocal()


def _system_zone_name() -> str | None:
    """The system zone's IANA name from $TZ, /etc/localtime or /etc/timezone (ZoneInfo is
    several times faster per conversion than a libc-backed local zone)."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz and "/" in tz and not tz.startswith("/"):
        return tz
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        return target.split("zoneinfo/", 1)[1]
    try:
        return Path("/etc/timezone").read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def current_time() -> datetime:
    """Now, aware, in UTC; ``AMTUI_NOW`` (ISO) freezes it for tests, demos and screenshots."""
    frozen = os.environ.get("AMTUI_NOW")
    if frozen:
        value = datetime.fromisoformat(frozen)
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.now(UTC)


@lru_cache(maxsize=1)
def work_week() -> WorkWeek:
    """The working week from ``[work]`` in the config file (and ``AMTUI_HOLIDAYS``)."""
    from amtui.services.workweek import WorkWeek, parse_days, parse_hours

    path = config_file_path()
    work = _work_settings(_read_toml(path), os.environ)
    try:
        start, end = parse_hours(work.hours)
        days = parse_days(work.days)
    except ValueError as exc:
        raise ConfigError(f"{path}: [work]: {exc}") from None
    return WorkWeek(days=days, start=start, end=end, country=work.holidays or None)


def local_zone() -> tzinfo:
    """The user's time zone: ``AMTUI_TZ``/config ``timezone``, else the system's."""
    return _zone(os.environ.get("AMTUI_TZ") or _config_timezone())


@lru_cache(maxsize=1)
def _config_timezone() -> str | None:
    try:
        value = _read_toml(config_file_path()).get("timezone")
    except ConfigError:
        return None
    return str(value) if value else None
