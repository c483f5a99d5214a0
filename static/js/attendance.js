/* Attendance page: marks without a page reload, an offline queue, search as you type and
 * running counts. Without this script the page still works: every mark is a form post.
 *
 * Every mark or undo gets an id made here (a UUID) before it is sent. The server treats a
 * second request with the same id as the same mark, so a queued mark can be sent again after
 * a lost answer without ever counting twice.
 *
 * The queue lives in localStorage under the user and the session, so it survives a reload
 * and a browser restart; the marks confirmed since the page was rendered are kept too, so a
 * page served from the offline cache still shows them.
 */
(function () {
  "use strict";

  const root = document.getElementById("attendance");
  if (!root) return;

  const data = root.dataset;
  const markUrl = data.markUrl;
  const renderedAt = Number(data.renderedAt) || 0;
  const queueKey = `tpbis:attendance:queue:${data.user}:${data.session}`;
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
  const RETRY_MS = 5000;
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

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  let queue = load(queueKey, []);
  // participant id -> {marked, by, at, serverTime}: answers received from the server.
  let confirmed = load(stateKey, {});

  function showError(message) {
    if (!errorBox) return;
    errorBox.textContent = message;
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
    for (const op of queue) {
      const row = byId.get(String(op.participant));
      if (row) setRow(row, op.action === "mark", { pending: true });
    }
    updateCounts();
    updatePending();
  }

  let sending = false;
  let retryTimer = null;

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      flush();
    }, RETRY_MS);
  }

  async function flush() {
    if (sending || queue.length === 0) return;
    sending = true;
    try {
      while (queue.length > 0) {
        const op = queue[0];
        const body = new FormData();
        body.append("participant", op.participant);
        body.append("client_id", op.id);
        body.append("action", op.action);
        if (op.queued) body.append("queued", "on");
        let response;
        try {
          response = await fetch(markUrl, {
            method: "POST",
            body,
            credentials: "same-origin",
            headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
          });
        } catch (error) {
          // No connection: keep everything queued and try again later.
          for (const waiting of queue) waiting.queued = true;
          save(queueKey, queue);
          scheduleRetry();
          return;
        }
        if (response.status >= 500 || response.status === 429) {
          scheduleRetry();
          return;
        }
        const json = (response.headers.get("content-type") || "").includes("json");
        if (response.redirected || !json) {
          // Signed out, or refused before the portal could answer: keep the marks, say so.
          showError(data.labelSignIn);
          scheduleRetry();
          return;
        }
        let answer = {};
        try {
          answer = await response.json();
        } catch (error) {
          answer = { ok: false, error: `HTTP ${response.status}` };
        }
        queue.shift();
        save(queueKey, queue);
        const row = byId.get(String(op.participant));
        if (response.ok && answer.ok) {
          const state = {
            marked: answer.marked,
            by: answer.by || "",
            at: answer.at || "",
            serverTime: answer.server_time,
          };
          confirmed[String(op.participant)] = state;
          save(stateKey, confirmed);
          const later = queue.some((next) => String(next.participant) === String(op.participant));
          if (row && !later) setRow(row, state.marked, state);
          showError("");
        } else {
          // Refused (for example the person was removed from the list): undo on screen.
          if (row) setRow(row, op.action !== "mark", {});
          showError(answer.error || `HTTP ${response.status}`);
        }
        updatePending();
        updateCounts();
      }
    } finally {
      sending = false;
    }
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
      if (!navigator.onLine) {
        event.preventDefault();
        showError(data.labelOfflineWalkIn);
      }
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
    queue.push({ id: newId(), participant: id, action, queued: !navigator.onLine });
    save(queueKey, queue);
    setRow(row, action === "mark", { pending: true });
    updateCounts();
    updatePending();
    flush();
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

  window.addEventListener("online", flush);
  window.addEventListener("pageshow", flush);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") flush();
  });

  if ("serviceWorker" in navigator && data.swUrl) {
    const uncontrolled = !navigator.serviceWorker.controller;
    navigator.serviceWorker
      .register(data.swUrl, { scope: "/" })
      .then(() => navigator.serviceWorker.ready)
      .then(() => {
        // On the first visit this page came from the network before the worker ran: keep a
        // copy now, so that a reload without connection still opens it.
        if (uncontrolled && navigator.onLine && window.caches && data.filtered !== "1") {
          return caches.open(data.swCache).then((cache) => cache.add(location.pathname));
        }
        return undefined;
      })
      .catch(() => {});
  }

  applyStored();
  flush();
})();
