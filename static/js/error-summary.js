// Move focus to a failed form's error summary so keyboard and screen-reader users start there.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});
