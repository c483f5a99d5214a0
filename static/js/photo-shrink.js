/* Shrinks phone photos in the browser before they are sent or kept offline: every file input of
 * the portal that takes images (activity evidence, story photos, consent forms, partnerships),
 * several files at once. A 12 MP, 5 MB picture becomes at most 1600 px on its long side, JPEG at
 * quality 0.8: a few hundred KB, which matters on a slow village connection and in the offline
 * queue. The server still checks and re-encodes every photo; PDFs and anything that cannot be
 * read here are sent unchanged.
 *
 * window.TpbisPhotos.ready(input) resolves when the input's files are final (the offline forms
 * wait for it before keeping a form); TpbisPhotos.shrink(file) shrinks one file.
 */
(function () {
  "use strict";
  const LONG_SIDE = 1600;
  const QUALITY = 0.8;
  const SHRINKABLE = ["image/jpeg", "image/png", "image/webp"];
  const supported = Boolean(window.createImageBitmap && window.DataTransfer && HTMLCanvasElement.prototype.toBlob);
  const pending = new WeakMap();

  function toBlob(canvas) {
    return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
  }

  async function shrink(file, limit) {
    if (!supported || SHRINKABLE.indexOf(file.type) < 0) return file;
    const longSide = limit || LONG_SIDE;
    let bitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch (error) {
      return file;
    }
    const scale = Math.min(1, longSide / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.size < 500000) return file;
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    if (bitmap.close) bitmap.close();
    const blob = await toBlob(canvas);
    canvas.width = canvas.height = 0;
    if (!blob || blob.size >= file.size) return file;
    const name = file.name.replace(/\.[^.]+$/, "") + ".jpg";
    return new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified });
  }

  function takesImages(input) {
    const accept = (input.getAttribute("accept") || "").toLowerCase();
    return input.hasAttribute("data-shrink") || accept.indexOf("image") >= 0;
  }

  function statusFor(input) {
    const box = input.form || document;
    return box.querySelector("[data-shrink-status]");
  }

  async function shrinkInput(input) {
    const files = Array.from(input.files || []);
    if (!files.length || input.dataset.shrunk === "1") return;
    const limit = parseInt(input.dataset.shrink, 10) || LONG_SIDE;
    input.dataset.shrinking = "1";
    let before = 0;
    let after = 0;
    const out = [];
    for (const file of files) {
      const small = await shrink(file, limit);
      before += file.size;
      after += small.size;
      out.push(small);
    }
    if (after < before) {
      const transfer = new DataTransfer();
      out.forEach((file) => transfer.items.add(file));
      input.dataset.shrunk = "1"; // the change event below is ours: do not shrink again
      input.files = transfer.files;
      const note = statusFor(input);
      if (note && note.dataset.msgShrunk) {
        const kb = new Intl.NumberFormat(document.documentElement.lang || "id");
        note.textContent = `${note.dataset.msgShrunk} ${kb.format(Math.round(before / 1024))} KB → ${kb.format(Math.round(after / 1024))} KB`;
      }
    }
    delete input.dataset.shrinking;
  }

  document.addEventListener(
    "change",
    (event) => {
      const input = event.target;
      if (!(input instanceof HTMLInputElement) || input.type !== "file" || !takesImages(input)) return;
      delete input.dataset.shrunk;
      const work = shrinkInput(input).catch(() => {});
      pending.set(input, work);
    },
    true
  );

  window.TpbisPhotos = {
    shrink,
    ready(input) {
      return pending.get(input) || Promise.resolve();
    },
    all(form) {
      return Promise.all(Array.from(form.querySelectorAll("input[type=file]")).map((input) => window.TpbisPhotos.ready(input)));
    },
  };
})();
