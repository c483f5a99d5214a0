// Shrinks a phone photo in the browser before upload (a 4000 px, 5 MB picture becomes
// about 1600 px and a few hundred KB), which matters on a slow village connection.
// The server still checks and re-encodes every photo; if anything here fails, the
// original file is sent unchanged.
(function () {
  "use strict";
  if (!window.createImageBitmap || !window.DataTransfer || !HTMLCanvasElement.prototype.toBlob) return;
  var SHRINKABLE = ["image/jpeg", "image/png", "image/webp"];

  function shrink(input) {
    var file = input.files && input.files[0];
    var limit = parseInt(input.dataset.shrink, 10) || 1600;
    if (!file || SHRINKABLE.indexOf(file.type) < 0) return;
    var note = input.form && input.form.querySelector("[data-shrink-status]");
    createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, limit / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size < 1500000) return;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        if (!blob || blob.size >= file.size) return;
        var name = file.name.replace(/\.[^.]+$/, "") + ".jpg";
        var transfer = new DataTransfer();
        transfer.items.add(new File([blob], name, { type: "image/jpeg" }));
        input.files = transfer.files;
        if (note) {
          var kb = new Intl.NumberFormat(document.documentElement.lang || "id");
          note.textContent = note.dataset.msgShrunk + " " + kb.format(Math.round(file.size / 1024)) +
            " KB → " + kb.format(Math.round(blob.size / 1024)) + " KB";
        }
      }, "image/jpeg", 0.85);
    }).catch(function () { /* keep the original file */ });
  }

  document.querySelectorAll("input[type=file][data-shrink]").forEach(function (input) {
    input.addEventListener("change", function () { shrink(input); });
  });
})();
