// The order lines editor: choosing a catalogue product fills the line's description, unit and
// price (when the product's currency is the order's). Runs in the capture phase, before htmx
// sends the change for the live totals, so the totals see the filled values.
document.addEventListener("change", function (event) {
  var select = event.target.closest && event.target.closest("select[name$='-product']");
  if (!select) return;
  var option = select.selectedOptions[0];
  var row = select.closest("tr");
  if (!option || !option.dataset.name || !row) return;
  var field = function (suffix) { return row.querySelector("[name$='-" + suffix + "']"); };
  var currencyInput = select.form && select.form.querySelector("[name=currency]");
  var currency = currencyInput ? currencyInput.value : "";
  field("description").value = option.dataset.name;
  field("unit").value = option.dataset.unit || "";
  var price = field("unit_price");
  if (!currency || option.dataset.currency === currency) {
    price.value = option.dataset.price;
  } else {
    price.value = "";
    price.placeholder = option.dataset.currency + " " + option.dataset.price;
    price.focus();
  }
}, true);
