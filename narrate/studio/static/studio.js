// narrate studio: plain JavaScript, no build step.
//
// The page keeps a person's changes as a list of operations (see narrate/studio/edits.py).
// Every view is computed by the server with those operations applied (POST /api/view), so the
// page never re-implements the edits; Save sends the same list to be written into the script
// file. Stable hooks for browser tests: [data-segment="<index in the Script>"] on each segment,
// select[name=speaker] on a dialogue segment (option values are character names), and the
// button named "Save".
"use strict";

const TOKEN = document.querySelector('meta[name="studio-token"]').content;
const EAGER_SEGMENTS = 400;  // up to this many, the whole script is shown at once
const PALETTE = ["#c0392b", "#2471a3", "#1e8449", "#a04000", "#7d3c98", "#117a65",
                 "#b7950b", "#884ea0", "#cb4335", "#2e86c1", "#239b56", "#6e2c00"];
const NARRATOR = "Narrator";

const S = {
  state: null,      // the last state from the server (with the pending operations applied)
  ops: [],          // pending (unsaved) operations
  voices: [],       // [{id, engine, gender, language, offline, description}]
  loaded: new Map(),  // part number -> [first, end] of the parts shown
  saved: new Map(),   // segment index -> JSON of its view as saved (to mark changed lines)
  colors: new Map(),
  doubtful: false,
  observer: null,
  lineUrl: null,
};

const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child.nodeType ? child : String(child));
  }
  return node;
};

function status(message, isError = false) {
  const node = $("#status");
  node.textContent = message;
  node.classList.toggle("error", isError);
}

async function api(path, data) {
  const options = data === undefined ? {} : {
    method: "POST",
    headers: {"content-type": "application/json", "x-studio-token": TOKEN},
    body: JSON.stringify(data),
  };
  const response = await fetch(path, options);
  const type = response.headers.get("content-type") || "";
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    if (type.includes("json")) message = (await response.json()).error || message;
    throw new Error(message);
  }
  return type.includes("json") ? response.json() : response;
}

// ------------------------------------------------------------------ colours and names

function colorOf(name) {
  if (!name || name === NARRATOR) return "var(--narrator)";
  if (!S.colors.has(name)) {
    const n = S.colors.size;
    let color = PALETTE[n];
    if (!color) {
      let hash = 0;
      for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
      color = `hsl(${hash % 360} 55% 38%)`;
    }
    S.colors.set(name, color);
  }
  return S.colors.get(name);
}

function characterNames() {
  return S.state.characters.map((c) => c.name);
}

// ------------------------------------------------------------------ voices

function voiceLabel(v) {
  const where = v.offline ? "" : ", online";
  return `${v.id} — ${v.gender}, ${v.language}${where}`;
}

function voiceSelect(name, current) {
  const select = el("select", {name: "voice", "aria-label": `Voice of ${name}`,
                               dataset: {character: name}});
  const groups = new Map();
  if (current && !S.voices.some((v) => v.id === current)) {
    select.append(el("option", {value: current}, current));
  }
  if (!current) select.append(el("option", {value: ""}, "(cast at render)"));
  for (const v of S.voices) {
    if (!groups.has(v.language)) groups.set(v.language, el("optgroup", {label: v.language}));
    groups.get(v.language).append(el("option", {value: v.id}, voiceLabel(v)));
  }
  select.append(...groups.values());
  select.value = current || "";
  select.addEventListener("change", () => {
    if (select.value) edit({op: "voice", character: name, voice: select.value});
  });
  return select;
}

// ------------------------------------------------------------------ panels

