// Moves an export's progress bar by polling its progress endpoint; shows the download link when done.
(function () {
  var box = document.getElementById("export-progress");
  if (!box) return;
  var bar = box.querySelector(".progress");
  var fill = bar.querySelector(".progress-bar");

  function show(id, visible) { document.getElementById(id).hidden = !visible; }

  function update(p) {
    bar.setAttribute("aria-valuenow", p.percent);
    fill.style.width = p.percent + "%";
    fill.textContent = p.percent + "%";
    fill.classList.toggle("bg-success", p.status === "done");
    document.getElementById("export-status").firstChild.textContent = p.status_label + ": ";
    document.getElementById("export-count").textContent = p.done + " of " + p.total;
    show("export-ready", p.status === "done");
    show("export-failed", p.status === "failed");
    document.getElementById("export-error").textContent = p.error;
    document.getElementById("export-expires").textContent = p.expires;
    show("export-restart", p.can_restart);
    document.getElementById("export-waiting").textContent = p.waiting_note;
    show("export-waiting", !!p.waiting_note);
  }

  function poll() {
    fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (p) {
        update(p);
        if (!p.finished) setTimeout(poll, 700);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }

  poll();
})();
