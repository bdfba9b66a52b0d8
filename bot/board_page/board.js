// The journeybot board: the chat's active map as a stage × lane grid (a Telegram Mini App).
// Everything is built with DOM calls and textContent: no HTML from data, no inline code (CSP).
(function () {
  "use strict";

  var tg = window.Telegram && window.Telegram.WebApp;
  // Said when the server cannot be asked at all (its own refusals come localized).
  var UNREACHABLE = {
    en: "The board could not be loaded. Check your connection and open it again with /board.",
    pl: "Nie udało się wczytać tablicy. Sprawdź połączenie i otwórz ją ponownie poleceniem /board.",
    uk: "Не вдалося завантажити дошку. Перевірте з’єднання й відкрийте її знову командою /board.",
    bg: "Таблото не можа да се зареди. Проверете връзката и го отворете отново с /board."
  };
  var state = { board: null, lane: "", author: "", status: "", expanded: {} };
  // The server sends each cell's first 30 cards and its count; a "+ N more" button asks for
  // the next page of that cell (at most CELL_PAGE cards) and draws it. A map of 15,000 notes
  // drawn whole held the page 4.3 s (one long task) in chromium; sent whole it was 4.7 MiB.
  // A page starts after the last card drawn (`next`, its number on the map: a cell is in
  // number order), so a cell that changed meanwhile neither skips nor repeats a card, and
  // "+ N more" is the server's `more`. If the cards already drawn changed (`before` ≠ the
  // `seen` we hold: a note deleted, moved, resolved…) when the person asks for more, the board
  // is drawn again, as far open as it was. The pages the redraw asks for itself never redraw
  // again (a busy cell cannot loop); the person's next click on "+ N more" checks anew.
  var CELL_PAGE = 200;

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function userLanguage() {
    var user = tg && tg.initDataUnsafe && tg.initDataUnsafe.user;
    var code = ((user && user.language_code) || navigator.language || "en").slice(0, 2);
    return UNREACHABLE[code] ? code : (code === "ru" || code === "be" ? "uk" : "en");
  }

  function chatId() {
    var fromQuery = new URLSearchParams(location.search).get("chat_id");
    if (fromQuery) { return fromQuery; }
    var start = tg && tg.initDataUnsafe && tg.initDataUnsafe.start_param;
    if (start && start.charAt(0) === "c") { return start.slice(1); }
    var user = tg && tg.initDataUnsafe && tg.initDataUnsafe.user;
    return user ? String(user.id) : "";
  }

  function api(path, options) {
    options = options || {};
    options.headers = Object.assign({ Authorization: "tma " + ((tg && tg.initData) || "") },
      options.headers || {});
    options.credentials = "omit";
    options.cache = "no-store";
    return fetch(path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { ok: response.ok, status: response.status, body: body };
      });
    });
  }

  function showError(message) {
    ["filters", "details", "empty"].forEach(function (id) { $(id).hidden = true; });
    $("board").replaceChildren();
    $("title").textContent = "journeybot";
    $("persona").textContent = "";
    $("error-text").textContent = message;
    $("error").hidden = false;
    document.body.classList.add("failed");
  }

  function filters() {
    return "&lane=" + encodeURIComponent(state.lane) + "&author=" +
      encodeURIComponent(state.author) + "&status=" + encodeURIComponent(state.status);
  }

  var loads = 0;  // the latest load's number: an older answer arriving late is not drawn

  function load() {
    var mine = ++loads;
    return api("/api/board?chat_id=" + encodeURIComponent(chatId()) + filters())
      .then(function (answer) {
        if (mine !== loads) { return; }
        if (!answer.ok) {
          showError(answer.body.message || UNREACHABLE[userLanguage()]);
          return;
        }
        state.board = answer.body;
        render();
        document.body.dataset.drawn = String(mine);  // tests wait for a filter's answer
        document.body.classList.add("loaded");
      }, function () { showError(UNREACHABLE[userLanguage()]); });
  }

  function text(key) { return state.board.texts[key] || key; }

  function fill(select, options, selected) {
    select.replaceChildren();
    options.forEach(function (option) {
      var node = el("option", null, option[1]);
      node.value = option[0];
      node.selected = String(option[0]) === String(selected);
      select.appendChild(node);
    });
  }

  function renderFilters(map) {
    var board = state.board;
    $("label-lane").textContent = text("filter_lane");
    $("label-author").textContent = text("filter_author");
    $("label-status").textContent = text("filter_status");
    fill($("filter-lane"), [["", text("all")]].concat(board.lanes.map(function (lane) {
      return [lane.key, lane.name];
    })), state.lane);
    fill($("filter-author"), [["", text("all")]].concat(map.authors.map(function (author) {
      return [String(author.id), author.name];
    })), state.author);
    fill($("filter-status"), [["", text("all")], ["open", text("status_open")],
      ["pain", text("status_pain")], ["resolved", text("status_resolved")]], state.status);
    $("filters").hidden = false;
  }

  function curve(map) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    var count = map.stages.length;
    svg.setAttribute("class", "curve");
    svg.setAttribute("viewBox", "0 0 " + count * 100 + " 100");
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", text("emotion"));
    var zero = document.createElementNS(ns, "line");
    zero.setAttribute("x1", "0"); zero.setAttribute("x2", String(count * 100));
    zero.setAttribute("y1", "50"); zero.setAttribute("y2", "50");
    svg.appendChild(zero);
    var points = [];
    map.curve.forEach(function (mood, index) {
      if (mood === null || mood === undefined) { return; }
      var x = index * 100 + 50, y = 50 - Math.max(-1, Math.min(1, mood)) * 40;
      points.push(x + "," + y);
      // a zero-length line with round caps: a round dot however the curve is stretched
      var dot = document.createElementNS(ns, "line");
      dot.setAttribute("class", "dot");
      dot.setAttribute("x1", String(x)); dot.setAttribute("x2", String(x));
      dot.setAttribute("y1", String(y)); dot.setAttribute("y2", String(y));
      var title = document.createElementNS(ns, "title");
      title.textContent = map.stages[index].name + ": " + mood;
      dot.appendChild(title);
      svg.appendChild(dot);
    });
    var line = document.createElementNS(ns, "polyline");
    line.setAttribute("points", points.join(" "));
    svg.insertBefore(line, svg.firstChild.nextSibling);
    return svg;
  }

  function card(note) {
    var button = el("button", "card");
    button.type = "button";
    button.dataset.number = note.number;
    if (note.pain) { button.classList.add("pain"); }
    if (note.resolved || note.status === "resolved") { button.classList.add("resolved"); }
    if (note.quote) { button.classList.add("quote"); }
    button.appendChild(el("span", "text", (note.resolved ? "✓ " : "") +
      (note.quote_text || note.text)));
    var meta = el("div", "meta", "#" + note.number + (note.author ? " · " + note.author : ""));
    if (note.owner && note.status !== "resolved") {
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(el("span", "owner", "👤 " + note.owner));
    }
    if (note.due && note.status !== "resolved") {
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(el("span", note.overdue ? "due overdue" : "due",
        "📅 " + note.due + (note.overdue ? " ⏰" : "")));
    }
    if (note.overdue) { button.classList.add("overdue"); }
    button.appendChild(meta);
    button.addEventListener("click", function () { openDetails(note); });
    return button;
  }

  // Draws the cell's cards from `from` on and, while the cell shows more than it has drawn, a
  // "+ N more" button that fetches the next page. A cell opened further keeps as many cards
  // when the board is drawn again (a filter, a move): its pages are asked for again.
  function fillCell(cell, data, key, from) {
    data.notes.slice(from).forEach(function (note) { cell.appendChild(card(note)); });
    var drawn = data.notes.length;
    if (!(data.more > 0)) { return; }
    var more = el("button", "more", text("more").replace("{count}", data.more));
    more.type = "button";
    more.addEventListener("click", function () {
      more.disabled = true;
      nextPage(cell, data, key, more, false);
    });
    cell.appendChild(more);
    if ((state.expanded[key] || 0) > drawn) {
      // reopening the cell as far as it was (a redraw, a filter): not the person's click
      more.disabled = true;
      nextPage(cell, data, key, more, true);
    }
  }

  // `automatic`: asked for by the page itself to reopen a cell after a redraw, not by a click;
  // such a page is drawn as it comes (a redraw from it could follow another forever).
  function nextPage(cell, data, key, more, automatic) {
    var map = state.board.map, from = data.notes.length;
    api("/api/board/cell?chat_id=" + encodeURIComponent(chatId()) + "&map_id=" + map.id +
        "&stage_id=" + (data.stage_id === null ? "none" : data.stage_id) + "&kind=" +
        encodeURIComponent(data.kind) + "&after=" + data.next + "&limit=" + CELL_PAGE + filters())
      .then(function (answer) {
        if (state.board.map !== map) { return; }  // drawn again meanwhile
        if (answer.status === 409) { load(); return; }  // the chat's active map changed
        if (!answer.ok) {
          more.disabled = false;
          more.textContent = answer.body.message || UNREACHABLE[userLanguage()];
          return;
        }
        var page = answer.body;
        if (page.before !== data.seen && !automatic) {
          // the cards drawn are not what the cell holds now: draw the board again, this cell
          // opened as far as it would be now
          state.expanded[key] = Math.max(state.expanded[key] || 0, from + page.notes.length);
          load();
          return;
        }
        more.remove();
        data.notes = data.notes.concat(page.notes);
        data.count = page.count;
        data.more = page.more;
        data.next = page.next;
        data.seen = page.seen;
        state.expanded[key] = Math.max(state.expanded[key] || 0, data.notes.length);
        fillCell(cell, data, key, from);
      }, function () {
        more.disabled = false;
        more.textContent = UNREACHABLE[userLanguage()];
      });
  }

  function render() {
    var board = state.board, map = board.map, grid = $("board");
    document.documentElement.lang = board.chat.lang;
    $("error").hidden = true;
    grid.replaceChildren();
    if (!map) {
      $("title").textContent = "journeybot";
      $("persona").textContent = text("no_map");
      return;
    }
    $("title").textContent = map.name;
    $("persona").textContent = map.persona || "";
    renderFilters(map);
    grid.style.setProperty("--stages", String(map.stages.length));
    grid.appendChild(el("div", "corner", ""));
    map.stages.forEach(function (stage) {
      grid.appendChild(el("div", "stage-head", stage.name));
    });
    grid.appendChild(el("div", "lane-head", text("emotion")));
    grid.appendChild(curve(map));
    var visible = 0, cells = {};
    map.cells.forEach(function (data) { cells[data.kind + "|" + data.stage_id] = data; });
    board.lanes.forEach(function (lane) {
      if (state.lane && lane.key !== state.lane) { return; }
      grid.appendChild(el("div", "lane-head", lane.name));
      map.stages.forEach(function (stage) {
        var cell = el("div", "cell");
        cell.dataset.stage = stage.key || String(stage.id);
        cell.dataset.lane = lane.key;
        var key = lane.key + "|" + stage.id, data = cells[key];
        if (data) {
          fillCell(cell, data, key, 0);
          visible += data.count;
        }
        grid.appendChild(cell);
      });
    });
    $("empty").textContent = text("empty");
    $("empty").hidden = visible > 0 || map.total === 0;
  }

  function mayMove(note) {
    var viewer = state.board.viewer;
    return viewer.admin || note.author_id === viewer.id;
  }

  function fact(list, label, value) {
    if (value === null || value === undefined || value === "") { return; }
    list.appendChild(el("dt", null, label));
    list.appendChild(el("dd", null, value));
  }

  var openNote = null;  // the note whose details are open

  function openDetails(note) {
    openNote = note;
    var board = state.board, map = board.map;
    var stage = map.stages.filter(function (s) { return s.id === note.stage_id; })[0];
    var kind = board.kinds.filter(function (k) { return k.key === note.kind; })[0];
    $("details-title").textContent = "#" + note.number + " · " + (kind ? kind.name : note.kind) +
      (note.status === "resolved" ? " · " + text("resolved_mark") : "");
    $("details-text").textContent = note.quote_text || note.text;
    var facts = $("details-facts");
    facts.replaceChildren();
    fact(facts, text("stage"), stage ? stage.name : "");
    fact(facts, text("filter_author"), note.author);
    fact(facts, text("owner").replace("{name}", "").replace(/[:\s]+$/, ""), note.owner);
    fact(facts, text("due"), note.due ? note.due + (note.overdue ? " · " + text("overdue") : "")
      : "");
    fact(facts, text("resolved_by"), note.status === "resolved" ?
      [note.resolved_by, note.resolved_at ? note.resolved_at.slice(0, 10) : ""]
        .filter(Boolean).join(", ") : "");
    fact(facts, text("channels"), note.channels.join(", "));
    fact(facts, text("mood"), String(note.sentiment));
    fact(facts, "🕒", note.created_at ? note.created_at.slice(0, 16).replace("T", " ") : "");
    var form = $("move");
    form.hidden = !mayMove(note);
    $("label-move-stage").textContent = text("stage");
    $("label-move-lane").textContent = text("lane");
    $("move-button").textContent = text("move");
    fill($("move-stage"), map.stages.filter(function (s) { return s.id !== null; })
      .map(function (s) { return [s.id, s.name]; }), note.stage_id);
    fill($("move-lane"), board.kinds.map(function (k) { return [k.key, k.name]; }), note.kind);
    form.dataset.number = note.number;
    $("details-message").textContent = "";
    $("details-message").className = "message";
    $("details-close").textContent = text("close");
    $("details").hidden = false;
  }

  function move(event) {
    event.preventDefault();
    var number = $("move").dataset.number;
    var body = { chat_id: Number(chatId()), stage_id: Number($("move-stage").value),
      kind: $("move-lane").value };
    $("move-button").disabled = true;
    api("/api/notes/" + encodeURIComponent(number) + "/move", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (answer) {
      $("move-button").disabled = false;
      var message = $("details-message");
      if (!answer.ok) {
        message.textContent = answer.body.message || UNREACHABLE[userLanguage()];
        message.className = "message bad";
        return;
      }
      message.textContent = text("moved");
      return load().then(function () {
        var map = state.board.map, note = null;
        (map ? map.cells : []).forEach(function (data) {
          note = note || data.notes.filter(function (n) {
            return String(n.number) === String(number);
          })[0];
        });
        if (!note && map && openNote && String(openNote.number) === String(number)) {
          // not among the cards drawn first: the details show what the move answered
          note = Object.assign({}, openNote, { stage_id: answer.body.stage_id,
            kind: answer.body.kind });
        }
        if (note) { openDetails(note); $("details-message").textContent = text("moved"); }
      });
    }, function () {
      $("move-button").disabled = false;
      $("details-message").textContent = UNREACHABLE[userLanguage()];
    });
  }

  function start() {
    if (tg) { tg.ready(); tg.expand(); }
    $("move").addEventListener("submit", move);
    $("details-close").addEventListener("click", function () { $("details").hidden = true; });
    $("details").addEventListener("click", function (event) {
      if (event.target === $("details")) { $("details").hidden = true; }
    });
    ["lane", "author", "status"].forEach(function (name) {
      $("filter-" + name).addEventListener("change", function (event) {
        state[name] = event.target.value;
        load();  // the server filters: each cell's count and first cards under the filters
      });
    });
    if (!tg || !tg.initData) {
      showError(UNREACHABLE[userLanguage()]);
      return;
    }
    load();
  }

  start();
})();