function renderCharacters() {
  const box = $("#characters");
  box.replaceChildren();
  const people = [{name: NARRATOR, lines: null, voice: S.state.narrator.voice}, ...S.state.characters];
  for (const c of people) {
    const row = el("div", {class: "character", dataset: {character: c.name}});
    row.style.setProperty("--who", colorOf(c.name));
    const controls = el("div", {class: "controls"},
      voiceSelect(c.name, c.voice),
      el("button", {type: "button", name: "preview", title: "Hear this voice",
                    "aria-label": `Hear the voice of ${c.name}`,
                    onclick: () => previewVoice(row.querySelector("select[name=voice]").value, c.name)}, "▶"));
    if (c.name !== NARRATOR) {
      const others = characterNames().filter((n) => n !== c.name);
      if (others.length) {
        const merge = el("select", {name: "merge", "aria-label": `Merge ${c.name} into`},
          el("option", {value: ""}, "Merge into…"),
          others.map((n) => el("option", {value: n}, n)));
        merge.addEventListener("change", () => {
          if (merge.value) edit({op: "merge", character: c.name, into: merge.value});
        });
        controls.append(merge);
      }
      controls.append(el("button", {type: "button", name: "rename", onclick: () => startRename(row, c.name)}, "Rename"));
    }
    row.append(el("span", {class: "swatch"}), el("span", {class: "name"}, c.name),
               el("span", {class: "lines"}, c.lines === null ? "narration" : `${c.lines} line${c.lines === 1 ? "" : "s"}`),
               controls);
    box.append(row);
  }
}

function startRename(row, name) {
  const input = el("input", {name: "rename-to", value: name, "aria-label": `New name for ${name}`});
  const form = el("form", {class: "inline"}, input, el("button", {type: "submit"}, "OK"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const to = input.value.trim();
    if (to && to !== name) edit({op: "rename", character: name, to});
    else form.remove();
  });
  row.append(form);
  input.select();
}

function renderPronunciations() {
  const list = $("#pronunciations");
  list.replaceChildren();
  const entries = Object.entries(S.state.pronounce);
  if (!entries.length) list.append(el("li", {class: "muted"}, "None yet."));
  for (const [word, say] of entries) {
    list.append(el("li", {dataset: {word}},
      el("span", {}, el("b", {}, word), " → ", say),
      el("button", {type: "button", name: "remove", "aria-label": `Remove ${word}`,
                    onclick: () => edit({op: "pronounce", word, say: ""})}, "×")));
  }
}

function renderHeader() {
  const file = $("#script-file");
  file.textContent = baseName(S.state.script_file);
  file.title = S.state.script_file;
  const count = $("#doubtful-count");
  const box = $("#doubtful-only");
  box.disabled = !S.state.scored;
  box.parentElement.title = S.state.scored
    ? `Lines whose speaker attribution is under ${Math.round(S.state.doubtful_below * 100)}% sure`
    : "This script has no attribution confidence to filter on";
  count.textContent = S.state.scored ? `(${S.state.doubtful})` : "";
  const pending = S.ops.length;
  $("#pending").textContent = pending ? `${pending} unsaved change${pending > 1 ? "s" : ""}` : "";
  $("#save").disabled = !pending;
}

// ------------------------------------------------------------------ segments

function speakerSelect(v) {
  // option values are exactly the characters (a stable hook); a line given to someone the
  // cast list lacks (an unknown speaker) shows them too. The narrator reads a line via "Narrate".
  const names = characterNames();
  if (!names.includes(v.speaker)) names.push(v.speaker);
  const select = el("select", {name: "speaker", "aria-label": `Speaker of line ${v.index}`},
    names.map((n) => el("option", {value: n}, n)));
  select.value = v.speaker;
  select.style.setProperty("--who", colorOf(v.speaker));
  select.addEventListener("change", () => edit({op: "speaker", segment: v.index, start: v.start, end: v.end, speaker: select.value}));
  return select;
}

