"""Cyrillic in Latin letters for file names, by each country's official system; one table each.

* Ukrainian — the Cabinet of Ministers' resolution No. 55 of 27 January 2010: г → h, ґ → g,
  х → kh, щ → shch; є ї й ю я are ye yi y yu ya at the start of a word and ie i i iu ia
  elsewhere; зг → zgh; ь and the apostrophe are dropped ("Замовлення" → "zamovlennia").
* Bulgarian — the Transliteration Act of 2009: ж → zh, ц → ts, щ → sht, ъ → a, ь → y, ю → yu,
  я → ya, and "ия" at the end of a word → "ia" as the Act requires ("София" → "sofia",
  "Резервация" → "rezervatsia", "Поръчка" → "porachka", "Ямбол" → "yambol").

Latin text passes through unchanged (Polish letters are folded by the caller with the one
`fold`); other Cyrillic letters (Russian ы э ё) get a common spelling.
"""

from __future__ import annotations

_COMMON = {
    "а": "a", "б": "b", "в": "v", "д": "d", "е": "e", "ж": "zh", "з": "z", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "ц": "ts", "ч": "ch", "ш": "sh", "ы": "y", "э": "e", "ё": "yo",
}  # fmt: skip

UKRAINIAN: dict[str, str] = {
    **_COMMON,
    "г": "h", "ґ": "g", "и": "y", "і": "i", "х": "kh", "щ": "shch", "ь": "", "'": "", "’": "",
    "ʼ": "", "є": "ie", "ї": "i", "й": "i", "ю": "iu", "я": "ia",
}  # fmt: skip
UKRAINIAN_AT_WORD_START: dict[str, str] = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}

BULGARIAN: dict[str, str] = {
    **_COMMON,
    "г": "g", "и": "i", "й": "y", "х": "h", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
}  # fmt: skip

TABLES: dict[str, dict[str, str]] = {"uk": UKRAINIAN, "bg": BULGARIAN}
_APOSTROPHES = ("'", "’", "ʼ")
_UKRAINIAN_ONLY = set("ієїґ")
_BULGARIAN_ONLY = set("ъ")


def cyrillic_language(text: str, chat_lang: str | None = None) -> str:
    """Whose system spells `text`: letters only one language has decide, then the chat's
    language, then Bulgarian (whose table has no position rules)."""
    letters = set(text.lower())
    if letters & _UKRAINIAN_ONLY:
        return "uk"
    if letters & _BULGARIAN_ONLY:
        return "bg"
    return chat_lang if chat_lang in TABLES else "bg"


def transliterate(text: str, chat_lang: str | None = None) -> str:
    """`text` lowercased with its Cyrillic letters spelled in Latin (see the module docstring)."""
    text = text.lower()
    lang = cyrillic_language(text, chat_lang)
    table = TABLES[lang]
    spelled = []
    previous = ""
    for index, char in enumerate(text):
        following = text[index + 1 : index + 2]
        if lang == "uk" and not previous.isalpha() and previous not in _APOSTROPHES:
            latin = UKRAINIAN_AT_WORD_START.get(char) or table.get(char, char)
        elif lang == "uk" and char == "г" and previous == "з":
            latin = "gh"
        elif lang == "bg" and char == "я" and previous == "и" and not following.isalpha():
            latin = "a"  # the Act: word-final "ия" → "ia"
        else:
            latin = table.get(char, char)
        spelled.append(latin)
        previous = char
    return "".join(spelled)
