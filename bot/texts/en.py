"""English texts. HTML parse mode: user text must be escaped before it is put in a placeholder."""

TEXTS: dict[str, str] = {
    # --- start, help, language -------------------------------------------------------------
    "start.welcome": (
        "👋 Hi, I'm <b>journeybot</b>. I help your team map your customers' journey:\n"
        "1. We build a journey map together: stages, touchpoints, feelings, pain points.\n"
        "2. Whenever you learn something, send me a note and I'll put it on the map.\n"
        "3. I show the map, point out where it hurts and help you keep it up to date."
    ),
    "start.first_map": "Let's start with your first map.",
    "start.resumed": (
        "⏰ I'm back: the reminders, check-ins and digests I paused while I was out of this "
        "chat are on again. /schedule, /checkin and /digest show when they come next."
    ),
    "start.has_map": "Your active map is “{name}”. /map shows it, /note adds to it.",
    "button.create_first_map": "🗺 Create a map",
    "help.title": "<b>What I can do</b>",
    "help.start": "/start — what this bot is for",
    "help.newmap": "/newmap — build a new journey map step by step",
    "help.note": (
        "/note <i>text</i> — add a note; /note <i>number</i> — show a note to change or delete it"
    ),
    "help.map": "/map — show the active map",
    "help.maps": "/maps — list your maps and switch between them",
    "help.rename": "/rename <i>name</i> — rename the active map",
    "help.delete": (
        "/delete <i>number</i> — delete a note after you confirm (numbers are shown in /map)"
    ),
    "help.deletemap": "/deletemap — delete the active map",
    "help.language": "/language — change the language",
    "help.cancel": "/cancel — stop what we are doing",
    "help.help": "/help — this list",
    "help.private_notes": "In a private chat any message that is not a command is a note.",
    "help.group_notes": (
        "In a group I only see commands and replies to my messages (Telegram's privacy mode), "
        "so add notes with /note or by replying to one of my messages."
    ),
    "language.choose": "Which language shall I speak in this chat?",
    "language.set": "Done — I'll speak English in this chat.",
    "language.unknown": "I don't know that language. Pick one of the buttons, please.",
    "cancel.done": "Stopped.",
    "cancel.nothing": "There's nothing to stop right now.",
    # --- hints and errors ------------------------------------------------------------------
    "hint.unknown_command": "I don't know the command {command}. /help lists what I can do.",
    "hint.non_text": "I can only read text. Please type your note — /help shows how.",
    "note.caption_only": (
        "📎 I kept the caption as the customer's words; the attachment itself is not stored."
    ),
    "hint.use_buttons": (
        "This question is answered with a button — here it is again. Your message was not "
        "saved; /cancel stops the question."
    ),
    "hint.group_how_to_note": "To add a note here, use /note <i>text</i>.",
    "stale.button": "This button belongs to a conversation that has ended.",
    "stale.not_yours": "These buttons belong to someone else's conversation.",
    "error.generic": (
        "Sorry, something went wrong on my side, and what you just sent may not have been "
        "saved. Please try again in a moment."
    ),
    "error.empty_text": "That message is empty. Please write a few words.",
    "error.text_too_long": "That's too long: {length:count.characters}, I take up to {limit}.",
    "error.too_many_stages": "A map can have at most {limit:count.stages}.",
    "error.too_many_maps": (
        "A chat can have at most {limit:count.maps}. Delete one with /deletemap."
    ),
    "limit.slow_down": (
        "⏳ Slow down a little, please: that's more than {limit:count.messages} a minute. This "
        "message and the next few were not saved — wait a minute, then send them again."
    ),
    "error.no_active_map": "There is no map yet. Create one with /newmap.",
    "error.not_found": "I can't find that here — it may have been deleted.",
    "error.not_allowed": "Only the group's administrators can do that.",
    "error.not_a_member": "Only members of this group can use its buttons.",
    # --- stages and lanes --------------------------------------------------------------------
    "stage.awareness": "Awareness",
    "stage.consideration": "Consideration",
    "stage.decision": "Decision",
    "stage.purchase": "Purchase",
    "stage.retention": "Retention",
    "stage.advocacy": "Advocacy",
    "stage.unsorted": "Not sorted yet",
    "kind.touchpoint": "Touchpoint",
    "kind.action": "Action",
    "kind.need": "Need",
    "kind.emotion": "Emotion",
    "kind.pain_point": "Pain point",
    "kind.opportunity": "Opportunity",
    "lane.touchpoint": "📍 Touchpoints",
    "lane.action": "👣 Customer actions",
    "lane.need": "❓ Needs and questions",
    "lane.emotion": "💬 Emotions",
    "lane.pain_point": "⚠️ Pain points",
    "lane.opportunity": "💡 Opportunities",
    "channel.website": "website",
    "channel.phone": "phone",
    "channel.email": "e-mail",
    "channel.sms": "SMS",
    "channel.shop": "shop",
    "channel.chat": "chat",
    "channel.courier": "courier",
    "channel.word_of_mouth": "word of mouth",
    "channel.ads": "ads",
    "channel.newsletter": "newsletter",
    "channel.app": "app",
    "channel.social_media": "social media",
    # --- /newmap -----------------------------------------------------------------------------
    "newmap.ask_name": (
        "Let's build a journey map. 🗺\n"
        "What shall we call it? Name the journey, for example "
        "<i>Ordering a birthday cake online</i>."
    ),
    "newmap.name_too_long": "Please keep the name under {limit:count.characters}.",
    "newmap.ask_persona": (
        "Who is the customer on this map? Describe them in a few words, for example "
        "<i>a busy parent planning a party</i>. You can skip this."
    ),
    "newmap.stages_intro": (
        "A journey usually has these stages. Keep them, or change them with the buttons:"
    ),
    "newmap.stage_line": "{number}. {name}",
    "newmap.ask_stage_to_rename": "Which stage do you want to rename?",
    "newmap.ask_new_stage_name": "What should “{name}” be called instead?",
    "newmap.ask_added_stage_name": "What is the new stage called?",
    "newmap.ask_stage_to_remove": "Which stage do you want to remove?",
    "newmap.ask_stage_to_move": "Which stage do you want to move?",
    "newmap.ask_move_target": "Where should “{name}” go?",
    "newmap.stage_name_too_long": "Please keep stage names under {limit:count.characters}.",
    "newmap.need_one_stage": "A map needs at least one stage.",
    "newmap.created": "Map “{name}” is saved. Now let's fill it in, stage by stage.",
    "newmap.stage_header": "<b>Stage {number} of {total}: {stage}</b>",
    "newmap.question.touchpoint": (
        "Where does the customer meet you at this stage? Channels, places, people — "
        "e.g. <i>Instagram, a friend, the shop window</i>."
    ),
    "newmap.question.action": "What does the customer do at this stage?",
    "newmap.question.need": "What do they need, or what do they ask at this point?",
    "newmap.question.emotion": "How do they feel here?",
    "newmap.question.pain_point": "What goes wrong or gets in their way?",
    "newmap.question.opportunity": "Any ideas how you could make this stage better?",
    "newmap.answer_hint": "Several answers? Put each on its own line or separate them with commas.",
    "newmap.stage_gone_added": (
        "The stage of that question was removed meanwhile (/stages), so I sorted your answer "
        "onto the map myself — added: {count}."
    ),
    "newmap.added": "Added: {count}.",
    "newmap.summary_title": "✅ <b>{name}</b> is ready.",
    "newmap.summary_persona": "Customer: {persona}",
    "newmap.summary_counts": (
        "{stages:count.stages} · {notes:count.notes} · {pain_points:count.pain_points}"
    ),
    "newmap.summary_stage": "{name}: {count}",
    "newmap.summary_next": (
        "/map shows the whole map. Keep adding what you learn with /note — "
        "I'll sort each note onto the right stage."
    ),
    "button.skip": "Skip ⏭",
    "button.keep_stages": "✅ Use these stages",
    "button.rename_stage": "✏️ Rename",
    "button.add_stage": "➕ Add",
    "button.remove_stage": "🗑 Remove",
    "button.move_stage": "↕️ Move",
    "button.reset_stages": "↩️ Standard six",
    "button.back": "« Back",
    "button.to_end": "To the end",
    "button.before": "Before “{name}”",
    "button.next_stage": "Next stage »",
    "button.finish": "✅ Finish",
    # --- notes -------------------------------------------------------------------------------
    "note.ask_text": "What did you learn about your customers? Send it as one message.",
    "note.saved": "📌 #{number} · {stage} · {kind}",
    "note.saved_channels": "📌 #{number} · {stage} · {kind} · {channels}",
    "note.saved_many": {
        "one": "📌 Saved {count} note:",
        "other": "📌 Saved {count} notes:",
    },
    "note.default_map_name": "Our customer journey",
    "note.map_created": (
        "There was no map yet, so I started “{name}” with the standard stages. "
        "Rename it with /rename."
    ),
    "note.pick_stage": "Which stage does this note belong to?",
    "note.pick_kind": "What kind of note is it?",
    "note.undone": "↩️ Note #{number} removed.",
    "note.deleted": "🗑 Note #{number} of “{name}” deleted.",
    "note.delete_usage": "Which note? Send /delete with its number from /map, e.g. /delete 12.",
    "button.change_stage": "Change stage",
    "button.change_kind": "Change kind",
    "button.undo": "Undo",
    # --- /map, /maps, rename, delete ---------------------------------------------------------
    "map.title": "🗺 <b>{name}</b>",
    "map.persona": "Customer: {persona}",
    "map.counts": (
        "{stages:count.stages} · {notes:count.notes} · {pain_points:count.open_pain_points}"
    ),
    "map.stage": "<b>{number}. {name}</b> ({count})",
    "map.unsorted_stage": "<b>· {name}</b> ({count})",
    "map.lane": "{lane} ({count})",
    "map.note": "• {text} <i>#{number}</i>",
    "map.note_author": "• {text} — {author} <i>#{number}</i>",
    "map.empty_stage": "<i>nothing yet</i>",
    "map.empty": "The map is empty so far. Add notes with /note, or answer in /newmap.",
    "maps.title": "<b>Your maps</b>",
    "maps.line": "{marker} {name} — {notes:count.notes}",
    "maps.none": "No maps yet. Create one with /newmap.",
    "maps.switch_hint": "Tap a map to make it the active one.",
    "maps.switched": "Active map: “{name}”.",
    "rename.ask": "What's the new name for “{name}”?",
    "rename.map_gone": (
        "The map “{old}” was deleted meanwhile, so nothing was renamed. /newmap {name} starts a "
        "map with that name."
    ),
    "rename.done": "Renamed to “{name}”.",
    "deletemap.confirm": (
        "Delete the map “{name}” with its {notes:count.notes}? This can't be undone."
    ),
    "deletemap.done": "Map “{name}” deleted.",
    "deletemap.kept": "OK, the map stays.",
    "button.delete_map": "Yes, delete it",
    "button.keep_map": "No, keep it",
    # --- review schedules, reminders and reviews (issue 5) -----------------------------------
    "help.schedule": "/schedule — how often the team reviews the active map",
    "help.review": "/review — walk through the open pain points now",
    "schedule.title": "🗓 <b>Reviews of “{name}”</b>",
    "schedule.none": "No reviews planned yet. How often shall we look at the map together?",
    "schedule.rule.weekly": "Every {weekday} at {time}",
    "schedule.rule.biweekly": "Every other {weekday} at {time}",
    "schedule.rule.monthly": "First {weekday} of the month at {time}",
    "schedule.timezone": "Time zone: {timezone}",
    "schedule.options_weekends": "No reviews at weekends",
    "schedule.options_quiet": "Quiet hours {start}–{end}",
    "schedule.next": "Next review: {when}",
    "schedule.paused": "⏸ Paused — no reminders until you resume.",
    "schedule.saved": "✅ Saved.",
    "schedule.removed": "Reviews for “{name}” are switched off.",
    "schedule.ask_weekday": "On which day?",
    "schedule.ask_time": "At what time? Pick one or type it, e.g. 9:30.",
    "schedule.confirm_timezone": "I'll use the time in {timezone}. Is that your time zone?",
    "schedule.ask_timezone": (
        "Which time zone are you in? Send a city (Warsaw, Київ, София, London) "
        "or an offset like UTC+2."
    ),
    "schedule.timezone_set": "Time zone set to {timezone}.",
    "schedule.when": "{weekday} {date}, {time}",
    "weekday.0": "Monday",
    "weekday.1": "Tuesday",
    "weekday.2": "Wednesday",
    "weekday.3": "Thursday",
    "weekday.4": "Friday",
    "weekday.5": "Saturday",
    "weekday.6": "Sunday",
    "button.weekly": "Weekly",
    "button.biweekly": "Every 2 weeks",
    "button.monthly": "Monthly",
    "button.custom": "Pick day and time",
    "button.timezone": "🌍 {timezone}",
    "button.weekends_on": "Weekends: skip",
    "button.weekends_off": "Weekends: allowed",
    "button.quiet": "Quiet hours: {hours}",
    "button.quiet_off": "off",
    "button.pause": "⏸ Pause",
    "button.resume": "▶️ Resume",
    "button.remove": "🗑 Switch off",
    "button.yes_timezone": "✅ Yes",
    "button.change_timezone": "Change",
    "error.unknown_timezone": (
        "I don't know the time zone “{name}”. Try a big city near you, or an offset like UTC+2."
    ),
    "error.bad_time": "I didn't get that time. Please write it like 9:30 or 18:00.",
    "reminder.title": "🔔 Time to review “{name}”",
    "reminder.since_last": "Since the last review: {notes:count.new_notes}, {resolved} resolved.",
    "reminder.since_start": (
        "So far: {notes:count.notes}, {resolved} resolved. This is your first review."
    ),
    "reminder.new_pain_points": "⚠️ {stage}: {count:count.new_pain_points}",
    "reminder.empty_lanes": "Some lanes are still empty in: {stages}",
    "reminder.snoozed": "😴 OK, I'll remind you tomorrow.",
    "reminder.skipped": "OK, skipped this time. Next review: {when}",
    "button.start_review": "▶️ Start review",
    "button.snooze": "Snooze 1 day",
    "button.skip_review": "Skip this time",
    "review.no_pain_points": "No open pain points on “{name}” — nice. 🎉",
    "review.card": "🔎 Pain point {number} of {total} · <b>{stage}</b>\n{text}",
    "review.card_author": "added by {author}",
    "review.card_owner": "🙋 Owner: {owner}",
    "review.card_resolved": "✅ Resolved — {who}",
    "review.card_still_open": "⏳ Still open — {who}",
    "review.already_resolved": "#{number} is already resolved — nothing changed.",
    "review.not_pain_point": "#{number} is no longer a pain point (now: {kind}) — nothing changed.",
    "review.assigned": "It's yours now.",
    "review.ask_idea": "What could fix “{text}”? Reply with your idea.",
    "review.idea_saved": "💡 Idea saved.",
    "review.idea_map_gone": (
        "The map “{old}” was deleted meanwhile, so I kept your idea as a note of “{name}”:"
    ),
    "review.idea_saved_alone": (
        "💡 Idea saved as note #{number} — the pain point it answered was deleted meanwhile."
    ),
    "review.ask_new": (
        "Anything new since last time? Send notes (replies to me in a group) — I'll sort them "
        "onto the map. Then press “Finish review”."
    ),
    "review.already_running": "A review of this map is already running — continuing it.",
    "review.summary_title": "📋 <b>Review of “{name}” done</b>",
    "review.summary_counts": (
        "Resolved: {resolved} · still open: {still_open} · new ideas: {ideas} · new notes: {notes}"
    ),
    "review.summary_owners": "Owners: {owners}",
    "review.summary_people": "Taken part: {people}",
    "button.resolved": "✅ Resolved",
    "button.still_open": "⏳ Still open",
    "button.add_idea": "💡 Add an idea",
    "button.assign_me": "🙋 Assign to me",
    "button.finish_review": "✅ Finish review",
    "newmap.offer_schedule": "A map stays useful if you revisit it. Shall I remind the team?",
    "button.plan_reviews": "🗓 Plan regular reviews",
    # --- pictures, exports, insights, search (issue 6) ---
    "help.export": "/export — download the map as CSV, JSON, Markdown or a picture",
    "help.insights": "/insights — where it hurts, the lowest mood, gaps and recurring themes",
    "help.search": "/search <i>words</i> — find notes",
    "help.forget": "/forget — delete everything this chat has stored",
    "picture.caption": "🗺 <b>{name}</b>",
    "picture.emotion_curve": "Emotion curve",
    "picture.more": "+{count} more",
    "picture.capped": (
        "The picture shows up to {limit:count.notes} per cell; /map text and /export have all "
        "of them."
    ),
    "picture.no_feelings": "no notes yet",
    "picture.chart_title": "Open pain points per stage",
    "picture.chart_note": (
        "Red: open, grey: resolved. The label shows open pain points / all notes of the stage."
    ),
    "export.choose": "📤 Export “{name}”. Which format?",
    "export.caption": "📄 “{name}” · notes: {notes} · {date}",
    "export.all_caption": (
        "📦 Everything I store for this chat — maps: {maps}, notes: {notes}, "
        "corrections: {corrections}, reviews: {reviews}."
    ),
    "export.usage": "Send /export and pick a format, or /export csv, json, md, png or all.",
    "button.export_csv": "📊 CSV (spreadsheet)",
    "button.export_json": "🧩 JSON",
    "button.export_md": "📝 Markdown",
    "button.export_png": "🖼 Picture",
    "button.export_all": "📦 All chat data",
    "insights.title": "🔎 <b>Insights: {name}</b>",
    "insights.empty": "There's nothing to analyse yet. Add a few notes with /note and try again.",
    "insights.hotspots": "⚠️ <b>Where it hurts:</b> {items}",
    "insights.hotspot_item": "{stage} ({pain_points:count.open_pain_points}, {notes:count.notes})",
    "insights.no_pain": "✅ No open pain points.",
    "insights.lowest_mood": "😟 <b>Lowest mood:</b> {stage} ({mood})",
    "insights.no_low_mood": "🙂 No stage feels negative so far.",
    "insights.gaps": "🕳 <b>Nobody has written yet:</b> {items}",
    "insights.gap_item": "{lanes} for {stage}",
    "insights.gap_stage": "anything for {stage}",
    "insights.more": "+{count} more",
    "insights.themes": "🔁 <b>Keeps coming up:</b> {items}",
    "insights.theme_word": "“{label}” ×{count}",
    "insights.theme_channel": "{channel} ×{count}",
    "insights.since_review": (
        "🕒 <b>Since the last review</b> ({date}): {notes:count.new_notes}, "
        "{pain_points:count.pain_points} among them."
    ),
    "insights.no_review": "🕒 No review has been finished yet, so I can't say what changed.",
    "insights.path": (
        "🛒 <b>Path to purchase</b> ({first} → {last}): {notes:count.notes}, "
        "{pain_points:count.open_pain_points}, mood {mood}"
    ),
    "insights.whole": (
        "🗺 <b>Whole journey:</b> {notes:count.notes}, {pain_points:count.open_pain_points}, "
        "mood {mood}"
    ),
    "insights.no_path": "🛒 This map has no Purchase stage, so there's no path-to-purchase view.",
    "search.usage": "What should I look for? For example: /search delivery",
    "search.none": "🔎 Nothing found for “{query}”.",
    "search.title": "🔎 “{query}”: {total} found, page {page} of {pages}",
    "search.hit": "• {text}\n    <i>{stage} · {kind} · #{number}</i>",
    "search.hit_map": "• {text}\n    <i>{map} · {stage} · {kind} · #{number}</i>",
    "button.next_page": "Next »",
    "button.prev_page": "« Previous",
    "forget.confirm": (
        "⚠️ This deletes <b>everything</b> I store for this chat — maps: {maps}, notes: {notes}, "
        "corrections: {corrections}, schedules of reviews and check-ins: {schedules}, reviews: "
        "{reviews} — and the chat's settings. It can't be undone. Want a copy first? /export all\n"
        "\n"
        "Delete it all?"
    ),
    "forget.done": (
        "🧹 Done. Deleted — maps: {maps}, notes: {notes}, corrections: {corrections}, schedules of "
        "reviews and check-ins: {schedules}, reviews: {reviews} — and the chat's settings. "
        "Nothing about this chat is left in my database."
    ),
    "forget.kept": "OK, nothing was deleted.",
    "button.forget_yes": "Yes, delete everything",
    "button.forget_no": "No, keep it",
    # --- roles and failures (reliability) ---
    "help.roles": "/roles — who may change what here; let everyone edit",
    "roles.private": "This is a private chat: you may do everything here.",
    "roles.title": "👥 <b>Who may change what</b>",
    "roles.rules": (
        "Everyone in the group adds notes, corrects and deletes their own notes, takes part in "
        "reviews and exports. Changing or deleting other people's notes, renaming the map, the "
        "review schedule and the language are for the group's administrators. Deleting a map, "
        "/forget and this setting are always for administrators."
    ),
    "roles.everyone_edits_on": "✏️ Now: <b>everyone edits</b> — every member may change everything "
    "except deleting maps and /forget.",
    "roles.everyone_edits_off": "🔒 Now: members change only their own notes.",
    "button.everyone_edits_on": "✏️ Let everyone edit",
    "button.everyone_edits_off": "🔒 Only admins edit others' notes",
    "error.not_your_note": (
        "Only the note's author or the group's administrators can change it "
        "(an admin can let everyone edit: /roles)."
    ),
    "error.not_your_question": "Only the person who asked (or an administrator) can answer this.",
    "error.database": (
        "Sorry, I can't reach my database right now, so this was not saved. "
        "The operator has been told; please try again in a few minutes."
    ),
    # --- classifier: unsure notes ---
    "note.unsure": (
        "🤔 Not sure: {question} "
        "Tap the right one; if you do nothing, it stays as it is."
    ),
    "note.or": " or ",
    "button.other": "Other…",
    # --- dialogs (issue 12) ---
    "note.edit_target_gone": (
        "Note #{number} was deleted before your new text arrived, so I kept the text as a new "
        "note of “{name}”:"
    ),
    "note.gone": "That note has been deleted — nothing changed.",
    "note.no_such_number": "There is no note #{number} on “{name}” yet. /map shows the numbers.",
    "note.ask_new_text": "Send the new text for note #{number}. It now reads:\n<i>{text}</i>",
    "note.text_edited": "✏️ Note #{number} has its new text.",
    "note.confirm_delete": (
        "Delete note #{number} of “{name}”? This can't be undone.\n<i>{text}</i>"
    ),
    "button.edit_text": "✏️ Edit text",
    "button.delete_note": "🗑 Delete",
    "button.delete_note_yes": "Yes, delete it",
    "button.keep_note": "No, keep it",
    "error.no_words": (
        "I need a few words to put a note on the map — emoji or signs alone don't say enough. "
        "Nothing was saved; please describe it in words."
    ),
    "cancel.newmap_kept": (
        "Stopped. The map “{name}” is saved with the answers you gave — /map shows it."
    ),
    "cancel.schedule_unsaved": (
        "Stopped. The schedule you chose was not saved — nothing changed. {command} starts "
        "again."
    ),
    "cancel.newmap_unsaved": (
        "Stopped. The map “{name}” was not created — its name, customer and stages are not "
        "saved. /newmap starts again."
    ),
    "dialog.expired": (
        "⌛ My earlier question went unanswered for over {minutes} min and is closed, so this "
        "message is a note."
    ),
    "deletemap.now_active": "The active map is now “{name}”.",
    "deletemap.none_left": "There are no maps left — /newmap starts one, or just send a note.",
    "console.no_such_choice": (
        "There is no button [{number}] on the screen now, so nothing happened. Use the numbers of "
        "the latest buttons, or write your note in words."
    ),
    "console.ambiguous_choice": (
        "“{text}” fits several buttons: {choices}. Type the number of the one you mean; nothing "
        "was stored."
    ),
    "console.button_gone": (
        "The button “{label}” is no longer there, so nothing happened. Buttons you can press "
        "now: {choices}. Or write your note in words, or /help."
    ),
    "console.button_gone_none": (
        "The button “{label}” is no longer there, so nothing happened, and no buttons are open "
        "now. Write your note in words, or /help."
    ),
    "console.other_chat": (
        "✉️ To another chat ({chat}), not this one — its buttons work there, in "
        "journeybot chat --chat {chat_id}:"
    ),
    "console.group_title": "{name}'s team",
    "console.reaction": "({emoji} on your message)",
    # --- counts with plural forms (views) ---
    "count.notes": {
        "one": "{count} note",
        "other": "{count} notes",
    },
    "count.new_notes": {
        "one": "{count} new note",
        "other": "{count} new notes",
    },
    "count.pain_points": {
        "one": "{count} pain point",
        "other": "{count} pain points",
    },
    "count.new_pain_points": {
        "one": "{count} new pain point",
        "other": "{count} new pain points",
    },
    "count.open_pain_points": {
        "one": "{count} open pain point",
        "other": "{count} open pain points",
    },
    "count.stages": {
        "one": "{count} stage",
        "other": "{count} stages",
    },
    "count.maps": {
        "one": "{count} map",
        "other": "{count} maps",
    },
    "count.characters": {
        "one": "{count} character",
        "other": "{count} characters",
    },
    "count.messages": {
        "one": "{count} message",
        "other": "{count} messages",
    },
    # --- resolved pain points and capped views (views) ---
    "map.counts_resolved": " · ✓ {count} resolved",
    "map.resolved": "✓ Resolved pain points ({count})",
    "map.note_resolved": "• ✓ {text} <i>#{number}</i>",
    "map.note_resolved_author": "• ✓ {text} — {author} <i>#{number}</i>",
    "map.more": {
        "one": "… {count} more note — /export for all",
        "other": "… {count} more notes — /export for all",
    },
    "kind.resolved": "{kind} (✓ resolved)",
    "note.number_deleted": "Note #{number} of “{name}” was deleted — nothing changed.",
    # --- inbox (issue 13 §2-3) ---
    "limit.busy": (
        "⏳ Sorry, I have too many messages to answer right now. This one was not saved — "
        "please send it again in a minute."
    ),
    "group.noted_title": "📌 Saved — tap a number to correct that note:",
    "group.noted_line": "#{number} {author}: {text} — {stage} · {kind}",
    "group.unsure_hint": "🤔 — not sure of these: tap the number to choose.",
    # --- channel corrections (vocab) ---
    "button.change_channels": "Change channels",
    "note.pick_channels": (
        "Which channels does this note name? "
        "Tap one to add or remove it."
    ),
    "button.channels_done": "✓ Done",
    # --- the board (issue 17 §2) ---
    "help.board": "/board — open the map as a board: every note, filters, move cards",
    "board.open": "🗺 Open the board",
    "board.intro": (
        "🗺 The board of “{name}”: every note by stage and lane, with filters. Tap a card "
        "for details or to move it."
    ),
    "board.no_public_url": (
        "🗺 The board needs the bot's public HTTPS address, and none is set. Whoever runs "
        "the bot sets <b>JOURNEYBOT_PUBLIC_URL</b> (e.g. https://bot.example.org) "
        "and restarts it — README, “The board”. Until then /map shows the map here."
    ),
    "board.filter_lane": "Lane",
    "board.filter_author": "Author",
    "board.filter_status": "Status",
    "board.all": "All",
    "board.status_open": "Open",
    "board.status_resolved": "Resolved",
    "board.status_pain": "Open pain points",
    "board.emotion": "Emotion curve",
    "board.owner": "Owner: {name}",
    "board.author": "By {name}",
    "board.stage": "Stage",
    "board.lane": "Lane",
    "board.move": "Move",
    "board.close": "Close",
    "board.moved": "Moved — kept as a correction.",
    "board.channels": "Channels",
    "board.mood": "Mood",
    "board.empty": "No notes match these filters.",
    "board.no_map": "This chat has no active map yet — start one with /newmap in the chat.",
    'board.not_allowed_move': "Only the note's author or an administrator of the chat can move it.",
    "board.resolved_mark": "✓ resolved",
    "board.error_auth": (
        "This board could not confirm who you are. Open it again with /board in the chat."
    ),
    "board.error_forbidden": "This board belongs to a chat you are not a member of.",
    "board.error_bad": "That request was not understood; nothing was changed.",
    "board.error_not_found": "That note is no longer on the active map; nothing was changed.",
    "board.error_stale": (
        "The chat's active map has changed since the board was opened; "
        "it is shown again."
    ),
    "board.error_no_chat": "The bot knows nothing about this chat yet — write /start there first.",
    # --- owners and due dates (issue 16) ------------------------------------------------------
    "error.bad_date": (
        "I didn't get that date. Write it like 14.12, 2026-12-14, friday, tomorrow or next week."
    ),
    "error.date_in_past": "That date ({date}) has already passed. Please pick a day from today on.",
    # --- digest and review history (issue 16) ---
    "help.digest": (
        "/digest — the team digest: new notes, pain points, who wrote, open items (/digest "
        "weekly: every Monday)"
    ),
    "help.history": "/history — past reviews and how the pain points changed, review by review",
    "digest.title": "📬 <b>Digest: {name}</b>",
    "digest.title_weekly": "📬 <b>Weekly digest: {name}</b>",
    "digest.title_checkin": "📬 <b>After the check-in: {name}</b>",
    "digest.period": "🗓 {since} → {until}",
    "digest.nothing": "Nothing new was written or resolved in this period.",
    "digest.new_notes": "📝 <b>{notes:count.new_notes}</b>: {stages}",
    "digest.stage_notes": "{stage} {notes}",
    "digest.stage_pain": "{stage} {notes} (⚠️ {pain_points})",
    "digest.new_pain": "⚠️ <b>New pain points, still open</b> ({count}):",
    "digest.resolved": "✅ <b>Resolved</b> ({count}):",
    "digest.note_item": "• #{number} {text} · <i>{stage}</i>",
    "digest.resolved_item": "• #{number} {text} · <i>{stage}</i> — resolved by {who}",
    "digest.more": "… {count} more",
    "digest.person": "{name} ({notes})",
    "digest.contributors": "🙌 <b>Thanks for the notes:</b> {people}",
    "digest.quiet": (
        "👋 <b>Not heard from this time:</b> {people}. One thing a customer said is enough — "
        "/note it."
    ),
    "digest.items": "📌 <b>Open items</b> ({count}):",
    "digest.items_overdue": "📌 <b>Open items</b> ({count}, ⏰ {overdue} overdue):",
    "digest.item": "• #{number} {text} — {owner}",
    "digest.item_due": "• #{number} {text} — {owner} · due {date}",
    "digest.item_overdue": "⏰ #{number} {text} — {owner} · <b>was due {date}</b>",
    "digest.no_owner": "no owner yet",
    "digest.items_more": "… {count} more — /todo lists yours",
    "digest.no_items": "📌 No open items with an owner or a due date — /review assigns them.",
    "digest.chart_caption": "📈 Pain points per stage at the last reviews and now",
    "digest.weekly_on": (
        "📬 The weekly digest of “{name}” is on: every Monday at 9:00 ({timezone}), next on "
        "{when}. /digest off stops it."
    ),
    "digest.weekly_off": (
        "🔕 The weekly digest of “{name}” is off. /digest weekly turns it on again."
    ),
    "digest.usage": (
        "Send /digest for the digest now, /digest 30 for the last 30 days, /digest weekly to "
        "get it every Monday, /digest off to stop that."
    ),
    "digest.status_on": "📬 Weekly digest: every Monday at 9:00, next on {when}.",
    "digest.status_off": "📬 Weekly digest: off.",
    "button.digest_weekly_on": "📬 Every Monday",
    "button.digest_weekly_off": "🔕 Stop the weekly digest",
    "picture.now": "now",
    "picture.timeline_title": "Pain points per stage, review by review — {name}",
    "picture.timeline_note": (
        "Red: open, grey: resolved. A bar per review (its day), the last bar is now; after the "
        "stage: open now."
    ),
    "history.title": "🗂 <b>Review history: {name}</b> · {count:count.reviews}",
    "history.none": (
        "No review of “{name}” has been held yet. /review starts one, /schedule plans them."
    ),
    "history.review": "📋 <b>{date}</b> · {people}",
    "history.review_unfinished": "⏸ <b>{date}</b> · {people} · not finished",
    "history.counts": (
        "✅ resolved: {resolved} · ⏳ still open: {still_open} · 💡 ideas: {ideas} · 🙋 assigned: "
        "{assigned} · 📝 new notes: {notes}"
    ),
    "history.counts_unfinished": (
        "✅ resolved: {resolved} · ⏳ still open: {still_open} · 💡 ideas: {ideas} · 🙋 assigned: "
        "{assigned}"
    ),
    "export.history_title": "Review history",
    "export.history_header": (
        "| Day | Taken part | ✅ Resolved | ⏳ Still open | 💡 Idea"
        "s | 🙋 Assigned | 📝 New notes | Open pain points after |"
    ),
    "history.more": "… {count} more — press “Older”.",
    "history.chart_caption": "📈 Open and resolved pain points per stage, review by review",
    "button.history_older": "« Older",
    "button.history_newer": "Newer »",
    "count.reviews": {
        "one": "{count} review",
        "other": "{count} reviews",
    },
    "error.not_your_item": (
        "Only the item's owner, the person who wrote it, or an administrator can change it."
    ),
    "item.owner": "🙋 {owner}",
    "item.due": "📅 {date}",
    "item.overdue": "⏰ overdue",
    "item.due_today": "⏰ due today",
    "item.resolved_by": "✓ resolved by {who}, {date}",
    "item.resolved_on": "✓ resolved {date}",
    "item.not_item": (
        "#{number} is a note of kind “{kind}”: only pain points and opportunities get an owner "
        "and a due date."
    ),
    "item.unknown_person": (
        "I don't know {person} yet. They need to write something in this chat (or start me in "
        "a private chat) first; then try /assign again."
    ),
    "item.not_member": "{person} is not a member of this chat, so I can't give them an item here.",
    "item.pick_date": "📅 When should <b>#{number}</b> {text} be done?",
    "item.ask_date": (
        "Type the due date for #{number}: 14.12, 2026-12-14, friday, tomorrow, next week…"
    ),
    "item.due_set": "📅 Due {date}",
    "item.due_cleared": "No due date",
    "item.resolved_answer": "✓ Resolved",
    "item.already_resolved": "It was already resolved.",
    "item.already_open": "It is already open.",
    "item.reopened": "It's open again.",
    "assign.usage": (
        "Write /assign N @person date, e.g. <i>/assign 5 @anna friday</i>. Without "
        "@person the item is yours; the date is optional: 14.12, 2026-12-14, friday, tomorrow, "
        "next week…"
    ),
    "assign.done": "📌 <b>#{number}</b> {text}\n🙋 {owner} {status}",
    "assign.resolved_first": (
        "#{number} is already resolved. Open it with /note {number} and press Reopen first."
    ),
    "button.due_date": "📅 Due date",
    "button.this_week": "This week · {date}",
    "button.next_week": "Next week · {date}",
    "button.pick_date": "Pick a date…",
    "button.no_date": "No date",
    "button.reopen": "↩️ Reopen",
    "button.move_to": "Move to {date}",
    "button.tomorrow": "Move to tomorrow",
    "todo.title": "📋 <b>Your open items here</b> ({count})",
    "todo.title_all": "📋 <b>Your open items in all your chats</b> ({count})",
    "todo.none": (
        "Nothing assigned to you is open. 🎉 Take a pain point in /review, or /assign N to "
        "yourself."
    ),
    "todo.unowned": "📌 Open here, with a due date but no owner: {items} — /assign N takes one.",
    "todo.unowned_maps": (
        "📌 Open here, with a due date but no owner: {items} — /assign N takes one of the active "
        "map, “{map}” (/maps switches)."
    ),
    "todo.line": "• <b>#{number}</b> {text} — <i>{map}</i> {status}",
    "due.reminder": "⏰ <b>Due today</b>: <b>#{number}</b> {text}",
    "due.reminder_late": "⏰ <b>Overdue since {date}</b>: <b>#{number}</b> {text}",
    "due.reminder_ahead": (
        "⏰ <b>Due {date}</b> — a weekend day your team skips, so I'm reminding you now: "
        "<b>#{number}</b> {text}"
    ),
    "due.reminder_moved": (
        "📅 <b>Now due {date}</b> — "
        "I'll remind you again: <b>#{number}</b> {text}"
    ),
    "due.reminder_due": "📅 <b>Due {date}</b>: <b>#{number}</b> {text}",
    "due.where": "<i>{map} · {chat}</i>",
    "reminder.overdue": "⏰ Overdue: {items}",
    "review.overdue": "⏰ <b>Overdue items</b>: {items}",
    "insights.items": "📋 {count:count.items} with an owner or a due date.",
    "insights.items_overdue": (
        "📋 {count:count.items} with an owner or a due date, <b>{overdue} overdue</b>: {items}"
    ),
    "count.items": {
        "one": "{count} open item",
        "other": "{count} open items",
    },
    "help.assign": (
        "/assign <i>N @person date</i> — give pain point or opportunity N an owner and a due date"
    ),
    "help.todo": "/todo — your open items, overdue first",
    "board.due": "Due",
    "board.overdue": "overdue",
    "board.resolved_by": "Resolved by",
    "board.more": "+ {count} more",
    # --- /stages ------------------------------------------------------------------------------
    "help.stages": "/stages — rename, add, remove or move the active map's stages",
    "stages.title": "🧭 <b>Stages of “{name}”</b>",
    "stages.line": "{number}. {name} — {notes:count.notes}",
    "stages.unsorted_line": "· {name} — {notes:count.notes}",
    "button.stages_done": "✅ Done",
    "stages.rename_gone": (
        "“{old}” was removed meanwhile, so “{name}” was not used. The stages now (Add puts a new "
        "one at the end):"
    ),
    "stages.renamed": "“{old}” is now called “{name}”; its notes stay on it.",
    "stages.added": (
        "Added “{name}” at the end. Put notes on it with /note N → Change stage."
    ),
    "stages.confirm_remove": "Remove the stage “{name}”?",
    "stages.remove_keeps_notes": {
        "one": (
            "Its {count} note stays on the map, under “{unsorted}” (last in /map, the picture "
            "and exports); /note N → Change stage puts it on another stage."
        ),
        "other": (
            "Its {count} notes stay on the map, under “{unsorted}” (last in /map, the picture "
            "and exports); /note N → Change stage puts one on another stage."
        ),
    },
    "stages.remove_no_notes": "It has no notes.",
    "stages.remove_new_notes": (
        "New notes I would have put on this stage will go under “{unsorted}” too."
    ),
    "button.remove_stage_yes": "🗑 Yes, remove",
    "button.keep_stage": "No, keep it",
    "stages.removed": "Stage “{name}” removed.",
    "stages.removed_notes": "{notes:count.notes} now under “{unsorted}”.",
    # check-ins (bot/flows/checkin.py, bot/checkins.py)
    "help.checkin": (
        "/checkin — ask the team on a schedule what they heard from customers (/checkin off: not "
        "me)"
    ),
    "checkin.title": "🗣 <b>Check-ins in “{group}”</b>",
    "checkin.none": (
        "No check-ins yet. How often shall I ask everyone what they heard from customers?"
    ),
    "checkin.next": "Next check-in: {when}",
    "checkin.options_weekends": "No check-ins at weekends",
    "checkin.asked": "Asked ({count}): {people}",
    "checkin.nobody": "Nobody to ask yet: I ask the people I have seen write here.",
    "checkin.opted_out": "Not asked (opted out): {people}",
    "checkin.running": "Round open: answered {answered} of {count}.",
    "checkin.who_counts": "👥 = asked in the group (they have not started me in private).",
    "checkin.restarted": (
        "⏹ The round of {date} is closed (answered {answered} of {count}) — asking everyone "
        "again now."
    ),
    "checkin.started": "▶️ Asking everyone now.",
    "checkin.removed": "Check-ins in “{group}” are switched off.",
    "button.checkin_again": "⏹ End this round, ask again",
    "button.checkin_now": "▶️ Ask now",
    "button.checkin_off": "🔕 Don't ask me",
    "button.checkin_on": "🔔 Ask me again",
    "button.checkin_nothing": "🤷 Nothing this time",
    "checkin.off_done": (
        "🔕 OK, I won't ask you in “{group}” any more. /checkin on to be asked again."
    ),
    "checkin.on_done": "🔔 I'll ask you again in “{group}”.",
    "checkin.no_groups": "You are not in any group with check-ins.",
    "checkin.mine": "🗣 Your check-ins:",
    "checkin.mine_on": "🔔 {group}: you are asked",
    "checkin.mine_off": "🔕 {group}: you are not asked",
    "checkin.round_over": "This check-in is over; you'll be asked again next time.",
    "checkin.nothing_done": "👍 Noted: nothing this time.",
    "checkin.which_group": "Which team is this answer for?",
    "checkin.thanks": "✅ Thank you! Added to the map “{name}” of “{group}”:\n{notes}",
    "checkin.thanks_again": "✅ Thank you, your answer is already saved.",
    "checkin.ask_private": (
        "🗣 Check-in for “{group}”: what did you hear from customers {since}?\nReply to this "
        "message — each line becomes a note on the team's map."
    ),
    "checkin.nudge_private": (
        "🙂 A gentle reminder from “{group}”: what did you hear from customers {since}? Reply to "
        "this message, or tap “Nothing this time”."
    ),
    "checkin.ask_group": (
        "🗣 Check-in: {people}, what did you hear from customers {since}?\nReply to this message "
        "— each line becomes a note on the map."
    ),
    "checkin.nudge_group": (
        "🙂 A gentle reminder, {people}: what did you hear from customers {since}? Reply to this "
        "message."
    ),
    "checkin.since": "since {date}",
    "checkin.since_first": "lately",
    "checkin.summary_title": "🗣 <b>Check-in of {date}: closed</b>",
    "checkin.summary_counts": "Answered: {answered} of {count}.",
    "checkin.summary_notes": "Notes added to the map “{name}”: {count}.",
    "checkin.summary_thanks": "Thank you: {people}",
    "checkin.summary_silent": "Maybe next time: {people}",
    "checkin.summary_nobody": "Nobody is asked any more: everyone opted out or left.",
    # --- the customer's voice: forwarded messages, long texts, imports (issue 16) ---
    "quote.marks": "“{text}”",
    "note.quote_saved": "❝ Kept as a customer quote.",
    "note.quote_saved_from": "❝ Kept as a customer quote ({source}).",
    "split.found": {
        "one": "✂️ I found {count} point in note #{number}:",
        "other": "✂️ I found {count} points in note #{number}:",
    },
    "split.kept_for_now": (
        "For now it is kept as one note, #{number}. Add the points as separate notes?"
    ),
    "split.add_all": {
        "one": "➕ Add {count} point",
        "other": "➕ Add all {count}",
    },
    "split.choose": "☑️ Choose",
    "split.keep": "Keep as one note",
    "split.choose_help": (
        "Tick the points to add as separate notes (they replace note #{number}), then "
        "Add:"
    ),
    "split.add_chosen": {
        "one": "➕ Add {count} point",
        "other": "➕ Add {count} points",
    },
    "split.kept": "Kept as one note, #{number}.",
    "split.none_chosen": "Tick at least one point — or keep it as one note.",
    "split.changed": "Note #{number} has changed since; nothing was split.",
    "split.done": {
        "one": "✂️ Note #{number} is now {count} note: {numbers}.",
        "other": "✂️ Note #{number} is now {count} notes: {numbers}.",
    },
    "split.left_out": {
        "one": "{count} point left out.",
        "other": "{count} points left out.",
    },
    "split.change_hint": "/note with a number shows a note to change it.",
    "import.done": {
        "one": "📥 {count} note from {file} added to “{name}”.",
        "other": "📥 {count} notes from {file} added to “{name}”.",
    },
    "import.by_stage": "By stage: {stages}",
    "import.pain_points": {
        "one": "Pain points found: {count}",
        "other": "Pain points found: {count}",
    },
    "import.duplicates": {
        "one": (
            "Skipped {count} duplicate (the same text is already on the map or "
            "earlier in the file)."
        ),
        "other": (
            "Skipped {count} duplicates (the same text is already on the map or "
            "earlier in the file)."
        ),
    },
    "import.bad_empty": {
        "one": "Skipped {count} row without text: line {lines}.",
        "other": "Skipped {count} rows without text: lines {lines}.",
    },
    "import.bad_no_words": {
        "one": "Skipped {count} row of emoji or signs only: line {lines}.",
        "other": "Skipped {count} rows of emoji or signs only: lines {lines}.",
    },
    "import.bad_too_long": {
        "one": "Skipped {count} row longer than 4,000 characters: line {lines}.",
        "other": "Skipped {count} rows longer than 4,000 characters: lines {lines}.",
    },
    "import.undated": {
        "one": "{count} date not understood (line {lines}); that note has no date.",
        "other": "{count} dates not understood (lines {lines}); those notes have no date.",
    },
    "import.next": (
        "Imported notes are customer quotes. /map shows them, /insights says where it "
        "hurts."
    ),
    "import.reading": "📥 Reading {file}…",
    "import.refused": "I can't import that file.",
    "import.too_big": (
        "That file is too big: {size} MB, I take up to {max_mb} MB. Split it into smaller "
        "files."
    ),
    "import.not_text": (
        "That file is not text. Send a CSV or TXT file — in a spreadsheet use “Save as "
        "CSV”."
    ),
    "import.encoding": (
        "I can't read that file's characters. Save it as UTF-8 (in a spreadsheet: “CSV "
        "UTF-8”)."
    ),
    "import.empty": "That file has no rows to import.",
    "import.no_text_column": (
        "I found no text column in that file (its columns: {columns}). Name the column "
        "with the notes “text”, or put it first."
    ),
    "import.unsupported": "I import CSV and TXT files; {name} is neither.",
    "import.nothing_imported": "Nothing was imported.",
    "import.download_failed": "I couldn't download that file from Telegram. Please send it again.",
    "help.private_voice": (
        "Forward a customer's message and I keep it as a customer quote; send a CSV or "
        "TXT file (reviews, tickets) and each row becomes a note."
    ),
    "help.group_voice": (
        "To import a CSV or TXT file (reviews, tickets), send it as a reply to one of my "
        "messages: each row becomes a note."
    ),
}
