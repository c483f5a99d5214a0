/* Forms that work without a connection (the activity form, a new story): saving keeps the form, with its
 * photos already shrunk on the phone, in the portal's offline queue (static/js/offline-queue.js)
 * at once, then sends it when it can. The form's own id (idempotency_key) is the id the server
 * recognises, so the activity is recorded once however often it is sent.
 *
 * A form the server refuses for good (a date in the future, a field missing) comes back into the
 * form with the reason, to be corrected and saved again; the queue's "Edit" opens it the same way
 * (#antrean=<id> in the address).
 */
(function () {
  "use strict";
  const Queue = window.TpbisQueue;
  const form = document.querySelector("form[data-offline-form]");
  if (!form || !Queue || !window.indexedDB) return;
  const data = form.dataset;
  const kind = data.offlineForm;
  const keyInput = form.elements[data.keyField || "idempotency_key"];
  const status = document.getElementById("offline-form-status");
  const refusedBox = document.getElementById("offline-form-refused");
  let dirty = false;
  let keeping = false;
  let justKept = null; // {id, open}: kept from this page view; opened when sent if asked to

  function say(text, tone) {
    if (!status) return;
    status.querySelector("[data-text]").textContent = text;
    status.classList.toggle("d-none", !text);
    status.classList.toggle("alert-success", tone === "ok");
    status.classList.toggle("alert-info", tone !== "ok");
  }

  function showRefused(reason) {
    if (!refusedBox) return;
    refusedBox.querySelector("[data-text]").textContent = reason || "";
    refusedBox.classList.toggle("d-none", !reason);
  }

  // A page opened from the offline copy carries the id it was rendered with: every new form
  // gets its own, or two activities kept offline would be taken for one.
  function freshKey() {
    if (keyInput) keyInput.value = Queue.newId();
    delete form.dataset.queueItem;
  }

  function label() {
    const title = form.elements.title ? form.elements.title.value.trim() : "";
    const date = form.elements.date ? form.elements.date.value : "";
    return [title, date].filter(Boolean).join(" · ");
  }

  function collect(submitter) {
    const fields = [];
    const files = [];
    let entries;
    try {
      // The button pressed counts ("Save and submit" is not "Save draft").
      entries = new FormData(form, submitter || null).entries();
    } catch (error) {
      entries = new FormData(form).entries();
    }
    for (const [name, value] of entries) {
      if (name === "csrfmiddlewaretoken") continue;
      if (value instanceof File) {
        if (value.size || value.name) files.push({ name, blob: value, filename: value.name || "foto.jpg" });
      } else {
        fields.push([name, value]);
      }
    }
    return { fields, files };
  }

  function fill(item) {
    form.reset();
    const values = new Map();
    for (const [name, value] of item.fields) {
      if (!values.has(name)) values.set(name, []);
      values.get(name).push(value);
    }
    for (const element of Array.from(form.elements)) {
      if (!element.name || element.type === "file" || element.name === "csrfmiddlewaretoken") continue;
      if (element.type === "submit" || element.type === "button") continue;
      const given = values.get(element.name) || [];
      if (element.type === "checkbox" || element.type === "radio") element.checked = given.includes(element.value);
      else if (element.tagName === "SELECT" && element.multiple) {
        for (const option of element.options) option.selected = given.includes(option.value);
      } else if (given.length) element.value = given[0];
    }
    const byInput = new Map();
    for (const file of item.files) {
      if (!byInput.has(file.name)) byInput.set(file.name, new DataTransfer());
      byInput.get(file.name).items.add(new File([file.blob], file.filename, { type: file.blob.type }));
    }
    for (const [name, transfer] of byInput) {
      const input = form.elements[name];
      if (input && input.type === "file") {
        input.dataset.shrunk = "1";
        input.files = transfer.files;
      }
    }
    form.dataset.queueItem = item.id;
    if (item.state === "refused" && item.details && item.details.errors) markErrors(item.details.errors);
    showRefused(item.state === "refused" ? item.reason : "");
    dirty = false;
  }

  function markErrors(errors) {
    form.querySelectorAll("[data-offline-error]").forEach((element) => {
      element.classList.remove("is-invalid");
      element.removeAttribute("data-offline-error");
    });
    Object.keys(errors || {}).forEach((name) => {
      const field = form.elements[name];
      const element = field && field.classList ? field : null;
      if (element) {
        element.classList.add("is-invalid");
        element.setAttribute("data-offline-error", "1");
      }
    });
  }

  form.addEventListener("input", () => {
    dirty = true;
  });

  form.addEventListener("submit", (event) => {
    // Some forms (the story form) are posted as they are while there is a connection.
    if (data.offlineOnly !== undefined && navigator.onLine) return;
    event.preventDefault();
    if (keeping) return;
    keeping = true;
    const started = performance.now();
    const open = !(event.submitter && event.submitter.name === "another");
    const editing = form.dataset.queueItem;
    (window.TpbisPhotos ? window.TpbisPhotos.all(form) : Promise.resolve())
      .then(() => {
        const { fields, files } = collect(event.submitter);
        const id = (keyInput && keyInput.value) || Queue.newId();
        return Queue.add({
          id,
          kind,
          url: form.getAttribute("action") || location.pathname,
          editUrl: location.pathname,
          label: label(),
          fields,
          files,
        }).then((item) => {
          form.dataset.keptMs = String(Math.round(performance.now() - started));
          justKept = { id: item.id, open };
          say(data.msgKept, "info");
          showRefused("");
          markErrors({});
          form.reset();
          freshKey();
          dirty = false;
          if (editing && location.hash) history.replaceState(null, "", location.pathname);
          return Queue.flush();
        });
      })
      .catch(() => {
        // The browser keeps nothing (private mode, storage full): send the form as it is.
        form.submit();
      })
      .finally(() => {
        keeping = false;
      });
  });

  // A refused item comes back into the form with the reason, unless the user is writing
  // another one. The refusal may have been read in another tab or by the service worker.
  function bringBackRefused() {
    if (dirty || form.dataset.queueItem) return;
    Queue.list().then((items) => {
      const refused = items.find((item) => item.kind === kind && item.state === "refused");
      if (refused && !dirty && !form.dataset.queueItem) {
        fill(refused);
        say("", "info");
      }
    });
  }

  Queue.on((type, detail) => {
    const item = detail.item;
    if (type === "refused") bringBackRefused();
    if (type === "sent" && item && item.kind === kind && justKept && justKept.id === item.id) {
      const answer = detail.answer || {};
      say(data.msgSent, "ok");
      if (justKept.open && answer.url && !dirty) location.assign(answer.url);
      justKept = null;
    }
  });

  function openWanted() {
    const wanted = /^#antrean=([0-9a-f-]{36})$/.exec(location.hash);
    if (!wanted) return false;
    Queue.get(wanted[1]).then((item) => {
      if (item) fill(item);
      else freshKey();
    });
    const panel = document.getElementById("queue-panel");
    if (panel && panel.open && panel.close) panel.close();
    return true;
  }
  // The queue's "Edit" on the form's own page changes only the address's #part.
  window.addEventListener("hashchange", openWanted);

  if (!openWanted()) {
    // A form the server sent back with its errors keeps its id: saved again, it is the same
    // activity or story (a draft autosaved before the refusal is not made twice).
    if (data.bound === undefined) freshKey();
    bringBackRefused();
  }
})();
