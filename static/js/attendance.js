/* Attendance page: marks without a page reload, an offline queue, search as you type and
 * running counts. Without this script the page still works: every mark is a form post.
 *
 * Every mark or undo gets an id made here (a UUID) before it is sent. The server treats a
 * second request with the same id as the same mark, so a queued mark can be sent again after
 * a lost answer without ever counting twice.
 *
 * The marks wait in the portal's one offline queue (static/js/offline-queue.js, IndexedDB, kept
 * per user), so they survive a reload and a browser restart, and a mark the server refuses for
 * good (the person was removed, the session is gone) leaves the queue with its reason instead of
 * being retried forever. The marks confirmed since the page was rendered are kept in
 * localStorage, so a page served from the offline cache still shows them.
 */
(function () {
  "use strict";

  const root = document.getElementById("attendance");
  if (!root) return;

  const data = root.dataset;
  const markUrl = data.markUrl;
  const renderedAt = Number(data.renderedAt) || 0;
  const Queue = window.TpbisQueue;
  const group = `session:${data.session}`;
  const legacyQueueKey = `tpbis:attendance:queue:${data.user}:${data.session}`;
  const stateKey = `tpbis:attendance:state:${data.user}:${data.session}`;
  const csrfInput = root.querySelector("input[name=csrfmiddlewaretoken]");

  // The cookie is current even when the page came from the offline copy after a new sign-in.
  function csrfToken() {
    const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
    return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : csrfInput ? csrfInput.value : "";
  }
  const rows = Array.from(root.querySelectorAll(".roster-row"));
  const byId = new Map(rows.map((row) => [row.dataset.participant, row]));
  const pendingBox = document.getElementById("sync-status");
  const pendingCount = document.getElementById("pending-count");
  const errorBox = document.getElementById("sync-error");
  const DOUBLE_TAP_MS = 800;

  function load(key, fallback) {
    try {
      const value = JSON.parse(localStorage.getItem(key));
      return value === null ? fallback : value;
    } catch (error) {
      return fallback;
    }
  }

  function save(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch (error) {
      showError(String(error));
    }
  }

  // Marks of this session still in the queue (waiting or being sent), oldest first.
  let queue = [];
  // participant id -> {marked, by, at, serverTime}: answers received from the server.
  let confirmed = load(stateKey, {});

  const errorText = document.getElementById("sync-error-text");

  function showError(message) {
    if (!errorBox) return;
    errorText.textContent = message;
    errorBox.classList.toggle("d-none", !message);
  }

  function text(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    node.textContent = content;
    return node;
  }

  // The button that marks stays the same size in the same place; on a marked person it
  // reads "✓ Hadir" and a tap only says so. Undo is the separate form at the row's other end.
  function setRow(row, marked, detail) {
    row.dataset.marked = marked ? "1" : "0";
    row.classList.toggle("is-present", marked);
    row.classList.toggle("is-pending", Boolean(detail && detail.pending));
    const button = row.querySelector(".roster-form .roster-button");
    const name = button.querySelector(".visually-hidden");
    button.textContent = marked ? `✓ ${data.labelMark}` : data.labelMark;
    if (name) button.appendChild(name);
    button.className = `btn roster-button ${marked ? "btn-outline-success" : "btn-portal"}`;
    row.querySelector(".roster-undo-form").hidden = !marked;
    const status = row.querySelector(".roster-status");
    status.replaceChildren();
    if (marked) {
      status.appendChild(text("span", "text-success fw-semibold", `✓ ${data.labelMarked}`));
      if (detail && detail.pending) {
        status.append(" · ", text("span", "text-warning-emphasis", data.labelPending));
      } else if (detail && detail.by) {
        status.append(` · ${data.labelMarkedBy} ${detail.by}, ${detail.at}`);
      }
    }
  }

  // Counts in the page's language: 1,234 in English, 1.234 in Indonesian.
  const number = new Intl.NumberFormat(document.documentElement.lang || "id");

  function updateCounts() {
    if (data.filtered === "1") return; // only part of the roster is on the page
    const present = rows.filter((row) => row.dataset.marked === "1");
    const tally = { F: 0, M: 0 };
    const libraries = new Map();
    const regencies = new Map();
    for (const row of present) {
      tally[row.dataset.gender] = (tally[row.dataset.gender] || 0) + 1;
      libraries.set(row.dataset.library, (libraries.get(row.dataset.library) || 0) + 1);
      regencies.set(row.dataset.regency, (regencies.get(row.dataset.regency) || 0) + 1);
    }
    const set = (key, value) => {
      const node = root.querySelector(`[data-count="${key}"]`);
      if (node) node.textContent = number.format(value);
    };
    set("total", present.length);
    set("F", tally.F);
    set("M", tally.M);
    const fill = (key, counts) => {
      const list = root.querySelector(`[data-count-list="${key}"]`);
      if (!list) return;
      list.replaceChildren(
        ...Array.from(counts.entries())
          .sort((a, b) => a[0].localeCompare(b[0]))
          .map(([label, count]) => text("li", "", `${label}: ${number.format(count)}`))
      );
    };
    fill("library", libraries);
    fill("regency", regencies);
  }

  function updatePending() {
    const count = queue.length;
    pendingCount.textContent = number.format(count);
    pendingBox.classList.toggle("d-none", count === 0);
  }

  function applyStored() {
    for (const [id, state] of Object.entries(confirmed)) {
      const row = byId.get(id);
      if (state.serverTime > renderedAt) {
        if (row) setRow(row, state.marked, state);
      } else {
        // Already in the page the server rendered.
        delete confirmed[id];
      }
    }
    save(stateKey, confirmed);
    for (const item of queue) {
      const row = byId.get(participantOf(item));
      if (row) setRow(row, actionOf(item) === "mark", { pending: true });
    }
    updateCounts();
    updatePending();
  }

  const noticeBox = document.getElementById("sync-notice");

  function showNotice(message) {
    if (!noticeBox) return;
    noticeBox.textContent = message;
    noticeBox.classList.toggle("d-none", !message);
  }

  function isMine(item) {
    return item && item.kind === "mark" && item.group === group;
  }

  function participantOf(item) {
    const field = item.fields.find(([name]) => name === "participant");
    return field ? String(field[1]) : "";
  }

  function actionOf(item) {
    const field = item.fields.find(([name]) => name === "action");
    return field ? field[1] : "mark";
  }

  function reload() {
    return Queue.list().then((items) => {
      queue = items.filter((item) => isMine(item) && item.state !== "refused");
      updatePending();
      return queue;
    });
  }

  function onSent(item, answer) {
    const participant = participantOf(item);
    const state = {
      marked: answer.marked,
      by: answer.by || "",
      at: answer.at || "",
      serverTime: answer.server_time,
    };
    confirmed[participant] = state;
    save(stateKey, confirmed);
    reload().then(() => {
      const row = byId.get(participant);
      const later = queue.some((next) => participantOf(next) === participant);
      if (row && !later) setRow(row, state.marked, state);
      showError("");
      updateCounts();
    });
  }

  function onRefused(item, reason) {
    const participant = participantOf(item);
    const row = byId.get(participant);
    // Refused for good (for example the person was removed from the list): undo on screen;
    // the queue keeps the item, with the reason, until it is discarded.
    if (row) setRow(row, actionOf(item) !== "mark", confirmed[participant] || {});
    showError(reason);
    reload().then(updateCounts);
  }

  function flush() {
    return Queue.flush();
  }

  Queue.on((type, detail) => {
    if (type === "sent" && detail.item && detail.item.kind === "walkin" && detail.item.group === group) {
      showNotice(`${(detail.answer && detail.answer.name) || detail.item.label}: ${data.labelWalkInSent}`);
    } else if (type === "refused" && detail.item && detail.item.kind === "walkin" && detail.item.group === group) {
      showError(`${detail.item.label}: ${detail.reason || ""}`);
    } else if (type === "sent" && detail.item && isMine(detail.item)) {
      onSent(detail.item, detail.answer || {});
    } else if (type === "refused" && detail.item && isMine(detail.item)) {
      onRefused(detail.item, detail.reason || "");
    } else if (type === "transient" && detail.item && isMine(detail.item)) {
      markWaitingAsQueued();
    } else if (type === "signed-out") {
      showError(data.labelSignIn);
      reload();
    } else if (type === "change") {
      reload();
    }
  });

  // A walk-in is sent at once; when that fails (no connection, no answer in time, a server
  // error, whatever the browser says about being online) it waits in the queue with its own
  // id, so it is added once, and keeps the time it was made. Refused for a field, the form is
  // posted as it is, and the server shows the errors by field.
  let walkInSending = false;
  function addWalkIn(event, form) {
    if (!Queue || form.dataset.plain === "1") return;
    event.preventDefault();
    if (walkInSending) return; // a double tap
    const fields = [];
    for (const [name, value] of new FormData(form).entries()) {
      if (name !== "csrfmiddlewaretoken") fields.push([name, value]);
    }
    fields.push(["walkin-marked_on_device", new Date().toISOString()]);
    const name = (form.elements["walkin-name"] && form.elements["walkin-name"].value.trim()) || "";
    const idInput = form.elements["walkin-client_id"];
    const item = {
      id: idInput && idInput.value ? idInput.value : Queue.newId(),
      kind: "walkin",
      group,
      url: form.getAttribute("action"),
      label: name,
      fields,
    };
    const keep = () =>
      Queue.add(item)
        .then(() => {
          form.reset();
          if (idInput) idInput.value = Queue.newId();
          showNotice(`${name}: ${data.labelWalkInKept}`);
          return Queue.flush();
        })
        .catch((error) => showError(String(error)));
    walkInSending = true;
    const sent = navigator.onLine ? Queue.send(item) : Promise.resolve({ outcome: "transient" });
    sent
      .then((result) => {
        if (result.outcome === "sent") {
          // The new row comes with the page, as without this script.
          const answer = result.answer || {};
          location.hash = `p-${answer.participant || ""}`;
          location.reload();
          return undefined;
        }
        if (result.outcome === "refused") {
          form.dataset.plain = "1";
          form.submit();
          return undefined;
        }
        if (result.outcome === "signed-out") showError(data.labelSignIn);
        return keep();
      })
      .finally(() => {
        walkInSending = false;
      });
  }

  // A send failed: this mark and those waiting behind it are sent from the queue, as marks
  // made offline are (the list of marks says so).
  function markWaitingAsQueued() {
    return Queue.list().then((items) =>
      Promise.all(
        items
          .filter((item) => isMine(item) && item.state === "waiting")
          .filter((item) => item.fields.some(([name, value]) => name === "queued" && value !== "on"))
          .map((item) =>
            Queue.update(item.id, {
              fields: item.fields.map(([name, value]) => [name, name === "queued" ? "on" : value]),
            })
          )
      )
    ).catch(() => {});
  }

  const lastTap = new Map();
  const notice = document.getElementById("roster-notice");

  // A tap on someone already marked: say so in the row (and to screen readers), change nothing.
  function sayAlreadyPresent(row) {
    const status = row.querySelector(".roster-status");
    const strong = status.querySelector(".text-success");
    if (strong) strong.textContent = `✓ ${data.labelAlready}`;
    row.classList.add("is-repeated");
    if (notice) notice.textContent = `${row.dataset.name}: ${data.labelAlready}`;
  }

  root.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.id === "walk-in-form") {
      addWalkIn(event, form);
      return;
    }
    const undo = form.classList.contains("roster-undo-form");
    if (!undo && !form.classList.contains("roster-form")) return;
    event.preventDefault();
    const row = form.closest(".roster-row");
    const id = row.dataset.participant;
    if (!undo && row.dataset.marked === "1") {
      sayAlreadyPresent(row);
      return;
    }
    const action = undo ? "unmark" : "mark";
    const now = Date.now();
    // A double tap is one mark or one undo.
    if (now - (lastTap.get(`${action}:${id}`) || 0) < DOUBLE_TAP_MS) return;
    lastTap.set(`${action}:${id}`, now);
    row.classList.remove("is-repeated");
    const name = row.dataset.name || "";
    setRow(row, action === "mark", { pending: true });
    updateCounts();
    Queue.add({
      kind: "mark",
      group,
      url: markUrl,
      label: `${name || id}: ${action === "mark" ? data.labelMarked : data.labelUndo}`,
      fields: [
        ["participant", id],
        ["client_id", Queue.newId()],
        ["action", action],
        // Behind a failed send it waits too: sent from the queue.
        ["queued", navigator.onLine && !Queue.blocked ? "" : "on"],
        ["marked_on_device", new Date().toISOString()],
      ],
    })
      .then(() => reload())
      .then(() => flush())
      .catch((error) => showError(String(error)));
  });

  // Search as you type, over the roster already on the page.
  const search = document.getElementById("roster-search");
  const found = document.getElementById("roster-found");
  function filter() {
    const term = search.value.trim().toLowerCase();
    let shown = 0;
    for (const row of rows) {
      const match = term.length < 2 || row.dataset.search.includes(term);
      row.classList.toggle("d-none", !match);
      if (match) shown += 1;
    }
    if (found && data.filtered !== "1") {
      found.textContent = term.length < 2 ? "" : `${shown} ${data.labelFound}`;
    }
    return shown;
  }
  if (search && data.filtered !== "1") {
    search.addEventListener("input", filter);
    search.addEventListener("keydown", (event) => {
      // Enter with one person left marks them: one key per person.
      if (event.key !== "Enter") return;
      const visible = rows.filter((row) => !row.classList.contains("d-none"));
      event.preventDefault();
      if (visible.length === 1 && visible[0].dataset.marked !== "1") {
        visible[0].querySelector(".roster-form").requestSubmit();
        search.select();
      }
    });
  }

  // Marks queued by the page before the portal had one queue (localStorage) move into it.
  function adoptLegacyQueue() {
    const legacy = load(legacyQueueKey, []);
    if (!legacy.length) return Promise.resolve();
    return Promise.all(
      legacy.map((op, index) =>
        Queue.add({
          id: op.id,
          kind: "mark",
          group,
          url: markUrl,
          created: Date.now() - legacy.length + index,
          label: String(op.participant),
          fields: [
            ["participant", String(op.participant)],
            ["client_id", op.id],
            ["action", op.action],
            ["queued", "on"],
          ],
        })
      )
    ).then(() => localStorage.removeItem(legacyQueueKey));
  }

  if (!Queue) return;
  // A page opened from the offline copy carries the walk-in id it was rendered with: each
  // walk-in needs its own.
  const walkInId = document.querySelector("#walk-in-form [name='walkin-client_id']");
  if (walkInId) walkInId.value = Queue.newId();
  adoptLegacyQueue()
    .catch(() => {})
    .then(reload)
    .then(() => {
      applyStored();
      flush();
    });
})();
