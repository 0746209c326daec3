// "Who is it?" on the concern form: as the reporter types (three letters at least), show the few
// people who match, from the reporter's own school; choosing one fills in the hidden person field.
// Without JavaScript the typed name is matched when the form is sent.
document.querySelectorAll("input[data-person-search]").forEach(function (input) {
  var form = input.form;
  var hidden = form.querySelector("input[type=hidden][name=subject_person]");
  var list = document.createElement("div");
  list.className = "list-group mt-1";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "People matching the name typed");
  input.insertAdjacentElement("afterend", list);
  var timer = null;

  function show(results) {
    list.replaceChildren();
    results.forEach(function (person) {
      var option = document.createElement("button");
      option.type = "button";
      option.className = "list-group-item list-group-item-action";
      option.setAttribute("role", "option");
      option.textContent = person.label; // text, never HTML
      option.addEventListener("click", function () {
        if (hidden) { hidden.value = person.id; }
        input.value = person.label;
        list.replaceChildren();
      });
      list.appendChild(option);
    });
  }

  input.addEventListener("input", function () {
    if (hidden) { hidden.value = ""; }
    clearTimeout(timer);
    var query = input.value.trim();
    if (query.replace(/\s/g, "").length < 3) { show([]); return; }
    timer = setTimeout(function () {
      fetch(input.dataset.personSearch + "?q=" + encodeURIComponent(query), {credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (data) { show(data.results || []); })
        .catch(function () { show([]); });
    }, 200);
  });
});
