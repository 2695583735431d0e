"""How Vietnamese a decoded text looks: the share of its words with non-ASCII letters that
are Vietnamese syllables, against the mojibake a wrong encoding leaves (µ, ©, stray marks).

Words of ASCII letters only read the same in every encoding we guess between, so they say
nothing and are skipped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from portal.datastore.charsets.tables import TONES

_INITIALS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx]"
# Vowel groups of a syllable, glides and final i/y/o/u included.
_VOWEL_GROUPS = """
    a ă â e ê i o ô ơ u ư y
    ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê
    iêu yêu oai oao oay oeo uây uôi uya uyê uyu ươi ươu
"""
_NUCLEI = sorted(_VOWEL_GROUPS.split(), key=len, reverse=True)
_FINALS = "ch|ng|nh|[cmnpt]"
_SYLLABLE = re.compile(f"(?:{_INITIALS})?(?:{'|'.join(_NUCLEI)})(?:{_FINALS})?")
_WORD_OR_SIGN = re.compile(r"[^\W\d_]+|[^\w\s]")
# Non-ASCII signs that ordinary Vietnamese tables contain; anything else non-ASCII and not a
# letter (©, µ, ¸, ×, a lone combining mark, U+FFFD) is a trace of the wrong encoding.
_ORDINARY_SIGNS = frozenset("\u00a0“”‘’–—…•°№€")


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """Whether a word (in any case) is one Vietnamese syllable: the spelling rules of initial,
    vowel group and final, and at most one tone mark, on a vowel."""
    letters: list[str] = []
    tones = 0
    for char in unicodedata.normalize("NFD", word.lower()):
        if char in TONES:
            base = next((letter for letter in reversed(letters)
                         if not unicodedata.combining(letter)), "")
            if not base or base not in "aeiouy":
                return False
            tones += 1
        else:
            letters.append(char)
    toneless = unicodedata.normalize("NFC", "".join(letters))
    return tones <= 1 and _SYLLABLE.fullmatch(toneless) is not None


@dataclass(frozen=True)
class Evidence:
    syllables: int  # words with non-ASCII letters that are Vietnamese syllables
    other: int  # such words that are not, and mojibake signs

    @property
    def total(self) -> int:
        return self.syllables + self.other

    @property
    def score(self) -> float:
        return self.syllables / self.total if self.total else 0.0


def evidence(text: str, enough: int = 2000) -> Evidence:
    """Counts words and signs from the start of `text` until `enough` of them tell."""
    syllables = other = 0
    for match in _WORD_OR_SIGN.finditer(text):
        token = match.group()
        if token.isascii() or token in _ORDINARY_SIGNS:
            continue
        if token.isalpha() and is_syllable(token):
            syllables += 1
        else:
            other += 1
        if syllables + other >= enough:
            break
    return Evidence(syllables, other)
