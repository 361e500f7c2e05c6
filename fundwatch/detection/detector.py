"""The funding-story detector: one text in, one ``Detection`` out, in stages.

The stages, in the order ``Detector.detect`` runs them (each a module of its own):
1. passage  - fold the text, scan it once with the Aho-Corasick matcher (all vocabularies),
   cut it into sentences (``passage.py``);
2. cues     - a sentence is a raise candidate when it has a funding cue (or a weak cue plus
   an amount) in a clause free of background ("last year", "此前") and veto ("acquired",
   "股价") terms (``cues.py``, ``amounts.py``);
3. event    - name the raising company (``subject.py``); the first candidate with a company
   is the event, later sentences about it add to it (``event.py``);
4. salience - the raise must be the story's news, not background (``salience.py``);
5. figures  - amount, valuation, round, investors of the event (``record.py``);
6. sector   - is the company an AI-video company (``sector.py``);
7. record   - the ``Detection`` (``record.py``).
Grammar regexes and veto categories live in ``patterns.py``; vocabulary in seeds/detection.
"""

from __future__ import annotations

from fundwatch.records import Detection

from .cues import denied, title_tells_raise
from .event import find_event
from .passage import Trace, build_passage
from .patterns import RAISE_KINDS
from .record import no_raise_record, raise_record, read_figures
from .salience import raise_is_news
from .sector import event_sector
from .toolkit import Toolkit, build_toolkit
from .vocab import Vocabulary


class Detector:
    """Decides whether a text reports an AI-video company raising money; see ``detect``."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.kit: Toolkit = build_toolkit(vocab)
        self.companies = self.kit.companies
        self.investors = self.kit.investors

    def company_key(self, name: str) -> str:
        """Canonical key for a company name, shared by all its known spellings."""
        return self.kit.companies.key(name)

    def is_investor_name(self, name: str) -> bool:
        """A name that belongs to an investor ("北辰资本", "Sequoia"), not to a startup."""
        return self.kit.is_investor_name(name)

    def detect_language(self, text: str) -> str | None:
        """``"en"``, ``"zh-Hans"``, ``"zh-Hant"`` from the text itself, or None when unclear."""
        return self.kit.script.language(text)

    def investor_key(self, name: str) -> str:
        """Canonical key for an investor name (远澜资本 / 遠瀾資本, a16z / Andreessen Horowitz)."""
        return self.kit.investors.key(name)

    def detect(self, title: str, text: str, lang: str | None = None) -> Detection:
        kit = self.kit
        trace = Trace()
        # 1. passage
        p = build_passage(kit, title, text, lang)
        # 2-3. cues and event
        event, gathered = None, []
        title_raise = title_tells_raise(p)
        if any(h.kind in RAISE_KINDS for h in p.hits):
            event, gathered = find_event(kit, p, trace, title_raise)
        # 4. salience
        if event is None or not raise_is_news(kit, p, trace, event, gathered, title_raise):
            return no_raise_record(p, trace)
        if denied(p, trace):
            return no_raise_record(p, trace)
        # 5-7. figures, sector, record
        figures = read_figures(kit, p, trace, event, gathered)
        sector = event_sector(kit, p, trace, event, gathered)
        return raise_record(kit, p, trace, event, gathered, figures, sector)
