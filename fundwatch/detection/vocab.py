"""Loading and validating the detector's YAML vocabulary files (``seeds/detection/``)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# libyaml's parser when PyYAML was built with it: the keyword lists load ~8x faster (every
# writer process and `fundwatch detect` loads them); the pure-Python one otherwise
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class VocabError(ValueError):
    """A vocabulary file is missing or malformed; the message names the file and field."""


@dataclass(frozen=True)
class CompanyEntry:
    key: str
    sector: str
    names: tuple[str, ...]
    case_sensitive: frozenset[str] = frozenset()


@dataclass(frozen=True)
class InvestorVocab:
    """``investors.yaml``: what is not an investor name, and aliases of known investors."""

    descriptors: tuple[str, ...] = ()
    descriptor_heads: tuple[str, ...] = ()
    not_name: tuple[str, ...] = ()
    date_words: tuple[str, ...] = ()
    legal_suffixes: tuple[str, ...] = ()
    aliases: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """Everything the detector reads from data, validated."""

    t2s: dict[str, str]
    keywords: dict[str, Any]
    ai_video: dict[str, float]
    other_sector: dict[str, float]
    round_letters: tuple[str, ...]
    named_rounds: dict[str, tuple[str, ...]]
    currency_words: dict[str, str]
    currency_symbols: dict[str, str]
    default_bare_yuan: str
    fx_as_of: dt.date
    usd_per_unit: dict[str, float]
    companies: tuple[CompanyEntry, ...]
    legal_suffixes: tuple[str, ...]
    name_stopwords: frozenset[str] = field(default_factory=frozenset)
    # places that open a registered Chinese name ("杭州李未可科技有限公司"), not part of the name
    registration_places: tuple[str, ...] = ()
    # (compiled regex, sector, weight) from sectors.yaml `patterns`, matched on folded text
    sector_patterns: tuple[tuple[re.Pattern[str], str, float], ...] = ()
    # symbol -> {currency: hint words}: "¥" is yen when the text speaks of Japan
    ambiguous_symbols: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    investors: InvestorVocab = field(default_factory=InvestorVocab)


SECTORS = ("ai_video", "other", "mixed")


def _read(directory: Path, name: str) -> dict[str, Any]:
    path = directory / name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise VocabError(
            f"{path}: vocabulary file not found; the detector needs it in {directory}"
        ) from None
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise VocabError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise VocabError(f"{path}: expected a mapping at the top level")
    return data


def _need(data: dict[str, Any], path: str, name: str, kind: type | tuple[type, ...]) -> Any:
    if name not in data:
        raise VocabError(f"{path}: field '{name}' is missing")
    value = data[name]
    if not isinstance(value, kind):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        expected = " or ".join(k.__name__ for k in kinds)
        raise VocabError(f"{path}: field '{name}' must be a {expected}, got {value!r:.60}")
    return value


def _strings(value: Any, path: str, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise VocabError(f"{path}: field '{name}' must be a list of strings")
    return tuple(str(v) for v in value)


def _term_lists(data: Any, path: str, name: str) -> tuple[str, ...]:
    """A list of terms, or a mapping of sub-lists (e.g. zh/en) flattened."""
    if isinstance(data, dict):
        out: list[str] = []
        for sub, value in data.items():
            out.extend(_strings(value, path, f"{name}.{sub}"))
        return tuple(out)
    return _strings(data, path, name)


def _weights(data: Any, path: str, name: str) -> dict[str, float]:
    if not isinstance(data, dict):
        raise VocabError(f"{path}: field '{name}' must be a mapping of term: weight")
    out: dict[str, float] = {}
    for term, weight in data.items():
        if not isinstance(weight, int | float):
            raise VocabError(f"{path}: field '{name}.{term}' must be a number, got {weight!r}")
        out[str(term)] = float(weight)
    return out


def _sector_patterns(data: Any, path: str) -> tuple[tuple[re.Pattern[str], str, float], ...]:
    """``patterns: {ai_video: [{regex: ..., weight: 1.5}], other: [...]}`` (optional)."""
    if data is None:
        return ()
    if not isinstance(data, dict):
        raise VocabError(f"{path}: field 'patterns' must be a mapping of sector: list of patterns")
    out = []
    for sector, items in data.items():
        if sector not in ("ai_video", "other"):
            raise VocabError(f"{path}: field 'patterns.{sector}': sector must be ai_video or other")
        if not isinstance(items, list):
            raise VocabError(f"{path}: field 'patterns.{sector}' must be a list")
        for i, item in enumerate(items):
            where = f"patterns.{sector}[{i}]"
            if not isinstance(item, dict) or not isinstance(item.get("regex"), str):
                raise VocabError(f"{path}: field '{where}' must be a mapping with a 'regex' string")
            weight = item.get("weight", 1.0)
            if not isinstance(weight, int | float):
                raise VocabError(f"{path}: field '{where}.weight' must be a number")
            try:
                compiled = re.compile(item["regex"])
            except re.error as exc:
                raise VocabError(
                    f"{path}: field '{where}.regex' is not a valid regex: {exc}"
                ) from None
            out.append((compiled, str(sector), float(weight)))
    return tuple(out)


def _load_t2s(directory: Path) -> dict[str, str]:
    path = str(directory / "t2s.yaml")
    pairs = _strings(_need(_read(directory, "t2s.yaml"), path, "pairs", list), path, "pairs")
    table: dict[str, str] = {}
    for i, pair in enumerate(pairs):
        if len(pair) != 2:
            raise VocabError(f"{path}: field 'pairs[{i}]' must be two characters, got {pair!r}")
        trad, simp = pair[0], pair[1]
        if table.get(trad, simp) != simp:
            raise VocabError(
                f"{path}: field 'pairs[{i}]': {trad!r} already maps to {table[trad]!r}"
            )
        table[trad] = simp
    return table


def _load_keywords(directory: Path) -> dict[str, Any]:
    path = str(directory / "keywords.yaml")
    data = _read(directory, "keywords.yaml")
    out: dict[str, Any] = {}
    for name in ("funding", "funding_weak", "background", "prospective", "hypothetical"):
        out[name] = _term_lists(_need(data, path, name, (dict, list)), path, name)
    for name in ("aggregate", "count_deals", "valuation", "range", "approximate"):
        out[name] = _term_lists(_need(data, path, name, (dict, list)), path, name)
    for name in ("denial", "negation", "investor_name_endings", "noise", "dated", "fresh"):
        out[name] = _term_lists(data.get(name) or [], path, name)
    verbs = _need(data, path, "raise_verbs", dict)
    for role in ("subject", "object"):
        out[f"verbs_{role}"] = _term_lists(
            _need(verbs, f"{path}: raise_verbs", role, (dict, list)), path, f"raise_verbs.{role}"
        )
    vetoes = _need(data, path, "vetoes", dict)
    out["vetoes"] = {k: _term_lists(v, path, f"vetoes.{k}") for k, v in vetoes.items()}
    return out


def _load_companies(
    directory: Path,
) -> tuple[tuple[CompanyEntry, ...], tuple[str, ...], frozenset, tuple[str, ...]]:
    path = str(directory / "companies.yaml")
    data = _read(directory, "companies.yaml")
    entries: list[CompanyEntry] = []
    for i, raw in enumerate(_need(data, path, "companies", list)):
        where = f"companies[{i}]"
        if not isinstance(raw, dict):
            raise VocabError(f"{path}: field '{where}' must be a mapping with key, sector, names")
        key = raw.get("key")
        if not isinstance(key, str) or not key:
            raise VocabError(f"{path}: field '{where}.key' must be a non-empty string")
        sector = raw.get("sector")
        if sector not in SECTORS:
            raise VocabError(
                f"{path}: field '{where}.sector' ({key}) must be one of {', '.join(SECTORS)}, "
                f"got {sector!r}"
            )
        names = _strings(raw.get("names"), path, f"{where}.names")
        if not names:
            raise VocabError(f"{path}: field '{where}.names' ({key}) must list at least one name")
        sensitive = _strings(raw.get("case_sensitive"), path, f"{where}.case_sensitive")
        entries.append(CompanyEntry(key, sector, names, frozenset(sensitive)))
    suffixes = _strings(data.get("legal_suffixes"), path, "legal_suffixes")
    stop = frozenset(_strings(data.get("name_stopwords"), path, "name_stopwords"))
    places = _strings(data.get("registration_places"), path, "registration_places")
    return tuple(entries), suffixes, stop, places


def _load_investors(directory: Path) -> InvestorVocab:
    path = str(directory / "investors.yaml")
    data = _read(directory, "investors.yaml")
    lists = {
        name: _term_lists(_need(data, path, name, (dict, list)), path, name)
        for name in ("descriptors", "descriptor_heads", "not_name", "date_words")
    }
    suffixes = _strings(data.get("legal_suffixes"), path, "legal_suffixes")
    raw = data.get("aliases") or []
    if not isinstance(raw, list):
        raise VocabError(f"{path}: field 'aliases' must be a list of name lists")
    aliases = []
    for i, group in enumerate(raw):
        names = _strings(group, path, f"aliases[{i}]")
        if len(names) < 2:
            raise VocabError(f"{path}: field 'aliases[{i}]' must list at least two names")
        aliases.append(names)
    return InvestorVocab(**lists, legal_suffixes=suffixes, aliases=tuple(aliases))


def load_vocabulary(directory: Path) -> Vocabulary:
    """Read and validate every vocabulary file in ``directory``."""
    directory = Path(directory)
    if not directory.is_dir():
        raise VocabError(f"{directory}: vocabulary directory not found")
    t2s = _load_t2s(directory)
    keywords = _load_keywords(directory)

    spath = str(directory / "sectors.yaml")
    sectors = _read(directory, "sectors.yaml")
    ai_video = _weights(_need(sectors, spath, "ai_video", dict), spath, "ai_video")
    other = _weights(_need(sectors, spath, "other", dict), spath, "other")
    patterns = _sector_patterns(sectors.get("patterns"), spath)

    rpath = str(directory / "rounds.yaml")
    rounds = _read(directory, "rounds.yaml")
    letters = _strings(_need(rounds, rpath, "letters", list), rpath, "letters")
    named_raw = _need(rounds, rpath, "named", dict)
    named = {str(k): _strings(v, rpath, f"named.{k}") for k, v in named_raw.items()}

    cpath = str(directory / "currencies.yaml")
    cur = _read(directory, "currencies.yaml")
    words = {str(k): str(v) for k, v in _need(cur, cpath, "words", dict).items()}
    symbols = {str(k): str(v) for k, v in _need(cur, cpath, "symbols", dict).items()}
    bare = str(_need(cur, cpath, "default_bare_yuan", str))
    ambiguous: dict[str, dict[str, tuple[str, ...]]] = {}
    raw_amb = cur.get("ambiguous_symbols") or {}
    if not isinstance(raw_amb, dict):
        raise VocabError(f"{cpath}: field 'ambiguous_symbols' must be a mapping")
    for sym, alts in raw_amb.items():
        if not isinstance(alts, dict):
            raise VocabError(
                f"{cpath}: field 'ambiguous_symbols.{sym}' must map a currency to hint words"
            )
        ambiguous[str(sym)] = {
            str(code): _strings(hints, cpath, f"ambiguous_symbols.{sym}.{code}")
            for code, hints in alts.items()
        }

    fpath = str(directory / "fx.yaml")
    fx = _read(directory, "fx.yaml")
    as_of = _need(fx, fpath, "as_of", (dt.date, str))
    if isinstance(as_of, str):
        try:
            as_of = dt.date.fromisoformat(as_of)
        except ValueError:
            raise VocabError(f"{fpath}: field 'as_of' must be a date like 2024-06-28") from None
    rates = _weights(_need(fx, fpath, "usd_per_unit", dict), fpath, "usd_per_unit")
    alt_codes = {code for alts in ambiguous.values() for code in alts}
    for code in {*words.values(), *symbols.values(), bare, *alt_codes}:
        if code not in rates:
            raise VocabError(
                f"{cpath}: currency {code} has no rate in {fpath} field 'usd_per_unit'; add one"
            )

    companies, suffixes, stop, places = _load_companies(directory)
    return Vocabulary(
        t2s=t2s,
        keywords=keywords,
        ai_video=ai_video,
        other_sector=other,
        round_letters=letters,
        named_rounds=named,
        currency_words=words,
        currency_symbols=symbols,
        default_bare_yuan=bare,
        fx_as_of=as_of,
        usd_per_unit=rates,
        companies=companies,
        legal_suffixes=suffixes,
        name_stopwords=stop,
        registration_places=places,
        sector_patterns=patterns,
        ambiguous_symbols=ambiguous,
        investors=_load_investors(directory),
    )
