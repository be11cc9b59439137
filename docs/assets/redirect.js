// A report's former address: go on to its present one, keeping the query (a search
// highlight) and the fragment (#cite). Kept out of the page so the page needs no inline script.
(function () {
  "use strict";
  var link = document.getElementById("moved-to");
  if (link) location.replace(link.href.split("#")[0].split("?")[0] + location.search + location.hash);
})();
