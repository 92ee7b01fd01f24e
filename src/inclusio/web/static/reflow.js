/* Reflow (WCAG 1.4.10): a table wider than its place scrolls inside its own region, never the page.
   Tables a template already put in a region (role=region: the table_region macro of _macros.html) are
   left alone; every other table of <main> is wrapped here in <div class="table-scroll" role="region"> named by its
   caption (else the nearest heading), reachable with Tab while it is too wide to show whole (so the
   arrow keys scroll it). Without JavaScript the cells' words break to make the table fit instead. */
"use strict";

function tableName(table, word) {
  // "<caption> (table)": the region's name differs from its section's, often named by the same words.
  const caption = table.querySelector("caption");
  if (caption && caption.textContent.trim()) return caption.textContent.trim() + " (" + word + ")";
  if (table.getAttribute("aria-label")) return table.getAttribute("aria-label") + " (" + word + ")";
  const section = table.closest("section, article, main");
  const heading = section && section.querySelector("h1, h2, h3, h4");
  return heading && heading.textContent.trim() ? heading.textContent.trim() + " (" + word + ")" : word;
}

function scrollRegions() {
  const word = document.documentElement.dataset.tableLabel || "table";
  const regions = [];
  document.querySelectorAll("main table").forEach((table) => {
    let region = table.parentElement;
    if (region.getAttribute("role") === "region") return; // a template's own scroll region
    if (!region.classList.contains("table-scroll")) {
      region = document.createElement("div");
      region.className = "table-scroll";
      region.setAttribute("role", "region");
      region.setAttribute("aria-label", tableName(table, word));
      region.dataset.auto = "true";
      table.parentNode.insertBefore(region, table);
      region.appendChild(table);
    }
    regions.push(region);
  });
  const focusable = () => regions.forEach((region) => {
    if (region.dataset.auto !== "true") return; // a template's region keeps its own tabindex
    if (region.scrollWidth > region.clientWidth + 1) region.tabIndex = 0;
    else region.removeAttribute("tabindex");
  });
  focusable();
  window.addEventListener("resize", focusable);
}

document.addEventListener("DOMContentLoaded", scrollRegions);
