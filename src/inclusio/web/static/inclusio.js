/* The little JavaScript of inclusio's pages. Everything works without it (forms post, links
   refresh); with it: the profile preview follows the settings live, job progress arrives by
   Server-Sent Events, the staff queue updates itself. */
"use strict";
document.documentElement.classList.add("js");

function words(root) {
  const out = { status: {}, stage: {}, pct: "{pct} %" };
  if (!root) return out;
  root.content.querySelectorAll("[data-status]").forEach((e) => { out.status[e.dataset.status] = e.textContent; });
  root.content.querySelectorAll("[data-stage]").forEach((e) => { out.stage[e.dataset.stage] = e.textContent; });
  const pct = root.content.querySelector("[data-pct]");
  if (pct) out.pct = pct.textContent;
  return out;
}

function livePreview() {
  const form = document.getElementById("profile-form");
  const box = document.getElementById("preview");
  if (!form || !box) return;
  const fonts = { sans: "Arial, Verdana, sans-serif", hyper: "'Atkinson Hyperlegible', Verdana, sans-serif",
                  dys: "OpenDyslexic, Verdana, sans-serif", serif: "Georgia, serif" };
  const update = () => {
    const base = form.querySelector("input[name=profile]:checked");
    const d = base ? base.dataset : {};
    const font = form.font.value ? fonts[form.font.value] : d.font;
    const size = form.size.value || d.size || 100;
    const line = form.line.value || d.line || 1.5;
    const letter = form.letter.value !== "" ? form.letter.value : (d.letter || 0);
    if (font) box.style.setProperty("--pv-font", font);
    box.style.setProperty("--pv-size", (size / 100) + "rem");
    box.style.setProperty("--pv-line", line);
    box.style.setProperty("--pv-letter", letter + "em");
    if (d.fg) box.style.setProperty("--pv-fg", d.fg);
    if (d.bg) box.style.setProperty("--pv-bg", d.bg);
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
}

function followJob() {
  const card = document.getElementById("job");
  if (!card || card.dataset.finished === "true" || !window.EventSource) return;
  const w = words(document.getElementById("words"));
  const bar = document.getElementById("job-progress");
  const pct = document.getElementById("job-pct");
  const live = document.getElementById("job-live");
  const word = document.getElementById("job-status-word");
  const source = new EventSource("/web/jobs/" + card.dataset.job + "/events");
  let lastStage = null;
  const show = (data) => {
    const value = Math.round((data.progress || 0) * 100);
    bar.value = value;
    bar.textContent = w.pct.replace("{pct}", value);
    pct.textContent = w.pct.replace("{pct}", value);
  };
  source.addEventListener("started", () => { word.textContent = w.status.running; word.className = "status status-running"; });
  source.addEventListener("stage", (e) => {
    const data = JSON.parse(e.data);
    show(data);
    if (data.stage && data.stage !== lastStage) {  // one announcement per stage, not per tick
      lastStage = data.stage;
      live.textContent = w.stage[data.stage] || data.stage;
    }
  });
  source.addEventListener("done", (e) => {
    source.close();
    const job = JSON.parse(e.data);
    show(job);
    word.textContent = w.status[job.status] || job.status;
    live.textContent = w.status[job.status] || job.status;
    // The downloads are rendered by the server: load the finished page once.
    window.setTimeout(() => window.location.reload(), 600);
  });
  source.addEventListener("deleted", () => source.close());
}

function followQueue() {
  const queue = document.getElementById("queue");
  if (!queue || !window.fetch) return;
  const summary = document.getElementById("queue-summary");
  const tick = async () => {
    try {
      const answer = await fetch("/web/staff/queue.json", { credentials: "same-origin" });
      if (!answer.ok) return;
      const data = await answer.json();
      if (summary.textContent !== data.summary) summary.textContent = data.summary;
      data.jobs.forEach((job) => {
        const row = queue.querySelector("tr[data-job='" + job.id + "']");
        if (!row) return;
        const bar = row.querySelector("[data-field=progress]");
        bar.value = job.pct;
        bar.textContent = job.pct_text;
        row.querySelector("[data-field=pct]").textContent = job.pct_text;
        const status = row.querySelector("[data-field=status]");
        status.textContent = job.status_text;
        status.className = "status status-" + job.status;
      });
      if (data.active) window.setTimeout(tick, 1500);
    } catch (err) { window.setTimeout(tick, 5000); }
  };
  window.setTimeout(tick, 1000);
}

document.addEventListener("DOMContentLoaded", () => { livePreview(); followJob(); followQueue(); });
