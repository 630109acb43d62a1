/* Small behaviours every page may use, wired by data- attributes instead of inline handlers: the
   Content-Security-Policy (crm/settings.py) runs no inline script, no on*="" attribute and no eval.
   Listeners sit on the document, so content htmx swaps in later works too.

   data-autosubmit            a select or input that submits its form when changed
   data-confirm="question"    a form that asks before it is submitted
   data-print                 a button that prints the page
   data-keep-query            a link (data-base="/path") that carries the page's current query string
   data-select-all="form-id"  a checkbox that ticks every input[name=id] of that form
   data-enter-submits         a textarea where Enter submits (Shift+Enter: a new line)
   data-select-on-focus       an input whose text is selected when focused
   data-copy="element-id"     a button that copies that input's value (data-copied: the label afterwards)
   data-history-back          a link that goes back when there is a page to go back to

   htmx trigger filters (hx-trigger="change[...]") would need eval; these events replace them:
   rule-change, rule-input    a value of the segment rule builder changed / is being typed
   select-change              a select of the analysis filters changed to anything but "custom" */
(function () {
  "use strict";

  function closest(target, selector) {
    return target && target.closest ? target.closest(selector) : null;
  }

  function fire(element, name) {
    if (window.htmx) window.htmx.trigger(element, name);
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-autosubmit]") && target.form) target.form.submit();
    if (target.matches("[data-select-all]")) {
      var selector = "input[name=id][form='" + target.dataset.selectAll + "']";
      document.querySelectorAll(selector).forEach(function (box) { box.checked = target.checked; });
    }
    if (closest(target, ".rule-value")) fire(target, "rule-change");
    if (target.tagName === "SELECT" && target.value !== "custom" && closest(target, "form.analysis-filters")) {
      fire(target, "select-change");
    }
  });

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (closest(target, ".rule-value") && target.type !== "checkbox" && target.tagName !== "SELECT") {
      fire(target, "rule-input");
    }
  });

  document.addEventListener("submit", function (event) {
    var question = event.target.dataset && event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    // Close the header search dropdown on a click elsewhere.
    if (!closest(target, ".header-search")) {
      var results = document.getElementById("search-results");
      if (results) results.innerHTML = "";
    }
    if (closest(target, "[data-print]")) window.print();
    var link = closest(target, "a[data-keep-query]");
    if (link) link.href = link.dataset.base + window.location.search;
    var copy = closest(target, "[data-copy]");
    if (copy) {
      var input = document.getElementById(copy.dataset.copy);
      if (input) {
        input.select();
        if (navigator.clipboard) navigator.clipboard.writeText(input.value);
        if (copy.dataset.copied) copy.textContent = copy.dataset.copied;
      }
    }
    var back = closest(target, "a[data-history-back]");
    if (back && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Escape") {
      var results = document.getElementById("search-results");
      if (results) results.innerHTML = "";
    }
    if (event.key === "Enter" && !event.shiftKey && target.matches("textarea[data-enter-submits]") && target.form) {
      event.preventDefault();
      target.form.requestSubmit();
    }
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches("input[data-select-on-focus]")) event.target.select();
  });
})();