function segmentRow(v) {
  const row = el("div", {class: `seg ${v.kind}`, dataset: {segment: v.index, start: v.start, end: v.end, kind: v.kind}});
  if (v.kind === "dialogue") row.style.setProperty("--who", colorOf(v.speaker));
  const who = el("div", {class: "who"});
  if (v.kind === "dialogue") who.append(speakerSelect(v));
  else who.append(el("span", {}, v.kind === "skipped" ? "skipped" : v.kind.replace("_", " ")));
  if (v.doubtful) {
    who.append(el("span", {class: "flag", title: `attribution ${Math.round(v.confidence * 100)}% sure`},
                  `doubtful ${Math.round(v.confidence * 100)}%`),
               el("button", {type: "button", name: "confirm", class: "confirm",
                             title: `${v.speaker} is right: no longer doubtful`,
                             onclick: () => edit({op: "confirm", segment: v.index, start: v.start, end: v.end})}, "✓ right"));
  }
  const words = el("div", {class: "words", title: v.speak !== v.text ? `written: ${v.text}` : null},
                   v.kind === "skipped" ? v.text : v.speak);
  const body = el("div", {class: "body"}, words);
  const where = S.doubtful ? S.state.parts.find((p) => v.index >= p.first && v.index < p.end) : null;
  body.append(el("div", {class: "spoken-as"}, [v.voice, where ? `line ${v.index}, ${where.title}` : null]
    .filter(Boolean).join(" · ")));
  if (v.kind === "skipped" && v.reason) body.append(el("div", {class: "spoken-as"}, v.reason));
  const tools = el("div", {class: "tools"});
  if (v.spoken) {
    tools.append(
      el("button", {type: "button", name: "play", "aria-label": `Play line ${v.index}`,
                    onclick: () => playLine(v.index, row)}, "▶"),
      el("button", {type: "button", name: "edit", "aria-label": `Edit the words of line ${v.index}`,
                    onclick: () => startTextEdit(row, v)}, "✎"),
      el("button", {type: "button", name: "skip", title: "Do not read this line",
                    onclick: () => edit({op: "kind", segment: v.index, start: v.start, end: v.end, kind: "skipped"})}, "Skip"));
    if (v.kind === "dialogue") {
      tools.append(el("button", {type: "button", name: "narrate", title: "Not a character's line: the narrator reads it",
                                 onclick: () => edit({op: "kind", segment: v.index, start: v.start, end: v.end, kind: "narration"})}, "Narrate"));
    }
    if (S.doubtful) {
      tools.append(el("button", {type: "button", name: "context", title: "Show this line among its neighbours",
                                 onclick: () => showInContext(v.index)}, "Context"));
    }
  } else if (v.kind === "skipped") {
    tools.append(el("button", {type: "button", name: "read", title: "Read this line as narration",
                               onclick: () => edit({op: "kind", segment: v.index, start: v.start, end: v.end, kind: "narration"})}, "Read"));
  }
  row.append(who, body, tools);
  const saved = S.saved.get(v.index);
  if (saved !== undefined && saved !== JSON.stringify(v)) row.classList.add("changed");
  return row;
}

async function showInContext(index) {
  S.doubtful = false;
  $("#doubtful-only").checked = false;
  await buildParts();
  const part = S.state.parts.find((p) => index >= p.first && index < p.end);
  if (part) await loadPart(part.number);
  const row = document.querySelector(`[data-segment="${index}"]`);
  if (row) {
    row.scrollIntoView({block: "center"});
    row.classList.add("playing");
  }
}

function startTextEdit(row, v) {
  const body = row.querySelector(".body");
  const area = el("textarea", {name: "speak", "aria-label": `Words to speak for line ${v.index}`}, v.speak);
  const form = el("form", {class: "text-edit"}, area,
    el("button", {type: "submit", name: "apply"}, "Apply"),
    el("button", {type: "button", name: "cancel", onclick: () => row.replaceWith(segmentRow(v))}, "Cancel"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const speak = area.value.trim();
    if (speak && speak !== v.speak) edit({op: "text", segment: v.index, start: v.start, end: v.end, speak});
    else row.replaceWith(segmentRow(v));
  });
  body.replaceChildren(form);
  area.focus();
}

