/* The reader's player (/web/read/{job}). Without this script the page works: the text is there and each part
   has its own <audio controls>. With it: one player for the whole document, the sentence being read
   highlighted from the section's clips (a class only: no live region, nothing speaks over a screen reader),
   click a sentence to start there, previous/next sentence, speed 0.75x-2x without pitch change, Alt+Shift+P
   to pause/resume, the position saved with the account, and the reading ruler's band. See docs/reader.md. */
"use strict";
(function () {
  const root = document.getElementById("reader");
  if (!root) return;
  const text = document.getElementById("reader-text");
  const band = document.getElementById("ruler-band");
  const rulerOn = root.classList.contains("ruler-on");

  function moveBand(rect) {
    if (!rulerOn || !band || !rect) return;
    band.hidden = false;
    band.style.top = Math.round(rect.top + rect.height / 2 - band.offsetHeight / 2) + "px";
  }
  if (rulerOn && band) {
    text.addEventListener("mousemove", (e) => moveBand({ top: e.clientY, height: 0 }));
    text.addEventListener("focusin", (e) => moveBand(e.target.getBoundingClientRect()));
  }

  const sections = Array.from(text.querySelectorAll(".reader-section")).map((el) => ({
    el: el,
    index: Number(el.dataset.index),
    audio: el.querySelector("audio"),
    clips: JSON.parse(el.dataset.clips || "[]"),
  }));
  const playable = sections.filter((s) => s.audio);
  const player = document.getElementById("player");
  if (!player || playable.length === 0) return;
  player.hidden = false;
  root.classList.add("has-player");

  const button = document.getElementById("pl-play");
  const speedBox = document.getElementById("pl-speed");
  const where = document.getElementById("pl-where");
  let current = null;
  let lit = null;
  let speed = 1;
  let lastSave = 0;
  let resume = null;
  if (root.dataset.resumeSection) {
    const s = playable.find((p) => p.index === Number(root.dataset.resumeSection));
    if (s) resume = { section: s, time: Number(root.dataset.resumeTime) || 0 };
    const saved = Number(root.dataset.resumeSpeed);
    if (saved >= 0.75 && saved <= 2) {
      speed = saved;
      const option = Array.from(speedBox.options).find((o) => Number(o.value) === saved);
      if (option) speedBox.value = option.value;
    }
  }

  function clipAt(section, t) {
    for (let i = 0; i < section.clips.length; i++) {
      const c = section.clips[i];
      if (c[1] <= t && t < c[2]) return i;
    }
    return -1;
  }

  // What the student folded is not read: a sentence inside a closed <details> (a section's key points,
  // its "Points clés" line included) is skipped, as a screen reader skips a closed disclosure's content.
  function folded(id) {
    const el = document.getElementById(id);
    const box = el && el.closest("details");
    return Boolean(box && !box.open);
  }

  function shownFrom(section, i, delta) {
    for (let j = i; j >= 0 && j < section.clips.length; j += delta) {
      if (!folded(section.clips[j][0])) return j;
    }
    return -1;
  }

  function skipFolded(i) {
    const a = current.audio;
    if (a.paused || i < 0 || !folded(current.clips[i][0])) return false;
    const j = shownFrom(current, i + 1, 1);
    if (j >= 0) { a.currentTime = current.clips[j][1]; return true; }
    const n = playable.indexOf(current);
    if (n + 1 < playable.length) play(playable[n + 1], 0);
    else { a.pause(); a.currentTime = current.clips[current.clips.length - 1][2]; }
    return true;
  }

  function highlight() {
    if (!current) return;
    let i = clipAt(current, current.audio.currentTime);
    if (skipFolded(i)) i = clipAt(current, current.audio.currentTime);
    const el = i >= 0 ? document.getElementById(current.clips[i][0]) : null;
    if (el === lit) return;
    if (lit) lit.classList.remove("reading");
    lit = el;
    if (!el) return;
    el.classList.add("reading");
    const rect = el.getBoundingClientRect();
    if (!current.audio.paused && (rect.top < 0 || rect.bottom > window.innerHeight)) {
      el.scrollIntoView({ block: "center" });
    }
    moveBand(el.getBoundingClientRect());
  }

  function loop() {
    highlight();
    if (current && !current.audio.paused) window.requestAnimationFrame(loop);
  }

  function label() {
    const playing = current && !current.audio.paused;
    button.textContent = playing ? button.dataset.pause : (current || resume ? button.dataset.resume : button.dataset.play);
  }

  function save(force) {
    if (!current) return;
    const now = Date.now();
    if (!force && now - lastSave < 5000) return;
    lastSave = now;
    const body = new URLSearchParams({
      csrf_token: root.dataset.csrf,
      section: String(current.index),
      time: current.audio.currentTime.toFixed(3),
      speed: String(speed),
    });
    fetch("/web/read/" + root.dataset.job + "/position", { method: "POST", body: body, credentials: "same-origin" })
      .catch(() => {});
  }

  function use(section) {
    if (current && current !== section) current.audio.pause();
    current = section;
    root.dataset.current = String(section.index);
    section.audio.preservesPitch = true;
    section.audio.playbackRate = speed;
  }

  function play(section, time) {
    use(section);
    resume = null;
    if (where) where.textContent = "";
    if (time !== undefined && time !== null) section.audio.currentTime = time;
    section.audio.play().catch(() => {});
  }

  function toggle() {
    if (current && !current.audio.paused) current.audio.pause();
    else if (current) play(current);
    else if (resume) play(resume.section, resume.time);
    else play(playable[0], 0);
  }

  function step(delta) {
    if (!current) { toggle(); return; }
    let s = playable.indexOf(current);
    let i = clipAt(current, current.audio.currentTime) + delta;
    while (s >= 0 && s < playable.length) {
      const clips = playable[s].clips;
      i = shownFrom(playable[s], i, delta);  // a folded sentence is stepped over
      if (i >= 0 && i < clips.length) { play(playable[s], clips[i][1]); return; }
      s += delta;
      if (s < 0 || s >= playable.length) return;
      i = delta > 0 ? 0 : playable[s].clips.length - 1;
    }
  }

  playable.forEach((section, n) => {
    const a = section.audio;
    a.preload = "metadata";
    a.addEventListener("play", () => { if (current !== section) use(section); label(); loop(); });
    a.addEventListener("pause", () => { highlight(); label(); save(true); });
    a.addEventListener("seeked", highlight);
    a.addEventListener("timeupdate", () => { highlight(); if (!a.paused) save(false); });
    a.addEventListener("ended", () => {
      if (n + 1 < playable.length) play(playable[n + 1], 0);
      else { label(); save(true); }
    });
  });

  button.addEventListener("click", toggle);
  document.getElementById("pl-prev").addEventListener("click", () => step(-1));
  document.getElementById("pl-next").addEventListener("click", () => step(1));
  speedBox.addEventListener("change", () => {
    speed = Number(speedBox.value) || 1;
    playable.forEach((s) => { s.audio.preservesPitch = true; s.audio.playbackRate = speed; });
  });
  text.addEventListener("click", (e) => {
    if (e.target.closest("button, a, summary, [popover], audio")) return;
    const el = e.target.closest("[data-b]");
    const section = el && playable.find((s) => s.el.contains(el));
    if (section) play(section, Number(el.dataset.b));
  });
  document.addEventListener("keydown", (e) => {
    // Alt+Shift+P: by its key code (Option+Shift+P types a symbol on a Mac); single letters are left to
    // screen readers' browse mode.
    if (e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === "KeyP") {
      e.preventDefault();
      toggle();
    }
  });
  if (where && !resume) where.textContent = "";
  label();
})();
