"""Bulgarian texts. HTML parse mode: user text must be escaped before it is put in a placeholder."""

TEXTS: dict[str, str] = {
    # --- start, help, language -------------------------------------------------------------
    "start.welcome": (
        "👋 Здравейте, аз съм <b>journeybot</b>. Помагам на екипа ви да начертае пътя на клиента:\n"
        "1. Заедно създаваме карта: етапи, точки на контакт, емоции, болезнени точки.\n"
        "2. Щом научите нещо ново, пратете ми бележка и ще я добавя към картата.\n"
        "3. Показвам картата, посочвам къде боли и помагам тя да е винаги актуална."
    ),
    "start.first_map": "Да започнем с първата ви карта.",
    "start.resumed": (
        "⏰ Отново съм тук: напомнянията, чек-ините и обобщенията, спрени, докато ме нямаше в този "
        "чат, пак са включени. /schedule, /checkin и /digest показват кога са следващите."
    ),
    "start.has_map": "Активната ви карта е „{name}“. /map я показва, /note добавя бележка към нея.",
    "button.create_first_map": "🗺 Създай карта",
    "help.title": "<b>Какво мога</b>",
    "help.start": "/start — за какво е този бот",
    "help.newmap": "/newmap — създава нова карта на пътя на клиента стъпка по стъпка",
    "help.note": (
        "/note <i>текст</i> — добавя бележка; /note <i>номер</i> — показва бележка, за да я "
        "промените или изтриете"
    ),
    "help.map": "/map — показва активната карта",
    "help.maps": "/maps — показва картите ви и превключва между тях",
    "help.rename": "/rename <i>име</i> — преименува активната карта",
    "help.delete": (
        "/delete <i>номер</i> — изтрива бележка след потвърждение (номерата се виждат в /map)"
    ),
    "help.deletemap": "/deletemap — изтрива активната карта",
    "help.language": "/language — сменя езика",
    "help.cancel": "/cancel — спира това, което правим в момента",
    "help.help": "/help — този списък",
    "help.private_notes": "В личен чат всяко съобщение, което не е команда, е бележка.",
    "help.group_notes": (
        "В група виждам само команди и отговори на моите съобщения (режим на поверителност в "
        "Telegram), затова добавяйте бележки с /note или като отговорите на някое мое съобщение."
    ),
    "language.choose": "На какъв език да говоря в този чат?",
    "language.set": "Готово — в този чат говоря на български.",
    "language.unknown": "Не познавам този език. Моля, изберете един от бутоните.",
    "cancel.done": "Спряхме.",
    "cancel.nothing": "В момента няма какво да спирам.",
    # --- hints and errors ------------------------------------------------------------------
    "hint.unknown_command": "Не познавам командата {command}. В /help ще видите какво мога.",
    "hint.non_text": "Чета само текст. Моля, напишете бележката си — /help показва как.",
    "note.caption_only": (
        "📎 Надписът е запазен като думи на клиента; самия прикачен файл не пазя."
    ),
    "hint.use_buttons": (
        "На този въпрос се отговаря с бутон — ето го отново. Съобщението ви не е запазено; "
        "/cancel спира въпроса."
    ),
    "hint.group_how_to_note": "За да добавите бележка тук, използвайте /note <i>текст</i>.",
    "stale.button": "Този бутон е от разговор, който вече приключи.",
    "stale.not_yours": "Тези бутони са от разговор на някой друг.",
    "error.generic": (
        "Съжалявам, нещо се обърка при мен и това, което току-що изпратихте, може да не е "
        "запазено. Опитайте отново след малко."
    ),
    "error.empty_text": "Съобщението е празно. Моля, напишете няколко думи.",
    "error.text_too_long": "Твърде дълго е: {length:count.characters}, а приемам до {limit}.",
    "error.too_many_stages": "Една карта може да има най-много {limit:count.stages}.",
    "error.too_many_maps": (
        "Един чат може да има най-много {limit:count.maps}. Изтрийте някоя с /deletemap."
    ),
    "limit.slow_down": (
        "⏳ Малко по-бавно, моля: това са над {limit:count.messages} в минута. Това и следващите "
        "няколко не са запазени — изчакайте минута и ги изпратете отново."
    ),
    "error.no_active_map": "Все още няма карта. Създайте една с /newmap.",
    "error.not_found": "Не намирам това тук — може би е изтрито.",
    "error.not_allowed": "Само администраторите на групата могат да направят това.",
    "error.not_a_member": "Бутоните на тази група могат да използват само нейните членове.",
    # --- stages and lanes --------------------------------------------------------------------
    "stage.awareness": "Осведоменост",
    "stage.consideration": "Обмисляне",
    "stage.decision": "Решение",
    "stage.purchase": "Покупка",
    "stage.retention": "Лоялност",
    "stage.advocacy": "Препоръки",
    "stage.unsorted": "Още без етап",
    "kind.touchpoint": "Точка на контакт",
    "kind.action": "Действие",
    "kind.need": "Нужда",
    "kind.emotion": "Емоция",
    "kind.pain_point": "Болезнена точка",
    "kind.opportunity": "Възможност",
    "lane.touchpoint": "📍 Точки на контакт",
    "lane.action": "👣 Действия на клиента",
    "lane.need": "❓ Нужди и въпроси",
    "lane.emotion": "💬 Емоции",
    "lane.pain_point": "⚠️ Болезнени точки",
    "lane.opportunity": "💡 Възможности",
    "channel.website": "уебсайт",
    "channel.phone": "телефон",
    "channel.email": "имейл",
    "channel.sms": "SMS",
    "channel.shop": "магазин",
    "channel.chat": "чат",
    "channel.courier": "куриер",
    "channel.word_of_mouth": "от уста на уста",
    "channel.ads": "реклами",
    "channel.newsletter": "бюлетин",
    "channel.app": "приложение",
    "channel.social_media": "социални мрежи",
    # --- /newmap -----------------------------------------------------------------------------
    "newmap.ask_name": (
        "Да направим карта на пътя на клиента. 🗺\n"
        "Как да я наречем? Дайте име на пътя, например <i>Онлайн поръчка на торта за рожден "
        "ден</i>."
    ),
    "newmap.name_too_long": "Името трябва да е до {limit:count.characters}.",
    "newmap.ask_persona": (
        "Кой е клиентът на тази карта? Опишете го с няколко думи, например <i>зает родител, който "
        "организира детски рожден ден</i>. Може и да пропуснете."
    ),
    "newmap.stages_intro": (
        "Обикновено пътят има тези етапи. Запазете ги или ги променете с бутоните:"
    ),
    "newmap.stage_line": "{number}. {name}",
    "newmap.ask_stage_to_rename": "Кой етап да преименуваме?",
    "newmap.ask_new_stage_name": "Какво да е новото име на „{name}“?",
    "newmap.ask_added_stage_name": "Как се казва новият етап?",
    "newmap.ask_stage_to_remove": "Кой етап да премахнем?",
    "newmap.ask_stage_to_move": "Кой етап да преместим?",
    "newmap.ask_move_target": "Къде да отиде етапът „{name}“?",
    "newmap.stage_name_too_long": "Името на етапа трябва да е до {limit:count.characters}.",
    "newmap.need_one_stage": "Картата трябва да има поне един етап.",
    "newmap.created": "Картата „{name}“ е запазена. Сега да я попълним етап по етап.",
    "newmap.stage_header": "<b>Етап {number} от {total}: {stage}</b>",
    "newmap.question.touchpoint": (
        "Къде клиентът се среща с вас на този етап? Канали, места, хора — например <i>Instagram, "
        "приятел, витрината на магазина</i>."
    ),
    "newmap.question.action": "Какво прави клиентът на този етап?",
    "newmap.question.need": "От какво има нужда или какво пита в този момент?",
    "newmap.question.emotion": "Как се чувства тук?",
    "newmap.question.pain_point": "Какво се обърква или му пречи?",
    "newmap.question.opportunity": "Имате ли идеи как да подобрите този етап?",
    "newmap.answer_hint": "Няколко отговора? Пишете всеки на нов ред или ги разделете със запетаи.",
    "newmap.stage_gone_added": (
        "Етапът на този въпрос междувременно беше премахнат (/stages), затова сам подредих "
        "отговора в картата — добавени: {count}."
    ),
    "newmap.added": "Добавени: {count}.",
    "newmap.summary_title": "✅ Картата <b>{name}</b> е готова.",
    "newmap.summary_persona": "Клиент: {persona}",
    "newmap.summary_counts": (
        "{stages:count.stages} · {notes:count.notes} · {pain_points:count.pain_points}"
    ),
    "newmap.summary_stage": "{name}: {count}",
    "newmap.summary_next": (
        "/map показва цялата карта. Добавяйте с /note всичко ново, което научите — ще сложа всяка "
        "бележка на правилния етап."
    ),
    "button.skip": "Пропусни ⏭",
    "button.keep_stages": "✅ Запази тези етапи",
    "button.rename_stage": "✏️ Преименувай",
    "button.add_stage": "➕ Добави",
    "button.remove_stage": "🗑 Премахни",
    "button.move_stage": "↕️ Премести",
    "button.reset_stages": "↩️ Стандартните етапи",
    "button.back": "« Назад",
    "button.to_end": "Накрая",
    "button.before": "Преди етапа „{name}“",
    "button.next_stage": "Следващ етап »",
    "button.finish": "✅ Готово",
    # --- notes -------------------------------------------------------------------------------
    "note.ask_text": "Какво научихте за клиентите си? Изпратете го в едно съобщение.",
    "note.saved": "📌 #{number} · {stage} · {kind}",
    "note.saved_channels": "📌 #{number} · {stage} · {kind} · {channels}",
    "note.saved_many": {
        "one": "📌 Запазих {count} бележка:",
        "other": "📌 Запазих {count} бележки:",
    },
    "note.default_map_name": "Пътят на нашия клиент",
    "note.map_created": (
        "Още нямаше карта, затова създадох „{name}“ със стандартните етапи. Можете да я "
        "преименувате с /rename."
    ),
    "note.pick_stage": "Към кой етап е тази бележка?",
    "note.pick_kind": "Какъв вид е бележката?",
    "note.undone": "↩️ Бележка #{number} е премахната.",
    "note.deleted": "🗑 Бележка #{number} от картата „{name}“ е изтрита.",
    "note.delete_usage": "Коя бележка? Изпратете /delete с номера ѝ от /map, например /delete 12.",
    "button.change_stage": "Смени етапа",
    "button.change_kind": "Смени вида",
    "button.undo": "Отмени",
    # --- /map, /maps, rename, delete ---------------------------------------------------------
    "map.title": "🗺 <b>{name}</b>",
    "map.persona": "Клиент: {persona}",
    "map.counts": (
        "{stages:count.stages} · {notes:count.notes} · {pain_points:count.open_pain_points}"
    ),
    "map.stage": "<b>{number}. {name}</b> ({count})",
    "map.unsorted_stage": "<b>· {name}</b> ({count})",
    "map.lane": "{lane} ({count})",
    "map.note": "• {text} <i>#{number}</i>",
    "map.note_author": "• {text} — {author} <i>#{number}</i>",
    "map.empty_stage": "<i>още нищо</i>",
    "map.empty": (
        "Картата засега е празна. Добавете бележки с /note или отговорете на въпросите в /newmap."
    ),
    "maps.title": "<b>Вашите карти</b>",
    "maps.line": "{marker} {name} — {notes:count.notes}",
    "maps.none": "Още няма карти. Създайте една с /newmap.",
    "maps.switch_hint": "Докоснете карта, за да стане активна.",
    "maps.switched": "Активна карта: „{name}“.",
    "rename.ask": "Какво да е новото име на „{name}“?",
    "rename.map_gone": (
        "Картата „{old}“ междувременно беше изтрита, затова нищо не е преименувано. /newmap {name} "
        "започва карта с това име."
    ),
    "rename.done": "Новото име е „{name}“.",
    "deletemap.confirm": (
        "Да изтрия ли картата „{name}“ заедно с бележките ѝ ({notes})? Това не може да се отмени."
    ),
    "deletemap.done": "Картата „{name}“ е изтрита.",
    "deletemap.kept": "Добре, картата остава.",
    "button.delete_map": "Да, изтрий я",
    "button.keep_map": "Не, запази я",
    # --- review schedules, reminders and reviews (issue 5) -----------------------------------
    "help.schedule": "/schedule — колко често екипът преглежда активната карта",
    "help.review": "/review — преглед на отворените болезнени точки сега",
    "schedule.title": "🗓 <b>Прегледи на „{name}“</b>",
    "schedule.none": "Още няма планирани прегледи. Колко често да поглеждаме картата заедно?",
    "schedule.rule.weekly": "Всяка седмица: {weekday}, {time} ч.",
    "schedule.rule.biweekly": "През седмица: {weekday}, {time} ч.",
    "schedule.rule.monthly": "Веднъж месечно (първата седмица): {weekday}, {time} ч.",
    "schedule.timezone": "Часова зона: {timezone}",
    "schedule.options_weekends": "Без прегледи през уикенда",
    "schedule.options_quiet": "Тихи часове: {start}–{end}",
    "schedule.next": "Следващ преглед: {when}",
    "schedule.paused": "⏸ На пауза — няма да има напомняния, докато не продължите.",
    "schedule.saved": "✅ Запазено.",
    "schedule.removed": "Прегледите на „{name}“ са изключени.",
    "schedule.ask_weekday": "В кой ден?",
    "schedule.ask_time": "В колко часа? Изберете или напишете, например 9:30.",
    "schedule.confirm_timezone": "Ще използвам часа в {timezone}. Това ли е вашата часова зона?",
    "schedule.ask_timezone": (
        "В коя часова зона сте? Изпратете град (София, Варна, London) или разлика спрямо UTC, "
        "например UTC+2."
    ),
    "schedule.timezone_set": "Часовата зона е {timezone}.",
    "schedule.when": "{weekday}, {date}, {time} ч.",
    "weekday.0": "понеделник",
    "weekday.1": "вторник",
    "weekday.2": "сряда",
    "weekday.3": "четвъртък",
    "weekday.4": "петък",
    "weekday.5": "събота",
    "weekday.6": "неделя",
    "button.weekly": "Всяка седмица",
    "button.biweekly": "През седмица",
    "button.monthly": "Веднъж месечно",
    "button.custom": "Избери ден и час",
    "button.timezone": "🌍 {timezone}",
    "button.weekends_on": "Уикенди: пропускат се",
    "button.weekends_off": "Уикенди: разрешени",
    "button.quiet": "Тихи часове: {hours}",
    "button.quiet_off": "изкл.",
    "button.pause": "⏸ Пауза",
    "button.resume": "▶️ Продължи",
    "button.remove": "🗑 Изключи",
    "button.yes_timezone": "✅ Да",
    "button.change_timezone": "Смени",
    "error.unknown_timezone": (
        "Не познавам часовата зона „{name}“. Опитайте с голям град близо до вас или с разлика като "
        "UTC+2."
    ),
    "error.bad_time": "Не разбрах този час. Моля, напишете го като 9:30 или 18:00.",
    "reminder.title": "🔔 Време е за преглед на „{name}“",
    "reminder.since_last": "От последния преглед: {notes:count.new_notes}, решени: {resolved}.",
    "reminder.since_start": (
        "Досега: {notes:count.notes}, решени: {resolved}. Това е първият ви преглед."
    ),
    "reminder.new_pain_points": "⚠️ {stage}: {count:count.new_pain_points}",
    "reminder.empty_lanes": "Още има празни редове в етапите: {stages}",
    "reminder.snoozed": "😴 Добре, ще напомня утре.",
    "reminder.skipped": "Добре, този път пропускаме. Следващ преглед: {when}",
    "button.start_review": "▶️ Започни прегледа",
    "button.snooze": "Напомни утре",
    "button.skip_review": "Пропусни този път",
    "review.no_pain_points": "В „{name}“ няма отворени болезнени точки — браво. 🎉",
    "review.card": "🔎 Болезнена точка {number} от {total} · <b>{stage}</b>\n{text}",
    "review.card_author": "добавена от {author}",
    "review.card_owner": "🙋 Отговорник: {owner}",
    "review.card_resolved": "✅ Решена — {who}",
    "review.card_still_open": "⏳ Още отворена — {who}",
    "review.already_resolved": "#{number} вече е решена — нищо не е променено.",
    "review.not_pain_point": (
        "#{number} вече не е болезнена точка (сега: {kind}) — нищо не е променено."
    ),
    "review.assigned": "Поехте я — вече е ваша.",
    "review.ask_idea": "Какво би решило „{text}“? Отговорете с вашата идея.",
    "review.idea_saved": "💡 Идеята е запазена.",
    "review.idea_map_gone": (
        "Картата „{old}“ междувременно беше изтрита, затова запазих идеята като бележка в "
        "картата „{name}“:"
    ),
    "review.idea_saved_alone": (
        "💡 Идеята е запазена като бележка #{number} — болезнената точка, на която "
        "отговаряше, междувременно беше изтрита."
    ),
    "review.ask_new": (
        "Нещо ново от последния път? Изпращайте бележки (в група — като отговор на мои съобщения) "
        "и ще ги подредя на картата. После натиснете „Приключи прегледа“."
    ),
    "review.already_running": "Преглед на тази карта вече тече — продължаваме го.",
    "review.summary_title": "📋 <b>Прегледът на „{name}“ приключи</b>",
    "review.summary_counts": (
        "Решени: {resolved} · още отворени: {still_open} · нови идеи: {ideas} · нови бележки: "
        "{notes}"
    ),
    "review.summary_owners": "Кой с какво се заема: {owners}",
    "review.summary_people": "Участваха: {people}",
    "button.resolved": "✅ Решена",
    "button.still_open": "⏳ Още отворена",
    "button.add_idea": "💡 Добави идея",
    "button.assign_me": "🙋 Поемам я",
    "button.finish_review": "✅ Приключи прегледа",
    "newmap.offer_schedule": (
        "Картата е полезна, когато редовно се връщате към нея. Да напомням ли на екипа?"
    ),
    "button.plan_reviews": "🗓 Планирай редовни прегледи",
    # --- pictures, exports, insights, search (issue 6) ---
    "help.export": "/export — изтегля картата като CSV, JSON, Markdown или картинка",
    "help.insights": (
        "/insights — къде боли, къде настроението е най-ниско, празноти и повтарящи се теми"
    ),
    "help.search": "/search <i>думи</i> — търси в бележките",
    "help.forget": "/forget — изтрива всичко, което пазя за този чат",
    "picture.caption": "🗺 <b>{name}</b>",
    "picture.emotion_curve": "Крива на емоциите",
    "picture.more": "и още {count}",
    "picture.capped": (
        "Картината показва до {limit:count.notes} в клетка; в /map text и в /export са всички."
    ),
    "picture.no_feelings": "още няма бележки",
    "picture.chart_title": "Отворени болезнени точки по етапи",
    "picture.chart_note": (
        "Червено — отворени, сиво — решени. Надписът: отворени болезнени точки / всички бележки "
        "в етапа."
    ),
    "export.choose": "📤 Експорт на „{name}“. Кой формат?",
    "export.caption": "📄 „{name}“ — бележки: {notes}, {date}",
    "export.all_caption": (
        "📦 Всичко, което пазя за този чат — карти: {maps}, бележки: {notes}, корекции: "
        "{corrections}, прегледи: {reviews}."
    ),
    "export.usage": (
        "Изпратете /export и изберете формат или напишете /export csv, json, md, png или all."
    ),
    "button.export_csv": "📊 CSV (таблица)",
    "button.export_json": "🧩 JSON",
    "button.export_md": "📝 Markdown (текст)",
    "button.export_png": "🖼 Картинка",
    "button.export_all": "📦 Всички данни на чата",
    "insights.title": "🔎 <b>Изводи: {name}</b>",
    "insights.empty": (
        "Засега няма какво да анализирам. Добавете няколко бележки с /note и опитайте пак."
    ),
    "insights.hotspots": "⚠️ <b>Къде боли:</b> {items}",
    "insights.hotspot_item": "{stage} ({pain_points:count.open_pain_points}, {notes:count.notes})",
    "insights.no_pain": "✅ Няма отворени болезнени точки.",
    "insights.lowest_mood": "😟 <b>Най-ниско настроение:</b> {stage} ({mood})",
    "insights.no_low_mood": "🙂 Засега нито един етап не е в минус.",
    "insights.gaps": "🕳 <b>Още няма записи:</b> {items}",
    "insights.gap_item": "{stage} ({lanes})",
    "insights.gap_stage": "{stage} (целият етап)",
    "insights.more": "още {count}",  # after ", " or "; ": "тъчпойнт, емоция, още 3"
    "insights.themes": "🔁 <b>Повтаря се:</b> {items}",
    "insights.theme_word": "„{label}“ ×{count}",
    "insights.theme_channel": "{channel} ×{count}",
    "insights.since_review": (
        "🕒 <b>От последния преглед</b> ({date}): {notes:count.new_notes}, от тях "
        "{pain_points:count.pain_points}."
    ),
    "insights.no_review": (
        "🕒 Още няма приключен преглед, затова не мога да кажа какво се е променило."
    ),
    "insights.path": (
        "🛒 <b>Път до покупката</b> ({first} → {last}): {notes:count.notes}, "
        "{pain_points:count.open_pain_points}, настроение {mood}"
    ),
    "insights.whole": (
        "🗺 <b>Целият път:</b> {notes:count.notes}, {pain_points:count.open_pain_points}, "
        "настроение {mood}"
    ),
    "insights.no_path": (
        "🛒 Тази карта няма етап „Покупка“, затова не мога да покажа пътя до покупката."
    ),
    "search.usage": "Какво да търся? Например: /search доставка",
    "search.none": "🔎 Нищо не е намерено за „{query}“.",
    "search.title": "🔎 „{query}“ — резултати: {total}, страница {page} от {pages}",
    "search.hit": "• {text}\n    <i>{stage} · {kind} · #{number}</i>",
    "search.hit_map": "• {text}\n    <i>{map} · {stage} · {kind} · #{number}</i>",
    "button.next_page": "Напред »",
    "button.prev_page": "« Назад",
    "forget.confirm": (
        "⚠️ Това изтрива <b>всичко</b>, което пазя за този чат — карти: {maps}, бележки: {notes}, "
        "корекции: {corrections}, графици за прегледи и чек-ини: {schedules}, прегледи: "
        "{reviews}, както и настройките на чата. Не може да се отмени. Искате ли първо копие? "
        "/export all\n"
        "\n"
        "Да изтрия ли всичко?"
    ),
    "forget.done": (
        "🧹 Готово. Изтрих карти: {maps}, бележки: {notes}, корекции: {corrections}, графици за "
        "прегледи и чек-ини: {schedules}, прегледи: {reviews} и настройките на чата. В базата ми "
        "не остана нищо за този чат."
    ),
    "forget.kept": "Добре, нищо не е изтрито.",
    "button.forget_yes": "Да, изтрий всичко",
    "button.forget_no": "Не, запази",
    # --- roles and failures (reliability) ---
    "help.roles": "/roles — кой какво може да променя; разрешете на всички да редактират",
    "roles.private": "Това е личен чат: тук можете да правите всичко.",
    "roles.title": "👥 <b>Кой какво може да променя</b>",
    "roles.rules": (
        "Всеки в групата добавя бележки, поправя и изтрива своите бележки, участва в прегледите "
        "и експортира. Промяната или изтриването на чужди бележки, преименуването на картата, "
        "графикът на прегледите и езикът са за администраторите на групата. Изтриването на "
        "карта, /forget и тази настройка са винаги за администраторите."
    ),
    "roles.everyone_edits_on": "✏️ Сега: <b>всички редактират</b> — всеки член може да променя "
    "всичко освен изтриване на карти и /forget.",
    "roles.everyone_edits_off": "🔒 Сега: членовете променят само своите бележки.",
    "button.everyone_edits_on": "✏️ Разрешете на всички да редактират",
    "button.everyone_edits_off": "🔒 Чужди бележки променят само админите",
    "error.not_your_note": (
        "Тази бележка може да промени само авторът ѝ или администраторите на групата "
        "(администратор може да разреши на всички да редактират: /roles)."
    ),
    "error.not_your_question": "Може да отговори само този, който попита (или администратор).",
    "error.database": (
        "Съжалявам, в момента нямам достъп до базата си данни, затова това не е запазено. "
        "Операторът е уведомен; опитайте отново след няколко минути."
    ),
    # --- classifier: unsure notes ---
    "note.unsure": (
        "🤔 Не съм сигурен: {question} "
        "Докоснете вярното; ако не направите нищо, остава както е."
    ),
    "note.or": " или ",
    "button.other": "Друго…",
    # --- dialogs (issue 12) ---
    "note.edit_target_gone": (
        "Бележка #{number} беше изтрита, преди да дойде новият текст, затова го запазих като нова "
        "бележка в картата „{name}“:"
    ),
    "note.gone": "Тази бележка вече е изтрита — нищо не е променено.",
    "note.no_such_number": (
        "В картата „{name}“ още няма бележка #{number}. Номерата се виждат в /map."
    ),
    "note.ask_new_text": "Изпратете новия текст на бележка #{number}. Сега гласи:\n<i>{text}</i>",
    "note.text_edited": "✏️ Бележка #{number} има нов текст.",
    "note.confirm_delete": (
        "Да изтрия ли бележка #{number} от картата „{name}“? Това не може да се отмени.\n"
        "<i>{text}</i>"
    ),
    "button.edit_text": "✏️ Промени текста",
    "button.delete_note": "🗑 Изтрий",
    "button.delete_note_yes": "Да, изтрий я",
    "button.keep_note": "Не, остави я",
    "error.no_words": (
        "Трябват ми няколко думи, за да сложа бележка на картата — само емоджи или знаци не "
        "стигат. Нищо не е запазено; опишете го с думи."
    ),
    "cancel.newmap_kept": (
        "Спряхме. Картата „{name}“ е запазена с отговорите, които дадохте — /map я показва."
    ),
    "cancel.schedule_unsaved": (
        "Спряхме. Избраният график не е запазен — нищо не е променено. {command} "
        "започва отначало."
    ),
    "cancel.newmap_unsaved": (
        "Спряхме. Картата „{name}“ не е създадена — името, клиентът и етапите ѝ не са "
        "запазени. /newmap започва отначало."
    ),
    "dialog.expired": (
        "⌛ Предишният ми въпрос чака повече от {minutes} мин и е затворен, така че това "
        "съобщение е бележка."
    ),
    "deletemap.now_active": "Активната карта сега е „{name}“.",
    "deletemap.none_left": (
        "Не останаха карти — /newmap започва нова, или просто изпратете бележка."
    ),
    "console.no_such_choice": (
        "Сега няма бутон [{number}], затова нищо не стана. Използвайте номерата на последните "
        "бутони или напишете бележката с думи."
    ),
    "console.ambiguous_choice": (
        "„{text}“ пасва на няколко бутона: {choices}. Напишете номера на този, който искате; "
        "нищо не е запазено."
    ),
    "console.button_gone": (
        "Бутонът „{label}“ вече го няма, затова нищо не стана. Сега можете да натиснете: "
        "{choices}. Или напишете бележката с думи, или /help."
    ),
    "console.button_gone_none": (
        "Бутонът „{label}“ вече го няма, затова нищо не стана, а сега няма бутони. Напишете "
        "бележката с думи или /help."
    ),
    "console.other_chat": (
        "✉️ За друг чат ({chat}), не този — бутоните му работят там, в "
        "journeybot chat --chat {chat_id}:"
    ),
    "console.group_title": "Екипът на {name}",
    "console.reaction": "({emoji} на вашето съобщение)",
    # --- counts with plural forms (views) ---
    "count.notes": {
        "one": "{count} бележка",
        "other": "{count} бележки",
    },
    "count.new_notes": {
        "one": "{count} нова бележка",
        "other": "{count} нови бележки",
    },
    "count.pain_points": {
        "one": "{count} болезнена точка",
        "other": "{count} болезнени точки",
    },
    "count.new_pain_points": {
        "one": "{count} нова болезнена точка",
        "other": "{count} нови болезнени точки",
    },
    "count.open_pain_points": {
        "one": "{count} отворена болезнена точка",
        "other": "{count} отворени болезнени точки",
    },
    "count.stages": {
        "one": "{count} етап",
        "other": "{count} етапа",
    },
    "count.maps": {
        "one": "{count} карта",
        "other": "{count} карти",
    },
    "count.characters": {
        "one": "{count} знак",
        "other": "{count} знака",
    },
    "count.messages": {
        "one": "{count} съобщение",
        "other": "{count} съобщения",
    },
    # --- resolved pain points and capped views (views) ---
    "map.counts_resolved": " · ✓ решени: {count}",
    "map.resolved": "✓ Решени болезнени точки ({count})",
    "map.note_resolved": "• ✓ {text} <i>#{number}</i>",
    "map.note_resolved_author": "• ✓ {text} — {author} <i>#{number}</i>",
    "map.more": {
        "one": "… и още {count} бележка — всички са в /export",
        "other": "… и още {count} бележки — всички са в /export",
    },
    "kind.resolved": "{kind} (✓ решена)",
    "note.number_deleted": (
        "Бележка #{number} от картата „{name}“ е изтрита — нищо не е променено."
    ),
    # --- inbox (issue 13 §2-3) ---
    "limit.busy": (
        "⏳ Извинете, в момента имам твърде много съобщения. Това не е запазено — "
        "изпратете го отново след минута."
    ),
    "group.noted_title": "📌 Запазено — докоснете номер, за да поправите бележка:",
    "group.noted_line": "#{number} {author}: {text} — {stage} · {kind}",
    "group.unsure_hint": "🤔 — за тези не съм сигурен: докоснете номера, за да изберете.",
    # --- channel corrections (vocab) ---
    "button.change_channels": "Смени каналите",
    "note.pick_channels": (
        "Кои канали споменава бележката? "
        "Докоснете канал, за да го добавите или махнете."
    ),
    "button.channels_done": "✓ Готово",
    # --- the board (issue 17 §2) ---
    "help.board": "/board — отвори картата като табло: всички бележки, филтри, местене на карти",
    "board.open": "🗺 Отвори таблото",
    "board.intro": (
        "🗺 Таблото на „{name}“: всички бележки по етапи и ленти, с филтри. Докоснете "
        "карта за подробности или за да я преместите."
    ),
    "board.no_public_url": (
        "🗺 Таблото се нуждае от публичен HTTPS адрес на бота, а такъв не е зададен. Който "
        "поддържа бота, задава <b>JOURNEYBOT_PUBLIC_URL</b> (напр. "
        "https://bot.example.org) и го рестартира — README, „The board“. Дотогава /map "
        "показва картата тук."
    ),
    "board.filter_lane": "Лента",
    "board.filter_author": "Автор",
    "board.filter_status": "Състояние",
    "board.all": "Всички",
    "board.status_open": "Отворени",
    "board.status_resolved": "Решени",
    "board.status_pain": "Отворени проблеми",
    "board.emotion": "Крива на емоциите",
    "board.owner": "Отговорник: {name}",
    "board.author": "Автор: {name}",
    "board.stage": "Етап",
    "board.lane": "Лента",
    "board.move": "Премести",
    "board.close": "Затвори",
    "board.moved": "Преместено — запазено като корекция.",
    "board.channels": "Канали",
    "board.mood": "Настроение",
    "board.empty": "Няма бележки, които отговарят на тези филтри.",
    "board.no_map": "Този чат още няма активна карта — започнете с /newmap в чата.",
    "board.not_allowed_move": (
        "Само авторът на бележката или администратор на чата може да я премести."
    ),
    "board.resolved_mark": "✓ решен",
    "board.error_auth": "Таблото не успя да потвърди кой сте. Отворете го отново с /board в чата.",
    "board.error_forbidden": "Това табло принадлежи на чат, в който не членувате.",
    "board.error_bad": "Заявката не е разбрана; нищо не е променено.",
    "board.error_not_found": "Тази бележка вече не е на активната карта; нищо не е променено.",
    "board.error_stale": (
        "Активната карта на чата се промени, откакто таблото е отворено; "
        "показвам я отново."
    ),
    "board.error_no_chat": "Ботът още не знае нищо за този чат — първо напишете /start там.",
    # --- owners and due dates (issue 16) ------------------------------------------------------
    "error.bad_date": (
        "Не разбрах тази дата. Напишете например 14.12, 2026-12-14, петък, утре или "
        "следващата седмица."
    ),
    "error.date_in_past": "Тази дата ({date}) вече мина. Изберете ден от днес нататък.",
    # --- digest and review history (issue 16) ---
    "help.digest": (
        "/digest — обобщение за екипа: нови бележки, болезнени точки, кой писа, отворени задачи "
        "(/digest weekly: всеки понеделник)"
    ),
    "help.history": (
        "/history — минали прегледи и как се променяха болезнените точки, преглед след преглед"
    ),
    "digest.title": "📬 <b>Обобщение: {name}</b>",
    "digest.title_weekly": "📬 <b>Седмично обобщение: {name}</b>",
    "digest.title_checkin": "📬 <b>След допитването: {name}</b>",
    "digest.period": "🗓 {since} → {until}",
    "digest.nothing": "През този период не е записано и не е решено нищо ново.",
    "digest.new_notes": "📝 <b>{notes:count.new_notes}</b>: {stages}",
    "digest.stage_notes": "{stage} {notes}",
    "digest.stage_pain": "{stage} {notes} (⚠️ {pain_points})",
    "digest.new_pain": "⚠️ <b>Нови болезнени точки, още отворени</b> ({count}):",
    "digest.resolved": "✅ <b>Решени</b> ({count}):",
    "digest.note_item": "• #{number} {text} · <i>{stage}</i>",
    "digest.resolved_item": "• #{number} {text} · <i>{stage}</i> — решено от {who}",
    "digest.more": "… и още {count}",
    "digest.person": "{name} ({notes})",
    "digest.contributors": "🙌 <b>Благодаря за бележките:</b> {people}",
    "digest.quiet": (
        "👋 <b>Този път без бележки:</b> {people}. Стига едно изречение от клиент — добавете го "
        "с /note."
    ),
    "digest.items": "📌 <b>Отворени задачи</b> ({count}):",
    "digest.items_overdue": "📌 <b>Отворени задачи</b> ({count}, ⏰ просрочени: {overdue}):",
    "digest.item": "• #{number} {text} — {owner}",
    "digest.item_due": "• #{number} {text} — {owner} · срок {date}",
    "digest.item_overdue": "⏰ #{number} {text} — {owner} · <b>срокът изтече на {date}</b>",
    "digest.no_owner": "още без отговорник",
    "digest.items_more": "… и още {count} — /todo показва вашите",
    "digest.no_items": "📌 Няма отворени задачи с отговорник или срок — възложете ги в /review.",
    "digest.chart_caption": "📈 Болезнени точки по етапи при последните прегледи и сега",
    "digest.weekly_on": (
        "📬 Седмичното обобщение на „{name}“ е включено: всеки понеделник в 9:00 ({timezone}), "
        "следващото на {when}. /digest off го спира."
    ),
    "digest.weekly_off": (
        "🔕 Седмичното обобщение на „{name}“ е изключено. /digest weekly го включва отново."
    ),
    "digest.usage": (
        "Изпратете /digest за обобщение сега, /digest 30 — за последните 30 дни, /digest weekly "
        "— всеки понеделник, /digest off — за да го спрете."
    ),
    "digest.status_on": "📬 Седмично обобщение: всеки понеделник в 9:00, следващото на {when}.",
    "digest.status_off": "📬 Седмично обобщение: изключено.",
    "button.digest_weekly_on": "📬 Всеки понеделник",
    "button.digest_weekly_off": "🔕 Спри седмичното",
    "picture.now": "сега",
    "picture.timeline_title": "Болезнени точки по етапи, преглед след преглед — {name}",
    "picture.timeline_note": (
        "Червено — отворени, сиво — решени. Стълбче за преглед (денят му), последното е сега; "
        "до етапа: отворени сега."
    ),
    "history.title": "🗂 <b>История на прегледите: {name}</b> · {count:count.reviews}",
    "history.none": (
        "„{name}“ още не е преглеждана. /review започва преглед, /schedule планира следващите."
    ),
    "history.review": "📋 <b>{date}</b> · {people}",
    "history.review_unfinished": "⏸ <b>{date}</b> · {people} · незавършен",
    "history.counts": (
        "✅ решени: {resolved} · ⏳ още отворени: {still_open} · 💡 идеи: {ideas} · 🙋 възложени: "
        "{assigned} · 📝 нови бележки: {notes}"
    ),
    "history.counts_unfinished": (
        "✅ решени: {resolved} · ⏳ още отворени: {still_open} · 💡 идеи: {ideas} · 🙋 "
        "възложени: {assigned}"
    ),
    "export.history_title": "История на прегледите",
    "export.history_header": (
        "| Ден | Участваха | ✅ Решени | ⏳ Още отворени | 💡 Идеи | 🙋 Възло"
        "жени | 📝 Нови бележки | Отворени болезнени точки след прегледа |"
    ),
    "history.more": "… и още {count} — натиснете „По-стари“.",
    "history.chart_caption": "📈 Отворени и решени болезнени точки по етапи, преглед след преглед",
    "button.history_older": "« По-стари",
    "button.history_newer": "По-нови »",
    "count.reviews": {
        "one": "{count} преглед",
        "other": "{count} прегледа",
    },
    "error.not_your_item": (
        "Тази задача може да се промени само от собственика ѝ, от автора на бележката или от "
        "администратор."
    ),
    "item.owner": "🙋 {owner}",
    "item.due": "📅 {date}",
    "item.overdue": "⏰ просрочено",
    "item.due_today": "⏰ срокът е днес",
    "item.resolved_by": "✓ решено от {who}, {date}",
    "item.resolved_on": "✓ решено {date}",
    "item.not_item": (
        "#{number} е бележка от вида „{kind}“: собственик и срок получават само болките "
        "и възможностите."
    ),
    "item.unknown_person": (
        "Още не познавам {person}. Човекът трябва първо да напише нещо в този чат (или да ме "
        "стартира в личен чат); после опитайте /assign отново."
    ),
    "item.not_member": "{person} не е член на този чат, затова не мога да му/ѝ дам задача тук.",
    "item.pick_date": "📅 До кога трябва да е готово <b>#{number}</b> {text}?",
    "item.ask_date": (
        "Напишете срока за #{number}: 14.12, 2026-12-14, петък, утре, следващата седмица…"
    ),
    "item.due_set": "📅 Срок: {date}",
    "item.due_cleared": "Без срок",
    "item.resolved_answer": "✓ Решено",
    "item.already_resolved": "Вече беше решено.",
    "item.already_open": "Вече е отворено.",
    "item.reopened": "Отново е отворено.",
    "assign.usage": (
        "Напишете /assign N @човек срок, напр. <i>/assign 5 @anna петък</i>. Без @човек "
        "задачата е ваша; срокът не е задължителен: 14.12, 2026-12-14, петък, утре, "
        "следващата седмица…"
    ),
    "assign.done": "📌 <b>#{number}</b> {text}\n🙋 {owner} {status}",
    "assign.resolved_first": (
        "#{number} вече е решено. Отворете го с /note {number} и първо натиснете "
        "„Отвори отново“."
    ),
    "button.due_date": "📅 Срок",
    "button.this_week": "Тази седмица · {date}",
    "button.next_week": "Следващата седмица · {date}",
    "button.pick_date": "Избери дата…",
    "button.no_date": "Без срок",
    "button.reopen": "↩️ Отвори отново",
    "button.move_to": "Премести за {date}",
    "button.tomorrow": "Премести за утре",
    "todo.title": "📋 <b>Вашите отворени задачи тук</b> ({count})",
    "todo.title_all": "📋 <b>Вашите отворени задачи във всички чатове</b> ({count})",
    "todo.none": (
        "Нямате отворени задачи. 🎉 Поемете болка в /review или си дайте задача с /assign N."
    ),
    "todo.unowned": (
        "📌 Отворени тук, със срок, но без отговорник: {items} — /assign N поема една."
    ),
    "todo.unowned_maps": (
        "📌 Отворени тук, със срок, но без отговорник: {items} — /assign N поема една от "
        "активната карта „{map}“ (/maps я сменя)."
    ),
    "todo.line": "• <b>#{number}</b> {text} — <i>{map}</i> {status}",
    "due.reminder": "⏰ <b>Срокът е днес</b>: <b>#{number}</b> {text}",
    "due.reminder_late": "⏰ <b>Просрочено от {date}</b>: <b>#{number}</b> {text}",
    "due.reminder_ahead": (
        "⏰ <b>Срок: {date}</b> — почивен ден, който екипът пропуска, затова напомням още сега: "
        "<b>#{number}</b> {text}"
    ),
    "due.reminder_moved": (
        "📅 <b>Нов срок: {date}</b> — "
        "ще напомня отново: <b>#{number}</b> {text}"
    ),
    "due.reminder_due": "📅 <b>Срок {date}</b>: <b>#{number}</b> {text}",
    "due.where": "<i>{map} · {chat}</i>",
    "reminder.overdue": "⏰ Просрочени: {items}",
    "review.overdue": "⏰ <b>Просрочени задачи</b>: {items}",
    "insights.items": "📋 {count:count.items} със собственик или срок.",
    "insights.items_overdue": (
        "📋 {count:count.items} със собственик или срок, <b>просрочени: {overdue}</b>: {items}"
    ),
    "count.items": {
        "one": "{count} отворена задача",
        "other": "{count} отворени задачи",
    },
    "help.assign": (
        "/assign <i>N @човек срок</i> — дайте на болка или възможност N собственик и срок"
    ),
    "help.todo": "/todo — вашите отворени задачи, първо просрочените",
    "board.due": "Срок",
    "board.overdue": "просрочено",
    "board.resolved_by": "Решено от",
    "board.more": "+ още {count}",
    # --- /stages ------------------------------------------------------------------------------
    "help.stages": (
        "/stages — преименувай, добави, премахни или премести етапите на активната карта"
    ),
    "stages.title": "🧭 <b>Етапи на „{name}“</b>",
    "stages.line": "{number}. {name} — {notes:count.notes}",
    "stages.unsorted_line": "· {name} — {notes:count.notes}",
    "button.stages_done": "✅ Готово",
    "stages.rename_gone": (
        "Етапът „{old}“ междувременно беше премахнат, затова името „{name}“ не е използвано. "
        "Етапите сега (Добави слага нов накрая):"
    ),
    "stages.renamed": "„{old}“ вече се казва „{name}“; бележките му остават в него.",
    "stages.added": (
        "Добавих „{name}“ накрая. Бележка се премества там с /note N → Смени етапа."
    ),
    "stages.confirm_remove": "Да премахна ли етапа „{name}“?",
    "stages.remove_keeps_notes": {
        "one": (
            "{count} бележка от него остава на картата, в „{unsorted}“ (последна в /map, на "
            "картинката и в експорта); /note N → Смени етапа я премества в друг етап."
        ),
        "other": (
            "{count} бележки от него остават на картата, в „{unsorted}“ (последни в /map, на "
            "картинката и в експорта); /note N → Смени етапа премества бележка в друг етап."
        ),
    },
    "stages.remove_no_notes": "В него няма бележки.",
    "stages.remove_new_notes": (
        "Новите бележки, които бих сложил в този етап, също ще отидат в „{unsorted}“."
    ),
    "button.remove_stage_yes": "🗑 Да, премахни",
    "button.keep_stage": "Не, запази го",
    "stages.removed": "Етапът „{name}“ е премахнат.",
    "stages.removed_notes": "Преместени в „{unsorted}“: {notes:count.notes}.",
    # check-ins (bot/flows/checkin.py, bot/checkins.py)
    "help.checkin": (
        "/checkin — редовно питам екипа какво е чул от клиентите (/checkin off: не мен)"
    ),
    "checkin.title": "🗣 <b>Чек-ини в групата „{group}“</b>",
    "checkin.none": "Още няма чек-ини. Колко често да питам всички какво са чули от клиентите?",
    "checkin.next": "Следващ чек-ин: {when}",
    "checkin.options_weekends": "Без чек-ини през уикенда",
    "checkin.asked": "Питам ({count}): {people}",
    "checkin.nobody": "Още няма кого да питам: питам хората, които съм видял да пишат тук.",
    "checkin.opted_out": "Не питам (отказали са се): {people}",
    "checkin.running": "Рундът тече: отговорили {answered} от {count}.",
    "checkin.who_counts": "👥 = питам в групата (не са ме стартирали в личен чат).",
    "checkin.restarted": (
        "⏹ Рундът от {date} е приключен (отговорили {answered} от {count}) — питам всички "
        "отново."
    ),
    "checkin.started": "▶️ Питам всички сега.",
    "checkin.removed": "Чек-ините в групата „{group}“ са изключени.",
    "button.checkin_again": "⏹ Приключи рунда, питай отново",
    "button.checkin_now": "▶️ Питай сега",
    "button.checkin_off": "🔕 Не ме питай",
    "button.checkin_on": "🔔 Питай ме пак",
    "button.checkin_nothing": "🤷 Този път нищо",
    "checkin.off_done": (
        "🔕 Добре, вече няма да те питам в групата „{group}“. /checkin on, за да те питам пак."
    ),
    "checkin.on_done": "🔔 Пак ще те питам в групата „{group}“.",
    "checkin.no_groups": "Не си в група с чек-ини.",
    "checkin.mine": "🗣 Твоите чек-ини:",
    "checkin.mine_on": "🔔 {group}: питам те",
    "checkin.mine_off": "🔕 {group}: не те питам",
    "checkin.round_over": "Този чек-ин приключи; ще те питам следващия път.",
    "checkin.nothing_done": "👍 Записах: този път нищо.",
    "checkin.which_group": "За кой екип е този отговор?",
    "checkin.thanks": "✅ Благодаря! Добавено в картата „{name}“ на „{group}“:\n{notes}",
    "checkin.thanks_again": "✅ Благодаря, отговорът ти вече е запазен.",
    "checkin.ask_private": (
        "🗣 Чек-ин за „{group}“: какво чу от клиентите {since}?\nОтговори на това съобщение — "
        "всеки ред става бележка в картата на екипа."
    ),
    "checkin.nudge_private": (
        "🙂 Леко напомняне от „{group}“: какво чу от клиентите {since}? Отговори на това "
        "съобщение или натисни „Този път нищо“."
    ),
    "checkin.ask_group": (
        "🗣 Чек-ин: {people}, какво чухте от клиентите {since}?\nОтговорете на това съобщение — "
        "всеки ред става бележка в картата."
    ),
    "checkin.nudge_group": (
        "🙂 Леко напомняне, {people}: какво чухте от клиентите {since}? Отговорете на това "
        "съобщение."
    ),
    "checkin.since": "от {date}",
    "checkin.since_first": "напоследък",
    "checkin.summary_title": "🗣 <b>Чек-ин от {date}: приключи</b>",
    "checkin.summary_counts": "Отговориха: {answered} от {count}.",
    "checkin.summary_notes": "Бележки, добавени в картата „{name}“: {count}.",
    "checkin.summary_thanks": "Благодаря: {people}",
    "checkin.summary_silent": "Може би следващия път: {people}",
    "checkin.summary_nobody": "Вече няма кого да питам: всички се отказаха или напуснаха.",
    # --- the customer's voice: forwarded messages, long texts, imports (issue 16) ---
    "quote.marks": "„{text}“",
    "note.quote_saved": "❝ Запазено като цитат на клиент.",
    "note.quote_saved_from": "❝ Запазено като цитат на клиент ({source}).",
    "split.found": {
        "one": "✂️ В бележка #{number} виждам {count} точка:",
        "other": "✂️ В бележка #{number} виждам {count} точки:",
    },
    "split.kept_for_now": (
        "Засега е запазена като една бележка, #{number}. Да добавя ли точките като "
        "отделни бележки?"
    ),
    "split.add_all": {
        "one": "➕ Добави {count} точка",
        "other": "➕ Добави всички {count}",
    },
    "split.choose": "☑️ Избери",
    "split.keep": "Остави като една",
    "split.choose_help": (
        "Отбележете точките, които да станат отделни бележки (вместо бележка #{number}), "
        "после Добави:"
    ),
    "split.add_chosen": {
        "one": "➕ Добави {count} точка",
        "other": "➕ Добави {count} точки",
    },
    "split.kept": "Остава една бележка, #{number}.",
    "split.none_chosen": "Отбележете поне една точка — или оставете една бележка.",
    "split.changed": "Бележка #{number} междувременно се промени; нищо не е разделено.",
    "split.done": {
        "one": "✂️ Бележка #{number} вече е {count} бележка: {numbers}.",
        "other": "✂️ Бележка #{number} вече е {count} бележки: {numbers}.",
    },
    "split.left_out": {
        "one": "Пропусната е {count} точка.",
        "other": "Пропуснати са {count} точки.",
    },
    "split.change_hint": "/note с номер показва бележка, за да я промените.",
    "import.done": {
        "one": "📥 Добавих {count} бележка от {file} към „{name}“.",
        "other": "📥 Добавих {count} бележки от {file} към „{name}“.",
    },
    "import.by_stage": "По етапи: {stages}",
    "import.pain_points": {
        "one": "Открити болезнени точки: {count}",
        "other": "Открити болезнени точки: {count}",
    },
    "import.duplicates": {
        "one": "Пропуснах {count} дубликат (същият текст вече е на картата или по-рано във файла).",
        "other": (
            "Пропуснах {count} дубликата (същият текст вече е на картата или "
            "по-рано във файла)."
        ),
    },
    "import.bad_empty": {
        "one": "Пропуснах {count} ред без текст: ред {lines}.",
        "other": "Пропуснах {count} реда без текст: редове {lines}.",
    },
    "import.bad_no_words": {
        "one": "Пропуснах {count} ред само с емоджи или знаци: ред {lines}.",
        "other": "Пропуснах {count} реда само с емоджи или знаци: редове {lines}.",
    },
    "import.bad_too_long": {
        "one": "Пропуснах {count} ред, по-дълъг от 4000 знака: ред {lines}.",
        "other": "Пропуснах {count} реда, по-дълги от 4000 знака: редове {lines}.",
    },
    "import.undated": {
        "one": "Не разбрах {count} дата (ред {lines}); тази бележка е без дата.",
        "other": "Не разбрах {count} дати (редове {lines}); тези бележки са без дата.",
    },
    "import.next": (
        "Внесените бележки са цитати на клиенти. /map ги показва, /insights казва къде "
        "боли."
    ),
    "import.reading": "📥 Чета {file}…",
    "import.refused": "Не мога да внеса този файл.",
    "import.too_big": (
        "Този файл е твърде голям: {size} MB, приемам до {max_mb} MB. Разделете го на "
        "по-малки файлове."
    ),
    "import.not_text": (
        "Това не е текстов файл. Изпратете CSV или TXT файл — в таблицата изберете "
        "„Запиши като CSV“."
    ),
    "import.encoding": (
        "Не мога да прочета знаците на този файл. Запишете го в UTF-8 (в таблицата: „CSV "
        "UTF-8“)."
    ),
    "import.empty": "В този файл няма редове за внасяне.",
    "import.no_text_column": (
        "Не намерих колона с текст в този файл (колоните му: {columns}). Наречете "
        "колоната с бележките „текст“ или я сложете първа."
    ),
    "import.unsupported": "Внасям CSV и TXT файлове; {name} не е нито едното.",
    "import.nothing_imported": "Нищо не е внесено.",
    "import.download_failed": "Не успях да изтегля този файл от Telegram. Изпратете го отново.",
    "help.private_voice": (
        "Препратете ми съобщение от клиент и ще го запазя като цитат на клиент; изпратете "
        "CSV или TXT файл (отзиви, запитвания) и всеки ред става бележка."
    ),
    "help.group_voice": (
        "За да внесете CSV или TXT файл (отзиви, запитвания), изпратете го като отговор "
        "на мое съобщение: всеки ред става бележка."
    ),
}
