/* The teacher's preview while it is being made: polls its status every few seconds, shows the step in the
   page's progress bar and status line, and opens the preview when it is ready. Without JavaScript the page
   has a link that loads it again. */
"use strict";

function watchPreview() {
  const box = document.getElementById("preview-wait");
  const bar = document.getElementById("preview-progress");
  const line = document.getElementById("preview-stage");
  const words = document.getElementById("preview-words");
  if (!box || !bar || !line || !words) return;
  const stage = (name) => {
    const e = words.content.querySelector(`[data-stage="${name}"]`);
    return e ? e.textContent : name;
  };
  const pattern = words.content.querySelector("[data-pattern]").textContent;
  const every = 1000 * (Number(box.dataset.every) || 3);
  const poll = async () => {
    try {
      const answer = await fetch(box.dataset.status, { credentials: "same-origin", cache: "no-store" });
      if (answer.ok) {
        const state = await answer.json();
        if (state.state === "done" || state.state === "failed") {
          line.textContent = words.content.querySelector("[data-ready]").textContent;
          window.location.replace(document.getElementById("preview-refresh").href);
          return;
        }
        bar.value = state.percent;
        const text = pattern.replace("{stage}", stage(state.stage)).replace("{pct}", state.percent);
        if (line.textContent !== text) line.textContent = text;
      }
    } catch (_) { /* the next poll tries again */ }
    setTimeout(poll, every);
  };
  setTimeout(poll, every);
}

document.addEventListener("DOMContentLoaded", watchPreview);