function showSegments(views) {
  for (const v of views) {
    const old = document.querySelector(`[data-segment="${v.index}"]`);
    const row = segmentRow(v);
    if (old) old.replaceWith(row);
  }
}

function buildParts() {
  const main = $("#script");
  main.replaceChildren();
  S.loaded.clear();
  if (S.observer) S.observer.disconnect();
  if (S.doubtful) {
    const part = el("section", {class: "part", dataset: {part: "doubtful"}},
                    el("h2", {}, "Doubtful attributions"));
    main.append(part);
    return loadDoubtful(part);
  }
  const eager = S.state.segments <= EAGER_SEGMENTS;
  S.observer = eager ? null : new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) loadPart(Number(entry.target.dataset.part));
    }
  }, {rootMargin: "1500px 0px"});
  const loads = [];
  for (const p of S.state.parts) {
    const section = el("section", {class: "part", dataset: {part: p.number}},
      el("h2", {}, p.title),
      el("div", {class: "placeholder", dataset: {first: p.first, end: p.end}},
         `${p.spoken} lines — loading…`));
    // an estimate of its height keeps the scroll bar honest before it loads
    section.querySelector(".placeholder").style.setProperty("min-height", `${Math.min(p.spoken * 3, 4000)}rem`);
    main.append(section);
    if (eager) loads.push(loadPart(p.number));
    else S.observer.observe(section);
  }
  return Promise.all(loads);
}

async function loadPart(number) {
  if (S.loaded.has(number)) return;
  const p = S.state.parts[number];
  S.loaded.set(number, [p.first, p.end]);
  const section = document.querySelector(`[data-part="${number}"]`);
  if (S.observer) S.observer.unobserve(section);
  try {
    const data = await api("/api/view", {operations: S.ops, ranges: [[p.first, p.end]]});
    fillPart(section, data.segments);
  } catch (error) {
    S.loaded.delete(number);
    status(`Could not load ${p.title}: ${error.message}`, true);
  }
}

function fillPart(section, views) {
  const rows = views.map((v) => {
    if (!S.ops.length) S.saved.set(v.index, JSON.stringify(v));
    return segmentRow(v);
  });
  const placeholder = section.querySelector(".placeholder");
  if (placeholder) placeholder.replaceWith(...rows);
}

async function loadDoubtful(section) {
  const data = await api("/api/view", {operations: S.ops, doubtful: true});
  if (!data.segments.length) section.append(el("p", {class: "muted"}, "No doubtful lines."));
  section.append(...data.segments.map(segmentRow));
}

// ------------------------------------------------------------------ editing

async function edit(op) {
  S.ops.push(op);
  try {
    await refresh();
    status(describe(op));
  } catch (error) {
    S.ops.pop();
    status(error.message, true);
    await refresh();
  }
}

function describe(op) {
  switch (op.op) {
    case "speaker": return `Line ${op.segment}: now spoken by ${op.speaker} (unsaved)`;
    case "confirm": return `Line ${op.segment}: speaker confirmed (unsaved)`;
    case "voice": return `${op.character} now speaks as ${op.voice} (unsaved)`;
    case "rename": return `${op.character} renamed ${op.to} (unsaved)`;
    case "merge": return `${op.character} merged into ${op.into} (unsaved)`;
    case "pronounce": return op.say ? `"${op.word}" is said "${op.say}" (unsaved)` : `"${op.word}" removed (unsaved)`;
    case "character": return `${op.name} added (unsaved)`;
    default: return "Changed (unsaved)";
  }
}

async function refresh() {
  const ranges = [...S.loaded.values()];
  const data = await api("/api/view", {operations: S.ops, ranges, doubtful: S.doubtful,
                                      changed_only: true});
  S.state = data.state;
  renderHeader();
  renderCharacters();
  renderPronunciations();
  if (S.doubtful) {
    const section = document.querySelector('[data-part="doubtful"]');
    section.replaceChildren(el("h2", {}, "Doubtful attributions"), ...data.segments.map(segmentRow));
  } else {
    showSegments(data.segments);
  }
}

