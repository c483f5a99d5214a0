// Saves the story draft while the librarian writes: every few seconds after a change and
// when a field loses focus. The server refuses a save based on an older version (another
// tab or person saved in between) with 409; then autosave stops and says so, and the
// text stays on the screen. Without JavaScript the "Save draft" button does the same job.
(function () {
  "use strict";
  var form = document.getElementById("story-form");
  if (!form || !window.fetch || !window.FormData) return;
  var status = document.getElementById("autosave-status");
  var url = form.dataset.autosaveUrl;
  var isNew = form.dataset.autosaveNew === "1";
  var dirty = false;
  var saving = false;
  var stopped = false;
  var pendingSubmit = null;
  var INTERVAL = 5000;

  function say(text) { if (status) status.textContent = text; }

  function markErrors(errors) {
    form.querySelectorAll(".is-invalid[data-autosave-error]").forEach(function (el) {
      el.classList.remove("is-invalid");
      el.removeAttribute("data-autosave-error");
    });
    Object.keys(errors || {}).forEach(function (name) {
      var field = form.elements[name];
      if (field && field.classList) {
        field.classList.add("is-invalid");
        field.setAttribute("data-autosave-error", "1");
      }
    });
  }

  function save() {
    if (!dirty || saving || stopped) return;
    // Nothing worth a draft yet: the server would create an empty story.
    if (isNew && !(form.elements.title && form.elements.title.value.trim())) return;
    saving = true;
    dirty = false;
    say(form.dataset.msgSaving);
    var data = new FormData(form);
    // Photos and consents of the first screen go with a real save only (photos are large,
    // and half-filled photo slots or consents would refuse the draft).
    dropPhotos(data);
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { code: response.status, body: body }; });
    }).then(function (result) {
      var body = result.body;
      if (result.code === 409) {
        stopped = true;
        say(body.conflict);
        status.classList.add("text-danger");
        return;
      }
      if (!body.ok) {
        dirty = true;
        markErrors(body.errors);
        say(form.dataset.msgFailed);
        return;
      }
      markErrors({});
      form.elements.version.value = body.version;
      if (isNew && window.TpbisQueue && form.elements.draft_key) {
        // The portal has the draft now: a copy kept offline must not overwrite it later.
        window.TpbisQueue.remove(form.elements.draft_key.value).catch(function () {});
      }
      if (isNew) {
        isNew = false;
        url = body.autosave_url;
        // A first screen with photo slots keeps posting to "new story": the same draft key
        // updates this draft and adds the photos chosen, once.
        if (!form.querySelector("input[type=file]")) form.action = body.edit_url;
        if (window.history && history.replaceState) history.replaceState(null, "", body.edit_url);
      }
      say(form.dataset.msgSaved + " " + body.saved_at);
    }).catch(function () {
      dirty = true;
      say(form.dataset.msgOffline);
      keepOnDevice();
    }).then(function () {
      saving = false;
      // A button pressed during the save is pressed again, now with the new version.
      if (pendingSubmit) {
        var button = pendingSubmit;
        pendingSubmit = null;
        if (form.requestSubmit) form.requestSubmit(button); else button.click();
      }
    });
  }

  function firstScreenOnly(name) {
    return name.indexOf("photo-") === 0 || name.indexOf("consent-") === 0;
  }

  function dropPhotos(data) {
    var names = [];
    data.forEach(function (value, name) { if (firstScreenOnly(name)) names.push(name); });
    names.forEach(function (name) { data.delete(name); });
  }

  // No connection: a new draft is kept on the device (the portal's offline queue), so a
  // reload or a closed browser loses nothing; it is sent by itself when the connection returns.
  function keepOnDevice() {
    var queue = window.TpbisQueue;
    var key = form.elements.draft_key && form.elements.draft_key.value;
    if (!isNew || !queue || !queue.user || !key) return;
    if (stopped) {
      // After a real save the offline form keeps the whole form, photos included: this
      // text-only copy, from an autosave that failed meanwhile, must not replace it.
      say(form.dataset.msgKept);
      return;
    }
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && !firstScreenOnly(name)) fields.push([name, value]);
    });
    queue.add({
      id: key,
      kind: "story",
      url: form.getAttribute("action"),
      editUrl: location.pathname,
      label: form.elements.title.value.trim(),
      fields: fields
    }).then(function () { say(form.dataset.msgKept); }).catch(function () {});
  }

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("focusout", save);
  // A real submit (Save draft, Submit) wins over autosave, but waits for a save in flight
  // so that it carries the version that save produced.
  form.addEventListener("submit", function (event) {
    stopped = true;
    if (saving) {
      event.preventDefault();
      pendingSubmit = event.submitter || form.querySelector("button[type=submit]");
    }
  });
  window.setInterval(save, INTERVAL);
})();
