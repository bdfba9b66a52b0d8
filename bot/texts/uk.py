"""Ukrainian texts. HTML parse mode: user text must be escaped before it is put in a placeholder."""

TEXTS: dict[str, str] = {
    # --- start, help, language -------------------------------------------------------------
    "start.welcome": (
        "👋 Привіт, я <b>journeybot</b>. Допомагаю вашій команді скласти мапу шляху клієнта:\n"
        "1. Разом будуємо мапу: етапи, точки контакту, емоції, больові точки.\n"
        "2. Щойно дізнаєтеся щось нове — надішліть мені нотатку, і я додам її на мапу.\n"
        "3. Показую мапу, підказую, де болить, і допомагаю тримати її актуальною."
    ),
    "start.first_map": "Почнімо з вашої першої мапи.",
    "start.resumed": (
        "⏰ Я знову тут: нагадування, чек-іни й підсумки, призупинені, поки мене не було в цьому "
        "чаті, знову увімкнені. /schedule, /checkin і /digest покажуть, коли наступні."
    ),
    "start.has_map": "Ваша активна мапа — «{name}». /map покаже її, /note додасть до неї нотатку.",
    "button.create_first_map": "🗺 Створити мапу",
    "help.title": "<b>Що я вмію</b>",
    "help.start": "/start — для чого цей бот",
    "help.newmap": "/newmap — створити нову мапу шляху клієнта крок за кроком",
    "help.note": (
        "/note <i>текст</i> — додати нотатку; /note <i>номер</i> — показати нотатку, щоб "
        "змінити чи видалити її"
    ),
    "help.map": "/map — показати активну мапу",
    "help.maps": "/maps — список ваших мап і перемикання між ними",
    "help.rename": "/rename <i>назва</i> — перейменувати активну мапу",
    "help.delete": (
        "/delete <i>номер</i> — видалити нотатку після підтвердження (номери видно в /map)"
    ),
    "help.deletemap": "/deletemap — видалити активну мапу",
    "help.language": "/language — змінити мову",
    "help.cancel": "/cancel — зупинити те, що ми зараз робимо",
    "help.help": "/help — цей список",
    "help.private_notes": "В особистому чаті кожне повідомлення, яке не є командою, — це нотатка.",
    "help.group_notes": (
        "У групі я бачу лише команди й відповіді на мої повідомлення (режим приватності Telegram), "
        "тож додавайте нотатки через /note або відповіддю на будь-яке моє повідомлення."
    ),
    "language.choose": "Якою мовою мені говорити в цьому чаті?",
    "language.set": "Готово — у цьому чаті я говорю українською.",
    "language.unknown": "Цієї мови я не знаю. Оберіть, будь ласка, одну з кнопок.",
    "cancel.done": "Зупинено.",
    "cancel.nothing": "Зараз нема чого зупиняти.",
    # --- hints and errors ------------------------------------------------------------------
    "hint.unknown_command": "Я не знаю команди {command}. У /help — усе, що я вмію.",
    "hint.non_text": "Я читаю лише текст. Напишіть нотатку — як саме, підкаже /help.",
    "note.caption_only": (
        "📎 Підпис збережено як слова клієнта; сам вкладений файл я не зберігаю."
    ),
    "hint.use_buttons": (
        "На це запитання відповідають кнопкою — ось воно ще раз. Ваше повідомлення не "
        "збережено; /cancel зупиняє запитання."
    ),
    "hint.group_how_to_note": "Щоб додати тут нотатку, напишіть /note <i>текст</i>.",
    "stale.button": "Ця кнопка з розмови, яка вже завершилася.",
    "stale.not_yours": "Ці кнопки — з розмови іншої людини.",
    "error.generic": (
        "Вибачте, у мене щось пішло не так, і те, що ви щойно надіслали, могло не зберегтися. "
        "Спробуйте ще раз за хвилину."
    ),
    "error.empty_text": "Повідомлення порожнє. Напишіть кілька слів.",
    "error.text_too_long": (
        "Задовгий текст: {length:count.characters}. Я приймаю щонайбільше {limit}."
    ),
    "error.too_many_stages": "На мапі може бути щонайбільше {limit:count.stages}.",
    "error.too_many_maps": (
        "У чаті може бути щонайбільше {limit:count.maps}. Видаліть одну через /deletemap."
    ),
    "limit.slow_down": (
        "⏳ Трохи повільніше, будь ласка: це понад {limit:count.messages} за хвилину. Це й "
        "кілька наступних не збережено — зачекайте хвилину й надішліть їх ще раз."
    ),
    "error.no_active_map": "Мапи ще немає. Створіть її командою /newmap.",
    "error.not_found": "Не можу цього знайти — можливо, його вже видалили.",
    "error.not_allowed": "Це можуть робити лише адміністратори групи.",
    "error.not_a_member": "Кнопками цієї групи можуть користуватися лише її учасники.",
    # --- stages and lanes --------------------------------------------------------------------
    "stage.awareness": "Обізнаність",
    "stage.consideration": "Розгляд",
    "stage.decision": "Рішення",
    "stage.purchase": "Купівля",
    "stage.retention": "Лояльність",
    "stage.advocacy": "Рекомендації",
    "stage.unsorted": "Ще без етапу",
    "kind.touchpoint": "Точка контакту",
    "kind.action": "Дія",
    "kind.need": "Потреба",
    "kind.emotion": "Емоція",
    "kind.pain_point": "Больова точка",
    "kind.opportunity": "Можливість",
    "lane.touchpoint": "📍 Точки контакту",
    "lane.action": "👣 Дії клієнта",
    "lane.need": "❓ Потреби й запитання",
    "lane.emotion": "💬 Емоції",
    "lane.pain_point": "⚠️ Больові точки",
    "lane.opportunity": "💡 Можливості",
    "channel.website": "сайт",
    "channel.phone": "телефон",
    "channel.email": "ел. пошта",
    "channel.sms": "SMS",
    "channel.shop": "магазин",
    "channel.chat": "чат",
    "channel.courier": "кур’єр",
    "channel.word_of_mouth": "з вуст у вуста",
    "channel.ads": "реклама",
    "channel.newsletter": "розсилка",
    "channel.app": "застосунок",
    "channel.social_media": "соцмережі",
    # --- /newmap -----------------------------------------------------------------------------
    "newmap.ask_name": (
        "Створімо мапу шляху клієнта. 🗺\n"
        "Як її назвемо? Назвіть шлях, наприклад <i>Замовлення торта на день народження онлайн</i>."
    ),
    "newmap.name_too_long": "Назва може мати щонайбільше {limit:count.characters}.",
    "newmap.ask_persona": (
        "Хто клієнт на цій мапі? Опишіть його кількома словами, наприклад <i>зайняті батьки, які "
        "готують дитяче свято</i>. Цей крок можна пропустити."
    ),
    "newmap.stages_intro": "Зазвичай шлях має такі етапи. Залиште їх або змініть кнопками:",
    "newmap.stage_line": "{number}. {name}",
    "newmap.ask_stage_to_rename": "Який етап перейменувати?",
    "newmap.ask_new_stage_name": "Яку нову назву дати етапу «{name}»?",
    "newmap.ask_added_stage_name": "Як називається новий етап?",
    "newmap.ask_stage_to_remove": "Який етап видалити?",
    "newmap.ask_stage_to_move": "Який етап перемістити?",
    "newmap.ask_move_target": "Куди перемістити етап «{name}»?",
    "newmap.stage_name_too_long": "Назва етапу може мати щонайбільше {limit:count.characters}.",
    "newmap.need_one_stage": "На мапі має бути хоча б один етап.",
    "newmap.created": "Мапу «{name}» збережено. Тепер заповнимо її етап за етапом.",
    "newmap.stage_header": "<b>Етап {number} з {total}: {stage}</b>",
    "newmap.question.touchpoint": (
        "Де клієнт стикається з вами на цьому етапі? Канали, місця, люди — наприклад, "
        "<i>Instagram, знайомі, вітрина магазину</i>."
    ),
    "newmap.question.action": "Що клієнт робить на цьому етапі?",
    "newmap.question.need": "Що йому потрібно або про що він питає в цей момент?",
    "newmap.question.emotion": "Що він тут відчуває?",
    "newmap.question.pain_point": "Що йде не так або що йому заважає?",
    "newmap.question.opportunity": "Є ідеї, як покращити цей етап?",
    "newmap.answer_hint": "Кілька відповідей? Пишіть кожну з нового рядка або через кому.",
    "newmap.stage_gone_added": (
        "Етап цього питання тим часом видалили (/stages), тож я сам розклав відповідь на мапі "
        "— додано: {count}."
    ),
    "newmap.added": "Додано: {count}.",
    "newmap.summary_title": "✅ Мапа <b>{name}</b> готова.",
    "newmap.summary_persona": "Клієнт: {persona}",
    "newmap.summary_counts": (
        "{stages:count.stages} · {notes:count.notes} · {pain_points:count.pain_points}"
    ),
    "newmap.summary_stage": "{name}: {count}",
    "newmap.summary_next": (
        "/map покаже всю мапу. Додавайте все нове, що дізнаєтеся, через /note — я розкладу кожну "
        "нотатку на потрібний етап."
    ),
    "button.skip": "Пропустити ⏭",
    "button.keep_stages": "✅ Залишити ці етапи",
    "button.rename_stage": "✏️ Перейменувати",
    "button.add_stage": "➕ Додати",
    "button.remove_stage": "🗑 Видалити",
    "button.move_stage": "↕️ Перемістити",
    "button.reset_stages": "↩️ Стандартні етапи",
    "button.back": "« Назад",
    "button.to_end": "У кінець",
    "button.before": "Перед етапом «{name}»",
    "button.next_stage": "Наступний етап »",
    "button.finish": "✅ Завершити",
    # --- notes -------------------------------------------------------------------------------
    "note.ask_text": "Що нового ви дізналися про клієнтів? Надішліть одним повідомленням.",
    "note.saved": "📌 #{number} · {stage} · {kind}",
    "note.saved_channels": "📌 #{number} · {stage} · {kind} · {channels}",
    "note.saved_many": {
        "one": "📌 Збережено {count} нотатку:",
        "few": "📌 Збережено {count} нотатки:",
        "many": "📌 Збережено {count} нотаток:",
        "other": "📌 Збережено {count} нотатки:",
    },
    "note.default_map_name": "Шлях нашого клієнта",
    "note.map_created": (
        "Мапи ще не було, тому створено «{name}» зі стандартними етапами. Перейменувати її можна "
        "через /rename."
    ),
    "note.pick_stage": "До якого етапу належить ця нотатка?",
    "note.pick_kind": "Що це за нотатка?",
    "note.undone": "↩️ Нотатку #{number} видалено.",
    "note.deleted": "🗑 Нотатку #{number} з мапи «{name}» видалено.",
    "note.delete_usage": (
        "Яку нотатку? Надішліть /delete з її номером із /map, наприклад /delete 12."
    ),
    "button.change_stage": "Змінити етап",
    "button.change_kind": "Змінити тип",
    "button.undo": "Скасувати",
    # --- /map, /maps, rename, delete ---------------------------------------------------------
    "map.title": "🗺 <b>{name}</b>",
    "map.persona": "Клієнт: {persona}",
    "map.counts": (
        "{stages:count.stages} · {notes:count.notes} · {pain_points:count.open_pain_points}"
    ),
    "map.stage": "<b>{number}. {name}</b> ({count})",
    "map.unsorted_stage": "<b>· {name}</b> ({count})",
    "map.lane": "{lane} ({count})",
    "map.note": "• {text} <i>#{number}</i>",
    "map.note_author": "• {text} — {author} <i>#{number}</i>",
    "map.empty_stage": "<i>поки нічого</i>",
    "map.empty": (
        "Мапа поки порожня. Додавайте нотатки через /note або відповідайте на запитання в /newmap."
    ),
    "maps.title": "<b>Ваші мапи</b>",
    "maps.line": "{marker} {name} — {notes:count.notes}",
    "maps.none": "Мап ще немає. Створіть першу через /newmap.",
    "maps.switch_hint": "Натисніть на мапу, щоб зробити її активною.",
    "maps.switched": "Активна мапа: «{name}».",
    "rename.ask": "Яка нова назва для мапи «{name}»?",
    "rename.map_gone": (
        "Мапу «{old}» тим часом видалили, тож нічого не перейменовано. /newmap {name} починає "
        "мапу з цією назвою."
    ),
    "rename.done": "Нова назва: «{name}».",
    "deletemap.confirm": (
        "Видалити мапу «{name}» разом із нотатками ({notes})? Цю дію не можна скасувати."
    ),
    "deletemap.done": "Мапу «{name}» видалено.",
    "deletemap.kept": "Гаразд, мапа залишається.",
    "button.delete_map": "Так, видалити",
    "button.keep_map": "Ні, залишити",
    # --- review schedules, reminders and reviews (issue 5) -----------------------------------
    "help.schedule": "/schedule — як часто команда переглядає активну мапу",
    "help.review": "/review — розібрати відкриті больові точки просто зараз",
    "schedule.title": "🗓 <b>Огляди мапи «{name}»</b>",
    "schedule.none": "Оглядів ще не заплановано. Як часто будемо разом переглядати мапу?",
    "schedule.rule.weekly": "Щотижня: {weekday}, {time}",
    "schedule.rule.biweekly": "Раз на два тижні: {weekday}, {time}",
    "schedule.rule.monthly": "Щомісяця (перший тиждень): {weekday}, {time}",
    "schedule.timezone": "Часовий пояс: {timezone}",
    "schedule.options_weekends": "Без оглядів у вихідні",
    "schedule.options_quiet": "Тихі години: {start}–{end}",
    "schedule.next": "Наступний огляд: {when}",
    "schedule.paused": "⏸ Призупинено — нагадувань не буде, доки не відновите.",
    "schedule.saved": "✅ Збережено.",
    "schedule.removed": "Огляди мапи «{name}» вимкнено.",
    "schedule.ask_weekday": "У який день?",
    "schedule.ask_time": "О котрій? Оберіть час або введіть його, наприклад 9:30.",
    "schedule.confirm_timezone": "Я рахуватиму час за поясом {timezone}. Це ваш часовий пояс?",
    "schedule.ask_timezone": (
        "У якому ви часовому поясі? Надішліть місто (Київ, Львів, Warsaw, London) або зміщення на "
        "кшталт UTC+2."
    ),
    "schedule.timezone_set": "Часовий пояс встановлено: {timezone}.",
    "schedule.when": "{weekday}, {date}, {time}",
    "weekday.0": "понеділок",
    "weekday.1": "вівторок",
    "weekday.2": "середа",
    "weekday.3": "четвер",
    "weekday.4": "п’ятниця",
    "weekday.5": "субота",
    "weekday.6": "неділя",
    "button.weekly": "Щотижня",
    "button.biweekly": "Раз на 2 тижні",
    "button.monthly": "Щомісяця",
    "button.custom": "Обрати день і час",
    "button.timezone": "🌍 {timezone}",
    "button.weekends_on": "Вихідні: пропускати",
    "button.weekends_off": "Вихідні: можна",
    "button.quiet": "Тихі години: {hours}",
    "button.quiet_off": "вимк.",
    "button.pause": "⏸ Призупинити",
    "button.resume": "▶️ Відновити",
    "button.remove": "🗑 Вимкнути",
    "button.yes_timezone": "✅ Так",
    "button.change_timezone": "Змінити",
    "error.unknown_timezone": (
        "Я не знаю часового поясу «{name}». Спробуйте велике місто поблизу або зміщення на кшталт "
        "UTC+2."
    ),
    "error.bad_time": "Не вдалося розпізнати час. Напишіть, будь ласка, так: 9:30 або 18:00.",
    "reminder.title": "🔔 Час переглянути мапу «{name}»",
    "reminder.since_last": (
        "Від останнього огляду: {notes:count.new_notes}, розв’язано: {resolved}."
    ),
    "reminder.since_start": (
        "Поки що: {notes:count.notes}, розв’язано: {resolved}. Це ваш перший огляд."
    ),
    "reminder.new_pain_points": "⚠️ {stage}: {count:count.new_pain_points}",
    "reminder.empty_lanes": "Ще є порожні рядки на етапах: {stages}",
    "reminder.snoozed": "😴 Гаразд, нагадаю завтра.",
    "reminder.skipped": "Гаразд, цього разу пропускаємо. Наступний огляд: {when}",
    "button.start_review": "▶️ Почати огляд",
    "button.snooze": "Нагадати завтра",
    "button.skip_review": "Пропустити цього разу",
    "review.no_pain_points": "На мапі «{name}» немає відкритих больових точок — чудово. 🎉",
    "review.card": "🔎 Больова точка {number} з {total} · <b>{stage}</b>\n{text}",
    "review.card_author": "автор: {author}",
    "review.card_owner": "🙋 Займається: {owner}",
    "review.card_resolved": "✅ Розв’язана — {who}",
    "review.card_still_open": "⏳ Ще відкрита — {who}",
    "review.already_resolved": "#{number} уже розв’язано — нічого не змінилося.",
    "review.not_pain_point": (
        "#{number} більше не больова точка (тепер: {kind}) — нічого не змінилося."
    ),
    "review.assigned": "Тепер це ваше завдання.",
    "review.ask_idea": "Що могло б розв’язати «{text}»? Надішліть свою ідею у відповідь.",
    "review.idea_saved": "💡 Ідею збережено.",
    "review.idea_map_gone": (
        "Мапу «{old}» тим часом видалили, тож я зберіг ідею як нотатку мапи «{name}»:"
    ),
    "review.idea_saved_alone": (
        "💡 Ідею збережено як нотатку #{number} — больову точку, на яку вона відповідала, "
        "тим часом видалено."
    ),
    "review.ask_new": (
        "Є щось нове з минулого разу? Надсилайте нотатки (у групі — відповіддю на мої "
        "повідомлення), я розкладу їх на мапі. Потім натисніть «Завершити огляд»."
    ),
    "review.already_running": "Огляд цієї мапи вже триває — продовжуємо.",
    "review.summary_title": "📋 <b>Огляд мапи «{name}» завершено</b>",
    "review.summary_counts": (
        "Розв’язано: {resolved} · ще відкриті: {still_open} · нових ідей: {ideas} · нових нотаток: "
        "{notes}"
    ),
    "review.summary_owners": "Хто чим займається: {owners}",
    "review.summary_people": "Учасники: {people}",
    "button.resolved": "✅ Розв’язана",
    "button.still_open": "⏳ Ще відкрита",
    "button.add_idea": "💡 Додати ідею",
    "button.assign_me": "🙋 Беру на себе",
    "button.finish_review": "✅ Завершити огляд",
    "newmap.offer_schedule": (
        "Мапа корисна, коли до неї регулярно повертаються. Нагадувати команді?"
    ),
    "button.plan_reviews": "🗓 Запланувати регулярні огляди",
    # --- pictures, exports, insights, search (issue 6) ---
    "help.export": "/export — завантажити мапу як CSV, JSON, Markdown або зображення",
    "help.insights": (
        "/insights — де болить, де найгірший настрій, прогалини й теми, що повторюються"
    ),
    "help.search": "/search <i>слова</i> — знайти нотатки",
    "help.forget": "/forget — видалити все, що я зберігаю про цей чат",
    "picture.caption": "🗺 <b>{name}</b>",
    "picture.emotion_curve": "Крива емоцій",
    "picture.more": "і ще {count}",
    "picture.capped": (
        "На зображенні в клітинці щонайбільше {limit:count.notes}; усі вони є в /map text і в "
        "/export."
    ),
    "picture.no_feelings": "ще немає нотаток",
    "picture.chart_title": "Відкриті больові точки за етапами",
    "picture.chart_note": (
        "Червоне — відкриті, сіре — розв’язані. Підпис: відкриті больові точки / усі нотатки етапу."
    ),
    "export.choose": "📤 Експорт мапи «{name}». Який формат?",
    "export.caption": "📄 «{name}»: нотаток — {notes}, {date}",
    "export.all_caption": (
        "📦 Усе, що я зберігаю для цього чату: мап — {maps}, нотаток — {notes}, виправлень — "
        "{corrections}, оглядів — {reviews}."
    ),
    "export.usage": (
        "Надішліть /export і оберіть формат або напишіть /export csv, json, md, png чи all."
    ),
    "button.export_csv": "📊 CSV (таблиця)",
    "button.export_json": "🧩 JSON",
    "button.export_md": "📝 Markdown (текст)",
    "button.export_png": "🖼 Зображення",
    "button.export_all": "📦 Усі дані чату",
    "insights.title": "🔎 <b>Висновки: {name}</b>",
    "insights.empty": (
        "Поки нема чого аналізувати. Додайте кілька нотаток через /note і спробуйте ще раз."
    ),
    "insights.hotspots": "⚠️ <b>Де болить:</b> {items}",
    "insights.hotspot_item": "{stage} ({pain_points:count.open_pain_points}, {notes:count.notes})",
    "insights.no_pain": "✅ Відкритих больових точок немає.",
    "insights.lowest_mood": "😟 <b>Найгірший настрій:</b> {stage} ({mood})",
    "insights.no_low_mood": "🙂 Поки жоден етап не виглядає негативним.",
    "insights.gaps": "🕳 <b>Ще немає записів:</b> {items}",
    "insights.gap_item": "{stage} ({lanes})",
    "insights.gap_stage": "{stage} (увесь етап)",
    "insights.more": "ще {count}",  # after ", " or "; ": "точка контакту, емоція, ще 3"
    "insights.themes": "🔁 <b>Часто згадують:</b> {items}",
    "insights.theme_word": "«{label}» ×{count}",
    "insights.theme_channel": "{channel} ×{count}",
    "insights.since_review": (
        "🕒 <b>Від останнього огляду</b> ({date}): {notes:count.new_notes}, з них "
        "{pain_points:count.pain_points}."
    ),
    "insights.no_review": "🕒 Ще жоден огляд не завершено, тож не можу сказати, що змінилося.",
    "insights.path": (
        "🛒 <b>Шлях до купівлі</b> ({first} → {last}): {notes:count.notes}, "
        "{pain_points:count.open_pain_points}, настрій {mood}"
    ),
    "insights.whole": (
        "🗺 <b>Увесь шлях:</b> {notes:count.notes}, {pain_points:count.open_pain_points}, "
        "настрій {mood}"
    ),
    "insights.no_path": (
        "🛒 На цій мапі немає етапу «Купівля», тож шлях до купівлі показати не можу."
    ),
    "search.usage": "Що шукати? Наприклад: /search доставка",
    "search.none": "🔎 За запитом «{query}» нічого не знайдено.",
    "search.title": "🔎 «{query}»: знайдено {total}, сторінка {page} з {pages}",
    "search.hit": "• {text}\n    <i>{stage} · {kind} · #{number}</i>",
    "search.hit_map": "• {text}\n    <i>{map} · {stage} · {kind} · #{number}</i>",
    "button.next_page": "Далі »",
    "button.prev_page": "« Назад",
    "forget.confirm": (
        "⚠️ Буде видалено <b>усе</b>, що я зберігаю для цього чату: мап — {maps}, нотаток — "
        "{notes}, виправлень — {corrections}, розкладів оглядів і чек-інів — {schedules}, оглядів "
        "— {reviews}, а також налаштування чату. Цю дію не можна скасувати. Хочете спершу копію? "
        "/export all\n"
        "\n"
        "Видалити все?"
    ),
    "forget.done": (
        "🧹 Готово. Видалено: мап — {maps}, нотаток — {notes}, виправлень — {corrections}, "
        "розкладів оглядів і чек-інів — {schedules}, оглядів — {reviews}, а також налаштування "
        "чату. У моїй базі про цей чат нічого не залишилося."
    ),
    "forget.kept": "Гаразд, нічого не видалено.",
    "button.forget_yes": "Так, видалити все",
    "button.forget_no": "Ні, залишити",
    # --- roles and failures (reliability) ---
    "help.roles": "/roles — хто що може змінювати; дозволити редагувати всім",
    "roles.private": "Це приватний чат: тут ви можете робити все.",
    "roles.title": "👥 <b>Хто що може змінювати</b>",
    "roles.rules": (
        "Кожен у групі додає нотатки, виправляє й видаляє власні нотатки, бере участь в "
        "оглядах і експортує. Змінювати чи видаляти чужі нотатки, перейменовувати мапу, "
        "розклад оглядів і мову можуть адміністратори групи. Видалення мапи, /forget і це "
        "налаштування — завжди лише для адміністраторів."
    ),
    "roles.everyone_edits_on": "✏️ Зараз: <b>редагують усі</b> — кожен учасник може змінювати "
    "все, крім видалення мап і /forget.",
    "roles.everyone_edits_off": "🔒 Зараз: учасники змінюють лише власні нотатки.",
    "button.everyone_edits_on": "✏️ Дозволити редагувати всім",
    "button.everyone_edits_off": "🔒 Чужі нотатки змінюють лише адміни",
    "error.not_your_note": (
        "Змінити цю нотатку може лише її автор або адміністратори групи "
        "(адміністратор може дозволити редагувати всім: /roles)."
    ),
    "error.not_your_question": "Відповісти може лише той, хто питав (або адміністратор).",
    "error.database": (
        "Вибачте, зараз я не маю доступу до своєї бази даних, тож це не збережено. "
        "Оператора повідомлено; спробуйте ще раз за кілька хвилин."
    ),
    # --- classifier: unsure notes ---
    "note.unsure": (
        "🤔 Не впевнений: {question} "
        "Торкніться правильного; якщо нічого не робити, лишиться як є."
    ),
    "note.or": " чи ",
    "button.other": "Інше…",
    # --- dialogs (issue 12) ---
    "note.edit_target_gone": (
        "Нотатку #{number} видалили раніше, ніж прийшов новий текст, тож я зберіг його як нову "
        "нотатку мапи «{name}»:"
    ),
    "note.gone": "Цю нотатку вже видалено — нічого не змінилося.",
    "note.no_such_number": "На мапі «{name}» ще немає нотатки #{number}. Номери видно в /map.",
    "note.ask_new_text": (
        "Надішліть новий текст нотатки #{number}. Зараз він такий:\n<i>{text}</i>"
    ),
    "note.text_edited": "✏️ Нотатка #{number} має новий текст.",
    "note.confirm_delete": (
        "Видалити нотатку #{number} з мапи «{name}»? Це не можна скасувати.\n<i>{text}</i>"
    ),
    "button.edit_text": "✏️ Змінити текст",
    "button.delete_note": "🗑 Видалити",
    "button.delete_note_yes": "Так, видалити",
    "button.keep_note": "Ні, залишити",
    "error.no_words": (
        "Мені потрібно кілька слів, щоб додати нотатку на мапу, — самих емодзі чи знаків "
        "замало. Нічого не збережено; опишіть це словами."
    ),
    "cancel.newmap_kept": (
        "Зупинено. Мапу «{name}» збережено з відповідями, які ви дали, — її покаже /map."
    ),
    "cancel.schedule_unsaved": (
        "Зупинено. Вибраний розклад не збережено — нічого не змінилося. {command} "
        "почне знову."
    ),
    "cancel.newmap_unsaved": (
        "Зупинено. Мапу «{name}» не створено — її назву, клієнта й етапи не збережено. /newmap "
        "почне знову."
    ),
    "dialog.expired": (
        "⌛ Моє попереднє запитання чекало понад {minutes} хв і вже закрите, тож це "
        "повідомлення — нотатка."
    ),
    "deletemap.now_active": "Активна мапа тепер — «{name}».",
    "deletemap.none_left": (
        "Мап більше немає — /newmap створить нову, або просто надішліть нотатку."
    ),
    "console.no_such_choice": (
        "Кнопки [{number}] зараз немає, тож нічого не сталося. Скористайтеся номерами останніх "
        "кнопок або напишіть нотатку словами."
    ),
    "console.ambiguous_choice": (
        "«{text}» підходить до кількох кнопок: {choices}. Напишіть номер потрібної; нічого не "
        "збережено."
    ),
    "console.button_gone": (
        "Кнопки «{label}» вже немає, тож нічого не сталося. Зараз можна натиснути: {choices}. "
        "Або напишіть нотатку словами, або /help."
    ),
    "console.button_gone_none": (
        "Кнопки «{label}» вже немає, тож нічого не сталося, і зараз кнопок немає. Напишіть "
        "нотатку словами або /help."
    ),
    "console.other_chat": (
        "✉️ Для іншого чату ({chat}), не цього — його кнопки працюють там, у "
        "journeybot chat --chat {chat_id}:"
    ),
    "console.group_title": "Команда {name}",
    "console.reaction": "({emoji} на вашому повідомленні)",
    # --- counts with plural forms (views) ---
    "count.notes": {
        "one": "{count} нотатка",
        "few": "{count} нотатки",
        "many": "{count} нотаток",
        "other": "{count} нотатки",
    },
    "count.new_notes": {
        "one": "{count} нова нотатка",
        "few": "{count} нові нотатки",
        "many": "{count} нових нотаток",
        "other": "{count} нової нотатки",
    },
    "count.pain_points": {
        "one": "{count} больова точка",
        "few": "{count} больові точки",
        "many": "{count} больових точок",
        "other": "{count} больової точки",
    },
    "count.new_pain_points": {
        "one": "{count} нова больова точка",
        "few": "{count} нові больові точки",
        "many": "{count} нових больових точок",
        "other": "{count} нової больової точки",
    },
    "count.open_pain_points": {
        "one": "{count} відкрита больова точка",
        "few": "{count} відкриті больові точки",
        "many": "{count} відкритих больових точок",
        "other": "{count} відкритої больової точки",
    },
    "count.stages": {
        "one": "{count} етап",
        "few": "{count} етапи",
        "many": "{count} етапів",
        "other": "{count} етапу",
    },
    "count.maps": {
        "one": "{count} мапа",
        "few": "{count} мапи",
        "many": "{count} мап",
        "other": "{count} мапи",
    },
    "count.characters": {
        "one": "{count} символ",
        "few": "{count} символи",
        "many": "{count} символів",
        "other": "{count} символу",
    },
    "count.messages": {
        "one": "{count} повідомлення",
        "few": "{count} повідомлення",
        "many": "{count} повідомлень",
        "other": "{count} повідомлення",
    },
    # --- resolved pain points and capped views (views) ---
    "map.counts_resolved": " · ✓ розв’язані: {count}",
    "map.resolved": "✓ Розв’язані больові точки ({count})",
    "map.note_resolved": "• ✓ {text} <i>#{number}</i>",
    "map.note_resolved_author": "• ✓ {text} — {author} <i>#{number}</i>",
    "map.more": {
        "one": "… і ще {count} нотатка — усі є в /export",
        "few": "… і ще {count} нотатки — усі є в /export",
        "many": "… і ще {count} нотаток — усі є в /export",
        "other": "… і ще {count} нотатки — усі є в /export",
    },
    "kind.resolved": "{kind} (✓ розв’язана)",
    "note.number_deleted": "Нотатку #{number} з мапи «{name}» видалено — нічого не змінилося.",
    # --- inbox (issue 13 §2-3) ---
    "limit.busy": (
        "⏳ Вибачте, зараз у мене забагато повідомлень. Це не збережено — "
        "надішліть його ще раз за хвилину."
    ),
    "group.noted_title": "📌 Збережено — торкніться номера, щоб виправити нотатку:",
    "group.noted_line": "#{number} {author}: {text} — {stage} · {kind}",
    "group.unsure_hint": "🤔 — у цих я не впевнений: торкніться номера, щоб вибрати.",
    # --- channel corrections (vocab) ---
    "button.change_channels": "Змінити канали",
    "note.pick_channels": (
        "Які канали згадує ця нотатка? "
        "Торкніться каналу, щоб додати або прибрати його."
    ),
    "button.channels_done": "✓ Готово",
    # --- the board (issue 17 §2) ---
    "help.board": "/board — відкрити мапу як дошку: усі нотатки, фільтри, перенесення карток",
    "board.open": "🗺 Відкрити дошку",
    "board.intro": (
        "🗺 Дошка мапи «{name}»: усі нотатки за етапами й доріжками, з фільтрами. "
        "Торкніться картки, щоб побачити деталі або перенести її."
    ),
    "board.no_public_url": (
        "🗺 Дошці потрібна публічна HTTPS-адреса бота, а її не задано. Той, хто запускає "
        "бота, задає <b>JOURNEYBOT_PUBLIC_URL</b> (напр. https://bot.example.org) і "
        "перезапускає його — README, «The board». Доти /map показує мапу тут."
    ),
    "board.filter_lane": "Доріжка",
    "board.filter_author": "Автор",
    "board.filter_status": "Стан",
    "board.all": "Усі",
    "board.status_open": "Відкриті",
    "board.status_resolved": "Розв’язані",
    "board.status_pain": "Відкриті проблеми",
    "board.emotion": "Крива емоцій",
    "board.owner": "Відповідальний: {name}",
    "board.author": "Автор: {name}",
    "board.stage": "Етап",
    "board.lane": "Доріжка",
    "board.move": "Перенести",
    "board.close": "Закрити",
    "board.moved": "Перенесено — збережено як виправлення.",
    "board.channels": "Канали",
    "board.mood": "Настрій",
    "board.empty": "Жодна нотатка не відповідає цим фільтрам.",
    "board.no_map": "У цьому чаті ще немає активної мапи — почніть її командою /newmap у чаті.",
    "board.not_allowed_move": "Перенести нотатку може лише її автор або адміністратор чату.",
    "board.resolved_mark": "✓ розв’язано",
    "board.error_auth": (
        "Дошка не змогла підтвердити, хто ви. Відкрийте її знову командою /board у чаті."
    ),
    "board.error_forbidden": "Ця дошка належить чату, учасником якого ви не є.",
    "board.error_bad": "Запит не зрозумілий; нічого не змінено.",
    "board.error_not_found": "Цієї нотатки вже немає на активній мапі; нічого не змінено.",
    "board.error_stale": (
        "Активна мапа чату змінилася відтоді, як дошку відкрили; "
        "показую її знову."
    ),
    "board.error_no_chat": "Бот ще нічого не знає про цей чат — спершу напишіть там /start.",
    # --- owners and due dates (issue 16) ------------------------------------------------------
    "error.bad_date": (
        "Не розумію цієї дати. Напишіть, наприклад, 14.12, 2026-12-14, п'ятниця, завтра або "
        "наступного тижня."
    ),
    "error.date_in_past": "Ця дата ({date}) вже минула. Оберіть день, починаючи з сьогодні.",
    # --- digest and review history (issue 16) ---
    "help.digest": (
        "/digest — підсумок для команди: нові нотатки, больові точки, хто писав, відкриті "
        "завдання (/digest weekly: щопонеділка)"
    ),
    "help.history": "/history — минулі огляди й як змінювалися больові точки, огляд за оглядом",
    "digest.title": "📬 <b>Підсумок: {name}</b>",
    "digest.title_weekly": "📬 <b>Підсумок тижня: {name}</b>",
    "digest.title_checkin": "📬 <b>Після опитування: {name}</b>",
    "digest.period": "🗓 {since} → {until}",
    "digest.nothing": "За цей час нічого нового не записали й не розв’язали.",
    "digest.new_notes": "📝 <b>{notes:count.new_notes}</b>: {stages}",
    "digest.stage_notes": "{stage} {notes}",
    "digest.stage_pain": "{stage} {notes} (⚠️ {pain_points})",
    "digest.new_pain": "⚠️ <b>Нові больові точки, ще відкриті</b> ({count}):",
    "digest.resolved": "✅ <b>Розв’язано</b> ({count}):",
    "digest.note_item": "• #{number} {text} · <i>{stage}</i>",
    "digest.resolved_item": "• #{number} {text} · <i>{stage}</i> — розв’язав(ла): {who}",
    "digest.more": "… і ще {count}",
    "digest.person": "{name} ({notes})",
    "digest.contributors": "🙌 <b>Дякую за нотатки:</b> {people}",
    "digest.quiet": (
        "👋 <b>Цього разу без нотаток:</b> {people}. Досить одного речення від клієнта — додайте "
        "його через /note."
    ),
    "digest.items": "📌 <b>Відкриті завдання</b> ({count}):",
    "digest.items_overdue": "📌 <b>Відкриті завдання</b> ({count}, ⏰ прострочено: {overdue}):",
    "digest.item": "• #{number} {text} — {owner}",
    "digest.item_due": "• #{number} {text} — {owner} · до {date}",
    "digest.item_overdue": "⏰ #{number} {text} — {owner} · <b>термін минув {date}</b>",
    "digest.no_owner": "ще без відповідального",
    "digest.items_more": "… і ще {count} — /todo покаже ваші",
    "digest.no_items": (
        "📌 Немає відкритих завдань із відповідальним чи терміном — призначте їх у /review."
    ),
    "digest.chart_caption": "📈 Больові точки на етапах під час останніх оглядів і зараз",
    "digest.weekly_on": (
        "📬 Щотижневий підсумок мапи «{name}» увімкнено: щопонеділка о 9:00 ({timezone}), "
        "наступний {when}. /digest off вимикає його."
    ),
    "digest.weekly_off": (
        "🔕 Щотижневий підсумок мапи «{name}» вимкнено. /digest weekly увімкне його знову."
    ),
    "digest.usage": (
        "Надішліть /digest, щоб отримати підсумок зараз, /digest 30 — за останні 30 днів, "
        "/digest weekly — щопонеділка, /digest off — щоб вимкнути."
    ),
    "digest.status_on": "📬 Щотижневий підсумок: щопонеділка о 9:00, наступний {when}.",
    "digest.status_off": "📬 Щотижневий підсумок: вимкнено.",
    "button.digest_weekly_on": "📬 Щопонеділка",
    "button.digest_weekly_off": "🔕 Вимкнути щотижневий",
    "picture.now": "зараз",
    "picture.timeline_title": "Больові точки на етапах, огляд за оглядом — {name}",
    "picture.timeline_note": (
        "Червоне — відкриті, сіре — розв’язані. Стовпчик на огляд (його день), останній — "
        "зараз; біля етапу: відкриті зараз."
    ),
    "history.title": "🗂 <b>Історія оглядів: {name}</b> · {count:count.reviews}",
    "history.none": (
        "Мапу «{name}» ще не переглядали. /review починає огляд, /schedule планує наступні."
    ),
    "history.review": "📋 <b>{date}</b> · {people}",
    "history.review_unfinished": "⏸ <b>{date}</b> · {people} · не завершено",
    "history.counts": (
        "✅ розв’язано: {resolved} · ⏳ ще відкриті: {still_open} · 💡 ідеї: {ideas} · 🙋 "
        "призначено: {assigned} · 📝 нові нотатки: {notes}"
    ),
    "history.counts_unfinished": (
        "✅ розв’язано: {resolved} · ⏳ ще відкриті: {still_open} · 💡 ідеї: {ideas} · 🙋 "
        "призначено: {assigned}"
    ),
    "export.history_title": "Історія оглядів",
    "export.history_header": (
        "| День | Учасники | ✅ Розв’язано | ⏳ Ще відкриті | 💡 Ідеї | 🙋 Пр"
        "изначено | 📝 Нові нотатки | Відкриті больові точки після огляду |"
    ),
    "history.more": "… і ще {count} — натисніть «Раніші».",
    "history.chart_caption": "📈 Відкриті й розв’язані больові точки на етапах, огляд за оглядом",
    "button.history_older": "« Раніші",
    "button.history_newer": "Пізніші »",
    "count.reviews": {
        "one": "{count} огляд",
        "few": "{count} огляди",
        "many": "{count} оглядів",
        "other": "{count} огляду",
    },
    "error.not_your_item": (
        "Змінити це завдання може лише його власник, автор нотатки або адміністратор."
    ),
    "item.owner": "🙋 {owner}",
    "item.due": "📅 {date}",
    "item.overdue": "⏰ прострочено",
    "item.due_today": "⏰ термін сьогодні",
    "item.resolved_by": "✓ розв’язав(ла): {who}, {date}",
    "item.resolved_on": "✓ розв’язано {date}",
    "item.not_item": (
        "#{number} — нотатка типу «{kind}»: власника й термін отримують лише болі "
        "та можливості."
    ),
    "item.unknown_person": (
        "Я ще не знаю {person}. Ця людина має спершу щось написати в цьому чаті (або запустити "
        "мене в приватному чаті); тоді спробуйте /assign ще раз."
    ),
    "item.not_member": (
        "{person} не є учасником цього чату, тож я не можу дати йому/їй тут завдання."
    ),
    "item.pick_date": "📅 До коли треба зробити <b>#{number}</b> {text}?",
    "item.ask_date": (
        "Напишіть термін для #{number}: 14.12, 2026-12-14, п'ятниця, завтра, наступного тижня…"
    ),
    "item.due_set": "📅 Термін: {date}",
    "item.due_cleared": "Без терміну",
    "item.resolved_answer": "✓ Розв’язано",
    "item.already_resolved": "Це вже було розв’язано.",
    "item.already_open": "Це вже відкрито.",
    "item.reopened": "Знову відкрито.",
    "assign.usage": (
        "Напишіть /assign N @людина термін, напр. <i>/assign 5 @anna п'ятниця</i>. Без "
        "@людини завдання ваше; термін необов’язковий: 14.12, 2026-12-14, п'ятниця, завтра, "
        "наступного тижня…"
    ),
    "assign.done": "📌 <b>#{number}</b> {text}\n🙋 {owner} {status}",
    "assign.resolved_first": (
        "#{number} вже розв’язано. Відкрийте його через /note {number} і спершу натисніть "
        "«Відкрити знову»."
    ),
    "button.due_date": "📅 Термін",
    "button.this_week": "Цього тижня · {date}",
    "button.next_week": "Наступного тижня · {date}",
    "button.pick_date": "Обрати дату…",
    "button.no_date": "Без терміну",
    "button.reopen": "↩️ Відкрити знову",
    "button.move_to": "Перенести на {date}",
    "button.tomorrow": "Перенести на завтра",
    "todo.title": "📋 <b>Ваші відкриті завдання тут</b> ({count})",
    "todo.title_all": "📋 <b>Ваші відкриті завдання в усіх чатах</b> ({count})",
    "todo.none": (
        "Відкритих завдань у вас немає. 🎉 Візьміть біль у /review або призначте собі "
        "/assign N."
    ),
    "todo.unowned": (
        "📌 Відкриті тут, з терміном, але без власника: {items} — /assign N бере одне."
    ),
    "todo.unowned_maps": (
        "📌 Відкриті тут, з терміном, але без власника: {items} — /assign N бере одне з "
        "активної мапи «{map}» (/maps її змінює)."
    ),
    "todo.line": "• <b>#{number}</b> {text} — <i>{map}</i> {status}",
    "due.reminder": "⏰ <b>Термін сьогодні</b>: <b>#{number}</b> {text}",
    "due.reminder_late": "⏰ <b>Прострочено з {date}</b>: <b>#{number}</b> {text}",
    "due.reminder_ahead": (
        "⏰ <b>Термін: {date}</b> — це вихідний, який команда пропускає, тож нагадую вже зараз: "
        "<b>#{number}</b> {text}"
    ),
    "due.reminder_moved": (
        "📅 <b>Новий термін: {date}</b> — "
        "нагадаю ще раз: <b>#{number}</b> {text}"
    ),
    "due.reminder_due": "📅 <b>Термін {date}</b>: <b>#{number}</b> {text}",
    "due.where": "<i>{map} · {chat}</i>",
    "reminder.overdue": "⏰ Прострочено: {items}",
    "review.overdue": "⏰ <b>Прострочені завдання</b>: {items}",
    "insights.items": "📋 {count:count.items} з власником або терміном.",
    "insights.items_overdue": (
        "📋 {count:count.items} з власником або терміном, <b>прострочено: {overdue}</b>: "
        "{items}"
    ),
    "count.items": {
        "one": "{count} відкрите завдання",
        "few": "{count} відкриті завдання",
        "many": "{count} відкритих завдань",
        "other": "{count} відкритого завдання",
    },
    "help.assign": (
        "/assign <i>N @людина термін</i> — дати болю чи можливості N власника й термін"
    ),
    "help.todo": "/todo — ваші відкриті завдання, спершу прострочені",
    "board.due": "Термін",
    "board.overdue": "прострочено",
    "board.resolved_by": "Розв’язав(ла)",
    "board.more": "+ ще {count}",
    # --- /stages ------------------------------------------------------------------------------
    "help.stages": "/stages — перейменувати, додати, видалити чи пересунути етапи активної мапи",
    "stages.title": "🧭 <b>Етапи мапи «{name}»</b>",
    "stages.line": "{number}. {name} — {notes:count.notes}",
    "stages.unsorted_line": "· {name} — {notes:count.notes}",
    "button.stages_done": "✅ Готово",
    "stages.rename_gone": (
        "Етап «{old}» тим часом видалили, тож назву «{name}» не використано. Етапи зараз "
        "(Додати ставить новий у кінці):"
    ),
    "stages.renamed": "«{old}» тепер називається «{name}»; його нотатки залишаються на ньому.",
    "stages.added": (
        "Додано «{name}» в кінці. Нотатку туди перенесе /note N → Змінити етап."
    ),
    "stages.confirm_remove": "Видалити етап «{name}»?",
    "stages.remove_keeps_notes": {
        "one": (
            "Його {count} нотатка залишається на мапі, у «{unsorted}» (останньою в /map, на "
            "зображенні та в експорті); /note N → Змінити етап перенесе її на інший етап."
        ),
        "few": (
            "Його {count} нотатки залишаються на мапі, у «{unsorted}» (останніми в /map, на "
            "зображенні та в експорті); /note N → Змінити етап перенесе нотатку на інший етап."
        ),
        "many": (
            "Його {count} нотаток залишаються на мапі, у «{unsorted}» (останніми в /map, на "
            "зображенні та в експорті); /note N → Змінити етап перенесе нотатку на інший етап."
        ),
        "other": (
            "Його нотатки ({count}) залишаються на мапі, у «{unsorted}» (останніми в /map, на "
            "зображенні та в експорті); /note N → Змінити етап перенесе нотатку на інший етап."
        ),
    },
    "stages.remove_no_notes": "На ньому немає нотаток.",
    "stages.remove_new_notes": (
        "Нові нотатки, які потрапили б на цей етап, теж підуть у «{unsorted}»."
    ),
    "button.remove_stage_yes": "🗑 Так, видалити",
    "button.keep_stage": "Ні, залишити",
    "stages.removed": "Етап «{name}» видалено.",
    "stages.removed_notes": "Перенесено в «{unsorted}»: {notes:count.notes}.",
    # check-ins (bot/flows/checkin.py, bot/checkins.py)
    "help.checkin": (
        "/checkin — регулярно питаю команду, що вона почула від клієнтів (/checkin off: не мене)"
    ),
    "checkin.title": "🗣 <b>Чек-іни в групі «{group}»</b>",
    "checkin.none": "Чек-інів ще немає. Як часто питати всіх, що вони почули від клієнтів?",
    "checkin.next": "Наступний чек-ін: {when}",
    "checkin.options_weekends": "Без чек-інів у вихідні",
    "checkin.asked": "Кого питаю ({count}): {people}",
    "checkin.nobody": "Поки нема кого питати: я питаю тих, кого бачив у цій групі.",
    "checkin.opted_out": "Не питаю (відмовилися): {people}",
    "checkin.running": "Раунд триває: відповіли {answered} з {count}.",
    "checkin.who_counts": "👥 = питаю в групі (мене не запустили в особистому чаті).",
    "checkin.restarted": (
        "⏹ Раунд від {date} закрито (відповіли {answered} з {count}) — питаю всіх знову."
    ),
    "checkin.started": "▶️ Питаю всіх зараз.",
    "checkin.removed": "Чек-іни в групі «{group}» вимкнено.",
    "button.checkin_again": "⏹ Закрити раунд і запитати знову",
    "button.checkin_now": "▶️ Запитати зараз",
    "button.checkin_off": "🔕 Не питай мене",
    "button.checkin_on": "🔔 Питай мене знову",
    "button.checkin_nothing": "🤷 Цього разу нічого",
    "checkin.off_done": (
        "🔕 Добре, більше не питатиму тебе в групі «{group}». /checkin on — щоб знову питав."
    ),
    "checkin.on_done": "🔔 Знову питатиму тебе в групі «{group}».",
    "checkin.no_groups": "Ти не в жодній групі з чек-інами.",
    "checkin.mine": "🗣 Твої чек-іни:",
    "checkin.mine_on": "🔔 {group}: питаю тебе",
    "checkin.mine_off": "🔕 {group}: не питаю тебе",
    "checkin.round_over": "Цей чек-ін уже закінчився; спитаю наступного разу.",
    "checkin.nothing_done": "👍 Записав: цього разу нічого.",
    "checkin.which_group": "Для якої команди ця відповідь?",
    "checkin.thanks": "✅ Дякую! Додано на мапу «{name}» групи «{group}»:\n{notes}",
    "checkin.thanks_again": "✅ Дякую, твою відповідь уже збережено.",
    "checkin.ask_private": (
        "🗣 Чек-ін групи «{group}»: що ти почув від клієнтів {since}?\nВідповідай на це "
        "повідомлення — кожен рядок стане нотаткою на мапі команди."
    ),
    "checkin.nudge_private": (
        "🙂 Лагідне нагадування від групи «{group}»: що ти почув від клієнтів {since}? Відповідай "
        "на це повідомлення або натисни «Цього разу нічого»."
    ),
    "checkin.ask_group": (
        "🗣 Чек-ін: {people}, що ви почули від клієнтів {since}?\nВідповідайте на це повідомлення "
        "— кожен рядок стане нотаткою на мапі."
    ),
    "checkin.nudge_group": (
        "🙂 Лагідне нагадування, {people}: що ви почули від клієнтів {since}? Відповідайте на це "
        "повідомлення."
    ),
    "checkin.since": "з {date}",
    "checkin.since_first": "останнім часом",
    "checkin.summary_title": "🗣 <b>Чек-ін від {date}: завершено</b>",
    "checkin.summary_counts": "Відповіли: {answered} з {count}.",
    "checkin.summary_notes": "Нотаток додано на мапу «{name}»: {count}.",
    "checkin.summary_thanks": "Дякую: {people}",
    "checkin.summary_silent": "Може, наступного разу: {people}",
    "checkin.summary_nobody": "Більше нема кого питати: усі відмовилися або вийшли.",
    # --- the customer's voice: forwarded messages, long texts, imports (issue 16) ---
    "quote.marks": "«{text}»",
    "note.quote_saved": "❝ Збережено як цитату клієнта.",
    "note.quote_saved_from": "❝ Збережено як цитату клієнта ({source}).",
    "split.found": {
        "one": "✂️ У нотатці #{number} я бачу {count} пункт:",
        "few": "✂️ У нотатці #{number} я бачу {count} пункти:",
        "many": "✂️ У нотатці #{number} я бачу {count} пунктів:",
        "other": "✂️ У нотатці #{number} я бачу {count} пункту:",
    },
    "split.kept_for_now": (
        "Поки що вона збережена як одна нотатка, #{number}. Додати пункти окремими "
        "нотатками?"
    ),
    "split.add_all": {
        "one": "➕ Додати {count} пункт",
        "few": "➕ Додати всі {count}",
        "many": "➕ Додати всі {count}",
        "other": "➕ Додати всі {count}",
    },
    "split.choose": "☑️ Вибрати",
    "split.keep": "Лишити однією",
    "split.choose_help": (
        "Позначте пункти, які стануть окремими нотатками (замість нотатки #{number}), "
        "потім Додати:"
    ),
    "split.add_chosen": {
        "one": "➕ Додати {count} пункт",
        "few": "➕ Додати {count} пункти",
        "many": "➕ Додати {count} пунктів",
        "other": "➕ Додати {count} пункту",
    },
    "split.kept": "Лишається одна нотатка, #{number}.",
    "split.none_chosen": "Позначте хоча б один пункт — або лишіть одну нотатку.",
    "split.changed": "Нотатка #{number} тим часом змінилася; нічого не розділено.",
    "split.done": {
        "one": "✂️ Нотатка #{number} тепер — {count} нотатка: {numbers}.",
        "few": "✂️ Нотатка #{number} тепер — {count} нотатки: {numbers}.",
        "many": "✂️ Нотатка #{number} тепер — {count} нотаток: {numbers}.",
        "other": "✂️ Нотатка #{number} тепер — {count} нотатки: {numbers}.",
    },
    "split.left_out": {
        "one": "Пропущено {count} пункт.",
        "few": "Пропущено {count} пункти.",
        "many": "Пропущено {count} пунктів.",
        "other": "Пропущено {count} пункту.",
    },
    "split.change_hint": "/note з номером показує нотатку, щоб її змінити.",
    "import.done": {
        "one": "📥 Додав {count} нотатку з файлу {file} до мапи «{name}».",
        "few": "📥 Додав {count} нотатки з файлу {file} до мапи «{name}».",
        "many": "📥 Додав {count} нотаток з файлу {file} до мапи «{name}».",
        "other": "📥 Додав {count} нотатки з файлу {file} до мапи «{name}».",
    },
    "import.by_stage": "За етапами: {stages}",
    "import.pain_points": {
        "one": "Знайдено больових точок: {count}",
        "few": "Знайдено больових точок: {count}",
        "many": "Знайдено больових точок: {count}",
        "other": "Знайдено больових точок: {count}",
    },
    "import.duplicates": {
        "one": "Пропустив {count} дублікат (такий самий текст уже є на мапі або раніше у файлі).",
        "few": "Пропустив {count} дублікати (такий самий текст уже є на мапі або раніше у файлі).",
        "many": (
            "Пропустив {count} дублікатів (такий самий текст уже є на мапі або "
            "раніше у файлі)."
        ),
        "other": (
            "Пропустив {count} дубліката (такий самий текст уже є на мапі або "
            "раніше у файлі)."
        ),
    },
    "import.bad_empty": {
        "one": "Пропустив {count} рядок без тексту: рядок {lines}.",
        "few": "Пропустив {count} рядки без тексту: рядки {lines}.",
        "many": "Пропустив {count} рядків без тексту: рядки {lines}.",
        "other": "Пропустив {count} рядка без тексту: рядки {lines}.",
    },
    "import.bad_no_words": {
        "one": "Пропустив {count} рядок лише з емодзі чи знаками: рядок {lines}.",
        "few": "Пропустив {count} рядки лише з емодзі чи знаками: рядки {lines}.",
        "many": "Пропустив {count} рядків лише з емодзі чи знаками: рядки {lines}.",
        "other": "Пропустив {count} рядка лише з емодзі чи знаками: рядки {lines}.",
    },
    "import.bad_too_long": {
        "one": "Пропустив {count} рядок, довший за 4000 символів: рядок {lines}.",
        "few": "Пропустив {count} рядки, довші за 4000 символів: рядки {lines}.",
        "many": "Пропустив {count} рядків, довших за 4000 символів: рядки {lines}.",
        "other": "Пропустив {count} рядка, довшого за 4000 символів: рядки {lines}.",
    },
    "import.undated": {
        "one": "Не зрозумів {count} дату (рядок {lines}); ця нотатка без дати.",
        "few": "Не зрозумів {count} дати (рядки {lines}); ці нотатки без дати.",
        "many": "Не зрозумів {count} дат (рядки {lines}); ці нотатки без дати.",
        "other": "Не зрозумів {count} дати (рядки {lines}); ці нотатки без дати.",
    },
    "import.next": (
        "Імпортовані нотатки — це цитати клієнтів. /map їх показує, /insights каже, де "
        "болить."
    ),
    "import.reading": "📥 Читаю {file}…",
    "import.refused": "Не можу імпортувати цей файл.",
    "import.too_big": (
        "Цей файл завеликий: {size} МБ, я приймаю до {max_mb} МБ. Розділіть його на менші "
        "файли."
    ),
    "import.not_text": (
        "Це не текстовий файл. Надішліть файл CSV або TXT — у таблиці виберіть «Зберегти "
        "як CSV»."
    ),
    "import.encoding": (
        "Не можу прочитати символи цього файлу. Збережіть його в UTF-8 (у таблиці: «CSV "
        "UTF-8»)."
    ),
    "import.empty": "У цьому файлі немає рядків для імпорту.",
    "import.no_text_column": (
        "Не знайшов у цьому файлі стовпця з текстом (його стовпці: {columns}). Назвіть "
        "стовпець із нотатками «текст» або поставте його першим."
    ),
    "import.unsupported": "Я імпортую файли CSV і TXT; {name} — ні те, ні інше.",
    "import.nothing_imported": "Нічого не імпортовано.",
    "import.download_failed": (
        "Не вдалося завантажити цей файл із Telegram. Надішліть його ще раз."
    ),
    "help.private_voice": (
        "Перешліть мені повідомлення клієнта, і я збережу його як цитату клієнта; "
        "надішліть файл CSV або TXT (відгуки, звернення), і кожен рядок стане нотаткою."
    ),
    "help.group_voice": (
        "Щоб імпортувати файл CSV або TXT (відгуки, звернення), надішліть його як "
        "відповідь на моє повідомлення: кожен рядок стане нотаткою."
    ),
}