async function save() {
  if (!S.ops.length) return;
  const button = $("#save");
  button.disabled = true;
  try {
    const data = await api("/api/save", {operations: S.ops});
    S.ops = [];
    S.saved.clear();
    S.state = data.state;
    await reloadAll();
    status(`Saved ${data.saved} change${data.saved === 1 ? "" : "s"} to ${baseName(S.state.script_file)}`);
  } catch (error) {
    status(`Not saved: ${error.message}`, true);
    renderHeader();
  }
}

async function reloadAll() {
  const parts = [...S.loaded.keys()];
  renderHeader();
  renderCharacters();
  renderPronunciations();
  await buildParts();
  await Promise.all(parts.map(loadPart));
}

// ------------------------------------------------------------------ listening

function playBlob(blob) {
  const audio = $("#line-audio");
  if (S.lineUrl) URL.revokeObjectURL(S.lineUrl);
  S.lineUrl = URL.createObjectURL(blob);
  audio.src = S.lineUrl;
  return audio.play().catch(() => {});  // a browser without sound output still got the audio
}

async function playLine(index, row) {
  document.querySelectorAll(".seg.playing").forEach((n) => n.classList.remove("playing"));
  row.classList.add("playing");
  status(`Line ${index}: speaking…`);
  const started = performance.now();
  try {
    const response = await api("/api/line", {segment: index, operations: S.ops});
    const blob = await response.blob();
    const took = Math.round(performance.now() - started);
    const cached = response.headers.get("x-narrate-cached") === "1";
    status(`Line ${index}: ${response.headers.get("x-narrate-voice")}, ${cached ? "from the cache" : "synthesised"} in ${took} ms`);
    document.body.dataset.lastLine = String(index);
    await playBlob(blob);
  } catch (error) {
    status(`Line ${index}: ${error.message}`, true);
  }
}

async function previewVoice(voice, name) {
  if (!voice) { status(`${name} has no voice yet: pick one`, true); return; }
  status(`${voice}: speaking a sample…`);
  try {
    const response = await api("/api/sample", {voice});
    await playBlob(await response.blob());
    status(`${voice}: sample`);
  } catch (error) {
    status(`${voice}: ${error.message}`, true);
  }
}

// ------------------------------------------------------------------ rendering

