"""Alert channels and subscriptions: a YAML file (FUNDWATCH_ALERTS or `alerts:` in the config
file). Either a list of channels, or a mapping with `channels:` and `subscriptions:`. A channel
is one destination (webhook, email, a chat bot); a subscription is a named filter + cadence over
one or more channels. Every channel not named by a subscription delivers with its own filter
and cadence; a channel named by subscriptions delivers only through them.

Secrets (`secret`, `password`, `bot_token`) are only accepted as `${ENV_VAR}` references; any
field may use them (a bot webhook URL is a secret too). Secret values never appear in `repr`
or errors.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    Field,
    SecretStr,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from fundwatch.configuration.alert_rules import (
    Cadence,
    ChannelBase,
    Filters,
    HttpChannelBase,
    RetrySchedule,
    as_seconds,
    event_languages,
)
from fundwatch.configuration.chat_channels import (
    AppriseChannel,
    DingTalkChannel,
    DiscordChannel,
    FeishuChannel,
    SlackChannel,
    TeamsChannel,
    TelegramChannel,
    WeComChannel,
)
from fundwatch.configuration.errors import ConfigError
from fundwatch.configuration.settings import Settings
from fundwatch.configuration.subscriptions import AlertSetup, Route, Subscription, route_of

__all__ = [
    "AlertSetup",
    "AlertsConfigError",
    "Cadence",
    "Channel",
    "EmailChannel",
    "Filters",
    "RetrySchedule",
    "Route",
    "Subscription",
    "WebhookChannel",
    "event_languages",
    "load_alerts_file",
    "load_channels",
    "load_channels_file",
    "load_setup",
    "route_of",
]

_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_SECRET_FIELDS = ("secret", "password", "bot_token")
_ADDRESS = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+$")
CHANNEL_TYPES = (
    "webhook, email, feishu, lark, dingtalk, wecom, slack, discord, teams, telegram, apprise"
)
ROUTE_NAME_LIMIT = 100


class AlertsConfigError(ConfigError):
    """The alert channels file is invalid; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class WebhookChannel(HttpChannelBase):
    type: Literal["webhook"]
    url: str = Field(repr=False)
    secret: SecretStr | None = None
    format: Literal["standard", "slack"] = "standard"

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value.strip()):
            raise ValueError("must be an http:// or https:// URL")
        return value.strip()

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


