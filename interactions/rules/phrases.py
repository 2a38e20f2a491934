"""Check a response against the phrase guide ("what not to say").

Pure Python: no ORM, no request. Build `Rule` objects from plain values (the
view turns `PhraseRule` rows into them, the tests build them from
`reference_data`), then call `check_phrases(text, rules)`. It warns; it never
blocks anything.

How a rule is written (docs/phrase-rules.md has the admin's version). The
phrase and each line of the variants is one *form*:

- plain text: matched case-insensitively, NFC-normalised, with curly and
  straight apostrophes alike. Spaces are flexible: in Korean any run of spaces
  (or none) between syllables; in English one or more spaces between words,
  with word boundaries at the ends. English contractions match all their
  spellings: "don't" = "do not" = "dont", "can't" = "cannot" = "can not",
  "I'm" = "I am", "you're" = "you are", ...
- `~` at the end: a stem plus any common ending (`모르겠~` -> 모르겠어요,
  모르겠습니다, 모르겠어, 모르겠네요, 모르겠는데 ...; `bother~` -> bothers,
  bothered, bothering).
- `^` at the start: only at the start of a sentence (`^wait` is the curt
  command, not "could you wait").
- `re:` at the start: a regular expression, used as written (case-insensitive,
  against the normalised text).
- `!` at the start: an exception. A hit that overlaps text matching an
  exception is not reported (`!상관없이`, `!could you wait`). An exception is
  itself written in any of the forms above.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache

logger = logging.getLogger(__name__)

EXCEPTION_PREFIX = "!"
REGEX_PREFIX = "re:"
SENTENCE_START_PREFIX = "^"
STEM_SUFFIX = "~"

# Common Korean endings after a stem (해요체, 합니다체, 반말, connectives).
# Vowel-final and irregular stems contract (하 + 어요 = 해요, 모르 + 아 = 몰라):
# write those forms out as variants.
KOREAN_ENDINGS = (
    "어요", "아요", "여요", "어", "아", "여",
    "습니다", "습니까", "어서", "아서", "어도", "아도",
    "네요", "네", "다", "다고", "다니까", "대요", "답니다",
    "는데요", "는데", "은데요", "은데",
    "고요", "고", "지만", "지요", "죠", "지",
    "거든요", "거든", "잖아요", "잖아", "군요", "구나", "구만",
    "나요", "냐", "니", "니까", "으니까",
)  # fmt: skip
ENGLISH_ENDINGS = ("s", "es", "ed", "d", "ing")

HANGUL = "\uac00-\ud7a3"
_HANGUL_RE = re.compile(f"[{HANGUL}]")
APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018\u02bc\u0060\u00b4\u2032"})

MESSAGE_EMPTY = "The rule has no phrase to look for."
MESSAGE_BAD_REGEX = "Line {line}: not a valid regular expression ({error})."
MESSAGE_EMPTY_LINE = "Line {line}: nothing to look for after the marker."
MESSAGE_EMPTY_MATCH = "Line {line}: the pattern can match empty text."


class RuleSyntaxError(ValueError):
    """A phrase or variant line that cannot be compiled."""


@dataclass(frozen=True)
class Rule:
    """A phrase rule as plain values; `variants` holds one form per item."""

    code: str
    language: str
    phrase: str
    variants: tuple[str, ...] = ()
    reason: str = ""
    alternative: str = ""
    id: int | None = None

    def __post_init__(self):
        variants = self.variants
        if isinstance(variants, str):
            variants = variants.splitlines()
        cleaned = tuple(line.strip() for line in variants if line.strip())
        object.__setattr__(self, "variants", cleaned)

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.phrase.strip(), *self.variants)

    @classmethod
    def from_object(cls, obj) -> Rule:
        """From anything with the PhraseRule attributes (a model instance, a namespace)."""
        return cls(
            id=getattr(obj, "pk", getattr(obj, "id", None)),
            code=obj.code,
            language=obj.language,
            phrase=obj.phrase,
            variants=obj.variants or "",
            reason=obj.reason,
            alternative=obj.alternative,
        )


@dataclass(frozen=True)
class Hit:
    """One place in the text that a rule warns about; `start`/`end` index the text as given."""

    rule_id: int | None
    code: str
    language: str
    start: int
    end: int
    text: str
    reason: str
    alternative: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CompiledRule:
    """A rule's matchers: `any_form` (all forms in one regex) screens the text
    cheaply; `patterns` (one per form) then find every span, so that a longer
    form is not hidden behind a shorter one starting at the same place."""

    rule: Rule
    any_form: re.Pattern | None
    patterns: tuple[re.Pattern, ...]
    exceptions: tuple[re.Pattern, ...] = ()


# --- Normalising ------------------------------------------------------------


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().translate(APOSTROPHES)


def _continues_cluster(ch: str) -> bool:
    """True if `ch` may compose with the character before it under NFC."""
    return (
        unicodedata.combining(ch) != 0
        or "\u1160" <= ch <= "\u11ff"  # Hangul medial vowels and final consonants
        or "\ud7b0" <= ch <= "\ud7ff"
    )


def normalise(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """The text as rules see it, plus maps from its indexes back to the original.

    Returns (folded, starts, ends); `starts[i]`/`ends[i]` give the span in `text`
    that folded character i came from. Both maps are None when the folding kept
    every character in place (the usual case).
    """
    folded = _fold(text)
    if len(folded) == len(text) and unicodedata.is_normalized("NFC", text):
        return folded, None, None
    pieces, starts, ends = [], [], []
    begin = 0
    for i in range(1, len(text) + 1):
        if i < len(text) and _continues_cluster(text[i]):
            continue
        piece = _fold(text[begin:i])
        pieces.append(piece)
        starts.extend([begin] * len(piece))
        ends.extend([i] * len(piece))
        begin = i
    return "".join(pieces), starts, ends


# --- Compiling --------------------------------------------------------------

_EXPANDED = [
    (re.compile(r"\bcan\s*not\b"), "can't"),
    (re.compile(r"\bwill\s+not\b"), "won't"),
    (
        re.compile(
            r"\b(do|does|did|is|are|was|were|has|have|had|could|would|should|must|need)\s+not\b"
        ),
        r"\1n't",
    ),
    (re.compile(r"\bi\s+am\b"), "i'm"),
    (re.compile(r"\b(you|we|they)\s+are\b"), r"\1're"),
    (re.compile(r"\b(it|that|what|there|here|he|she|who)\s+is\b"), r"\1's"),
    (re.compile(r"\b(i|you|we|they|he|she|it|that)\s+will\b"), r"\1'll"),
    (re.compile(r"\b(i|you|we|they)\s+have\b"), r"\1've"),
]
_LONG_FORMS = {
    "m": r"\s+am",
    "re": r"\s+are",
    "s": r"\s+is",
    "ll": r"\s+will",
    "ve": r"\s+have",
    "d": r"\s+(?:would|had)",
}
_S_CONTRACTS = {"it", "that", "what", "there", "here", "he", "she", "who"}
# Contractions written without the apostrophe that would be another word.
_REAL_WORDS = {"were", "well", "hell", "shell", "wed", "ill", "id", "hed", "shed", "whod"}
_TOKEN = re.compile(rf"(\s+)|([^\W{HANGUL}]+(?:'[^\W{HANGUL}]+)?)|(.)", re.DOTALL)
_WORD = re.compile(rf"[^\W{HANGUL}]")


def _contraction(word: str) -> str:
    """Regex for one English word, accepting every spelling of a contraction."""
    if word == "can't":
        return r"(?:can'?t|can\s*not)"
    if word == "won't":
        return r"(?:won'?t|will\s+not)"
    if word.endswith("n't"):
        base = re.escape(word[:-3])
        return rf"{base}(?:n'?t|\s+not)"
    base, _, suffix = word.partition("'")
    if suffix in _LONG_FORMS and (suffix != "s" or base in _S_CONTRACTS):
        bare = "" if base + suffix in _REAL_WORDS else "?"
        return rf"{re.escape(base)}(?:'{bare}{re.escape(suffix)}|{_LONG_FORMS[suffix]})"
    return re.escape(word)


def _plain_pattern(form: str) -> str:
    """Regex for a plain form: flexible spaces, contractions, word boundaries."""
    text = " ".join(_fold(form).split())
    for expanded, contracted in _EXPANDED:
        text = expanded.sub(contracted, text)
    parts: list[str] = []
    previous = ""  # "hangul", "word" or "other"
    for space, word, other in _TOKEN.findall(text):
        if space:
            parts.append("SPACE")
            continue
        if word:
            kind, piece = "word", _contraction(word)
        else:
            kind = "hangul" if _HANGUL_RE.match(other) else "other"
            piece = re.escape(other)
        if parts and parts[-1] == "SPACE":
            parts[-1] = r"\s+" if previous == kind == "word" else r"\s*"
        elif previous == kind == "hangul":
            parts.append(r"\s*")
        parts.append(piece)
        previous = kind
    pattern = "".join(parts)
    if _WORD.match(text[0]):
        pattern = r"(?<!\w)" + pattern
    if _WORD.match(text[-1]):
        pattern += r"(?!\w)"
    return pattern


def _spaced(ending: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in ending)


_KOREAN_ENDINGS = "|".join(_spaced(e) for e in sorted(KOREAN_ENDINGS, key=len, reverse=True))
_ENGLISH_ENDINGS = "|".join(sorted(ENGLISH_ENDINGS, key=len, reverse=True))


def _stem_pattern(stem: str) -> str:
    pattern = _plain_pattern(stem)
    last = _fold(stem)[-1]
    if _HANGUL_RE.match(last):
        return rf"{pattern}(?:\s*(?:{_KOREAN_ENDINGS})|(?![{HANGUL}]))"
    pattern = pattern.removesuffix(r"(?!\w)")
    return rf"{pattern}(?:{_ENGLISH_ENDINGS})?(?!\w)"


_SENTENCE_START = r"(?:^|(?<=[.!?…。\n\"“‘'(]))\s*"


def _form_pattern(form: str, line: int) -> str:
    if form.startswith(REGEX_PREFIX):
        pattern = form[len(REGEX_PREFIX) :].strip()
        if not pattern:
            raise RuleSyntaxError(MESSAGE_EMPTY_LINE.format(line=line))
        try:
            compiled = re.compile(pattern)
        except re.error as error:
            raise RuleSyntaxError(MESSAGE_BAD_REGEX.format(line=line, error=error)) from error
        if compiled.fullmatch(""):
            raise RuleSyntaxError(MESSAGE_EMPTY_MATCH.format(line=line))
        return pattern
    prefix = ""
    if form.startswith(SENTENCE_START_PREFIX):
        prefix, form = _SENTENCE_START, form[len(SENTENCE_START_PREFIX) :].strip()
    stem = form.endswith(STEM_SUFFIX)
    form = form.removesuffix(STEM_SUFFIX).strip()
    if not form:
        raise RuleSyntaxError(MESSAGE_EMPTY_LINE.format(line=line))
    return prefix + (_stem_pattern(form) if stem else _plain_pattern(form))


def _compile(patterns: list[str]) -> tuple[re.Pattern, ...]:
    flags = re.IGNORECASE | re.MULTILINE
    return tuple(re.compile(p, flags) for p in patterns)


@lru_cache(maxsize=1024)
def compile_rule(rule: Rule) -> CompiledRule:
    """Turn a rule's phrase and variants into matchers; raise RuleSyntaxError if one is bad."""
    patterns: list[str] = []
    exceptions: list[str] = []
    for line, form in enumerate(rule.forms, start=1):
        if not form:
            continue
        target = patterns
        if form.startswith(EXCEPTION_PREFIX):
            target, form = exceptions, form[len(EXCEPTION_PREFIX) :].strip()
        target.append(_form_pattern(form, line))
    if not patterns:
        raise RuleSyntaxError(MESSAGE_EMPTY)
    try:
        (any_form,) = _compile(["|".join(f"(?:{p})" for p in patterns)])
    except re.error:  # e.g. numbered back-references in `re:` lines: no screening
        any_form = None
    return CompiledRule(rule, any_form, _compile(patterns), _compile(exceptions))


