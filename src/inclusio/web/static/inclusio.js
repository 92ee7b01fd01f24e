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

async function freshSections(ids) {
  // The server renders these parts (downloads, problems): take them from a fresh copy of the page, in place
  // (no reload, so the live region's news is heard and the reader keeps their place).
  const answer = await fetch(window.location.pathname, { credentials: "same-origin" });
  if (!answer.ok) return;
  const fresh = new DOMParser().parseFromString(await answer.text(), "text/html");
  let previous = null;
  ids.forEach((id) => {
    const now = document.getElementById(id);
    const next = fresh.getElementById(id);
    if (now && next) now.replaceWith(document.importNode(next, true));
    else if (now) now.remove();
    else if (next && previous) previous.after(document.importNode(next, true));
    previous = document.getElementById(id) || previous;
  });
}

function followRelease() {
  // A release runs on a worker: poll the job's state until it is released (or failed), then show the
  // new files in place. The live region changes once, when the release ends, not at every poll.
  const box = document.getElementById("release");
  if (!box || box.dataset.state !== "releasing" || !window.fetch) return;
  const text = document.getElementById("release-state");
  const tick = async () => {
    try {
      const answer = await fetch("/web/jobs/" + box.dataset.job + "/state.json", { credentials: "same-origin" });
      if (!answer.ok) { window.setTimeout(tick, 5000); return; }
      const job = await answer.json();
      if (job.release === "releasing") { window.setTimeout(tick, 1500); return; }
      // The release may have changed the job's status (partial when an output failed): the word follows, and
      // the release's news (one polite announcement) says the new status then.
      const word = document.getElementById("job-status-word");
      if (word && job.status_text && word.textContent !== job.status_text) {
        word.textContent = job.status_text;
        word.className = "status status-" + job.status;
      }
      text.textContent = job.release_text;
      text.className = job.release === "released" ? "notice" : "problem";
      await freshSections(["release-details", "review-status", "downloads", "problems", "good-to-know"]);
      box.dataset.state = job.release || "";
    } catch (err) { window.setTimeout(tick, 5000); }
  };
  window.setTimeout(tick, 1000);
}

function showFailures(box, failures) {
  // The failures list follows the queue: rebuilt only when the set of failed jobs changes.
  const ids = failures.map((f) => f.id).join(",");
  if (box.dataset.ids === ids) return;
  box.dataset.ids = ids;
  box.textContent = "";
  if (!failures.length) {
    const none = document.createElement("p");
    none.textContent = box.dataset.none;
    box.appendChild(none);
    return;
  }
  const list = document.createElement("ul");
  list.className = "problems";
  list.setAttribute("aria-labelledby", "failures-h");
  failures.forEach((f) => {
    const item = document.createElement("li");
    item.dataset.job = f.id;
    const link = document.createElement("a");
    link.href = "/web/jobs/" + f.id;
    link.textContent = f.filename;
    item.append(link, " — ");
    f.errors.forEach((e) => {
      const code = document.createElement("strong");
      code.textContent = e.code;
      item.append(code, " : " + e.message + " ");
    });
    list.appendChild(item);
  });
  box.appendChild(list);
}

async function addRows(holder, ids, order) {
  // Jobs that appeared after the page was loaded (a batch sent from elsewhere): their rows as the server
  // renders them, each put where the server's order (newest first) puts it. Rows already there are never
  // moved, so the focus stays where it is. Returns how many rows were added.
  // The page's own filters and sort go with the ask, so the rows are rendered as the page renders them.
  const query = new URLSearchParams(window.location.search);
  query.set("ids", ids.join(","));
  const answer = await fetch("/web/staff/queue/rows?" + query.toString(), { credentials: "same-origin" });
  if (!answer.ok) return 0;
  const fresh = new DOMParser().parseFromString(await answer.text(), "text/html").querySelector("table.jobs");
  if (!fresh) return 0;
  const table = holder.querySelector("table.jobs");
  if (!table) {  // the page said "no job yet": the whole table arrives
    holder.replaceChildren(document.importNode(fresh, true));
    return fresh.tBodies[0].rows.length;
  }
  const body = table.tBodies[0];
  let added = 0;
  Array.from(fresh.tBodies[0].rows).forEach((row) => {
    const at = order.indexOf(row.dataset.job);
    const later = order.slice(at + 1).map((id) => body.querySelector("tr[data-job='" + id + "']")).find((r) => r);
    body.insertBefore(document.importNode(row, true), later || null);
    added += 1;
  });
  return added;
}