class EmailChannel(ChannelBase):
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
    timeout: float = Field(default=30.0, gt=0)

    @model_validator(mode="before")
    @classmethod
    def _digest_is_a_cadence(cls, data: Any) -> Any:
        """`digest: hourly|daily` (older files) is `cadence: every 1h|1d`."""
        digest = data.get("digest") if isinstance(data, dict) else None
        if digest in ("hourly", "daily") and "cadence" not in data:
            period = "1h" if digest == "hourly" else "1d"
            data = {**data, "cadence": f"every {period}"}
        return data

    @field_validator("timeout", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float:
        return as_seconds(value)

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


Channel = (
    WebhookChannel
    | EmailChannel
    | FeishuChannel
    | DingTalkChannel
    | WeComChannel
    | SlackChannel
    | DiscordChannel
    | TeamsChannel
    | TelegramChannel
    | AppriseChannel
)
_CHANNEL_ADAPTER: TypeAdapter[Channel] = TypeAdapter(
    Annotated[Channel, Field(discriminator="type")]
)


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


_TYPE_TAGS = {
    "webhook",
    "email",
    "feishu",
    "lark",
    "dingtalk",
    "wecom",
    "slack",
    "discord",
    "teams",
    "telegram",
    "apprise",
}


def _describe(path: Path, label: str, error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors(include_url=False, include_input=False):
        parts = [str(p) for p in item["loc"]]
        if parts and parts[0] in _TYPE_TAGS:
            parts = parts[1:]
        field = ".".join(parts) or "(entry)"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown field (check the spelling; see docs/alert-channels.md)"
        elif item["type"] in ("union_tag_invalid", "union_tag_not_found"):
            field, message = "type", f"must be one of: {CHANNEL_TYPES}"
        problems.append(f"{path}: {label}: field '{field}': {message}")
    return problems


def _label(kind: str, index: int, entry: Any) -> str:
    label = f"{kind} {index + 1}"
    if isinstance(entry, dict) and isinstance(entry.get("name"), str):
        label += f" '{entry['name']}'"
    return label


def _validated(
    path: Path,
    kind: str,
    entries: list[Any],
    env: dict[str, str],
    build: Any,
    problems: list[str],
) -> list[Any]:
    """Expand, validate and de-duplicate one list of entries; problems are appended."""
    items: list[Any] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        label = _label(kind, index, entry)
        if not isinstance(entry, dict):
            problems.append(f"{path}: {label}: expected a mapping with a name")
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
            item = build(expanded)
        except ValidationError as exc:
            problems.extend(_describe(path, label, exc))
            continue
        if item.name in seen:
            problems.append(f"{path}: {label}: field 'name': duplicate {kind} name")
            continue
        seen.add(item.name)
        items.append(item)
    return items


def _check_subscriptions(
    path: Path, subscriptions: list[Subscription], channels: list[Channel], problems: list[str]
) -> None:
    known = {channel.name for channel in channels}
    for subscription in subscriptions:
        label = f"subscription '{subscription.name}'"
        for name in subscription.channels:
            if name not in known:
                problems.append(
                    f"{path}: {label}: field 'channels': no channel named {name!r} "
                    f"(known: {', '.join(sorted(known)) or 'none'})"
                )
            elif len(f"{subscription.name}/{name}") > ROUTE_NAME_LIMIT:
                problems.append(
                    f"{path}: {label}: field 'name': '{subscription.name}/{name}' is longer "
                    f"than {ROUTE_NAME_LIMIT} characters; use shorter names"
                )


def load_alerts_file(path: Path, environ: dict[str, str] | None = None) -> AlertSetup:
    """Read and validate the alerts file; raise AlertsConfigError listing every problem."""
    env = dict(os.environ if environ is None else environ)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AlertsConfigError(
            [f"{path}: alert channels file not found (check FUNDWATCH_ALERTS / 'alerts:')"]
        ) from None
    except yaml.YAMLError as exc:
        raise AlertsConfigError([f"{path}: not valid YAML: {exc}"]) from None
    subscriptions_data: Any = []
    if isinstance(data, dict):
        unknown = sorted(set(data) - {"channels", "subscriptions"})
        if unknown:
            raise AlertsConfigError(
                [
                    f"{path}: unknown top-level key(s) {', '.join(unknown)}; "
                    "expected 'channels' and optionally 'subscriptions'"
                ]
            )
        subscriptions_data = data.get("subscriptions") or []
        data = data.get("channels")
    if data is None:
        data = []
    if not isinstance(data, list) or not isinstance(subscriptions_data, list):
        raise AlertsConfigError(
            [f"{path}: expected a list of channels (or 'channels:' and 'subscriptions:' lists)"]
        )
    problems: list[str] = []
    channels = _validated(path, "channel", data, env, _CHANNEL_ADAPTER.validate_python, problems)
    subscriptions = _validated(
        path, "subscription", subscriptions_data, env, Subscription.model_validate, problems
    )
    _check_subscriptions(path, subscriptions, channels, problems)
    if problems:
        raise AlertsConfigError(problems)
    return AlertSetup(channels, subscriptions)


def load_channels_file(path: Path, environ: dict[str, str] | None = None) -> list[Channel]:
    """The channels of an alerts file (see `load_alerts_file`)."""
    return load_alerts_file(path, environ).channels


def load_setup(settings: Settings, environ: dict[str, str] | None = None) -> AlertSetup:
    if settings.alerts is None:
        return AlertSetup([], [])
    return load_alerts_file(settings.alerts, environ)


def load_channels(settings: Settings, environ: dict[str, str] | None = None) -> list[Route]:
    """Where alerts go: one route per channel not named by a subscription and one per
    subscription and channel; [] when no alerts file is configured. Routes are what the
    outbox (`enqueue_alerts`) and the relay take."""
    return load_setup(settings, environ).routes