def rule_errors(rule: Rule) -> list[str]:
    """What is wrong with how a rule is written (empty if nothing), for a form's clean()."""
    try:
        compile_rule(rule)
    except RuleSyntaxError as error:
        return [str(error)]
    return []


# --- Checking ---------------------------------------------------------------


def _spans(patterns: Iterable[re.Pattern], text: str) -> list[tuple[int, int]]:
    spans = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            start, end = match.span()
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                spans.append((start, end))
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def check_phrases(text: str, rules: Iterable[Rule]) -> list[Hit]:
    """Every place in `text` that one of `rules` warns about, sorted by position.

    Rules of every language apply to any text. Overlapping hits of one rule are
    merged into one. A rule that cannot be compiled is skipped and logged.
    """
    if not text or not text.strip():
        return []
    folded, starts, ends = normalise(text)
    hits = []
    for rule in rules:
        try:
            compiled = compile_rule(rule)
        except RuleSyntaxError as error:
            logger.warning("Phrase rule %s (%s) skipped: %s", rule.code, rule.language, error)
            continue
        if compiled.any_form is not None and not compiled.any_form.search(folded):
            continue
        spans = _spans(compiled.patterns, folded)
        if not spans:
            continue
        if compiled.exceptions:
            excepted = _spans(compiled.exceptions, folded)
            spans = [(s, e) for s, e in spans if not any(s < xe and xs < e for xs, xe in excepted)]
        for start, end in _merge(spans):
            if starts is not None:
                start, end = starts[start], ends[end - 1]
            hits.append(
                Hit(
                    rule_id=rule.id,
                    code=rule.code,
                    language=rule.language,
                    start=start,
                    end=end,
                    text=text[start:end],
                    reason=rule.reason,
                    alternative=rule.alternative,
                )
            )
    hits.sort(key=lambda hit: (hit.start, hit.end, hit.code, hit.language))
    return hits