function followQueue() {
  // The staff dashboard: bars, statuses and review links change in place; rows of new jobs are added; the
  // summary (a polite live region) is rewritten only when the counts change or rows were added, so a screen
  // reader hears each change once (a batch of new rows: one sentence).
  const queue = document.getElementById("queue");
  if (!queue || !window.fetch) return;
  const summary = document.getElementById("queue-summary");
  const failures = document.getElementById("failures");
  const holder = document.getElementById("queue-jobs");
  let counts = summary.textContent;
  let pending = "";  // new jobs seen at the last poll: added once the set stops growing (a batch being sent)
  let waited = 0;
  failures.dataset.ids = Array.from(failures.querySelectorAll("li[data-job]")).map((li) => li.dataset.job).join(",");
  const tick = async () => {
    let next = 5000;
    try {
      const answer = await fetch("/web/staff/queue.json" + window.location.search, { credentials: "same-origin" });
      if (answer.ok) {
        const data = await answer.json();
        const order = data.jobs.map((job) => job.id);
        const unseen = order.filter((id) => !holder.querySelector("tr[data-job='" + id + "']"));
        let added = 0;
        let fresh = [];  // rows just rendered by the server: newer than this poll's data
        if (unseen.length && (unseen.join(",") === pending || waited >= 4)) {
          fresh = unseen;
          added = await addRows(holder, unseen, order);
          pending = "";
          waited = 0;
        } else if (unseen.length) {
          pending = unseen.join(",");
          waited += 1;
        } else {
          pending = "";
        }
        // Rows the server no longer lists (older than its last rows, or deleted) go, unless they hold the focus.
        holder.querySelectorAll("tr[data-job]").forEach((row) => {
          if (!order.includes(row.dataset.job) && !row.contains(document.activeElement)) row.remove();
        });
        if (added) {
          summary.textContent = summary.dataset.added.replace("{n}", added) + " " + data.summary;
          counts = data.summary;
        } else if (counts !== data.summary) {
          summary.textContent = data.summary;
          counts = data.summary;
        }
        data.jobs.forEach((job) => {
          const row = holder.querySelector("tr[data-job='" + job.id + "']");
          if (!row || fresh.includes(job.id)) return;
          const bar = row.querySelector("[data-field=progress]");
          if (String(bar.value) !== String(job.pct)) {
            bar.value = job.pct;
            bar.textContent = job.pct_text;
            row.querySelector("[data-field=pct]").textContent = job.pct_text;
          }
          const status = row.querySelector("[data-field=status]");
          if (status.textContent !== job.status_text) {
            status.textContent = job.status_text;
            status.className = "status status-" + job.status;
          }
          const head = row.querySelector("th");  // the document's title arrives when the job finishes
          const named = job.title === job.filename ? job.title : job.title + " (" + job.filename + ")";
          if (head && job.title && head.textContent !== named) {
            head.textContent = job.title;
            if (job.title !== job.filename) {
              const file = document.createElement("span");
              file.className = "hint file";
              file.textContent = "(" + job.filename + ")";
              head.append(" ", file);
            }
          }
          const waiting = row.querySelector("[data-field=waiting]");
          if (waiting && job.waiting_text && waiting.textContent !== job.waiting_text) waiting.textContent = job.waiting_text;
          const flags = row.querySelector("[data-field=flags]");
          if (flags && job.flags && flags.textContent !== job.flags.shown) {
            // as the server writes the cell: "not yet" as a hint, a count to review marked with its symbol
            const text = document.createElement("span");
            if (job.flags.kind === "marked") {
              const mark = document.createElement("span");
              mark.setAttribute("aria-hidden", "true");
              mark.textContent = "⚠ ";
              text.className = "flag-mark";
              text.append(mark, job.flags.text);
              flags.replaceChildren(text);
            } else if (job.flags.kind === "na") {
              text.className = "hint";
              text.textContent = job.flags.text;
              flags.replaceChildren(text);
            } else flags.textContent = job.flags.text;
          }
          const release = row.querySelector("[data-field=release]");
          const short = job.release_short ? "(" + job.release_short + ")" : "";
          if (release && release.textContent !== short) release.textContent = short;
          const actions = row.querySelector("[data-field=actions]");
          if (job.review && actions && !actions.querySelector("[data-field=review]")) {
            const link = document.createElement("a");
            link.href = job.review.url;
            link.textContent = job.review.text;
            link.dataset.field = "review";
            actions.append(document.createElement("br"), link);
          }
        });
        showFailures(failures, data.failures || []);
        next = pending ? 700 : data.active ? 1500 : 5000;
      }
    } catch (err) { next = 5000; }
    window.setTimeout(tick, next);
  };
  window.setTimeout(tick, 1000);
}

document.addEventListener("DOMContentLoaded", () => { livePreview(); followJob(); followRelease(); followQueue(); });
