/* Fair day: the organizer's check-in page (camera scan with jsQR, or a typed short code) and the
   print button of the booth list. No inline script: the page's CSP allows only 'self'. */
(function () {
  "use strict";

  var printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.addEventListener("click", function () { window.print(); });
  }

  var form = document.getElementById("checkin-form");
  if (!form) { return; }
  var input = document.getElementById("code");
  var result = document.getElementById("checkin-result");
  var recent = document.getElementById("checkin-recent");
  var video = document.getElementById("scan-video");
  var canvas = document.getElementById("scan-canvas");
  var startButton = document.getElementById("scan-start");
  var stopButton = document.getElementById("scan-stop");
  var busy = false;
  var lastText = "";
  var lastAt = 0;
  var stream = null;

  function show(ok, warn, message) {
    result.hidden = false;
    result.className = "checkin-result " + (ok ? (warn ? "is-warning" : "is-ok") : "is-error");
    result.textContent = message;
  }

  function updateCounts(counts) {
    if (!counts) { return; }
    Object.keys(counts).forEach(function (key) {
      var el = document.querySelector('[data-count="' + key + '"]');
      if (el) { el.textContent = counts[key]; }
    });
  }

  function addRecent(data) {
    if (!recent || data.already) { return; }
    var empty = recent.querySelector(".empty");
    if (empty) { empty.remove(); }
    var li = document.createElement("li");
    li.textContent = data.name + (data.detail ? " · " + data.detail : "") + " · " + data.at;
    recent.insertBefore(li, recent.firstChild);
  }

  function submit(code) {
    if (busy) { return; }
    busy = true;
    var body = new FormData(form);
    body.set("code", code);
    fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json();
    }).then(function (data) {
      show(data.ok, data.already, data.message);
      if (data.ok) { updateCounts(data.counts); addRecent(data); input.value = ""; }
    }).catch(function () {
      show(false, false, form.getAttribute("data-network-error"));
    }).then(function () { busy = false; input.focus(); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (input.value.trim()) { submit(input.value.trim()); }
  });

  function tick() {
    if (!stream) { return; }
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      var ctx = canvas.getContext("2d");
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      var now = Date.now();
      // the same code held in front of the camera is sent once every 3 seconds at most
      if (code && code.data && (code.data !== lastText || now - lastAt > 3000)) {
        lastText = code.data;
        lastAt = now;
        submit(code.data);
      }
    }
    window.requestAnimationFrame(tick);
  }

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.hidden = true;
    stopButton.hidden = true;
    startButton.hidden = false;
  }

  function start() {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      startButton.hidden = true;
      stopButton.hidden = false;
      video.play();
      window.requestAnimationFrame(tick);
    }).catch(function () {
      show(false, false, form.getAttribute("data-scan-error"));
    });
  }

  if (window.jsQR && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    startButton.hidden = false;
    startButton.addEventListener("click", start);
    stopButton.addEventListener("click", stop);
  }
})();
