// The phone register: a tap on a name marks the child absent (again: present); "⋯" beside it offers every
// code, so any code is at most two taps. One save sends the class through the API.
// With no network the save waits in this phone's storage and is sent, exactly once (same key), when the
// network returns; the page shows what is waiting.
(function () {
  "use strict";
  const form = document.getElementById("register");
  if (!form) return;
  const QUEUE = "khru.register.queue";
  const codeItems = [...document.getElementById("codes").content.querySelectorAll("i")];
  const codes = [""].concat(codeItems.map((i) => i.dataset.code));
  const labels = Object.fromEntries(codeItems.map((i) => [i.dataset.code, i.dataset.label]));
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  const pending = form.querySelector("[data-pending]");
  const summary = form.querySelector("[data-summary]");
  const saveButton = form.querySelector("[data-save]");

  // Opened from the phone's cache on another day: the class list is right, the day is today.
  if (!navigator.onLine && !location.search.includes("date=") && form.dataset.date !== form.dataset.today) {
    form.dataset.date = form.dataset.today;
    form.querySelectorAll("button.mark").forEach((b) => setMark(b, ""));
    const day = document.querySelector("[data-day]");
    form.dataset.dayLabel = form.dataset.todayLabel;
    if (day) day.textContent = form.dataset.todayLabel;
  }

  function setMark(button, code) {
    button.dataset.code = code;
    button.className = "mark code-" + (code || "present");
    button.querySelector("[data-state]").textContent = code ? labels[code] : "";
    button.parentElement.querySelector("input[type=hidden]").value = code;
  }

  function count() {
    const marked = [...form.querySelectorAll("button.mark")].filter((b) => b.dataset.code);
    const total = form.querySelectorAll("button.mark").length;
    summary.textContent = (total - marked.length) + "/" + total;
  }

  function closeChoices() {
    form.querySelectorAll(".choices").forEach((c) => c.remove());
  }

  function openChoices(row) {
    const button = row.querySelector("button.mark");
    const choices = document.createElement("div");
    choices.className = "choices";
    for (const code of codes) {
      const choice = document.createElement("button");
      choice.type = "button";
      choice.dataset.choose = code;
      choice.className = "chip code-" + (code || "present");
      choice.textContent = code ? labels[code] : form.dataset.presentLabel;
      choice.setAttribute("aria-pressed", String((button.dataset.code || "") === code));
      choices.appendChild(choice);
    }
    row.appendChild(choices);
    choices.querySelector("[aria-pressed=true]").focus();
  }

  form.addEventListener("click", (event) => {
    const choice = event.target.closest("[data-choose]");
    const more = event.target.closest("[data-more]");
    const button = event.target.closest("button.mark");
    if (choice) {
      setMark(choice.closest("li").querySelector("button.mark"), choice.dataset.choose);
      closeChoices();
    } else if (more) {
      const open = more.closest("li").querySelector(".choices");
      closeChoices();
      if (!open) openChoices(more.closest("li"));
    } else if (button) {
      closeChoices();
      setMark(button, button.dataset.code ? "" : codes[1]);
    } else {
      return;
    }
    count();
  });

  function readQueue() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function writeQueue(queue) {
    localStorage.setItem(QUEUE, JSON.stringify(queue));
    pending.hidden = queue.length === 0;
    pending.textContent = queue.map((q) => q.name + " " + (q.day || q.body.date)).join(", ") + " — " + form.dataset.pendingLabel;
  }

  async function send(item) {
    const response = await fetch(form.dataset.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(item.body),
    });
    if (response.ok) return { ok: true };
    const detail = await response.json().catch(() => ({}));
    return { ok: false, retry: response.status >= 500, detail: detail };
  }

  let flushing = false;
  async function flush() {
    if (flushing) return; // one sender at a time, so a queued save never goes out twice at once
    flushing = true;
    let queue = readQueue();
    for (const item of [...queue]) {
      try {
        const result = await send(item);
        if (result.ok || !result.retry) queue = queue.filter((q) => q.body.key !== item.body.key);
        if (!result.ok && !result.retry) alert(problemText(result.detail));
      } catch (e) {
        break; // still offline
      }
    }
    writeQueue(queue);
    flushing = false;
    // The server failed (or the network is still coming back): try again shortly, not only on "online".
    if (queue.length && navigator.onLine) setTimeout(flush, 3000);
  }

  function problemText(detail) {
    const problems = (detail && detail.problems) || [];
    // The API answers in both languages; the teacher reads the page's own.
    const english = document.documentElement.lang === "en";
    return problems.map((p) => (english ? p.en : p.th)).join("\n") || JSON.stringify(detail);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {
      classroom: form.dataset.classroom,
      date: form.dataset.date,
      period: Number((form.querySelector("[data-period-input]") || { value: form.dataset.period }).value || 0),
      course_code: (form.querySelector("[name=course_code]") || { value: "" }).value,
      key: form.querySelector("[name=key]").value,
      saved_on_device_at: new Date().toISOString(),
      marks: [...form.querySelectorAll("button.mark")]
        .filter((b) => b.dataset.code)
        .map((b) => ({ student: b.dataset.student, code: b.dataset.code })),
    };
    saveButton.disabled = true;
    try {
      const result = await send({ body: body });
      if (result.ok) {
        saveButton.textContent = form.dataset.savedLabel + " ✓";
        form.querySelector("[name=key]").value = crypto.randomUUID();
        setTimeout(() => location.reload(), 400);
        return;
      }
      if (!result.retry) { alert(problemText(result.detail)); saveButton.disabled = false; return; }
    } catch (e) { /* offline: fall through to the queue */ }
    const queue = readQueue().filter((q) => q.body.key !== body.key);
    queue.push({ name: form.dataset.name, day: form.dataset.dayLabel, body: body });
    writeQueue(queue);
    saveButton.textContent = form.dataset.queuedLabel;
    form.querySelector("[name=key]").value = crypto.randomUUID();
    saveButton.disabled = false;
  });

  // A subject teacher picks the period: the sheet for that period (its saved marks) is a different page.
  const periodInput = form.querySelector("[data-period-input]");
  if (periodInput) {
    periodInput.addEventListener("change", () => {
      const course = (form.querySelector("[name=course_code]") || { value: "" }).value;
      location.search = "?date=" + form.dataset.date + "&period=" + (periodInput.value || 0) + "&course=" + encodeURIComponent(course);
    });
  }

  window.addEventListener("online", flush);
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => {});
  writeQueue(readQueue());
  count();
  if (navigator.onLine) flush();
})();
