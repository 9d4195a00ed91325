/* sswis — small progressive enhancements on top of htmx. Served from this host (CSP script-src 'self');
   every page works without it. */
(function () {
  "use strict";
  // An htmx swap replaces the control that was used (e.g. a sort link in a table heading). Put keyboard
  // focus back on its replacement so keyboard and screen-reader users do not lose their place.
  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail && event.detail.requestConfig;
    var trigger = config && config.elt;
    if (!trigger || !trigger.id) {
      return;
    }
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) {
      return;
    }
    var replacement = document.getElementById(trigger.id);
    if (replacement) {
      replacement.focus();
    }
  });
})();
