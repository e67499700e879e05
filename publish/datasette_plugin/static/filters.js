// Filter forms: leave empty fields out of the address, so a shared link reads ?tool=deepseek, not ?tool=deepseek&action=&...
document.querySelectorAll("form.banwatch-filters").forEach(function (form) {
  form.addEventListener("submit", function () {
    form.querySelectorAll("select, input[name]").forEach(function (field) {
      if (field.type !== "checkbox" && !field.value) {
        field.disabled = true;
      }
    });
  });
});
// Coming back with the Back button must not find the fields still disabled.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form.banwatch-filters [disabled]").forEach(function (field) {
    field.disabled = false;
  });
});
