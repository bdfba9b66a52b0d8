"""Which of en/pl/uk/bg a note is written in.

Rule 0, the chat's language as a prior: in a chat whose language is uk or bg, a note typed in
Latin letters is that language typed in Latin letters (classified by its pipeline after
nlp/translit.py) unless it shows clear evidence of another language: Polish letters
(ąćęłńóśźż) or clearly English words (`_clearly_english`: English function words outnumbering
Polish ones and the chat language's Latin-typed ones, two or more unless there is none of the
latter). Polish typed without diacritics in such a chat is the rare case given up. A pl or en
chat has no such prior: Latin English and Polish are told apart by words and n-grams (rules
3-4), which a prior would only override.

Otherwise, evidence, strongest first:

1. the script (Latin vs Cyrillic letters; Latin brand names inside Cyrillic text are ignored:
   "Замовила через Instagram" is Cyrillic);
2. letters only one language uses: ąćęłńóśźż → pl; і ї є ґ → uk; ъ ѝ → bg; ы э ё → ru;
3. frequent function words of each language (they also cover Polish typed without diacritics),
   and of Ukrainian and Bulgarian as typed in Latin letters (nlp/lexicons/latin_cyrillic.json:
   such a note is classified by the uk/bg pipeline after nlp/translit.py);
4. py3langid's character n-gram model, restricted to the candidates of the script: the part
   of it that reads en/pl/uk/bg/ru words, cut out once into nlp/model/langid.npz and scored by
   nlp/ngrams.py with the same numbers (a third of its memory).

Very short notes (fewer than three words) with no distinctive letter take the chat's language
(`fallback`) when it uses the same script. Russian is not a supported language: a Russian note
goes to the chat's language when that is uk or bg, otherwise to whichever of uk/bg the
character n-grams find closer to the note (Russian shares much vocabulary with both; the chat's
language is the better guess of which pipeline the team expects). See nlp/README.md.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from bot.core.vocabulary import DEFAULT_LANGUAGE, LANGUAGES, fold, fold_lowercase
from nlp.ngrams import NgramModel
from nlp.translit import latin_words

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")

# Letters used by only one of the candidate languages (within its script).
_MARKERS = {
    "pl": set("ąćęłńśźż"),
    "uk": set("іїєґ"),
    "bg": set("ѝ"),
    "ru": set("ыэё"),
}
# Polish letters, ó included (rule 0: a Latin note with one of them is not Latin-typed uk/bg)
_POLISH_LETTERS = frozenset("ąćęłńóśźż")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function and very common words, folded. Kept small and unambiguous within the script.
_WORDS = {
    "en": _words(
        "the and is are was were to of we they our their not for with it at from by but when this "
        "that have has had be been you your he she them people customers customer there what "
        "which who would could should will can can't don't doesn't didn't isn't about after "
        "before because very too just only also then than into out up some more most get gets got "
        "want wants need needs ask asks always never often usually here "
    ),
    "pl": _words(
        "nie sie się jest są sa ze że na w z do bo i ale juz już tez też czy jak po za od przez "
        "dla to ten ta te mamy maja mają nas nam nasz nasze nasi naszych klient klienci klientow "
        "klientów ludzie pani pan jesli jeśli gdy kiedy bardzo tylko jeszcze potem zawsze nigdy "
        "czesto często moze może mozna można trzeba chca chcą chce chcę pytaja pytają sobie ktory "
        "który ktora która co gdzie dlaczego wiec więc albo oraz przy pod nad przed jakby zeby "
        "żeby bez czasem tutaj tu "
    ),
    "uk": _words(
        "і й та що це як для від дуже через бо вже коли після щоб ми вони наш наші нам нас "
        "клієнти клієнт люди їм їх його її є був була були буде можна треба хочуть питають також "
        "тільки лише ще завжди ніколи часто чи або де чому який яка які свій своє ні немає нема "
        "також потім одразу зараз сайті "
    ),
    "bg": _words(
        "и се да е са от за че ще ни много през след как това когато защото ние те нашите нашия "
        "нашата клиентите клиенти хората им ги го тя той беше бяха има няма може трябва искат "
        "питат също само още винаги никога често или къде защо който която които някои всички "
        "сега веднага най вече "
    ),
    "ru": _words(
        "что это очень через после когда потому только уже мы они наши нам нас клиенты люди их "
        "его её есть был была были будет можно нужно хотят спрашивают тоже также ещё всегда "
        "никогда часто или где почему который которая которые сейчас сразу "
    ),
}
# the words above as they look folded ("się" → "sie"), which is how notes are compared
_FOLDED_WORDS = {lang: frozenset(fold(word) for word in words) for lang, words in _WORDS.items()}


def function_words(lang: str) -> frozenset[str]:
    """Frequent function words of `lang`, folded (empty for a language not listed)."""
    return _FOLDED_WORDS.get(lang, frozenset())


_SCRIPT_LANGS = {"latin": ("en", "pl"), "cyrillic": ("uk", "bg", "ru")}

_ngram_model = None
_identifier_lock = threading.Lock()


@dataclass(frozen=True)
class Detection:
    lang: str  # one of LANGUAGES
    confidence: float  # 0..1, how sure the detector is
    reason: str  # "given", "markers", "words", "ngrams", "fallback", "russian", "default",
    # "latin" (Ukrainian or Bulgarian typed in Latin letters)
    detected: str  # what the evidence said before any fallback (may be "ru")


IDENTIFIER_LANGUAGES = (*LANGUAGES, "ru")


def load_identifier() -> NgramModel:
    """The n-gram model of en/pl/uk/bg/ru (nlp/ngrams.py; ≈0.03 s, loaded once)."""
    global _ngram_model
    if _ngram_model is None:
        with _identifier_lock:
            if _ngram_model is None:
                _ngram_model = NgramModel.load()
    return _ngram_model


def _ngram_probs(text: str, candidates: tuple[str, ...]) -> dict[str, float]:
    """The n-gram model's probabilities of `candidates` (renormalised among them: the softmax
    over a subset keeps the ratios of the full one)."""
    scores = load_identifier().probabilities(text)
    probs = {lang: scores[lang] for lang in candidates}
    total = sum(probs.values())
    if total <= 0.0:
        return dict.fromkeys(candidates, 1.0 / len(candidates))
    return {lang: p / total for lang, p in probs.items()}


_CYR = re.compile("[\u0400-\u04ff]")
_LAT = re.compile("[A-Za-z\u00c0-\u024f]")
_OTHER_LETTER = re.compile("[^\\W\\d_A-Za-z\u00c0-\u024f\u0400-\u04ff]")  # Greek, CJK…
_NONE: frozenset[str] = frozenset()
# ъ followed by a consonant ("във", "също", "къде") is Bulgarian; Russian writes ъ only before
# е/ё/ю/я after a prefix ("объявление")
_BG_HARD_SIGN = re.compile(r"ъ[^\W\d_еёюяaeiouаоуиыэ]")


def _script(words: list[str]) -> tuple[str | None, list[str]]:
    """The dominant script and the words written in it (brand names in Latin are dropped
    from Cyrillic notes)."""
    cyr: list[str] = []
    lat: list[str] = []
    joined = " ".join(words)
    has_cyr, has_lat = _CYR.search(joined), _LAT.search(joined)
    if not _OTHER_LETTER.search(joined) and not (has_cyr and has_lat):
        # one script only (most notes): every word is in it, no per-word test needed
        cyr, lat = (words, []) if has_cyr else ([], words)
    else:
        for word in words:
            if _CYR.search(word):
                cyr.append(word)
            elif _LAT.search(word):
                lat.append(word)
    if not cyr and not lat:
        return None, []
    cyr_letters = sum(map(len, cyr))
    lat_letters = sum(map(len, lat))
    # A Cyrillic word or two among Latin brand names still makes a Cyrillic note, unless
    # the Latin part is clearly a sentence of its own.
    if cyr and (cyr_letters >= 0.25 * (cyr_letters + lat_letters) or len(cyr) >= len(lat)):
        return "cyrillic", cyr
    return "latin", lat


def _latin_cyrillic(folded: list[str], word_hits: dict[str, int], fallback: str | None
                    ) -> Detection | None:
    """Ukrainian or Bulgarian typed in Latin letters ("studenty kydaiut kurs na 3-mu tyzhni"):
    more of its frequent words (nlp/lexicons/latin_cyrillic.json) than English or Polish ones,
    at least two, or one in a chat of that language with no English or Polish word."""
    hits = {lang: sum(map(latin_words(lang).__contains__, folded)) for lang in ("uk", "bg")}
    if hits["uk"] == hits["bg"]:
        best = fallback if fallback in hits else "uk"
    else:
        best = max(hits, key=hits.__getitem__)
    others = max(word_hits.values())
    if hits[best] >= 2 and hits[best] > others:
        return Detection(best, 0.6, "latin", best)
    if best == fallback and hits[best] >= 1 and not others:
        return Detection(best, 0.3, "latin", best)
    return None


def _clearly_english(folded: list[str], word_hits: dict[str, int], chat_lang: str) -> bool:
    """More English function words than Polish ones and than words of the chat's language
    typed in Latin letters (nlp/lexicons/latin_cyrillic.json), and two or more of them unless
    there is no such Latin-typed word at all."""
    english = word_hits["en"]
    typed_in_latin = sum(map(latin_words(chat_lang).__contains__, folded))
    if english <= word_hits["pl"] or english <= typed_in_latin:
        return False
    return english >= 2 or not typed_in_latin


def _normalize_lang(lang: str | None) -> str | None:
    if not lang:
        return None
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    if code == "ua":
        code = "uk"
    return code if code in LANGUAGES else None


def detect_language(text: str, fallback: str | None = None) -> Detection:
    """The note's language among en/pl/uk/bg (see the module docstring for the rules)."""
    fallback = _normalize_lang(fallback)
    words = _WORD.findall(text)
    script, script_words = _script(words)
    if script is None:
        lang = fallback or DEFAULT_LANGUAGE
        return Detection(lang, 0.0, "fallback" if fallback else "default", lang)

    candidates = _SCRIPT_LANGS[script]
    joined = " ".join(script_words).lower()
    letters = set(joined)
    marker_hits = dict.fromkeys(candidates, 0)
    for lang in candidates:
        present = _MARKERS.get(lang, _NONE) & letters
        if present:
            marker_hits[lang] = sum(map(joined.count, present))
    if script == "cyrillic" and "ъ" in letters:
        marker_hits["bg"] += len(_BG_HARD_SIGN.findall(joined))
    short = len(script_words) < 3
    marked = [lang for lang in candidates if marker_hits[lang]]
    strong = bool(marked)
    if len(marked) == 1 and not short and marked[0] != "ru":
        # one language's letters only (ł, ї, ъ+consonant): no need for words or n-grams
        return Detection(marked[0], 1.0, "markers", marked[0])

    # joined is lowercase already; folding keeps the length: one word for one. Not the
    # memoised fold(): a whole note would only crowd out the words in its memo.
    folded = fold_lowercase(joined).split(" ")
    word_hits = {lang: sum(map(_FOLDED_WORDS[lang].__contains__, folded)) for lang in candidates}
    if (script == "latin" and fallback in ("uk", "bg") and not _POLISH_LETTERS & letters
            and not _clearly_english(folded, word_hits, fallback)):
        # the chat's language as a prior (module docstring, rule 0)
        return Detection(fallback, 0.5, "latin", fallback)
    if script == "latin" and not strong:
        typed_in_latin = _latin_cyrillic(folded, word_hits, fallback)
        if typed_in_latin is not None:
            return typed_in_latin
    scores = {lang: 3.0 * marker_hits[lang] + word_hits[lang] for lang in candidates}
    fallback_fits = fallback in candidates
    if fallback and not strong:
        others = any(n for lang, n in word_hits.items() if lang != fallback)
        if short and (not any(word_hits.values()) or (fallback_fits and not others)):
            # "довга доставка", "ok", "Instagram" in a Ukrainian chat: the chat decides
            return Detection(fallback, 0.3, "fallback", fallback)
        if len(script_words) < 5 and not any(word_hits.values()):
            return Detection(fallback, 0.2, "fallback", fallback)
        if script == "latin" and fallback in ("uk", "bg") and len(words) > len(script_words):
            # Latin brand names with a Cyrillic word or two in a Cyrillic chat
            return Detection(fallback, 0.2, "fallback", fallback)

    ranked_words = sorted(word_hits.values(), reverse=True)
    if ranked_words[0] >= 3 and ranked_words[0] >= 3 * ranked_words[1] and not strong:
        best = max(candidates, key=lambda lang: (word_hits[lang], -candidates.index(lang)))
        if best != "ru":
            return Detection(best, 0.9, "words", best)

    probs = _ngram_probs(" ".join(script_words), candidates)
    weight = 1.0 if short else 2.5
    for lang in candidates:
        scores[lang] += weight * probs[lang]

    ranked = sorted(candidates, key=lambda lang: (-scores[lang], candidates.index(lang)))
    best, second = ranked[0], ranked[1]
    total = sum(max(s, 0.0) for s in scores.values()) or 1.0
    confidence = round(max(scores[best] - scores[second], 0.0) / total, 3)
    reason = "markers" if strong else ("words" if any(word_hits.values()) else "ngrams")

    if best == "ru":
        if fallback in ("uk", "bg"):
            return Detection(fallback, confidence, "russian", "ru")
        closer = "uk" if probs["uk"] >= probs["bg"] else "bg"
        return Detection(closer, confidence, "russian", "ru")
    if fallback_fits and not strong and confidence < 0.15 and len(script_words) < 5:
        return Detection(fallback, confidence, "fallback", best)
    return Detection(best, confidence, reason, best)
