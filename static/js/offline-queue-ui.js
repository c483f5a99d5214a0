/* The queue on every page of a signed-in user: how many items wait on this device, each with its
 * state (waiting, sending, refused with the reason), and per item retry, edit and discard; all
 * of them exported to a file. Also: the service worker (offline copies, Background Sync), the
 * request to keep this site's storage, and a warning before signing out with items waiting.
 */
(function () {
  "use strict";

  const root = document.getElementById("queue");
  const Queue = window.TpbisQueue;
  if (!root || !Queue || !window.indexedDB) return;
  const data = root.dataset;
  Queue.useUser(data.user);
  Queue.setUser(data.user).catch(() => {});

  const toggle = document.getElementById("queue-toggle");
  const count = document.getElementById("queue-count");
  const panel = document.getElementById("queue-panel");
  const itemsBox = document.getElementById("queue-items");
  const note = document.getElementById("queue-note");
  const storageNote = document.getElementById("queue-storage");
  const number = new Intl.NumberFormat(document.documentElement.lang || "id");
  const KIND = {
    mark: data.labelKindMark,
    walkin: data.labelKindWalkin,
    activity: data.labelKindActivity,
    story: data.labelKindStory,
  };
  const STATE = { waiting: data.labelWaiting, sending: data.labelSending, refused: data.labelRefused };

  function node(tag, className, text) {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function button(label, className, action, id) {
    const element = node("button", `btn btn-sm ${className}`, label);
    element.type = "button";
    element.dataset.action = action;
    element.dataset.id = id;
    return element;
  }

  function render(items) {
    count.textContent = number.format(items.length);
    const refused = items.filter((item) => item.state === "refused").length;
    toggle.classList.toggle("d-none", items.length === 0);
    toggle.classList.toggle("btn-danger", refused > 0);
    toggle.classList.toggle("btn-warning", refused === 0);
    toggle.setAttribute("aria-label", `${data.labelToggle}: ${number.format(items.length)}`);
    itemsBox.replaceChildren(
      ...items.map((item) => {
        const li = node("li", `list-group-item queue-item queue-${item.state}`);
        li.dataset.id = item.id;
        li.dataset.state = item.state;
        li.appendChild(node("div", "fw-semibold", item.label || KIND[item.kind] || item.kind));
        const when = new Date(item.created).toLocaleString(document.documentElement.lang || "id");
        li.appendChild(node("div", "small text-body-secondary", `${KIND[item.kind] || item.kind} · ${when}`));
        const state = node("div", item.state === "refused" ? "small text-danger queue-state" : "small queue-state", STATE[item.state] || item.state);
        if (item.state === "refused" && item.reason) state.textContent += `: ${item.reason}`;
        li.appendChild(state);
        const actions = node("div", "d-flex flex-wrap gap-2 mt-2");
        if (item.state !== "sending") actions.appendChild(button(data.labelRetry, "btn-outline-primary", "retry", item.id));
        if (item.editUrl) {
          const edit = node("a", "btn btn-sm btn-outline-secondary", data.labelEdit);
          edit.href = `${item.editUrl}#antrean=${item.id}`;
          actions.appendChild(edit);
        }
        actions.appendChild(button(data.labelDiscard, "btn-outline-danger", "discard", item.id));
        li.appendChild(actions);
        return li;
      })
    );
    if (!items.length) itemsBox.appendChild(node("li", "list-group-item text-body-secondary", data.labelEmpty));
    const blocked = Queue.blocked;
    note.textContent = blocked === "signed-out" ? data.labelSignedOut : blocked === "transient" ? data.labelOffline : "";
    note.classList.toggle("d-none", !note.textContent);
  }

  let renderTimer = null;
  function refresh() {
    if (renderTimer) return;
    renderTimer = setTimeout(() => {
      renderTimer = null;
      Queue.list().then(render).catch(() => {});
    }, 50);
  }

  Queue.on((type) => {
    if (type === "change" || type === "refused" || type === "signed-out" || type === "transient" || type === "sent") refresh();
  });

  function openPanel() {
    Queue.list().then(render);
    if (panel.open) return;
    if (panel.showModal) panel.showModal();
    else panel.setAttribute("open", "");
    toggle.setAttribute("aria-expanded", "true");
  }
  toggle.addEventListener("click", openPanel);
  // Any page may offer a button that opens the queue (the attendance page's error bar does).
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-open-queue]")) openPanel();
  });
  panel.addEventListener("close", () => toggle.setAttribute("aria-expanded", "false"));

  function download(file) {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(file.blob);
    link.download = file.name;
    document.body.appendChild(link);
    link.click();
    setTimeout(() => {
      URL.revokeObjectURL(link.href);
      link.remove();
    }, 1000);
  }

  panel.addEventListener("click", (event) => {
    const target = event.target.closest("button[data-action]");
    if (!target) return;
    const id = target.dataset.id;
    switch (target.dataset.action) {
      case "retry":
        Queue.retry(id);
        break;
      case "discard":
        if (window.confirm(data.labelConfirmDiscard)) Queue.remove(id);
        break;
      case "send":
        Queue.list()
          .then((items) => Promise.all(items.filter((item) => item.state === "refused").map((item) => Queue.update(item.id, { state: "waiting", reason: "" }))))
          .then(() => Queue.flush());
        break;
      case "export-json":
        Queue.exportFile("json").then(download);
        break;
      case "export-csv":
        Queue.exportFile("csv").then(download);
        break;
      case "close":
        if (panel.close) panel.close();
        else panel.removeAttribute("open");
        break;
      default:
    }
  });

  // Signing out with items waiting: say so first. They stay on this device for this user.
  document.querySelectorAll(`form[action="${data.logoutUrl}"]`).forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.confirmed) return;
      event.preventDefault();
      Queue.list().then((items) => {
        if (items.length && !window.confirm(data.labelConfirmSignOut.replace("%(count)s", number.format(items.length)))) return;
        form.dataset.confirmed = "1";
        Queue.setUser("")
          .catch(() => {})
          .then(() => form.submit());
      });
    });
  });

  // Ask the browser to keep this site's data (Safari clears it after 7 days otherwise).
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage
      .persisted()
      .then((already) => already || navigator.storage.persist())
      .then((kept) => {
        storageNote.textContent = kept ? data.labelStorageKept : data.labelStorageNotKept;
        root.dataset.storagePersisted = kept ? "1" : "0";
      })
      .catch(() => {});
  }

  if ("serviceWorker" in navigator && data.swUrl) {
    const uncontrolled = !navigator.serviceWorker.controller;
    navigator.serviceWorker
      .register(data.swUrl, { scope: "/" })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        // On the first visit this page came from the network before the worker ran: it keeps
        // a copy now, so that a reload without connection still opens it.
        if (uncontrolled && navigator.onLine && !location.search && document.querySelector("[data-offline-page]")) {
          registration.active.postMessage({ type: "keep-page", url: location.pathname });
        }
      })
      .catch(() => {});
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "tpbis-queue-flush") Queue.flush();
    });
  }

  window.addEventListener("online", () => Queue.flush());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") Queue.flush();
  });
  setInterval(() => {
    if (navigator.onLine) Queue.flush();
  }, 30000);

  Queue.recover()
    .then(() => Queue.list())
    .then(render)
    .then(() => Queue.flush());
})();
