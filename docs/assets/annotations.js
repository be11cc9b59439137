// Notes, terms and citations on a report page. Without this script each already shows its tooltip on hover
// and on keyboard focus (CSS), a note's number links to the list of notes at the end of the page, and a
// term or a cited document links to its page. This adds what CSS cannot do: on touch, a first tap on a
// term or citation opens its tooltip and a second follows the link; for notes,
// a tap on the marked passage or on the number opens the note (a second tap on the number goes to the
// list), hovering the passage itself opens it, Escape or a tap elsewhere closes it, and a note is kept
// inside the window.
(function () {
  "use strict";
  var OPEN = "is-open", ABOVE = "ann-tip--above", touch = false, closing = null;

  function anchorOf(id) {
    var tip = document.getElementById("ann-tip-" + id);
    return tip ? tip.parentElement : null;
  }

  function closeAll(except) {
    document.querySelectorAll(".ann-anchor." + OPEN).forEach(function (a) {
      if (a !== except) a.classList.remove(OPEN);
    });
  }

  function open(anchor) {
    if (!anchor) return;
    clearTimeout(closing);
    closeAll(anchor);
    anchor.classList.remove("is-dismissed");
    anchor.classList.add(OPEN);
    fit(anchor);
  }

  // A tooltip stays inside the window: moved left (or right) as far as it overhangs, and opened above its
  // words when it would run past the foot of the window and there is more room above.
  function fit(anchor) {
    var tip = anchor && anchor.querySelector(".ann-tip");
    if (!tip) return;
    tip.style.marginLeft = "";
    tip.classList.remove(ABOVE);
    if (getComputedStyle(tip).position !== "absolute") return;   // the phone's sheet needs no fitting
    var box = tip.getBoundingClientRect(), room = document.documentElement.clientWidth - 8;
    if (!box.width) return;                                        // not shown
    if (box.right > room) tip.style.marginLeft = Math.max(8 - box.left, room - box.right) + "px";
    else if (box.left < 8) tip.style.marginLeft = (8 - box.left) + "px";
    var foot = document.documentElement.clientHeight - 8, words = anchor.getBoundingClientRect();
    var header = document.querySelector(".md-header");             // it stays over the top of the window
    var top = header ? header.getBoundingClientRect().bottom : 0;
    if (box.bottom > foot && words.top - top > foot - words.bottom) tip.classList.add(ABOVE);
  }

  function laterClose(anchor) {
    clearTimeout(closing);
    closing = setTimeout(function () { if (anchor) anchor.classList.remove(OPEN); }, 300);
  }

  // A term or document linked again carries no tooltip of its own (the page holds each once); it gets a
  // copy of the first link's the moment a pointer, a finger or the focus reaches it, before CSS shows it.
  function materialise(e) {
    var link = e.target.closest && e.target.closest("a[data-tip]");
    var anchor = link && link.closest(".ann-anchor");
    if (!anchor || anchor.querySelector(".ann-tip")) return;
    var source = document.getElementById(link.getAttribute("data-tip"));
    if (!source) return;
    var copy = source.cloneNode(true);
    copy.removeAttribute("id");
    copy.setAttribute("aria-hidden", "true");   // aria-describedby already points at the original
    anchor.appendChild(copy);
  }
  ["pointerover", "pointerdown", "focusin"].forEach(function (type) {
    document.addEventListener(type, materialise, true);
  });
  // A term's or document's tooltip is shown by CSS (hover, focus), without ``open``: fitted as it appears.
  ["pointerover", "focusin"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      var link = e.target.closest && e.target.closest("a.ann-term, a.ann-law");
      if (link) fit(link.closest(".ann-anchor"));
    });
  });

  document.addEventListener("pointerdown", function (e) { touch = e.pointerType !== "mouse"; }, true);

  document.addEventListener("click", function (e) {
    var ref = e.target.closest(".ann-ref, a.ann-term, a.ann-law");
    if (e.target.closest(".ann-tip")) return;   // a tap inside an open note (a nested one's too) keeps it
    var mark = e.target.closest("mark.ann[data-ann]");
    if (ref) {
      var anchor = ref.closest(".ann-anchor");
      if (touch && !anchor.classList.contains(OPEN)) { e.preventDefault(); open(anchor); }
      return;
    }
    if (mark) {
      var id = mark.getAttribute("data-ann"), target = anchorOf(id);
      if (target) {
        if (target.classList.contains(OPEN)) target.classList.remove(OPEN); else open(target);
      } else if (document.getElementById("ann-" + id)) {
        location.hash = "ann-" + id;        // a passage in a heading: its note is in the list
      }
      return;
    }
    closeAll(null);
  });

  document.addEventListener("mouseover", function (e) {
    if (touch) return;
    // A note's own number and tooltip first: inside a longer marked passage they belong to the inner note.
    var anchor = e.target.closest(".ann-anchor"), mark = e.target.closest("mark.ann[data-ann]");
    if (anchor && (!mark || mark.contains(anchor))) clearTimeout(closing);
    else if (mark) open(anchorOf(mark.getAttribute("data-ann")));
  });

  document.addEventListener("mouseout", function (e) {
    var from = e.target.closest("mark.ann[data-ann], .ann-anchor");
    if (!from || (e.relatedTarget && from.contains(e.relatedTarget))) return;
    laterClose(from.matches(".ann-anchor") ? from : anchorOf(from.getAttribute("data-ann")));
  });

  // Escape dismisses a note however it was opened, hover and focus included (WCAG 1.4.13), until the
  // pointer or the focus leaves it.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    document.querySelectorAll(".ann-anchor").forEach(function (a) {
      if (a.classList.contains(OPEN) || a.matches(":hover, :focus-within")) a.classList.add("is-dismissed");
    });
    closeAll(null);
  });
  ["mouseout", "focusout"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      var a = e.target.closest(".ann-anchor");
      if (a && !(e.relatedTarget && a.contains(e.relatedTarget))) a.classList.remove("is-dismissed");
    });
  });
})();