async function render() {
  if (S.ops.length) await save();
  if (S.ops.length) return;  // the save failed and said why
  const bar = $("#render-progress");
  const line = $("#render-status");
  $("#render").disabled = true;
  bar.hidden = false;
  bar.removeAttribute("value");
  try {
    await api("/api/render", {});
    for (;;) {
      const s = await api("/api/render");
      if (s.total) { bar.max = s.total; bar.value = s.done; }
      line.textContent = s.state === "running"
        ? `${s.phase} ${s.total ? `${s.done}/${s.total} lines` : ""}${s.cached ? `, ${s.cached} from the cache` : ""} (${s.elapsed_s} s)`
        : s.state === "error" ? `Render failed: ${s.message}` : "";
      if (s.state === "done") { showEpisode(s.episode, s.elapsed_s); break; }
      if (s.state === "error") throw new Error(s.message);
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
  } catch (error) {
    status(`Render: ${error.message}`, true);
    line.textContent = `Render failed: ${error.message}`;
  } finally {
    $("#render").disabled = false;
  }
}

function baseName(path) {
  return path.split(/[\\/]/).pop();
}

function clock(seconds) {
  const m = Math.floor(seconds / 60);
  const s = Math.floor(seconds % 60);
  return `${m}:${String(s).padStart(2, "0")}`;
}

async function showEpisode(episode, elapsed) {
  const bar = $("#render-progress");
  bar.max = 1; bar.value = 1;
  const line = $("#render-status");
  line.textContent = `${baseName(episode.file)} (${clock(episode.duration_s)}), rendered in ${elapsed} s`;
  line.title = episode.file;
  const box = $("#episode");
  box.hidden = false;
  const audio = $("#episode-audio");
  audio.src = episode.mp3;
  const chapters = $("#chapters");
  chapters.replaceChildren(...episode.chapters.map((c) => el("li", {},
    el("button", {type: "button", onclick: () => { audio.currentTime = c.start_s; audio.play().catch(() => {}); }},
       `${clock(c.start_s)} ${c.title}`))));
  const transcript = $("#transcript");
  transcript.replaceChildren();
  if (episode.vtt) {
    const text = await (await fetch(episode.vtt)).text();
    for (const cue of parseVtt(text)) {
      const p = el("p", {dataset: {start: cue.start, end: cue.end}},
                   cue.voice ? el("b", {}, `${cue.voice}: `) : null, cue.text);
      if (cue.voice) p.style.setProperty("--who", colorOf(cue.voice));
      p.addEventListener("click", () => { audio.currentTime = cue.start; audio.play().catch(() => {}); });
      transcript.append(p);
    }
  }
  audio.ontimeupdate = () => {
    const t = audio.currentTime;
    for (const p of transcript.children) {
      const now = t >= Number(p.dataset.start) && t < Number(p.dataset.end);
      if (now && !p.classList.contains("now")) p.scrollIntoView({block: "nearest"});
      p.classList.toggle("now", now);
    }
  };
  status(`Rendered ${baseName(episode.file)}; \`narrate render --script ${baseName(S.state.script_file)}\` renders the same`);
}

function seconds(stamp) {
  const parts = stamp.trim().split(":").map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

function parseVtt(text) {
  const cues = [];
  for (const block of text.replace(/\r/g, "").split(/\n\n+/)) {
    const lines = block.split("\n");
    const at = lines.findIndex((l) => l.includes("-->"));
    if (at < 0) continue;
    const [start, end] = lines[at].split("-->").map((s) => seconds(s.split(" ").filter(Boolean)[0] || s));
    // a cue's speaker is its WebVTT voice span: <v Anna>Not yet,
    let words = lines.slice(at + 1).join(" ");
    const voice = words.match(/^<v(?:\.[^ >]*)?\s+([^>]+)>/);
    words = words.replace(/<[^>]*>/g, "");
    cues.push({start, end, voice: voice ? voice[1] : null, text: words});
  }
  return cues;
}

// ------------------------------------------------------------------ start

async function start() {
  try {
    const [state, voices] = await Promise.all([api("/api/state"), api("/api/voices")]);
    S.state = state;
    S.voices = voices.voices;
    for (const c of state.characters) colorOf(c.name);
    renderHeader();
    renderCharacters();
    renderPronunciations();
    await buildParts();
    document.body.dataset.ready = "1";
    status(`${state.spoken} spoken lines, ${state.characters.length} characters`);
  } catch (error) {
    status(`Could not open the script: ${error.message}`, true);
  }
}

$("#save").addEventListener("click", save);
$("#render").addEventListener("click", render);
$("#doubtful-only").addEventListener("change", async (event) => {
  S.doubtful = event.target.checked;
  await buildParts();
});
$("#add-character").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = event.target.elements["new-character"];
  const name = input.value.trim();
  if (name) { input.value = ""; edit({op: "character", name}); }
});
$("#add-pronunciation").addEventListener("submit", (event) => {
  event.preventDefault();
  const word = event.target.elements["pronounce-word"];
  const say = event.target.elements["pronounce-say"];
  if (word.value.trim() && say.value.trim()) {
    edit({op: "pronounce", word: word.value.trim(), say: say.value.trim()});
    word.value = ""; say.value = "";
  }
});
window.addEventListener("keydown", (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key === "s") {  // the editor's reflex
    event.preventDefault();
    save();
  }
});
window.addEventListener("beforeunload", (event) => {
  if (S.ops.length) { event.preventDefault(); event.returnValue = ""; }
});
start();
