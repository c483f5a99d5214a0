/* The portal's one offline queue: attendance marks, walk-ins, activities and stories wait here
 * (IndexedDB) until the server has them.
 *
 * Every item carries an id made on this device (a UUID) that the server recognises, so an item
 * sent again after a lost answer is recorded once. Items belong to the signed-in user: a page
 * only lists and sends the items of the user it was rendered for, and another person signing in
 * on the same browser never sees or sends them.
 *
 * What the server answers decides what happens to an item:
 * - accepted (2xx with {"ok": true}): it leaves the queue;
 * - refused for good (4xx except 401, 408 and 429): it stays, marked "refused" with the
 *   server's reason, and is never sent again by itself (the user edits, retries or discards);
 * - signed out (401, a redirect to the sign-in page, an outdated CSRF token): it waits until the
 *   user signs in again;
 * - a passing failure (no connection, no answer within ``timeoutMs``, 5xx, 408, 429): it
 *   waits and is sent again later. A weak connection often fails this way while the browser
 *   still reports being online, so nothing here asks ``navigator.onLine``.
 *
 * This file has no DOM code: the service worker loads it too (Background Sync).
 */
(function (scope) {
  "use strict";

  const DB_NAME = "tpbis-offline";
  const STORE = "items";
  const META = "meta";
  const CHANNEL = "tpbis-queue";
  const listeners = new Set();
  const channel = scope.BroadcastChannel ? new BroadcastChannel(CHANNEL) : null;
  let dbPromise = null;
  // A request without an answer by then counts as failed (and is sent again later): a village
  // connection can hang for minutes. The server recognises the item's id, so a request that did
  // arrive after all is recorded once.
  let timeoutMs = 30000;

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const request = scope.indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = () => {
          const db = request.result;
          const items = db.createObjectStore(STORE, { keyPath: "id" });
          items.createIndex("user", "user");
          db.createObjectStore(META);
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return dbPromise;
  }

  function run(storeName, mode, work) {
    return openDb().then(
      (db) =>
        new Promise((resolve, reject) => {
          const transaction = db.transaction(storeName, mode);
          const store = transaction.objectStore(storeName);
          let result;
          Promise.resolve(work(store)).then((value) => {
            result = value;
          });
          transaction.oncomplete = () => resolve(result);
          transaction.onerror = () => reject(transaction.error);
          transaction.onabort = () => reject(transaction.error);
        })
    );
  }

  function request(req) {
    return new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  function newId() {
    if (scope.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function emit(type, detail, fromChannel) {
    for (const listener of listeners) {
      try {
        listener(type, detail || {});
      } catch (error) {
        /* one listener's mistake does not stop the others */
      }
    }
    if (channel && !fromChannel) {
      // Items and blobs stay here; the other tabs read the queue again.
      channel.postMessage({ type, id: detail && detail.item ? detail.item.id : null, answer: detail && detail.answer });
    }
  }
  if (channel) {
    channel.onmessage = (event) => {
      const data = event.data || {};
      emit(data.type, { id: data.id, answer: data.answer, remote: true }, true);
    };
  }

  /* The user this page (or, in the service worker, this browser) acts for. */
  let currentUser = "";

  function setUser(user) {
    currentUser = String(user || "");
    return run(META, "readwrite", (store) => store.put(currentUser, "user"));
  }

  function storedUser() {
    return run(META, "readonly", (store) => request(store.get("user"))).then((user) => user || "");
  }

  function list(user) {
    const owner = String(user === undefined ? currentUser : user);
    if (!owner) return Promise.resolve([]);
    return run(STORE, "readonly", (store) => request(store.index("user").getAll(owner))).then((items) =>
      items.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1))
    );
  }

  function get(id) {
    return run(STORE, "readonly", (store) => request(store.get(id))).then((item) =>
      item && item.user === currentUser ? item : null
    );
  }

  /* Keep an item. ``item``: {kind, url, fields: [[name, value]], files: [{name, blob, filename}],
   * label, editUrl, id (optional: the id the server will recognise)}. */
  function add(item) {
    if (!currentUser) return Promise.reject(new Error("not signed in"));
    const stored = {
      id: item.id || newId(),
      user: currentUser,
      kind: item.kind,
      url: item.url,
      fields: item.fields || [],
      files: item.files || [],
      label: item.label || "",
      editUrl: item.editUrl || "",
      group: item.group || "",
      created: item.created || Date.now(),
      state: "waiting",
      reason: "",
      tries: 0,
      // For Background Sync: the service worker cannot read the cookie itself.
      csrf: csrfToken(),
    };
    return run(STORE, "readwrite", (store) => store.put(stored)).then(() => {
      emit("change", { item: stored });
      requestBackgroundSync();
      return stored;
    });
  }

  function update(id, changes) {
    return run(STORE, "readwrite", (store) =>
      request(store.get(id)).then((item) => {
        if (!item || item.user !== currentUser) return null;
        Object.assign(item, changes);
        store.put(item);
        return item;
      })
    );
  }

  function remove(id) {
    return run(STORE, "readwrite", (store) =>
      request(store.get(id)).then((item) => {
        if (item && item.user === currentUser) store.delete(id);
        return item;
      })
    ).then((item) => {
      emit("change", { item: item || { id } });
      return item;
    });
  }

  function retry(id) {
    return update(id, { state: "waiting", reason: "" }).then((item) => {
      emit("change", { item });
      return flush();
    });
  }

  function csrfToken() {
    if (typeof document === "undefined") return "";
    const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
    return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
  }

  /* One attempt; resolves to {outcome: sent|refused|signed-out|transient, answer, reason}. */
  async function send(item) {
    const body = new FormData();
    for (const [name, value] of item.fields) body.append(name, value);
    for (const file of item.files || []) body.append(file.name, file.blob, file.filename);
    const headers = { Accept: "application/json", "X-Requested-With": "fetch" };
    const token = csrfToken() || item.csrf || "";
    if (token) headers["X-CSRFToken"] = token;
    let response;
    const controller = scope.AbortController ? new AbortController() : null;
    const timer = controller ? setTimeout(() => controller.abort(), timeoutMs) : null;
    try {
      response = await fetch(item.url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers,
        signal: controller ? controller.signal : undefined,
      });
    } catch (error) {
      return { outcome: "transient", reason: controller && controller.signal.aborted ? "timeout" : "offline" };
    } finally {
      if (timer) clearTimeout(timer);
    }
    let answer = null;
    if ((response.headers.get("content-type") || "").includes("json")) {
      try {
        answer = await response.json();
      } catch (error) {
        answer = null;
      }
    }
    const status = response.status;
    const reason = (answer && answer.error) || `HTTP ${status}`;
    if (status === 401 || (answer && (answer.signed_out || answer.csrf))) {
      return { outcome: "signed-out", answer, reason };
    }
    if (status >= 500 || status === 408 || status === 429) return { outcome: "transient", answer, reason };
    if (response.ok && answer && answer.ok) return { outcome: "sent", answer };
    if (status >= 400) return { outcome: "refused", answer, reason };
    // A page instead of an answer (a sign-in page after a redirect, a proxy's page).
    return { outcome: "signed-out", answer, reason };
  }

  let flushing = null;
  let again = false;
  let retryTimer = null;
  let retryDelay = 5000;
  let blocked = "";

  function scheduleRetry() {
    if (retryTimer || typeof setTimeout === "undefined") return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      flush();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  }

  async function flushOnce() {
    const items = await list();
    for (const item of items) {
      if (item.state === "refused") continue;
      const sending = await update(item.id, { state: "sending", tries: (item.tries || 0) + 1 });
      if (!sending) continue; // discarded meanwhile
      emit("change", { item: sending });
      const result = await send(sending);
      if (result.outcome === "sent") {
        await run(STORE, "readwrite", (store) => store.delete(item.id));
        blocked = "";
        retryDelay = 5000;
        emit("sent", { item: sending, answer: result.answer });
        emit("change", { item: sending });
        continue;
      }
      if (result.outcome === "refused") {
        const refused = await update(item.id, { state: "refused", reason: result.reason, details: result.answer || {} });
        emit("refused", { item: refused || sending, answer: result.answer, reason: result.reason });
        emit("change", { item: refused });
        continue;
      }
      const waiting = await update(item.id, { state: "waiting" });
      blocked = result.outcome;
      emit(result.outcome, { item: waiting, reason: result.reason });
      emit("change", { item: waiting });
      scheduleRetry();
      return;
    }
    blocked = "";
  }

  /* Send what waits, oldest first, one at a time and one tab at a time. */
  function flush() {
    if (!currentUser) return Promise.resolve();
    if (flushing) {
      // Something was added while sending: one more round when this one ends.
      again = true;
      return flushing;
    }
    const work = async () => {
      do {
        again = false;
        await flushOnce().catch(() => scheduleRetry());
      } while (again && !blocked);
    };
    const locked =
      scope.navigator && navigator.locks
        ? navigator.locks.request(`tpbis-queue-${currentUser}`, work)
        : work();
    flushing = Promise.resolve(locked).finally(() => {
      flushing = null;
    });
    return flushing;
  }

  /* Items left "sending" by a page closed mid-send go back to waiting. */
  function recover() {
    return list().then((items) =>
      Promise.all(items.filter((item) => item.state === "sending").map((item) => update(item.id, { state: "waiting" })))
    );
  }

  function requestBackgroundSync() {
    if (typeof navigator === "undefined" || !navigator.serviceWorker || !navigator.serviceWorker.ready) return;
    navigator.serviceWorker.ready
      .then((registration) => registration.sync && registration.sync.register(CHANNEL))
      .catch(() => {});
  }

  function blobToDataUrl(blob) {
    return new Promise((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => resolve("");
      reader.readAsDataURL(blob);
    });
  }

  /* Everything of this user that waits, as a file staff can read or import. */
  async function exportFile(format) {
    const items = await list();
    const stamp = new Date().toISOString().replace(/[:]/g, "-").slice(0, 19);
    if (format === "csv") {
      const quote = (value) => `"${String(value === undefined || value === null ? "" : value).replace(/"/g, '""')}"`;
      const lines = [["id", "kind", "label", "created", "state", "reason", "url", "fields", "files"].join(",")];
      for (const item of items) {
        lines.push(
          [
            item.id,
            item.kind,
            item.label,
            new Date(item.created).toISOString(),
            item.state,
            item.reason,
            item.url,
            JSON.stringify(item.fields),
            item.files.map((file) => file.filename).join(" "),
          ]
            .map(quote)
            .join(",")
        );
      }
      return { name: `antrean-tpbis-${stamp}.csv`, blob: new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv" }) };
    }
    const out = [];
    for (const item of items) {
      const files = [];
      for (const file of item.files) {
        files.push({ name: file.name, filename: file.filename, type: file.blob.type, data: await blobToDataUrl(file.blob) });
      }
      out.push({
        id: item.id,
        kind: item.kind,
        label: item.label,
        created: new Date(item.created).toISOString(),
        state: item.state,
        reason: item.reason,
        url: item.url,
        fields: item.fields,
        files,
      });
    }
    const json = JSON.stringify({ exported: new Date().toISOString(), user: currentUser, items: out }, null, 1);
    return { name: `antrean-tpbis-${stamp}.json`, blob: new Blob([json], { type: "application/json" }) };
  }

  scope.TpbisQueue = {
    add,
    send,
    get,
    list,
    remove,
    update: (id, changes) =>
      update(id, changes).then((item) => {
        emit("change", { item });
        return item;
      }),
    retry,
    flush,
    recover,
    exportFile,
    newId,
    setUser,
    storedUser,
    get user() {
      return currentUser;
    },
    get blocked() {
      return blocked;
    },
    get timeoutMs() {
      return timeoutMs;
    },
    set timeoutMs(value) {
      timeoutMs = Number(value) || timeoutMs;
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    useUser(user) {
      currentUser = String(user || "");
    },
  };
})(self);
