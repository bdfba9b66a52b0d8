"""Due dates as people type them: "2026-12-14", "14.12", "14/12", "friday", "piątek",
"п'ятниця", "петък", "tomorrow", "jutro", "завтра", "утре", "next week", "za 3 dni"…

Pure: `today` is passed in (the chat's local date). Text is folded first (case, Polish
diacritics, Ukrainian apostrophes), so "piatek", "PIĄTEK" and "Piątek," are one word. A date
without a year is the next one to come (14.12 typed on 20 December is next year's), a weekday
the next one after today ("friday" typed on a Friday is next week's). A date that
has passed, or is more than `MAX_YEARS_AHEAD` away, is refused with its own message.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta

from bot.core.model import DomainError
from bot.core.vocabulary import fold

MAX_YEARS_AHEAD = 5


class BadDate(DomainError):
    """Nothing in the text reads as a date."""

    key = "error.bad_date"


class DateInPast(DomainError):
    key = "error.date_in_past"


def _words(*groups: str) -> dict[str, int]:
    """{"monday mon pn": 0, …} → {"monday": 0, "mon": 0, "pn": 0, …}, folded."""
    table: dict[str, int] = {}
    for index, group in enumerate(groups):
        for word in group.split():
            table[_word_key(word)] = index
    return table


def _word_key(text: str) -> str:
    return fold(text).replace("'", "")


def _word_set(words: str) -> frozenset[str]:
    """ "dziś dzisiaj" → {"dzis", "dzisiaj"}."""
    return frozenset(_word_key(word) for word in words.split())


# Weekdays (0 = Monday): English, Polish (with the accusative of "na środę"), Ukrainian (with
# "у п'ятницю", "до п'ятниці"), Bulgarian, and the Russian some Ukrainian teams type.
WEEKDAYS = _words(
    "monday mon poniedziałek poniedzialku pon pn понеділок понеділка пн понеделник понедельник",
    "tuesday tue tues wtorek wtorku wt вівторок вівторка вт вторник",
    "wednesday wed środa środę środy sr śr середа середу середи ср сряда среда среду",
    "thursday thu thur thurs czwartek czwartku czw четвер четверга чт четвъртък чет четверг",
    "friday fri piątek piatek piątku pt pią п'ятниця п'ятницю п'ятниці пт петък пет пятница"
    " пятницу",
    "saturday sat sobota sobotę soboty sob сб субота суботу суботи събота съб суббота",
    "sunday sun niedziela niedzielę niedzieli niedz nd неділя неділю неділі неделя нед"
    " воскресенье",
)

# Month names by the stem every form of them starts with ("grudnia", "грудня", "декември").
_MONTH_STEMS = (
    "jan styczn січ січн янв яну",
    "feb lut лют фев",
    "mar marz берез бер мар",
    "apr kwie квіт квіт апр",
    "may maj трав мая май",
    "jun czerw черв июн юни",
    "jul lip лип июл юли",
    "aug sierp серп авг",
    "sep wrze верес сен сеп",
    "oct paźdz pazdz paz жовт окт",
    "nov listop лист ноя ное",
    "dec grud груд дек",
)
MONTH_STEMS: tuple[tuple[str, int], ...] = tuple(
    sorted(
        ((_word_key(stem), month) for month, group in enumerate(_MONTH_STEMS, 1)
         for stem in group.split()),
        key=lambda pair: -len(pair[0]),  # longest first: "listop" before "lip"
    )
)

TODAY = _word_set("today tonight dziś dzis dzisiaj сьогодні сегодня днес")
TOMORROW = _word_set("tomorrow tmrw tmr jutro завтра утре")
DAY_AFTER = _word_set("pojutrze післязавтра послезавтра вдругиден") | {"day after tomorrow"}
NEXT = _word_set(
    "next następny następna następne następnym przyszły przyszła przyszłe przyszłym"
    " przyszłą наступний наступна наступного наступної наступну наступному"
    " следващ следващия следващата следващо следващия другия другата другата"
    " следующий следующая следующую следующей"
)
THIS = _word_set("this ten ta to tym tę цей ця цього цієї цю този тази това този этой эту")
WEEK = ("week", "tydz", "tyg", "тижд", "тижн", "тиж", "седмиц", "недел")
MONTH_END = ("month", "miesiac", "місяц", "месец", "месяц")
END = _word_set("end eow koniec końca кінець кінця края край конец конца")
DAY_UNITS = ("d", "day", "dzie", "dni", "дн", "ден", "день")
WEEK_UNITS = ("w", "wk", "week", "tydz", "tyg", "тиж", "седм", "нед")
# Words that say nothing about the date itself: "by friday", "na piątek", "до п'ятниці".
FILLER = _word_set(
    "by on until till due before at the of "
    "do na w we we' dnia "
    "до в у на о "
    "във"
)
IN_WORDS = _word_set("in za за через след")

_ISO = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{4}|\d{2}))?\.?$")
_DAY_NAMED_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|\.)?\s+(\S+?)\.?(?:\s+(\d{4}))?$")
_NAMED_MONTH_DAY = re.compile(r"^(\S+?)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?$")
_IN_COUNT = re.compile(r"^(?:(\S+)\s+)?\+?(\d{1,3})\s*(\S*)$")


def parse_due_date(text: str, today: date) -> date:
    """The day `text` means, seen from `today`; BadDate or DateInPast otherwise."""
    day = _parse(text, today)
    if day is None:
        raise BadDate(text=text)
    if day < today:
        raise DateInPast(date=day.isoformat())
    if day > _add_years(today, MAX_YEARS_AHEAD):
        raise BadDate(text=text)
    return day


def this_week(today: date) -> date:
    """ "This week": Friday, or Sunday once Friday has come and gone (today on a Sunday)."""
    friday = today + timedelta(days=4 - today.weekday())
    return friday if friday >= today else today + timedelta(days=6 - today.weekday())


def next_week(today: date) -> date:
    """ "Next week": Friday of next week."""
    return today + timedelta(days=7 - today.weekday() + 4)


def _parse(text: str, today: date) -> date | None:
    cleaned = re.sub(r"[,!?;]+", " ", _word_key(text)).strip().rstrip(".")
    words = cleaned.split()
    while len(words) > 1 and words[0] in FILLER:
        words = words[1:]
    cleaned = " ".join(words)
    if not cleaned:
        return None
    if match := _ISO.match(cleaned):
        return _date(*(int(g) for g in match.groups()))
    if match := _DAY_MONTH.match(cleaned):
        first, second, year = match.groups()
        day, month = int(first), int(second)
        if month > 12 >= day:  # 12/14: month first
            day, month = month, day
        return _day_month(day, month, year, today)
    if match := _DAY_NAMED_MONTH.match(cleaned):
        month = _month(match.group(2))
        if month:
            return _day_month(int(match.group(1)), month, match.group(3), today)
    if match := _NAMED_MONTH_DAY.match(cleaned):
        month = _month(match.group(1))
        if month:
            return _day_month(int(match.group(2)), month, match.group(3), today)
    return _relative(words, today)


def _relative(words: list[str], today: date) -> date | None:
    phrase = " ".join(words)
    if phrase in TODAY:
        return today
    if phrase in TOMORROW:
        return today + timedelta(days=1)
    if phrase in DAY_AFTER or phrase.replace("the ", "") in DAY_AFTER:
        return today + timedelta(days=2)
    if match := _IN_COUNT.match(phrase):
        word, count, unit = match.groups()
        if (word in IN_WORDS) or (word is None and (unit or phrase.startswith("+"))):
            days = _unit_days(unit)
            if days:
                return today + timedelta(days=int(count) * days)
    is_next = any(w in NEXT for w in words)
    rest = [w for w in words if w not in NEXT and w not in THIS and w not in FILLER]
    if len(rest) == 1 and rest[0] in WEEKDAYS:
        ahead = (WEEKDAYS[rest[0]] - today.weekday()) % 7 or 7  # "friday" on a Friday: next
        if is_next:  # "next friday": the Friday of next week
            return today + timedelta(days=7 - today.weekday() + WEEKDAYS[rest[0]])
        return today + timedelta(days=ahead)
    one_or_end = len(rest) == 1 or (len(rest) == 2 and rest[0] in END)
    if rest and one_or_end and any(rest[-1].startswith(stem) for stem in WEEK):
        return next_week(today) if is_next else this_week(today)
    if rest and one_or_end and any(rest[-1].startswith(stem) for stem in MONTH_END):
        return today.replace(day=monthrange(today.year, today.month)[1])
    return None


def _unit_days(unit: str) -> int:
    if not unit or any(unit.startswith(u) for u in DAY_UNITS if len(u) > 1) or unit == "d":
        return 1
    if any(unit.startswith(u) for u in WEEK_UNITS if len(u) > 1) or unit == "w":
        return 7
    return 0


def _month(word: str) -> int | None:
    return next((month for stem, month in MONTH_STEMS if word.startswith(stem)), None)


def _day_month(day: int, month: int, year: str | None, today: date) -> date | None:
    if year is None:
        candidate = _date(today.year, month, day)
        if candidate is not None and candidate < today:
            candidate = _date(today.year + 1, month, day)
        return candidate
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    return _date(full_year, month, day)


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
