"""Alert channels: a YAML file (FUNDWATCH_ALERTS or `alerts:` in the config file) of webhook
and email channels, each with filters, delivery settings and a retry schedule.

Secrets (`secret`, `password`) are only accepted as `${ENV_VAR}` references; any field may use
them (a Slack webhook URL is a secret too). Secret values never appear in `repr` or errors.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from fundwatch.configuration.cadence import parse_duration
from fundwatch.configuration.errors import ConfigError
from fundwatch.configuration.settings import Settings

NAME_PATTERN = r"^[a-z0-9][a-z0-9_\-]{0,62}$"
_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_SECRET_FIELDS = ("secret", "password")
_ADDRESS = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+$")


class AlertsConfigError(ConfigError):
    """The alert channels file is invalid; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def _seconds(value: Any) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds()
    return parse_duration(value).total_seconds()


Seconds = Annotated[float, Field(gt=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class RetrySchedule(_Strict):
    """Exponential backoff with jitter; a row is given up once `give_up_after` has passed."""

    initial: Seconds = 30.0
    factor: float = Field(default=2.0, ge=1.0, le=10.0)
    max_delay: Seconds = 4 * 3600.0
    jitter: float = Field(default=0.2, ge=0.0, le=1.0)
    give_up_after: Seconds = 24 * 3600.0

    @field_validator("initial", "max_delay", "give_up_after", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float:
        return _seconds(value)


class Filters(_Strict):
    """Which funding events a channel wants; an empty filter accepts everything."""

    min_amount_usd: float | None = Field(default=None, ge=0)
    include_undisclosed_amount: bool = False
    languages: list[str] = Field(default_factory=list)
    rounds: list[str] = Field(default_factory=list)
    companies: list[str] = Field(default_factory=list)


class _Channel(_Strict):
    name: str = Field(pattern=NAME_PATTERN)
    enabled: bool = True
    send_updates: bool = False
    filters: Filters = Field(default_factory=Filters)
    retry: RetrySchedule = Field(default_factory=RetrySchedule)

    def accepts(self, event: Any) -> bool:
        """Whether `event` (a FundingEvent) passes this channel's filters."""
        if not self.enabled:
            return False
        rules = self.filters
        if rules.min_amount_usd is not None:
            amount = getattr(event, "amount_usd", None)
            if amount is None:
                if not rules.include_undisclosed_amount:
                    return False
            elif amount < rules.min_amount_usd:
                return False
        if rules.rounds:
            wanted = {r.casefold() for r in rules.rounds}
            if (getattr(event, "round", None) or "").casefold() not in wanted:
                return False
        if rules.companies:
            wanted = {c.casefold() for c in rules.companies}
            names = {
                str(getattr(event, a, "") or "").casefold() for a in ("company", "company_key")
            }
            if not wanted & names:
                return False
        if rules.languages:
            languages = event_languages(event)
            prefixes = tuple(lang.casefold() for lang in rules.languages)
            if not any(lang.casefold().startswith(prefixes) for lang in languages):
                return False
        return True


def event_languages(event: Any) -> set[str]:
    """Languages of the articles that report `event` (an attribute, or asked of its session)."""
    given = getattr(event, "languages", None)
    if given is not None:
        return {str(lang) for lang in given if lang}
    from sqlalchemy import text
    from sqlalchemy.orm import object_session

    session = object_session(event)
    event_id = getattr(event, "id", None)
    if session is None or event_id is None:
        return set()
    rows = session.execute(
        text("SELECT DISTINCT language FROM articles WHERE event_id = :id"), {"id": event_id}
    )
    return {row[0] for row in rows if row[0]}


class WebhookChannel(_Channel):
    type: Literal["webhook"]
    url: str = Field(repr=False)
    secret: SecretStr | None = None
    format: Literal["standard", "slack"] = "standard"
    timeout: Seconds = 10.0
    deadline: Seconds = 15.0
    ca_file: Path | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value.strip()):
            raise ValueError("must be an http:// or https:// URL")
        return value.strip()

    @field_validator("timeout", "deadline", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float:
        return _seconds(value)

    @field_validator("secret")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        raw = value.get_secret_value().removeprefix("whsec_")
        import base64
        import binascii

        try:
            key = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(
                "the secret must be 'whsec_' followed by base64 (Standard Webhooks); "
                'generate one with: python -c "import base64,os; '
                "print('whsec_'+base64.b64encode(os.urandom(32)).decode())\""
            ) from None
        if len(key) < 16:
            raise ValueError("the secret is too short: use at least 16 random bytes (24 is good)")
        return value

    @property
    def display_url(self) -> str:
        """The URL without query, fragment or credentials (safe to log)."""
        match = re.match(r"^(https?://)(?:[^@/]*@)?([^/?#]+)([^?#]*)", self.url)
        return "".join(match.groups()) if match else "(url)"


class EmailChannel(_Channel):
    type: Literal["email"]
    host: str
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password: SecretStr | None = None
    sender: str = Field(alias="from")
    to: list[str] = Field(min_length=1)
    digest: Literal["off", "hourly", "daily"] = "off"
    ca_file: Path | None = None
    timeout: Seconds = 30.0

    @field_validator("timeout", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float:
        return _seconds(value)

    @field_validator("sender")
    @classmethod
    def _sender(cls, value: str) -> str:
        return _address(value)

    @field_validator("to", mode="before")
    @classmethod
    def _recipients(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            return [_address(item) if isinstance(item, str) else item for item in value]
        return value

    @model_validator(mode="after")
    def _tls_for_auth(self) -> EmailChannel:
        if self.security == "none" and (self.username or self.password):
            raise ValueError(
                "security 'none' cannot be used with username/password: credentials are only "
                "sent over TLS; use 'starttls' (port 587) or 'ssl' (port 465)"
            )
        if (self.username is None) != (self.password is None):
            raise ValueError("set both username and password, or neither")
        return self

    @property
    def digest_seconds(self) -> float | None:
        return {"off": None, "hourly": 3600.0, "daily": 86400.0}[self.digest]


def _address(value: str) -> str:
    value = value.strip()
    if any(ch in value for ch in "\r\n") or not _ADDRESS.match(value):
        raise ValueError(f"{value!r} is not a plain e-mail address like alerts@example.com")
    return value


ChannelConfig = Annotated[WebhookChannel | EmailChannel, Field(discriminator="type")]
_CHANNEL_ADAPTER: TypeAdapter[WebhookChannel | EmailChannel] = TypeAdapter(ChannelConfig)


def _expand(value: Any, field: str, environ: dict[str, str], missing: list[tuple[str, str]]) -> Any:
    """Replace ${VAR} references; secret fields must be references, not literal values."""
    if isinstance(value, dict):
        return {k: _expand(v, str(k), environ, missing) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, field, environ, missing) for v in value]
    if not isinstance(value, str):
        return value
    if field in _SECRET_FIELDS and not _ENV_REFERENCE.fullmatch(value.strip()):
        raise _LiteralSecret(field)

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in environ:
            missing.append((field, name))
            return ""
        return environ[name]

    return _ENV_REFERENCE.sub(substitute, value)


class _LiteralSecret(Exception):
    def __init__(self, field: str) -> None:
        self.field = field


def _describe(path: Path, label: str, error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors(include_url=False, include_input=False):
        parts = [str(p) for p in item["loc"]]
        if parts and parts[0] in ("webhook", "email"):
            parts = parts[1:]
        field = ".".join(parts) or "(channel)"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown field (check the spelling; see README 'Alert channels')"
        elif item["type"] in ("union_tag_invalid", "union_tag_not_found"):
            field, message = "type", "must be one of: webhook, email"
        problems.append(f"{path}: {label}: field '{field}': {message}")
    return problems


def load_channels_file(
    path: Path, environ: dict[str, str] | None = None
) -> list[WebhookChannel | EmailChannel]:
    """Read and validate the channels file; raise AlertsConfigError listing every problem."""
    env = dict(os.environ if environ is None else environ)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AlertsConfigError(
            [f"{path}: alert channels file not found (check FUNDWATCH_ALERTS / 'alerts:')"]
        ) from None
    except yaml.YAMLError as exc:
        raise AlertsConfigError([f"{path}: not valid YAML: {exc}"]) from None
    if isinstance(data, dict) and "channels" in data:
        data = data["channels"]
    if data is None:
        return []
    if not isinstance(data, list):
        raise AlertsConfigError([f"{path}: expected a list of channels (or 'channels:' list)"])
    problems: list[str] = []
    channels: list[WebhookChannel | EmailChannel] = []
    seen: set[str] = set()
    for index, entry in enumerate(data):
        label = f"channel {index + 1}"
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            label += f" '{entry['name']}'"
        if not isinstance(entry, dict):
            problems.append(f"{path}: {label}: expected a mapping with name and type")
            continue
        missing: list[tuple[str, str]] = []
        try:
            expanded = _expand(entry, "", env, missing)
        except _LiteralSecret as exc:
            problems.append(
                f"{path}: {label}: field '{exc.field}': write secrets as an environment "
                f"reference like ${{FW_{exc.field.upper()}}}, not as a literal value"
            )
            continue
        for field, name in missing:
            problems.append(
                f"{path}: {label}: field '{field}': environment variable {name} is not set"
            )
        if missing:
            continue
        try:
            channel = _CHANNEL_ADAPTER.validate_python(expanded)
        except ValidationError as exc:
            problems.extend(_describe(path, label, exc))
            continue
        if channel.name in seen:
            problems.append(f"{path}: {label}: field 'name': duplicate channel name")
            continue
        seen.add(channel.name)
        channels.append(channel)
    if problems:
        raise AlertsConfigError(problems)
    return channels


def load_channels(
    settings: Settings, environ: dict[str, str] | None = None
) -> list[WebhookChannel | EmailChannel]:
    """The configured alert channels; [] when no alerts file is configured."""
    if settings.alerts is None:
        return []
    return load_channels_file(settings.alerts, environ)
