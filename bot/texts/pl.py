"""Polish texts. HTML parse mode: user text must be escaped before it is put in a placeholder."""

TEXTS: dict[str, str] = {
    # --- start, help, language -------------------------------------------------------------
    "start.welcome": (
        "👋 Cześć, jestem <b>journeybot</b>. Pomagam twojemu zespołowi rozrysować ścieżkę "
        "klienta:\n"
        "1. Razem tworzymy mapę podróży klienta: etapy, punkty styku, emocje, problemy.\n"
        "2. Gdy dowiesz się czegoś nowego, wyślij mi notatkę — dodam ją do mapy.\n"
        "3. Pokazuję mapę, wskazuję, gdzie boli, i pomagam ją aktualizować."
    ),
    "start.first_map": "Zacznijmy od twojej pierwszej mapy.",
    "start.resumed": (
        "⏰ Wracam: przypomnienia, check-iny i podsumowania wstrzymane, gdy nie było mnie na tym "
        "czacie, znów działają. /schedule, /checkin i /digest pokażą, kiedy będą następne."
    ),
    "start.has_map": (
        "Twoja aktywna mapa to „{name}”. /map ją pokazuje, /note dodaje do niej notatkę."
    ),
    "button.create_first_map": "🗺 Utwórz mapę",
    "help.title": "<b>Co potrafię</b>",
    "help.start": "/start — do czego służy ten bot",
    "help.newmap": "/newmap — zbuduj nową mapę podróży klienta krok po kroku",
    "help.note": (
        "/note <i>tekst</i> — dodaj notatkę; /note <i>numer</i> — pokaż notatkę, by ją zmienić "
        "lub usunąć"
    ),
    "help.map": "/map — pokaż aktywną mapę",
    "help.maps": "/maps — lista twoich map i przełączanie między nimi",
    "help.rename": "/rename <i>nazwa</i> — zmień nazwę aktywnej mapy",
    "help.delete": "/delete <i>numer</i> — usuń notatkę po potwierdzeniu (numery widać w /map)",
    "help.deletemap": "/deletemap — usuń aktywną mapę",
    "help.language": "/language — zmień język",
    "help.cancel": "/cancel — przerwij to, co właśnie robimy",
    "help.help": "/help — ta lista",
    "help.private_notes": "W czacie prywatnym każda wiadomość, która nie jest komendą, to notatka.",
    "help.group_notes": (
        "W grupie widzę tylko komendy i odpowiedzi na moje wiadomości (tryb prywatności "
        "Telegrama), więc dodawaj notatki przez /note albo odpowiadając na którąś z moich "
        "wiadomości."
    ),
    "language.choose": "W jakim języku mam mówić w tym czacie?",
    "language.set": "Gotowe — w tym czacie mówię po polsku.",
    "language.unknown": "Nie znam tego języka. Wybierz, proszę, jeden z przycisków.",
    "cancel.done": "Przerwane.",
    "cancel.nothing": "Nie ma teraz czego przerywać.",
    # --- hints and errors ------------------------------------------------------------------
    "hint.unknown_command": "Nie znam komendy {command}. W /help jest lista tego, co potrafię.",
    "hint.non_text": "Czytam tylko tekst. Wpisz notatkę — /help podpowie, jak to zrobić.",
    "note.caption_only": (
        "📎 Podpis zapisano jako słowa klienta; samego załącznika nie przechowuję."
    ),
    "hint.use_buttons": (
        "Na to pytanie odpowiada się przyciskiem — oto ono jeszcze raz. Twojej wiadomości nie "
        "zapisałem; /cancel przerywa pytanie."
    ),
    "hint.group_how_to_note": "Żeby dodać tu notatkę, użyj /note <i>tekst</i>.",
    "stale.button": "Ten przycisk należy do rozmowy, która już się skończyła.",
    "stale.not_yours": "Te przyciski należą do rozmowy kogoś innego.",
    "error.generic": (
        "Przepraszam, coś poszło nie tak po mojej stronie — ostatnia wiadomość mogła nie zostać "
        "zapisana. Spróbuj ponownie za chwilę."
    ),
    "error.empty_text": "Ta wiadomość jest pusta. Napisz kilka słów.",
    "error.text_too_long": "Za długi tekst: {length:count.characters}. Przyjmuję najwyżej {limit}.",
    "error.too_many_stages": "Mapa może mieć najwyżej {limit:count.stages}.",
    "error.too_many_maps": (
        "Czat może mieć najwyżej {limit:count.maps}. Usuń którąś przez /deletemap."
    ),
    "limit.slow_down": (
        "⏳ Trochę wolniej, proszę: to ponad {limit:count.messages} na minutę. Ta wiadomość i "
        "kilka następnych nie zostały zapisane — odczekaj minutę i wyślij je ponownie."
    ),
    "error.no_active_map": "Nie ma jeszcze żadnej mapy. Utwórz ją przez /newmap.",
    "error.not_found": "Nie mogę tego tu znaleźć — możliwe, że zostało usunięte.",
    "error.not_allowed": "To mogą zrobić tylko administratorzy grupy.",
    "error.not_a_member": "Z przycisków tej grupy mogą korzystać tylko jej członkowie.",
    # --- stages and lanes --------------------------------------------------------------------
    "stage.awareness": "Świadomość",
    "stage.consideration": "Rozważanie",
    "stage.decision": "Decyzja",
    "stage.purchase": "Zakup",
    "stage.retention": "Lojalność",
    "stage.advocacy": "Polecanie",
    "stage.unsorted": "Jeszcze bez etapu",
    "kind.touchpoint": "Punkt styku",
    "kind.action": "Działanie",
    "kind.need": "Potrzeba",
    "kind.emotion": "Emocja",
    "kind.pain_point": "Problem",
    "kind.opportunity": "Możliwość",
    "lane.touchpoint": "📍 Punkty styku",
    "lane.action": "👣 Działania klienta",
    "lane.need": "❓ Potrzeby i pytania",
    "lane.emotion": "💬 Emocje",
    "lane.pain_point": "⚠️ Problemy",
    "lane.opportunity": "💡 Możliwości",
    "channel.website": "strona www",
    "channel.phone": "telefon",
    "channel.email": "mail",
    "channel.sms": "SMS",
    "channel.shop": "sklep",
    "channel.chat": "czat",
    "channel.courier": "kurier",
    "channel.word_of_mouth": "poczta pantoflowa",
    "channel.ads": "reklamy",
    "channel.newsletter": "mailing",
    "channel.app": "aplikacja",
    "channel.social_media": "media społecznościowe",
    # --- /newmap -----------------------------------------------------------------------------
    "newmap.ask_name": (
        "Zbudujmy mapę podróży klienta. 🗺\n"
        "Jak ją nazwiemy? Nazwij ścieżkę, np. <i>Zamówienie tortu urodzinowego online</i>."
    ),
    "newmap.name_too_long": "Nazwa może mieć najwyżej {limit:count.characters}.",
    "newmap.ask_persona": (
        "Kim jest klient na tej mapie? Opisz go w kilku słowach, np. <i>zabiegany rodzic, który "
        "planuje przyjęcie</i>. Możesz to pominąć."
    ),
    "newmap.stages_intro": "Ścieżka ma zwykle takie etapy. Zostaw je albo zmień przyciskami:",
    "newmap.stage_line": "{number}. {name}",
    "newmap.ask_stage_to_rename": "Któremu etapowi zmienić nazwę?",
    "newmap.ask_new_stage_name": "Jak ma się nazywać etap „{name}”?",
    "newmap.ask_added_stage_name": "Jak nazywa się nowy etap?",
    "newmap.ask_stage_to_remove": "Który etap usunąć?",
    "newmap.ask_stage_to_move": "Który etap przenieść?",
    "newmap.ask_move_target": "Gdzie przenieść etap „{name}”?",
    "newmap.stage_name_too_long": "Nazwa etapu może mieć najwyżej {limit:count.characters}.",
    "newmap.need_one_stage": "Mapa musi mieć co najmniej jeden etap.",
    "newmap.created": "Mapa „{name}” zapisana. Teraz wypełnijmy ją, etap po etapie.",
    "newmap.stage_header": "<b>Etap {number} z {total}: {stage}</b>",
    "newmap.question.touchpoint": (
        "Gdzie klient ma z tobą kontakt na tym etapie? Kanały, miejsca, ludzie — np. <i>Instagram, "
        "znajoma, witryna sklepu</i>."
    ),
    "newmap.question.action": "Co klient robi na tym etapie?",
    "newmap.question.need": "Czego potrzebuje albo o co pyta w tym momencie?",
    "newmap.question.emotion": "Jak się tu czuje?",
    "newmap.question.pain_point": "Co idzie nie tak albo mu przeszkadza?",
    "newmap.question.opportunity": "Masz pomysł, jak ulepszyć ten etap?",
    "newmap.answer_hint": (
        "Kilka odpowiedzi? Każdą napisz w osobnej linii albo oddziel przecinkami."
    ),
    "newmap.stage_gone_added": (
        "Etap tego pytania został w międzyczasie usunięty (/stages), więc sam rozłożyłem "
        "odpowiedź na mapie — dodano: {count}."
    ),
    "newmap.added": "Dodano: {count}.",
    "newmap.summary_title": "✅ Mapa <b>{name}</b> jest gotowa.",
    "newmap.summary_persona": "Klient: {persona}",
    "newmap.summary_counts": (
        "{stages:count.stages} · {notes:count.notes} · {pain_points:count.pain_points}"
    ),
    "newmap.summary_stage": "{name}: {count}",
    "newmap.summary_next": (
        "/map pokazuje całą mapę. Dodawaj przez /note wszystko, czego się dowiesz — każdą notatkę "
        "przypiszę do właściwego etapu."
    ),
    "button.skip": "Pomiń ⏭",
    "button.keep_stages": "✅ Zostaw te etapy",
    "button.rename_stage": "✏️ Zmień nazwę",
    "button.add_stage": "➕ Dodaj",
    "button.remove_stage": "🗑 Usuń",
    "button.move_stage": "↕️ Przenieś",
    "button.reset_stages": "↩️ Domyślne etapy",
    "button.back": "« Wstecz",
    "button.to_end": "Na koniec",
    "button.before": "Przed etapem „{name}”",
    "button.next_stage": "Następny etap »",
    "button.finish": "✅ Zakończ",
    # --- notes -------------------------------------------------------------------------------
    "note.ask_text": "Czego nowego wiesz o klientach? Wyślij to w jednej wiadomości.",
    "note.saved": "📌 #{number} · {stage} · {kind}",
    "note.saved_channels": "📌 #{number} · {stage} · {kind} · {channels}",
    "note.saved_many": {
        "one": "📌 Zapisano {count} notatkę:",
        "few": "📌 Zapisano {count} notatki:",
        "many": "📌 Zapisano {count} notatek:",
        "other": "📌 Zapisano {count} notatki:",
    },
    "note.default_map_name": "Ścieżka naszego klienta",
    "note.map_created": (
        "Nie było jeszcze żadnej mapy, więc powstała „{name}” ze standardowymi etapami. Nazwę "
        "zmienisz przez /rename."
    ),
    "note.pick_stage": "Do którego etapu pasuje ta notatka?",
    "note.pick_kind": "Co to za notatka?",
    "note.undone": "↩️ Notatka #{number} usunięta.",
    "note.deleted": "🗑 Notatka #{number} z mapy „{name}” usunięta.",
    "note.delete_usage": "Którą notatkę? Wyślij /delete z jej numerem z /map, np. /delete 12.",
    "button.change_stage": "Zmień etap",
    "button.change_kind": "Zmień rodzaj",
    "button.undo": "Cofnij",
    # --- /map, /maps, rename, delete ---------------------------------------------------------
    "map.title": "🗺 <b>{name}</b>",
    "map.persona": "Klient: {persona}",
    "map.counts": (
        "{stages:count.stages} · {notes:count.notes} · {pain_points:count.open_pain_points}"
    ),
    "map.stage": "<b>{number}. {name}</b> ({count})",
    "map.unsorted_stage": "<b>· {name}</b> ({count})",
    "map.lane": "{lane} ({count})",
    "map.note": "• {text} <i>#{number}</i>",
    "map.note_author": "• {text} — {author} <i>#{number}</i>",
    "map.empty_stage": "<i>jeszcze nic</i>",
    "map.empty": (
        "Mapa jest na razie pusta. Dodaj notatki przez /note albo odpowiedz na pytania w /newmap."
    ),
    "maps.title": "<b>Twoje mapy</b>",
    "maps.line": "{marker} {name} — {notes:count.notes}",
    "maps.none": "Nie ma jeszcze żadnych map. Utwórz pierwszą przez /newmap.",
    "maps.switch_hint": "Wybierz mapę, żeby stała się aktywna.",
    "maps.switched": "Aktywna mapa: „{name}”.",
    "rename.ask": "Jak ma się teraz nazywać „{name}”?",
    "rename.map_gone": (
        "Mapę „{old}” w międzyczasie usunięto, więc nic nie zmieniło nazwy. /newmap {name} "
        "zaczyna mapę o tej nazwie."
    ),
    "rename.done": "Nowa nazwa: „{name}”.",
    "deletemap.confirm": (
        "Usunąć mapę „{name}” razem z notatkami ({notes})? Tego nie da się cofnąć."
    ),
    "deletemap.done": "Mapa „{name}” usunięta.",
    "deletemap.kept": "OK, mapa zostaje.",
    "button.delete_map": "Tak, usuń",
    "button.keep_map": "Nie, zostaw",
    # --- review schedules, reminders and reviews (issue 5) -----------------------------------
    "help.schedule": "/schedule — jak często zespół przegląda aktywną mapę",
    "help.review": "/review — przejrzyj teraz otwarte problemy",
    "schedule.title": "🗓 <b>Przeglądy mapy „{name}”</b>",
    "schedule.none": (
        "Nie ma jeszcze zaplanowanych przeglądów. Jak często mamy razem zaglądać do mapy?"
    ),
    "schedule.rule.weekly": "Co tydzień: {weekday}, godz. {time}",
    "schedule.rule.biweekly": "Co dwa tygodnie: {weekday}, godz. {time}",
    "schedule.rule.monthly": "Raz w miesiącu (pierwszy tydzień): {weekday}, godz. {time}",
    "schedule.timezone": "Strefa czasowa: {timezone}",
    "schedule.options_weekends": "Bez przeglądów w weekendy",
    "schedule.options_quiet": "Godziny ciszy: {start}–{end}",
    "schedule.next": "Następny przegląd: {when}",
    "schedule.paused": "⏸ Wstrzymane — żadnych przypomnień, dopóki nie wznowisz.",
    "schedule.saved": "✅ Zapisano.",
    "schedule.removed": "Przeglądy mapy „{name}” są wyłączone.",
    "schedule.ask_weekday": "W który dzień?",
    "schedule.ask_time": "O której? Wybierz godzinę albo ją wpisz, np. 9:30.",
    "schedule.confirm_timezone": "Ustawię czas według strefy {timezone}. To twoja strefa czasowa?",
    "schedule.ask_timezone": (
        "W jakiej strefie czasowej jesteś? Wyślij nazwę miasta (Warszawa, Kraków, London) albo "
        "przesunięcie, np. UTC+2."
    ),
    "schedule.timezone_set": "Ustawiona strefa czasowa: {timezone}.",
    "schedule.when": "{weekday}, {date}, godz. {time}",
    "weekday.0": "poniedziałek",
    "weekday.1": "wtorek",
    "weekday.2": "środa",
    "weekday.3": "czwartek",
    "weekday.4": "piątek",
    "weekday.5": "sobota",
    "weekday.6": "niedziela",
    "button.weekly": "Co tydzień",
    "button.biweekly": "Co 2 tygodnie",
    "button.monthly": "Co miesiąc",
    "button.custom": "Wybierz dzień i godzinę",
    "button.timezone": "🌍 {timezone}",
    "button.weekends_on": "Weekendy: pomijane",
    "button.weekends_off": "Weekendy: dozwolone",
    "button.quiet": "Godziny ciszy: {hours}",
    "button.quiet_off": "wył.",
    "button.pause": "⏸ Wstrzymaj",
    "button.resume": "▶️ Wznów",
    "button.remove": "🗑 Wyłącz",
    "button.yes_timezone": "✅ Tak",
    "button.change_timezone": "Zmień",
    "error.unknown_timezone": (
        "Nie znam strefy czasowej „{name}”. Podaj duże miasto w pobliżu albo przesunięcie, np. "
        "UTC+2."
    ),
    "error.bad_time": "Nie rozpoznaję tej godziny. Zapisz ją np. tak: 9:30 albo 18:00.",
    "reminder.title": "🔔 Pora na przegląd mapy „{name}”",
    "reminder.since_last": (
        "Od ostatniego przeglądu: {notes:count.new_notes}, rozwiązane: {resolved}."
    ),
    "reminder.since_start": (
        "Do tej pory: {notes:count.notes}, rozwiązane: {resolved}. To wasz pierwszy przegląd."
    ),
    "reminder.new_pain_points": "⚠️ {stage}: {count:count.new_pain_points}",
    "reminder.empty_lanes": "Niektóre wiersze są jeszcze puste na etapach: {stages}",
    "reminder.snoozed": "😴 Dobrze, przypomnę jutro.",
    "reminder.skipped": "OK, tym razem pomijamy. Następny przegląd: {when}",
    "button.start_review": "▶️ Zacznij przegląd",
    "button.snooze": "Przypomnij jutro",
    "button.skip_review": "Pomiń tym razem",
    "review.no_pain_points": "Na mapie „{name}” nie ma otwartych problemów — super. 🎉",
    "review.card": "🔎 Problem {number} z {total} · <b>{stage}</b>\n{text}",
    "review.card_author": "autor: {author}",
    "review.card_owner": "🙋 Zajmuje się tym: {owner}",
    "review.card_resolved": "✅ Rozwiązany — {who}",
    "review.card_still_open": "⏳ Nadal otwarty — {who}",
    "review.already_resolved": "#{number} jest już rozwiązany — nic się nie zmieniło.",
    "review.not_pain_point": (
        "#{number} nie jest już problemem (teraz: {kind}) — nic się nie zmieniło."
    ),
    "review.assigned": "Przypisane do ciebie.",
    "review.ask_idea": "Co mogłoby rozwiązać „{text}”? Odpowiedz swoim pomysłem.",
    "review.idea_saved": "💡 Pomysł zapisany.",
    "review.idea_map_gone": (
        "Mapę „{old}” w międzyczasie usunięto, więc zapisałem pomysł jako notatkę na mapie "
        "„{name}”:"
    ),
    "review.idea_saved_alone": (
        "💡 Pomysł zapisany jako notatka #{number} — problem, na który odpowiadał, został "
        "w międzyczasie usunięty."
    ),
    "review.ask_new": (
        "Coś nowego od ostatniego razu? Wysyłaj notatki (w grupie jako odpowiedzi na moje "
        "wiadomości) — rozłożę je na mapie. Na koniec naciśnij „Zakończ przegląd”."
    ),
    "review.already_running": "Przegląd tej mapy już trwa — kontynuujemy.",
    "review.summary_title": "📋 <b>Przegląd mapy „{name}” zakończony</b>",
    "review.summary_counts": (
        "Rozwiązane: {resolved} · nadal otwarte: {still_open} · nowe pomysły: {ideas} · nowe "
        "notatki: {notes}"
    ),
    "review.summary_owners": "Kto się czym zajmie: {owners}",
    "review.summary_people": "Uczestnicy: {people}",
    "button.resolved": "✅ Rozwiązany",
    "button.still_open": "⏳ Nadal otwarty",
    "button.add_idea": "💡 Dodaj pomysł",
    "button.assign_me": "🙋 Biorę to",
    "button.finish_review": "✅ Zakończ przegląd",
    "newmap.offer_schedule": (
        "Mapa przydaje się najbardziej, gdy regularnie do niej wracacie. Mam przypominać o tym "
        "zespołowi?"
    ),
    "button.plan_reviews": "🗓 Zaplanuj regularne przeglądy",
    # --- pictures, exports, insights, search (issue 6) ---
    "help.export": "/export — pobierz mapę jako CSV, JSON, Markdown albo obrazek",
    "help.insights": (
        "/insights — gdzie boli, gdzie nastrój jest najgorszy, luki i powracające tematy"
    ),
    "help.search": "/search <i>słowa</i> — szukaj w notatkach",
    "help.forget": "/forget — usuń wszystkie dane, które przechowuję o tym czacie",
    "picture.caption": "🗺 <b>{name}</b>",
    "picture.emotion_curve": "Krzywa emocji",
    "picture.more": "+{count} więcej",
    "picture.capped": (
        "Obrazek pokazuje w komórce najwyżej {limit:count.notes}; wszystkie są w /map text i w "
        "/export."
    ),
    "picture.no_feelings": "jeszcze brak notatek",
    "picture.chart_title": "Otwarte problemy na etapach",
    "picture.chart_note": (
        "Czerwone: otwarte, szare: rozwiązane. Etykieta: otwarte problemy / wszystkie notatki "
        "etapu."
    ),
    "export.choose": "📤 Eksport mapy „{name}”. Jaki format?",
    "export.caption": "📄 „{name}” — notatki: {notes}, {date}",
    "export.all_caption": (
        "📦 Wszystko, co przechowuję dla tego czatu — mapy: {maps}, notatki: {notes}, poprawki: "
        "{corrections}, przeglądy: {reviews}."
    ),
    "export.usage": (
        "Wyślij /export i wybierz format albo napisz /export csv, json, md, png lub all."
    ),
    "button.export_csv": "📊 CSV (arkusz)",
    "button.export_json": "🧩 JSON",
    "button.export_md": "📝 Markdown (tekst)",
    "button.export_png": "🖼 Obrazek",
    "button.export_all": "📦 Wszystkie dane czatu",
    "insights.title": "🔎 <b>Wnioski: {name}</b>",
    "insights.empty": (
        "Na razie nie ma czego analizować. Dodaj kilka notatek przez /note i spróbuj ponownie."
    ),
    "insights.hotspots": "⚠️ <b>Gdzie boli:</b> {items}",
    "insights.hotspot_item": "{stage} ({pain_points:count.open_pain_points}, {notes:count.notes})",
    "insights.no_pain": "✅ Brak otwartych problemów.",
    "insights.lowest_mood": "😟 <b>Najgorszy nastrój:</b> {stage} ({mood})",
    "insights.no_low_mood": "🙂 Na razie żaden etap nie wypada negatywnie.",
    "insights.gaps": "🕳 <b>Brakuje jeszcze wpisów:</b> {items}",
    "insights.gap_item": "{stage} ({lanes})",
    "insights.gap_stage": "{stage} (cały etap)",
    "insights.more": "+{count} więcej",
    "insights.themes": "🔁 <b>Wciąż powraca:</b> {items}",
    "insights.theme_word": "„{label}” ×{count}",
    "insights.theme_channel": "{channel} ×{count}",
    "insights.since_review": (
        "🕒 <b>Od ostatniego przeglądu</b> ({date}): {notes:count.new_notes}, w tym "
        "{pain_points:count.pain_points}."
    ),
    "insights.no_review": (
        "🕒 Nie zakończono jeszcze żadnego przeglądu, więc nie powiem, co się zmieniło."
    ),
    "insights.path": (
        "🛒 <b>Droga do zakupu</b> ({first} → {last}): {notes:count.notes}, "
        "{pain_points:count.open_pain_points}, nastrój {mood}"
    ),
    "insights.whole": (
        "🗺 <b>Cała ścieżka:</b> {notes:count.notes}, {pain_points:count.open_pain_points}, "
        "nastrój {mood}"
    ),
    "insights.no_path": "🛒 Na tej mapie nie ma etapu „Zakup”, więc nie pokażę drogi do zakupu.",
    "search.usage": "Czego mam szukać? Na przykład: /search dostawa",
    "search.none": "🔎 Nic nie znaleziono dla „{query}”.",
    "search.title": "🔎 „{query}”: znaleziono {total} · strona {page} z {pages}",
    "search.hit": "• {text}\n    <i>{stage} · {kind} · #{number}</i>",
    "search.hit_map": "• {text}\n    <i>{map} · {stage} · {kind} · #{number}</i>",
    "button.next_page": "Dalej »",
    "button.prev_page": "« Wstecz",
    "forget.confirm": (
        "⚠️ To usunie <b>wszystko</b>, co przechowuję dla tego czatu — mapy: {maps}, notatki: "
        "{notes}, poprawki: {corrections}, harmonogramy przeglądów i check-inów: {schedules}, "
        "przeglądy: {reviews} — oraz ustawienia czatu. Tego nie da się cofnąć. Chcesz najpierw "
        "kopię? /export all\n"
        "\n"
        "Usunąć wszystko?"
    ),
    "forget.done": (
        "🧹 Gotowe. Usunięte — mapy: {maps}, notatki: {notes}, poprawki: {corrections}, "
        "harmonogramy przeglądów i check-inów: {schedules}, przeglądy: {reviews} — oraz "
        "ustawienia czatu. W mojej bazie nie zostało nic o tym czacie."
    ),
    "forget.kept": "OK, niczego nie usunięto.",
    "button.forget_yes": "Tak, usuń wszystko",
    "button.forget_no": "Nie, zostaw",
    # --- roles and failures (reliability) ---
    "help.roles": "/roles — kto może co zmieniać; pozwól edytować wszystkim",
    "roles.private": "To czat prywatny: możesz tu robić wszystko.",
    "roles.title": "👥 <b>Kto może co zmieniać</b>",
    "roles.rules": (
        "Każdy w grupie dodaje notatki, poprawia i usuwa własne notatki, bierze udział w "
        "przeglądach i eksportuje. Zmiana lub usuwanie cudzych notatek, zmiana nazwy mapy, "
        "harmonogram przeglądów i język należą do administratorów grupy. Usunięcie mapy, "
        "/forget i to ustawienie zawsze należą do administratorów."
    ),
    "roles.everyone_edits_on": "✏️ Teraz: <b>wszyscy edytują</b> — każdy członek może zmieniać "
    "wszystko poza usuwaniem map i /forget.",
    "roles.everyone_edits_off": "🔒 Teraz: członkowie zmieniają tylko własne notatki.",
    "button.everyone_edits_on": "✏️ Pozwól edytować wszystkim",
    "button.everyone_edits_off": "🔒 Cudze notatki zmieniają tylko admini",
    "error.not_your_note": (
        "Tę notatkę może zmienić tylko jej autor albo administratorzy grupy "
        "(administrator może pozwolić edytować wszystkim: /roles)."
    ),
    "error.not_your_question": "Odpowiedzieć może tylko osoba, która pytała (albo administrator).",
    "error.database": (
        "Przepraszam, nie mam teraz dostępu do mojej bazy danych, więc tego nie zapisałem. "
        "Operator został powiadomiony; spróbuj ponownie za kilka minut."
    ),
    # --- classifier: unsure notes ---
    "note.unsure": (
        "🤔 Nie mam pewności: {question} "
        "Stuknij właściwe; jeśli nic nie zrobisz, zostanie jak jest."
    ),
    "note.or": " czy ",
    "button.other": "Inne…",
    # --- dialogs (issue 12) ---
    "note.edit_target_gone": (
        "Notatkę #{number} usunięto, zanim przyszedł nowy tekst, więc zapisałem go jako nową "
        "notatkę na mapie „{name}”:"
    ),
    "note.gone": "Ta notatka została już usunięta — nic się nie zmieniło.",
    "note.no_such_number": (
        "Na mapie „{name}” nie ma jeszcze notatki #{number}. Numery widać w /map."
    ),
    "note.ask_new_text": "Wyślij nowy tekst notatki #{number}. Teraz brzmi:\n<i>{text}</i>",
    "note.text_edited": "✏️ Notatka #{number} ma nowy tekst.",
    "note.confirm_delete": (
        "Usunąć notatkę #{number} z mapy „{name}”? Tego nie da się cofnąć.\n<i>{text}</i>"
    ),
    "button.edit_text": "✏️ Zmień tekst",
    "button.delete_note": "🗑 Usuń",
    "button.delete_note_yes": "Tak, usuń",
    "button.keep_note": "Nie, zostaw",
    "error.no_words": (
        "Potrzebuję kilku słów, żeby umieścić notatkę na mapie — same emoji czy znaki to za "
        "mało. Nic nie zostało zapisane; opisz to słowami."
    ),
    "cancel.newmap_kept": (
        "Przerwane. Mapa „{name}” jest zapisana razem z dotychczasowymi odpowiedziami — "
        "zobaczysz ją w /map."
    ),
    "cancel.schedule_unsaved": (
        "Przerwane. Wybrany harmonogram nie został zapisany — nic się nie zmieniło. "
        "{command} zaczyna od nowa."
    ),
    "cancel.newmap_unsaved": (
        "Przerwane. Mapa „{name}” nie została utworzona — jej nazwa, klient i etapy nie są "
        "zapisane. /newmap zaczyna od nowa."
    ),
    "dialog.expired": (
        "⌛ Moje wcześniejsze pytanie czekało ponad {minutes} min i jest zamknięte, więc ta "
        "wiadomość to notatka."
    ),
    "deletemap.now_active": "Aktywna mapa to teraz „{name}”.",
    "deletemap.none_left": (
        "Nie ma już żadnej mapy — /newmap zaczyna nową, możesz też po prostu wysłać notatkę."
    ),
    "console.no_such_choice": (
        "Nie ma teraz przycisku [{number}], więc nic się nie stało. Użyj numerów ostatnich "
        "przycisków albo napisz notatkę słowami."
    ),
    "console.ambiguous_choice": (
        "„{text}” pasuje do kilku przycisków: {choices}. Wpisz numer tego, o który chodzi; nic "
        "nie zostało zapisane."
    ),
    "console.button_gone": (
        "Przycisku „{label}” już nie ma, więc nic się nie stało. Teraz możesz nacisnąć: "
        "{choices}. Albo napisz notatkę słowami, albo /help."
    ),
    "console.button_gone_none": (
        "Przycisku „{label}” już nie ma, więc nic się nie stało, a teraz nie ma żadnych "
        "przycisków. Napisz notatkę słowami albo /help."
    ),
    "console.other_chat": (
        "✉️ Do innego czatu ({chat}), nie tego — jego przyciski działają tam, w "
        "journeybot chat --chat {chat_id}:"
    ),
    "console.group_title": "Zespół: {name}",
    "console.reaction": "({emoji} na twojej wiadomości)",
    # --- counts with plural forms (views) ---
    "count.notes": {
        "one": "{count} notatka",
        "few": "{count} notatki",
        "many": "{count} notatek",
        "other": "{count} notatki",
    },
    "count.new_notes": {
        "one": "{count} nowa notatka",
        "few": "{count} nowe notatki",
        "many": "{count} nowych notatek",
        "other": "{count} nowej notatki",
    },
    "count.pain_points": {
        "one": "{count} problem",
        "few": "{count} problemy",
        "many": "{count} problemów",
        "other": "{count} problemu",
    },
    "count.new_pain_points": {
        "one": "{count} nowy problem",
        "few": "{count} nowe problemy",
        "many": "{count} nowych problemów",
        "other": "{count} nowego problemu",
    },
    "count.open_pain_points": {
        "one": "{count} otwarty problem",
        "few": "{count} otwarte problemy",
        "many": "{count} otwartych problemów",
        "other": "{count} otwartego problemu",
    },
    "count.stages": {
        "one": "{count} etap",
        "few": "{count} etapy",
        "many": "{count} etapów",
        "other": "{count} etapu",
    },
    "count.maps": {
        "one": "{count} mapa",
        "few": "{count} mapy",
        "many": "{count} map",
        "other": "{count} mapy",
    },
    "count.characters": {
        "one": "{count} znak",
        "few": "{count} znaki",
        "many": "{count} znaków",
        "other": "{count} znaku",
    },
    "count.messages": {
        "one": "{count} wiadomość",
        "few": "{count} wiadomości",
        "many": "{count} wiadomości",
        "other": "{count} wiadomości",
    },
    # --- resolved pain points and capped views (views) ---
    "map.counts_resolved": " · ✓ rozwiązane: {count}",
    "map.resolved": "✓ Rozwiązane problemy ({count})",
    "map.note_resolved": "• ✓ {text} <i>#{number}</i>",
    "map.note_resolved_author": "• ✓ {text} — {author} <i>#{number}</i>",
    "map.more": {
        "one": "… i jeszcze {count} notatka — wszystkie są w /export",
        "few": "… i jeszcze {count} notatki — wszystkie są w /export",
        "many": "… i jeszcze {count} notatek — wszystkie są w /export",
        "other": "… i jeszcze {count} notatki — wszystkie są w /export",
    },
    "kind.resolved": "{kind} (✓ rozwiązany)",
    "note.number_deleted": (
        "Notatka #{number} z mapy „{name}” została usunięta — nic się nie zmieniło."
    ),
    # --- inbox (issue 13 §2-3) ---
    "limit.busy": (
        "⏳ Przepraszam, mam teraz za dużo wiadomości naraz. Ta nie została zapisana — "
        "wyślij ją jeszcze raz za minutę."
    ),
    "group.noted_title": "📌 Zapisane — dotknij numeru, aby poprawić notatkę:",
    "group.noted_line": "#{number} {author}: {text} — {stage} · {kind}",
    "group.unsure_hint": "🤔 — tych nie jestem pewien: dotknij numeru, aby wybrać.",
    # --- channel corrections (vocab) ---
    "button.change_channels": "Zmień kanały",
    "note.pick_channels": (
        "Jakie kanały wymienia ta notatka? "
        "Dotknij kanału, aby go dodać lub usunąć."
    ),
    "button.channels_done": "✓ Gotowe",
    # --- the board (issue 17 §2) ---
    "help.board": "/board — otwórz mapę jako tablicę: wszystkie notatki, filtry, przenoszenie kart",
    "board.open": "🗺 Otwórz tablicę",
    "board.intro": (
        "🗺 Tablica mapy „{name}”: wszystkie notatki według etapów i ścieżek, z filtrami. "
        "Dotknij karty, aby zobaczyć szczegóły lub ją przenieść."
    ),
    "board.no_public_url": (
        "🗺 Tablica potrzebuje publicznego adresu HTTPS bota, a żaden nie jest ustawiony. "
        "Osoba, która uruchamia bota, ustawia <b>JOURNEYBOT_PUBLIC_URL</b> (np. "
        "https://bot.example.org) i uruchamia go ponownie — README, „The board”. Do tego "
        "czasu /map pokazuje mapę tutaj."
    ),
    "board.filter_lane": "Ścieżka",
    "board.filter_author": "Autor",
    "board.filter_status": "Stan",
    "board.all": "Wszystkie",
    "board.status_open": "Otwarte",
    "board.status_resolved": "Rozwiązane",
    "board.status_pain": "Otwarte problemy",
    "board.emotion": "Krzywa emocji",
    "board.owner": "Odpowiada: {name}",
    "board.author": "Autor: {name}",
    "board.stage": "Etap",
    "board.lane": "Ścieżka",
    "board.move": "Przenieś",
    "board.close": "Zamknij",
    "board.moved": "Przeniesione — zapisane jako poprawka.",
    "board.channels": "Kanały",
    "board.mood": "Nastrój",
    "board.empty": "Żadna notatka nie pasuje do tych filtrów.",
    "board.no_map": (
        "Ten czat nie ma jeszcze aktywnej mapy — zacznij ją poleceniem /newmap w czacie."
    ),
    "board.not_allowed_move": "Notatkę może przenieść tylko jej autor albo administrator czatu.",
    "board.resolved_mark": "✓ rozwiązany",
    "board.error_auth": (
        "Tablica nie mogła potwierdzić, kim jesteś. Otwórz ją ponownie poleceniem /board "
        "w czacie."
    ),
    "board.error_forbidden": "Ta tablica należy do czatu, którego nie jesteś członkiem.",
    "board.error_bad": "Nie rozumiem tego żądania; nic nie zostało zmienione.",
    "board.error_not_found": "Tej notatki nie ma już na aktywnej mapie; nic nie zostało zmienione.",
    "board.error_stale": (
        "Aktywna mapa czatu zmieniła się od otwarcia tablicy; "
        "pokazuję ją ponownie."
    ),
    "board.error_no_chat": "Bot nic jeszcze nie wie o tym czacie — najpierw napisz tam /start.",
    # --- owners and due dates (issue 16) ------------------------------------------------------
    "error.bad_date": (
        "Nie rozumiem tej daty. Napisz np. 14.12, 2026-12-14, piątek, jutro albo "
        "w przyszłym tygodniu."
    ),
    "error.date_in_past": "Ta data ({date}) już minęła. Wybierz dzień od dziś.",
    # --- digest and review history (issue 16) ---
    "help.digest": (
        "/digest — podsumowanie dla zespołu: nowe notatki, problemy, kto pisał, otwarte zadania "
        "(/digest weekly: co poniedziałek)"
    ),
    "help.history": (
        "/history — poprzednie przeglądy i jak zmieniały się problemy, przegląd po przeglądzie"
    ),
    "digest.title": "📬 <b>Podsumowanie: {name}</b>",
    "digest.title_weekly": "📬 <b>Podsumowanie tygodnia: {name}</b>",
    "digest.title_checkin": "📬 <b>Po rundzie pytań: {name}</b>",
    "digest.period": "🗓 {since} → {until}",
    "digest.nothing": "W tym okresie nie dopisano ani nie rozwiązano niczego nowego.",
    "digest.new_notes": "📝 <b>{notes:count.new_notes}</b>: {stages}",
    "digest.stage_notes": "{stage} {notes}",
    "digest.stage_pain": "{stage} {notes} (⚠️ {pain_points})",
    "digest.new_pain": "⚠️ <b>Nowe problemy, wciąż otwarte</b> ({count}):",
    "digest.resolved": "✅ <b>Rozwiązane</b> ({count}):",
    "digest.note_item": "• #{number} {text} · <i>{stage}</i>",
    "digest.resolved_item": "• #{number} {text} · <i>{stage}</i> — rozwiązane przez: {who}",
    "digest.more": "… i jeszcze {count}",
    "digest.person": "{name} ({notes})",
    "digest.contributors": "🙌 <b>Dzięki za notatki:</b> {people}",
    "digest.quiet": (
        "👋 <b>Tym razem bez notatek:</b> {people}. Wystarczy jedno zdanie od klienta — dodaj je "
        "przez /note."
    ),
    "digest.items": "📌 <b>Otwarte zadania</b> ({count}):",
    "digest.items_overdue": "📌 <b>Otwarte zadania</b> ({count}, ⏰ po terminie: {overdue}):",
    "digest.item": "• #{number} {text} — {owner}",
    "digest.item_due": "• #{number} {text} — {owner} · termin {date}",
    "digest.item_overdue": "⏰ #{number} {text} — {owner} · <b>termin minął {date}</b>",
    "digest.no_owner": "jeszcze bez osoby",
    "digest.items_more": "… i jeszcze {count} — /todo pokaże twoje",
    "digest.no_items": "📌 Brak otwartych zadań z osobą lub terminem — przydzielisz je w /review.",
    "digest.chart_caption": "📈 Problemy na etapach w ostatnich przeglądach i teraz",
    "digest.weekly_on": (
        "📬 Cotygodniowe podsumowanie mapy „{name}” włączone: w każdy poniedziałek o 9:00 "
        "({timezone}), następne {when}. /digest off je wyłącza."
    ),
    "digest.weekly_off": (
        "🔕 Cotygodniowe podsumowanie mapy „{name}” wyłączone. /digest weekly włączy je "
        "ponownie."
    ),
    "digest.usage": (
        "Wyślij /digest, aby dostać podsumowanie teraz, /digest 30 — z ostatnich 30 dni, "
        "/digest weekly — co poniedziałek, /digest off — aby to wyłączyć."
    ),
    "digest.status_on": "📬 Cotygodniowe podsumowanie: w poniedziałki o 9:00, następne {when}.",
    "digest.status_off": "📬 Cotygodniowe podsumowanie: wyłączone.",
    "button.digest_weekly_on": "📬 Co poniedziałek",
    "button.digest_weekly_off": "🔕 Wyłącz cotygodniowe",
    "picture.now": "teraz",
    "picture.timeline_title": "Problemy na etapach, przegląd po przeglądzie — {name}",
    "picture.timeline_note": (
        "Czerwone: otwarte, szare: rozwiązane. Słupek na przegląd (jego dzień), ostatni to "
        "teraz; przy etapie: otwarte teraz."
    ),
    "history.title": "🗂 <b>Historia przeglądów: {name}</b> · {count:count.reviews}",
    "history.none": (
        "Mapa „{name}” nie miała jeszcze przeglądu. /review go zaczyna, /schedule planuje "
        "kolejne."
    ),
    "history.review": "📋 <b>{date}</b> · {people}",
    "history.review_unfinished": "⏸ <b>{date}</b> · {people} · niezakończony",
    "history.counts": (
        "✅ rozwiązane: {resolved} · ⏳ nadal otwarte: {still_open} · 💡 pomysły: {ideas} · 🙋 "
        "przydzielone: {assigned} · 📝 nowe notatki: {notes}"
    ),
    "history.counts_unfinished": (
        "✅ rozwiązane: {resolved} · ⏳ nadal otwarte: {still_open} · 💡 pomysły: {ideas} · 🙋 "
        "przydzielone: {assigned}"
    ),
    "export.history_title": "Historia przeglądów",
    "export.history_header": (
        "| Dzień | Uczestnicy | ✅ Rozwiązane | ⏳ Nadal otwarte | 💡 Pomysły |"
        " 🙋 Przydzielone | 📝 Nowe notatki | Otwarte problemy po przeglądzie |"
    ),
    "history.more": "… i jeszcze {count} — naciśnij „Starsze”.",
    "history.chart_caption": "📈 Otwarte i rozwiązane problemy na etapach, przegląd po przeglądzie",
    "button.history_older": "« Starsze",
    "button.history_newer": "Nowsze »",
    "count.reviews": {
        "one": "{count} przegląd",
        "few": "{count} przeglądy",
        "many": "{count} przeglądów",
        "other": "{count} przeglądu",
    },
    "error.not_your_item": (
        "Zmienić to zadanie może tylko jego właściciel, autor notatki albo administrator."
    ),
    "item.owner": "🙋 {owner}",
    "item.due": "📅 {date}",
    "item.overdue": "⏰ po terminie",
    "item.due_today": "⏰ termin dziś",
    "item.resolved_by": "✓ rozwiązane przez: {who}, {date}",
    "item.resolved_on": "✓ rozwiązane {date}",
    "item.not_item": (
        "#{number} to notatka typu „{kind}”: właściciela i termin dostają tylko problemy "
        "i pomysły."
    ),
    "item.unknown_person": (
        "Nie znam jeszcze {person}. Ta osoba musi najpierw coś napisać w tym czacie (albo "
        "uruchomić mnie w prywatnym czacie); potem spróbuj /assign jeszcze raz."
    ),
    "item.not_member": (
        "{person} nie należy do tego czatu, więc nie mogę tu tej osobie nic przydzielić."
    ),
    "item.pick_date": "📅 Na kiedy ma być zrobione <b>#{number}</b> {text}?",
    "item.ask_date": (
        "Napisz termin dla #{number}: 14.12, 2026-12-14, piątek, jutro, w przyszłym tygodniu…"
    ),
    "item.due_set": "📅 Termin: {date}",
    "item.due_cleared": "Bez terminu",
    "item.resolved_answer": "✓ Rozwiązane",
    "item.already_resolved": "To już było rozwiązane.",
    "item.already_open": "To jest już otwarte.",
    "item.reopened": "Znowu otwarte.",
    "assign.usage": (
        "Napisz /assign N @osoba termin, np. <i>/assign 5 @anna piątek</i>. Bez @osoby "
        "zadanie jest Twoje; termin jest opcjonalny: 14.12, 2026-12-14, piątek, jutro, "
        "w przyszłym tygodniu…"
    ),
    "assign.done": "📌 <b>#{number}</b> {text}\n🙋 {owner} {status}",
    "assign.resolved_first": (
        "#{number} jest już rozwiązane. Otwórz je przez /note {number} i najpierw naciśnij "
        "„Otwórz ponownie”."
    ),
    "button.due_date": "📅 Termin",
    "button.this_week": "W tym tygodniu · {date}",
    "button.next_week": "W przyszłym tygodniu · {date}",
    "button.pick_date": "Wybierz datę…",
    "button.no_date": "Bez terminu",
    "button.reopen": "↩️ Otwórz ponownie",
    "button.move_to": "Przesuń na {date}",
    "button.tomorrow": "Przesuń na jutro",
    "todo.title": "📋 <b>Twoje otwarte zadania tutaj</b> ({count})",
    "todo.title_all": "📋 <b>Twoje otwarte zadania we wszystkich czatach</b> ({count})",
    "todo.none": (
        "Nie masz żadnych otwartych zadań. 🎉 Weź problem w /review albo przydziel sobie "
        "/assign N."
    ),
    "todo.unowned": (
        "📌 Otwarte tutaj, z terminem, ale bez właściciela: {items} — /assign N bierze jedno."
    ),
    "todo.unowned_maps": (
        "📌 Otwarte tutaj, z terminem, ale bez właściciela: {items} — /assign N bierze jedno z "
        "aktywnej mapy „{map}” (/maps ją zmienia)."
    ),
    "todo.line": "• <b>#{number}</b> {text} — <i>{map}</i> {status}",
    "due.reminder": "⏰ <b>Termin mija dziś</b>: <b>#{number}</b> {text}",
    "due.reminder_late": "⏰ <b>Po terminie od {date}</b>: <b>#{number}</b> {text}",
    "due.reminder_ahead": (
        "⏰ <b>Termin: {date}</b> — to dzień weekendu, który zespół pomija, więc przypominam już "
        "teraz: <b>#{number}</b> {text}"
    ),
    "due.reminder_moved": (
        "📅 <b>Nowy termin: {date}</b> — przypomnę jeszcze raz: <b>#{number}</b> {text}"
    ),
    "due.reminder_due": "📅 <b>Termin {date}</b>: <b>#{number}</b> {text}",
    "due.where": "<i>{map} · {chat}</i>",
    "reminder.overdue": "⏰ Po terminie: {items}",
    "review.overdue": "⏰ <b>Zadania po terminie</b>: {items}",
    "insights.items": "📋 {count:count.items} z właścicielem lub terminem.",
    "insights.items_overdue": (
        "📋 {count:count.items} z właścicielem lub terminem, <b>po terminie: {overdue}</b>: "
        "{items}"
    ),
    "count.items": {
        "one": "{count} otwarte zadanie",
        "few": "{count} otwarte zadania",
        "many": "{count} otwartych zadań",
        "other": "{count} otwartego zadania",
    },
    "help.assign": (
        "/assign <i>N @osoba termin</i> — daj problemowi lub pomysłowi N właściciela i termin"
    ),
    "help.todo": "/todo — Twoje otwarte zadania, najpierw te po terminie",
    "board.due": "Termin",
    "board.overdue": "po terminie",
    "board.resolved_by": "Rozwiązane przez",
    "board.more": "+ jeszcze {count}",
    # --- /stages ------------------------------------------------------------------------------
    "help.stages": "/stages — zmień nazwy, dodaj, usuń lub przestaw etapy aktywnej mapy",
    "stages.title": "🧭 <b>Etapy mapy „{name}”</b>",
    "stages.line": "{number}. {name} — {notes:count.notes}",
    "stages.unsorted_line": "· {name} — {notes:count.notes}",
    "button.stages_done": "✅ Gotowe",
    "stages.rename_gone": (
        "Etap „{old}” został w międzyczasie usunięty, więc nazwy „{name}” nie użyto. Etapy "
        "teraz (Dodaj wstawia nowy na końcu):"
    ),
    "stages.renamed": "„{old}” nazywa się teraz „{name}”; jego notatki zostają na nim.",
    "stages.added": (
        "Dodano „{name}” na końcu. Notatkę przeniesiesz tam przez /note N → Zmień etap."
    ),
    "stages.confirm_remove": "Usunąć etap „{name}”?",
    "stages.remove_keeps_notes": {
        "one": (
            "Jego {count} notatka zostaje na mapie, w „{unsorted}” (na końcu /map, obrazka i "
            "eksportów); /note N → Zmień etap przeniesie ją na inny etap."
        ),
        "few": (
            "Jego {count} notatki zostają na mapie, w „{unsorted}” (na końcu /map, obrazka i "
            "eksportów); /note N → Zmień etap przeniesie notatkę na inny etap."
        ),
        "many": (
            "Jego {count} notatek zostaje na mapie, w „{unsorted}” (na końcu /map, obrazka i "
            "eksportów); /note N → Zmień etap przeniesie notatkę na inny etap."
        ),
        "other": (
            "Jego notatki ({count}) zostają na mapie, w „{unsorted}” (na końcu /map, obrazka i "
            "eksportów); /note N → Zmień etap przeniesie notatkę na inny etap."
        ),
    },
    "stages.remove_no_notes": "Nie ma na nim notatek.",
    "stages.remove_new_notes": (
        "Nowe notatki, które trafiłyby na ten etap, też trafią do „{unsorted}”."
    ),
    "button.remove_stage_yes": "🗑 Tak, usuń",
    "button.keep_stage": "Nie, zostaw",
    "stages.removed": "Etap „{name}” usunięty.",
    "stages.removed_notes": "Przeniesiono do „{unsorted}”: {notes:count.notes}.",
    # check-ins (bot/flows/checkin.py, bot/checkins.py)
    "help.checkin": (
        "/checkin — regularnie pytam zespół, co usłyszał od klientów (/checkin off: nie mnie)"
    ),
    "checkin.title": "🗣 <b>Check-iny w grupie „{group}”</b>",
    "checkin.none": (
        "Check-inów jeszcze nie ma. Jak często mam pytać wszystkich, co usłyszeli od klientów?"
    ),
    "checkin.next": "Następny check-in: {when}",
    "checkin.options_weekends": "Bez check-inów w weekendy",
    "checkin.asked": "Pytani ({count}): {people}",
    "checkin.nobody": "Na razie nie ma kogo pytać: pytam osoby, które widziałem piszące tutaj.",
    "checkin.opted_out": "Niepytani (zrezygnowali): {people}",
    "checkin.running": "Runda trwa: odpowiedzi {answered} z {count}.",
    "checkin.who_counts": "👥 = pytany w grupie (nie uruchomił mnie w prywatnej rozmowie).",
    "checkin.restarted": (
        "⏹ Runda z {date} zamknięta (odpowiedzi {answered} z {count}) — pytam wszystkich od "
        "nowa."
    ),
    "checkin.started": "▶️ Pytam wszystkich teraz.",
    "checkin.removed": "Check-iny w grupie „{group}” są wyłączone.",
    "button.checkin_again": "⏹ Zakończ rundę, zapytaj znowu",
    "button.checkin_now": "▶️ Zapytaj teraz",
    "button.checkin_off": "🔕 Nie pytaj mnie",
    "button.checkin_on": "🔔 Pytaj mnie znowu",
    "button.checkin_nothing": "🤷 Tym razem nic",
    "checkin.off_done": (
        "🔕 Dobrze, nie będę już pytać cię w grupie „{group}”. /checkin on, aby znów być pytanym."
    ),
    "checkin.on_done": "🔔 Znów będę cię pytać w grupie „{group}”.",
    "checkin.no_groups": "Nie jesteś w żadnej grupie z check-inami.",
    "checkin.mine": "🗣 Twoje check-iny:",
    "checkin.mine_on": "🔔 {group}: pytam cię",
    "checkin.mine_off": "🔕 {group}: nie pytam cię",
    "checkin.round_over": "Ten check-in już się skończył; zapytam następnym razem.",
    "checkin.nothing_done": "👍 Zapisane: tym razem nic.",
    "checkin.which_group": "Dla którego zespołu jest ta odpowiedź?",
    "checkin.thanks": "✅ Dziękuję! Dodano do mapy „{name}” grupy „{group}”:\n{notes}",
    "checkin.thanks_again": "✅ Dziękuję, twoja odpowiedź jest już zapisana.",
    "checkin.ask_private": (
        "🗣 Check-in grupy „{group}”: co usłyszałeś od klientów {since}?\nOdpowiedz na tę "
        "wiadomość — każda linijka to notatka na mapie zespołu."
    ),
    "checkin.nudge_private": (
        "🙂 Delikatne przypomnienie od grupy „{group}”: co usłyszałeś od klientów {since}? "
        "Odpowiedz na tę wiadomość albo wybierz „Tym razem nic”."
    ),
    "checkin.ask_group": (
        "🗣 Check-in: {people}, co usłyszeliście od klientów {since}?\nOdpowiedzcie na tę "
        "wiadomość — każda linijka to notatka na mapie."
    ),
    "checkin.nudge_group": (
        "🙂 Delikatne przypomnienie, {people}: co usłyszeliście od klientów {since}? Odpowiedzcie "
        "na tę wiadomość."
    ),
    "checkin.since": "od {date}",
    "checkin.since_first": "ostatnio",
    "checkin.summary_title": "🗣 <b>Check-in z {date}: zakończony</b>",
    "checkin.summary_counts": "Odpowiedzi: {answered} z {count}.",
    "checkin.summary_notes": "Notatki dodane do mapy „{name}”: {count}.",
    "checkin.summary_thanks": "Dziękuję: {people}",
    "checkin.summary_silent": "Może następnym razem: {people}",
    "checkin.summary_nobody": "Nie ma już kogo pytać: wszyscy zrezygnowali albo odeszli.",
    # --- the customer's voice: forwarded messages, long texts, imports (issue 16) ---
    "quote.marks": "„{text}”",
    "note.quote_saved": "❝ Zapisane jako cytat klienta.",
    "note.quote_saved_from": "❝ Zapisane jako cytat klienta ({source}).",
    "split.found": {
        "one": "✂️ W notatce #{number} widzę {count} punkt:",
        "few": "✂️ W notatce #{number} widzę {count} punkty:",
        "many": "✂️ W notatce #{number} widzę {count} punktów:",
        "other": "✂️ W notatce #{number} widzę {count} punktu:",
    },
    "split.kept_for_now": (
        "Na razie zapisałem ją jako jedną notatkę, #{number}. Dodać punkty jako osobne "
        "notatki?"
    ),
    "split.add_all": {
        "one": "➕ Dodaj {count} punkt",
        "few": "➕ Dodaj wszystkie {count}",
        "many": "➕ Dodaj wszystkie {count}",
        "other": "➕ Dodaj wszystkie {count}",
    },
    "split.choose": "☑️ Wybierz",
    "split.keep": "Zostaw jako jedną",
    "split.choose_help": (
        "Zaznacz punkty, które mają być osobnymi notatkami (zastąpią notatkę #{number}), "
        "potem Dodaj:"
    ),
    "split.add_chosen": {
        "one": "➕ Dodaj {count} punkt",
        "few": "➕ Dodaj {count} punkty",
        "many": "➕ Dodaj {count} punktów",
        "other": "➕ Dodaj {count} punktu",
    },
    "split.kept": "Zostaje jedna notatka, #{number}.",
    "split.none_chosen": "Zaznacz co najmniej jeden punkt — albo zostaw jedną notatkę.",
    "split.changed": "Notatka #{number} zmieniła się w międzyczasie; niczego nie podzieliłem.",
    "split.done": {
        "one": "✂️ Z notatki #{number} jest teraz {count} notatka: {numbers}.",
        "few": "✂️ Z notatki #{number} są teraz {count} notatki: {numbers}.",
        "many": "✂️ Z notatki #{number} jest teraz {count} notatek: {numbers}.",
        "other": "✂️ Z notatki #{number} jest teraz {count} notatki: {numbers}.",
    },
    "split.left_out": {
        "one": "Pominięto {count} punkt.",
        "few": "Pominięto {count} punkty.",
        "many": "Pominięto {count} punktów.",
        "other": "Pominięto {count} punktu.",
    },
    "split.change_hint": "/note z numerem pokazuje notatkę, żeby ją zmienić.",
    "import.done": {
        "one": "📥 Dodałem {count} notatkę z pliku {file} do mapy „{name}”.",
        "few": "📥 Dodałem {count} notatki z pliku {file} do mapy „{name}”.",
        "many": "📥 Dodałem {count} notatek z pliku {file} do mapy „{name}”.",
        "other": "📥 Dodałem {count} notatki z pliku {file} do mapy „{name}”.",
    },
    "import.by_stage": "Według etapów: {stages}",
    "import.pain_points": {
        "one": "Znalezione problemy: {count}",
        "few": "Znalezione problemy: {count}",
        "many": "Znalezione problemy: {count}",
        "other": "Znalezione problemy: {count}",
    },
    "import.duplicates": {
        "one": (
            "Pominąłem {count} duplikat (ten sam tekst jest już na mapie albo "
            "wcześniej w pliku)."
        ),
        "few": (
            "Pominąłem {count} duplikaty (ten sam tekst jest już na mapie albo "
            "wcześniej w pliku)."
        ),
        "many": (
            "Pominąłem {count} duplikatów (ten sam tekst jest już na mapie albo "
            "wcześniej w pliku)."
        ),
        "other": (
            "Pominąłem {count} duplikatu (ten sam tekst jest już na mapie albo "
            "wcześniej w pliku)."
        ),
    },
    "import.bad_empty": {
        "one": "Pominąłem {count} wiersz bez tekstu: wiersz {lines}.",
        "few": "Pominąłem {count} wiersze bez tekstu: wiersze {lines}.",
        "many": "Pominąłem {count} wierszy bez tekstu: wiersze {lines}.",
        "other": "Pominąłem {count} wiersza bez tekstu: wiersze {lines}.",
    },
    "import.bad_no_words": {
        "one": "Pominąłem {count} wiersz z samymi emoji lub znakami: wiersz {lines}.",
        "few": "Pominąłem {count} wiersze z samymi emoji lub znakami: wiersze {lines}.",
        "many": "Pominąłem {count} wierszy z samymi emoji lub znakami: wiersze {lines}.",
        "other": "Pominąłem {count} wiersza z samymi emoji lub znakami: wiersze {lines}.",
    },
    "import.bad_too_long": {
        "one": "Pominąłem {count} wiersz dłuższy niż 4000 znaków: wiersz {lines}.",
        "few": "Pominąłem {count} wiersze dłuższe niż 4000 znaków: wiersze {lines}.",
        "many": "Pominąłem {count} wierszy dłuższych niż 4000 znaków: wiersze {lines}.",
        "other": "Pominąłem {count} wiersza dłuższego niż 4000 znaków: wiersze {lines}.",
    },
    "import.undated": {
        "one": "Nie rozumiem {count} daty (wiersz {lines}); ta notatka nie ma daty.",
        "few": "Nie rozumiem {count} dat (wiersze {lines}); te notatki nie mają daty.",
        "many": "Nie rozumiem {count} dat (wiersze {lines}); te notatki nie mają daty.",
        "other": "Nie rozumiem {count} daty (wiersze {lines}); te notatki nie mają daty.",
    },
    "import.next": (
        "Zaimportowane notatki to cytaty klientów. /map je pokazuje, /insights mówi, "
        "gdzie boli."
    ),
    "import.reading": "📥 Czytam {file}…",
    "import.refused": "Nie mogę zaimportować tego pliku.",
    "import.too_big": (
        "Ten plik jest za duży: {size} MB, przyjmuję do {max_mb} MB. Podziel go na "
        "mniejsze pliki."
    ),
    "import.not_text": (
        "To nie jest plik tekstowy. Wyślij plik CSV lub TXT — w arkuszu użyj „Zapisz jako "
        "CSV”."
    ),
    "import.encoding": (
        "Nie mogę odczytać znaków tego pliku. Zapisz go w UTF-8 (w arkuszu: „CSV UTF-8”)."
    ),
    "import.empty": "W tym pliku nie ma wierszy do zaimportowania.",
    "import.no_text_column": (
        "Nie znalazłem w tym pliku kolumny z tekstem (jego kolumny: {columns}). Nazwij "
        "kolumnę z notatkami „tekst” albo ustaw ją jako pierwszą."
    ),
    "import.unsupported": "Importuję pliki CSV i TXT; {name} nie jest żadnym z nich.",
    "import.nothing_imported": "Niczego nie zaimportowałem.",
    "import.download_failed": (
        "Nie udało się pobrać tego pliku z Telegrama. Wyślij go jeszcze raz."
    ),
    "help.private_voice": (
        "Przekaż mi wiadomość klienta, a zapiszę ją jako cytat klienta; wyślij plik CSV "
        "lub TXT (opinie, zgłoszenia), a każdy wiersz będzie notatką."
    ),
    "help.group_voice": (
        "Żeby zaimportować plik CSV lub TXT (opinie, zgłoszenia), wyślij go jako "
        "odpowiedź na moją wiadomość: każdy wiersz będzie notatką."
    ),
}
