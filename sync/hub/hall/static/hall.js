// Hall pages: plain JS, no build step. Each page opens ONE Server-Sent Events stream: a snapshot first, then
// changes. Data is put into the page with textContent only (never innerHTML).
(function () {
  "use strict";
  const body = document.body;
  const page = body.dataset.page;
  const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  let skew = 0; // hub clock minus this browser's clock, in seconds
  const nowS = () => Date.now() / 1000 + skew;
  const minutes = (t) => Math.max(0, Math.floor((nowS() - t) / 60));

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (k === "dataset") Object.assign(e.dataset, v);
      else if (k === "style") e.style.cssText = v;  // CSSOM, which the page's CSP (style-src 'self') allows
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids.flat()) {
      if (kid === null || kid === undefined || kid === false) continue;
      e.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return e;
  }
  const bi = (zh, en) => [zh, el("small", {}, en)];

  // Lists are drawn again on every change. A row drawn the same as before keeps its element, so a press that is
  // down while another row changes still ends in a click, and a half-typed note stays; a row that did change is
  // swapped, its typed text and focus carried over. Rows are keyed by data-id.
  function patch(list, rows) {
    const before = new Map([...list.children].map((n) => [n.dataset.id, n]));
    rows.forEach((row, i) => {
      const old = before.get(row.dataset.id);
      let keep = row;
      if (old && old.outerHTML === row.outerHTML) keep = old;
      else if (old) carry(old, row);
      if (list.children[i] !== keep) list.insertBefore(keep, list.children[i] || null);
    });
    while (list.children.length > rows.length) list.lastElementChild.remove();
  }
  function carry(from, to) {
    const focused = document.activeElement;
    for (const input of from.querySelectorAll("input[name], textarea[name]")) {
      const twin = to.querySelector(`${input.tagName}[name="${input.name}"]`);
      if (!twin || !input.value) continue;
      twin.value = input.value;
      if (input === focused) {
        const [a, b] = [input.selectionStart, input.selectionEnd];
        queueMicrotask(() => { twin.focus(); twin.setSelectionRange(a, b); });  // once it is in the page
      }
    }
  }

  const status = document.getElementById("status");
  // A failed action's message stays until it is dismissed; connection notices never replace it.
  let sticky = false;
  function say(zh, en, bad, keep) {
    if (!status) return;
    if (sticky && !keep) return;
    sticky = !!keep;
    const dismiss = keep ? el("button", { type: "button", class: "plain dismiss", onclick: () => { sticky = false; say(""); } }, "知道了", el("small", {}, "Dismiss")) : null;
    status.replaceChildren(...(zh ? [zh + "  ", el("small", { style: "display:inline" }, en), dismiss] : []));
    status.classList.toggle("bad", !!bad);
  }

  async function api(method, path, data) {
    const init = { method, credentials: "same-origin", headers: { "X-CSRF-Token": csrf } };
    if (data !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(data); }
    let r;
    try { r = await fetch(path, init); } catch (e) {
      say("连接不上中心，刚才的操作没有完成", "Cannot reach the hub; that action was not done", true, true); return { status: 0 };
    }
    if (r.status === 401) { location.href = "/hall/login?next=" + encodeURIComponent(location.pathname); return r; }
    let payload = null;
    if (r.status !== 204) { try { payload = await r.json(); } catch (e) { payload = null; } }
    if (!r.ok) {
      const m = payload && payload.detail && payload.detail.message;
      say(m ? m.zh_CN : "操作没有成功", m ? m.en : "That did not work (" + r.status + ")", true, true);
    } else if (!sticky) say("");
    return { status: r.status, data: payload };
  }

  // --- confirm, then undo for 10 s (no-show, transfer, closing a case) ------------------------------------------------
  // The page only asks and forwards: the hub applies the action, keeps the 10 s window and says when undo is refused.
  const confirmBox = document.getElementById("confirm");
  function ask(zh, en, yesZh, yesEn) {
    return new Promise((resolve) => {
      if (!confirmBox || confirmBox.open) { resolve(false); return; }  // one question at a time
      const yes = document.getElementById("confirm-yes"), no = document.getElementById("confirm-no");
      document.getElementById("confirm-q").replaceChildren(zh, el("small", {}, en));
      yes.replaceChildren(...bi(yesZh, yesEn));
      let answered = false;
      const done = (v) => {
        if (answered) return;
        answered = true;
        yes.onclick = no.onclick = confirmBox.onclose = null;
        if (confirmBox.open) confirmBox.close();
        resolve(v);
      };
      yes.onclick = () => done(true);
      no.onclick = () => done(false);
      confirmBox.onclose = () => done(false);  // Esc
      confirmBox.showModal();
      no.focus();  // Enter on an unread dialog cancels
    });
  }
  const undoBar = document.getElementById("undo-bar");
  let undoTimer = null;
  function offerUndo(handle, zh, en, onUndone) {
    if (!undoBar || !handle) return;
    clearInterval(undoTimer);
    document.getElementById("undo-text").replaceChildren(zh, el("small", {}, en));
    const left = document.getElementById("undo-left");
    // The hub decides; this only counts down, never past the window as it looked when the answer arrived.
    const ends = Math.min(Date.now() / 1000 + handle.seconds, handle.expires_at - skew);
    const tick = () => {
      const s = Math.ceil(ends - Date.now() / 1000);
      if (s <= 0) { clearInterval(undoTimer); undoBar.hidden = true; return; }
      left.textContent = `· ${s} 秒 · ${s} s`;
    };
    undoBar.hidden = false;
    undoBar.dataset.undoId = handle.undo_id;
    tick();
    undoTimer = setInterval(tick, 250);
    document.getElementById("undo").onclick = async () => {
      clearInterval(undoTimer); undoBar.hidden = true;
      const r = await api("POST", "/v1/undo/" + encodeURIComponent(handle.undo_id));
      if (r.status === 200 && r.data) { say("已撤销", "Undone"); onUndone(r.data.item); }
    };
  }

  // --- alerts on staff pages -----------------------------------------------------------------------------------
  const alertsBox = document.getElementById("alerts");
  function showAlerts(a) {
    if (!alertsBox || !a) return;
    const n = (a.help_unclaimed || []).length;
    alertsBox.hidden = n === 0;
    if (n) alertsBox.replaceChildren(
      `⚠ 有 ${n} 个求助超过 ${a.alert_minutes} 分钟无人接手 `,
      el("small", {}, `${n} help request(s) unclaimed for over ${a.alert_minutes} min — `),
      el("a", { href: "/hall/help", style: "color:#fff" }, "去求助台 Help desk"));
  }

  // --- the page's one stream ----------------------------------------------------------------------------------------
  function stream(query, onSnapshot, handlers) {
    const es = new EventSource("/hall/events?" + query);
    es.addEventListener("snapshot", (e) => {
      const d = JSON.parse(e.data);
      skew = d.now - Date.now() / 1000;
      if (d.alerts) showAlerts(d.alerts);
      onSnapshot(d);
      say("");
    });
    es.addEventListener("alerts", (e) => showAlerts(JSON.parse(e.data).item));
    es.addEventListener("reload", () => { es.close(); stream(query, onSnapshot, handlers); });
    // The hub lost its database: say so; the hub sends "reload" (or the stream ends) once it is back.
    es.addEventListener("unavailable", () => say("连接中断，正在重连", "Connection lost; reconnecting", true));
    es.addEventListener("bye", () => { es.close(); stream(query, onSnapshot, handlers); });
    es.addEventListener("signed_out", () => { es.close(); location.href = "/hall/login?next=" + encodeURIComponent(location.pathname); });
    for (const [topic, fn] of Object.entries(handlers)) {
      es.addEventListener(topic, (e) => { const d = JSON.parse(e.data); if (d.reload) { es.close(); stream(query, onSnapshot, handlers); } else fn(d.item, d); });
    }
    es.onerror = async () => {
      if (es.readyState !== EventSource.CLOSED) {  // the browser reconnects by itself
        say("连接中断，正在重连", "Connection lost; reconnecting", true); return;
      }
      // Closed for good: the hub refused the stream (signed out?) or is down. Find out, then try again.
      let r = null;
      try { r = await fetch("/v1/auth/me", { credentials: "same-origin" }); } catch (e) { r = null; }
      if (r && r.status === 401) { location.href = "/hall/login?next=" + encodeURIComponent(location.pathname); return; }
      say("连接中断，正在重连", "Connection lost; reconnecting", true);
      setTimeout(() => stream(query, onSnapshot, handlers), 3000);
    };
    window.hallStream = es;
    return es;
  }

  const logout = document.getElementById("logout");
  if (logout) logout.addEventListener("click", async () => {
    await api("POST", "/v1/auth/logout"); location.href = "/hall/login";
  });

  // --- sign-in -------------------------------------------------------------------------------------------------------
  if (page === "login") {
    const form = document.getElementById("login-form");
    const err = document.getElementById("login-error");
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const r = await fetch("/v1/auth/login", { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ member_id: form.member_id.value.trim(), pin: form.pin.value }) });
      if (r.ok) { location.href = form.dataset.next || "/hall/"; return; }
      let m = null; try { m = (await r.json()).detail.message; } catch (e) { m = null; }
      err.replaceChildren(...(m ? bi(m.zh_CN, m.en) : bi("登录没有成功", "Sign-in failed")));
      err.hidden = false; form.pin.value = ""; form.pin.focus();
    });
    document.getElementById("member_id").focus();
  }

  // Screen titles, item names and kiosks' places (GET /v1/help-labels), so a call or a case reads in people's words
  // rather than codes. `render` runs again when they arrive; `fresh(list)` asks again (at most every 30 s) when a
  // kiosk or item appeared since the page loaded.
  function hallLabels(render) {
    let labels = { screens: {}, items: {}, kiosks: {} }, at = 0;
    async function load() {
      at = Date.now();
      const r = await api("GET", "/v1/help-labels");
      if (r.status === 200 && r.data) { labels = r.data; render(); }
    }
    return {
      load,
      fresh(list) {
        if (list.some((x) => !labels.kiosks[x.kiosk_id] || (x.item_code && !labels.items[x.item_code]))
            && Date.now() - at > 30000) load();
      },
      place(k) {
        const where = labels.kiosks[k] && labels.kiosks[k].location;
        return where ? `${where} · 终端 ${k} ` : `终端 ${k} `;
      },
      screenOf(s) {
        const t = labels.screens[s];
        return t ? ` · 停在「${t.zh}」页 · on “${t.en}”` : s ? ` · 停在 ${s} 页 (screen)` : "";
      },
      itemOf(code) {
        const n = labels.items[code];
        return n ? ` · 事项：${n.zh} · ${n.en}` : code ? ` · 事项 ${code}` : "";
      },
    };
  }

  // --- help desk -----------------------------------------------------------------------------------------------------
  if (page === "help") {
    const me = body.dataset.member, role = body.dataset.role;
    const list = document.getElementById("help-list"), empty = document.getElementById("help-empty");
    const items = new Map();
    const labels = hallLabels(() => render());
    function render() {
      const open = [...items.values()].filter((h) => h.state !== "resolved")
        .sort((a, b) => a.created_at - b.created_at);
      labels.fresh(open);
      empty.hidden = open.length > 0;
      patch(list, open.map((h) => {
        const age = minutes(h.created_at);
        const mine = h.claimed_by === me;
        const actions = [];
        if (h.state === "open") actions.push(el("button", { class: "big primary", onclick: () => api("POST", `/v1/help-requests/${encodeURIComponent(h.help_request_id)}/claim`) }, ...bi("我来处理", "Claim")));
        if (h.state === "claimed" && (mine || role === "staff")) actions.push(el("button", { class: "big ok", onclick: () => api("POST", `/v1/help-requests/${encodeURIComponent(h.help_request_id)}/resolve`) }, ...bi("已解决", "Resolved")));
        if (h.state === "claimed" && (mine || role === "staff")) actions.push(el("button", { class: "big plain release", onclick: () => api("POST", `/v1/help-requests/${encodeURIComponent(h.help_request_id)}/release`) }, ...bi("放回待接手", "Release")));
        return el("li", { class: "card" + (h.elderly ? " elder" : ""), dataset: { id: h.help_request_id, state: h.state } },
          el("div", {},
            el("div", { class: "main" }, labels.place(h.kiosk_id), h.elderly ? el("span", { class: "badge elder" }, "60岁以上 over 60") : null),
            el("div", { class: "meta" }, `已等 ${age} 分钟 · waiting ${age} min`, labels.screenOf(h.screen), labels.itemOf(h.item_code)),
            h.state === "claimed" ? el("span", { class: "badge claimed" }, h.claimed_by === me ? `由您接手 · taken by you` : `${h.claimed_name} 已接手 · taken by ${h.claimed_name}`) : null),
          el("div", { class: "actions" }, actions));
      }));
    }
    labels.load();
    stream("page=help", (d) => { items.clear(); d.items.forEach((h) => items.set(h.help_request_id, h)); render(); },
      { help: (h) => { items.set(h.help_request_id, h); render(); } });
    setInterval(render, 30000);
  }

  // The counter link goes to the counter this device last worked at (kept per browser, not per person).
  let savedCounter = null;
  try { savedCounter = localStorage.getItem("hall.counter"); } catch (e) { savedCounter = null; }
  const counterLink = document.querySelector('nav a[data-nav="counter"]');
  if (counterLink && savedCounter && /^[A-Za-z0-9_-]{1,16}$/.test(savedCounter)) counterLink.href = "/hall/counter/" + encodeURIComponent(savedCounter);

  // --- counter -------------------------------------------------------------------------------------------------------
  if (page === "counter") {
    const cid = body.dataset.counter;
    try { localStorage.setItem("hall.counter", cid); } catch (e) { /* private mode: the link stays at 1 */ }
    const waiting = new Map();
    let current = null;
    const $ = (id) => document.getElementById(id);
    const laneName = { normal: "普通", priority: "绿色通道", difficult: "疑难件" };
    function render() {
      $("current-number").textContent = current ? current.number : "—";
      $("current-number").classList.toggle("idle", !current);
      $("current-info").replaceChildren(...(current ? [
        el("span", { class: "badge lane-" + current.lane }, `${laneName[current.lane] || current.lane} ${current.lane}`),
        ` 来自 ${current.kiosk_id} · 已重呼 ${current.recalls} 次 recalled ${current.recalls}×`] : ["请按“叫下一位” · Press Call next"]));
      $("call-next").disabled = !!current;
      for (const id of ["recall", "served", "transfer"]) $(id).disabled = !current;
      $("no-show").disabled = !current || current.recalls < 2;
      $("no-show-hint").textContent = current && current.recalls < 2
        ? `再重呼 ${2 - current.recalls} 次后才能过号 · Recall ${2 - current.recalls} more time(s) before no-show` : "";
      const all = [...waiting.values()];
      const counts = { priority: 0, normal: 0, difficult: 0 };
      all.forEach((t) => { counts[t.lane] = (counts[t.lane] || 0) + 1; });
      $("counts").textContent = `绿色通道 ${counts.priority} · 普通 ${counts.normal} · 疑难件 ${counts.difficult}（共 ${all.length} 人 · ${all.length} waiting）`;
      // The order this counter will really call them in (the hub runs the order rule), and only those it may call.
      const ws = order ? order.map((id) => waiting.get(id)).filter(Boolean)
        : all.sort((a, b) => a.waiting_since - b.waiting_since);
      $("waiting").replaceChildren(...ws.slice(0, 60).map((t) => el("li",
        { class: minutes(t.waiting_since) >= 20 ? "late" : "", dataset: { ticketId: t.ticket_id, lane: t.lane } },
        t.number, el("small", {}, ` ${laneName[t.lane] || t.lane} ${minutes(t.waiting_since)}′`))));
    }
    let order = null, orderTimer = null;
    function refreshOrder() {  // a change to the queue can change the order: ask the hub again, at most 3×/s
      clearTimeout(orderTimer);
      orderTimer = setTimeout(async () => {
        try {
          const r = await fetch("/v1/counters/" + encodeURIComponent(cid), { credentials: "same-origin" });
          if (r.ok) { order = (await r.json()).order; render(); }
        } catch (e) { /* the stream's own reconnect handles a lost hub */ }
      }, 300);
    }
    function onTicket(t) {
      if (t.state === "waiting") waiting.set(t.ticket_id, t); else waiting.delete(t.ticket_id);
      if (t.state === "waiting" && order && !order.includes(t.ticket_id)) order = null;  // until the hub answers
      refreshOrder();
      if (t.state === "called" && t.counter_id === cid) current = t;
      else if (current && current.ticket_id === t.ticket_id) current = null;
      render();
      window.hallLastTicket = { id: t.ticket_id, at: Date.now() / 1000 };
    }
    stream("page=counter&counter=" + encodeURIComponent(cid), (d) => {
      waiting.clear(); d.waiting.forEach((t) => waiting.set(t.ticket_id, t)); current = d.current; order = d.order; render();
    }, { ticket: onTicket });
    async function act(name, data) {
      const r = await api("POST", `/v1/counters/${encodeURIComponent(cid)}/${name}`, data);
      if (r.status === 204) say("现在没有人在等候", "Nobody is waiting");
      else if (r.status === 200 && r.data && r.data.ticket_id) onTicket(r.data);
      return r;
    }
    $("call-next").addEventListener("click", () => act("call-next"));
    $("recall").addEventListener("click", () => act("recall", { ticket_id: current && current.ticket_id }));
    $("served").addEventListener("click", () => act("served", { ticket_id: current && current.ticket_id }));
    $("no-show").addEventListener("click", async () => {
      const t = current;
      if (!t || !await ask(`确认 ${t.number} 号过号？`, `Mark ${t.number} as no-show?`, "确认过号", "Yes, no-show")) return;
      const r = await act("no-show", { ticket_id: t.ticket_id });
      if (r.status === 200 && r.data) offerUndo(r.data.undo, `${t.number} 号已过号`, `${t.number} marked no-show`, onTicket);
    });
    $("transfer-form").addEventListener("submit", async (ev) => { ev.preventDefault();
      const t = current, lane = $("transfer-lane").value;
      if (!t || !await ask(`确认把 ${t.number} 号转到「${laneName[lane] || lane}」队列？`, `Transfer ${t.number} to the ${lane} lane?`,
        "确认转队列", "Yes, transfer")) return;
      const r = await act("transfer", { lane, ticket_id: t.ticket_id });
      if (r.status === 200 && r.data) offerUndo(r.data.undo, `${t.number} 号已转到「${laneName[lane] || lane}」`,
        `${t.number} moved to ${lane}`, onTicket);
    });
    $("goto-counter").addEventListener("submit", (ev) => { ev.preventDefault();
      const v = $("goto").value.trim(); if (/^[A-Za-z0-9_-]{1,16}$/.test(v)) location.href = "/hall/counter/" + encodeURIComponent(v); });
    setInterval(render, 30000);
  }

  // --- calling board -------------------------------------------------------------------------------------------------
  if (page === "board") {
    const main = document.getElementById("board-main"), list = document.getElementById("board-list");
    const player = document.getElementById("player"), soundBtn = document.getElementById("sound");
    let calls = [], sound = false;
    const clips = [];
    function render() {
      const [latest, ...rest] = calls;
      if (main.classList.contains("stale")) return;
      if (latest) main.replaceChildren(el("span", { class: "word" }, "请"), el("span", { class: "num" }, latest.number),
        el("span", { class: "word" }, "号到"), el("span", { class: "ctr" }, latest.counter_id), el("span", { class: "word" }, "号窗口"));
      list.replaceChildren(...rest.slice(0, 4).map((c) => el("li", {}, el("span", { class: "num" }, c.number),
        el("span", { class: "ctr" }, `${c.counter_id} 号窗口`))));
    }
    function playNext() {
      if (!sound || !player.paused || !clips.length) return;
      player.src = clips.shift(); player.play().catch(() => {});
    }
    player.addEventListener("ended", playNext);
    // Without its stream for 10 s the board says so, instead of showing the last call as if it were current.
    let downSince = null;
    setInterval(() => {
      const open = window.hallStream && window.hallStream.readyState === EventSource.OPEN;
      downSince = open ? null : (downSince || Date.now());
      const stale = downSince !== null && Date.now() - downSince >= 10000;
      if (stale && !main.classList.contains("stale")) {
        main.classList.add("stale");
        main.replaceChildren(el("span", { class: "board-idle" }, "连接中断", el("small", {}, "Connection lost — reconnecting")));
      } else if (!stale && main.classList.contains("stale")) { main.classList.remove("stale"); render(); }
    }, 1000);
    stream("page=board", (d) => { calls = d.calls; render(); }, { call: (t) => {
      calls = [t, ...calls.filter((c) => c.ticket_id !== t.ticket_id)].slice(0, 6); render();
      main.classList.remove("flash"); void main.offsetWidth; main.classList.add("flash");
      for (const v of ["cmn", "yue"]) clips.push(`/hall/audio/${v}/${encodeURIComponent(t.number)}/${encodeURIComponent(t.counter_id)}.wav`);
      window.hallLastCall = t.number;
      playNext();
    } });
    function showSound() {
      soundBtn.replaceChildren(...(sound ? bi("语音播报已开启（点此关闭）", "Announcements on (tap to turn off)") : bi("开启语音播报", "Turn on announcements")));
      soundBtn.setAttribute("aria-pressed", sound ? "true" : "false");
    }
    try { sound = localStorage.getItem("hall.board.sound") === "on"; } catch (e) { sound = false; }
    showSound();  // the switch survives a reload (the TV restarting, the page reconnecting)
    soundBtn.addEventListener("click", () => {
      sound = !sound;
      try { localStorage.setItem("hall.board.sound", sound ? "on" : "off"); } catch (e) { /* private mode */ }
      showSound();
      playNext();
    });
  }

  // --- difficult cases -----------------------------------------------------------------------------------------------
  if (page === "cases") {
    const flag = Number(body.dataset.flagMinutes || 30), me = body.dataset.member;
    const list = document.getElementById("case-list"), empty = document.getElementById("case-empty");
    const items = new Map();
    const labels = hallLabels(() => render());
    function render() {
      const open = [...items.values()].filter((c) => c.state !== "closed").sort((a, b) => a.created_at - b.created_at);
      labels.fresh(open);
      empty.hidden = open.length > 0;
      patch(list, open.map((c) => {
        const age = minutes(c.created_at);
        const noteInput = el("input", { name: "text", maxlength: "500", placeholder: "办理情况 / what was done", "aria-label": "备注 note" });
        return el("li", { class: "card" + (c.elderly ? " elder" : ""), dataset: { id: c.case_id, state: c.state } },
          el("div", {},
            el("div", { class: "main" }, c.number ? el("span", { class: "badge lane-difficult" }, c.number) : null,
              labels.itemOf(c.item_code) || " · 事项 —", labels.screenOf(c.step) || " · 停在 — 页"),
            el("div", {}, `原因：${c.reason_zh || c.reason || "—"}`, el("small", {}, `reason: ${c.reason_en || c.reason || "—"}`)),
            el("div", { class: "meta" }, labels.place(c.kiosk_id), `· 已等 ${age} 分钟 · ${age} min `,
              age >= flag ? el("span", { class: "badge late" }, `超过 ${flag} 分钟 over ${flag} min`) : null, " ",
              c.elderly ? el("span", { class: "badge elder" }, "60岁以上 over 60") : null, " ",
              c.assigned_name ? el("span", { class: "badge claimed" }, `${c.assigned_name} 负责 · assigned`) : null)),
          el("div", { class: "actions" },
            c.assigned_to !== me ? el("button", { class: "primary", onclick: () => api("POST", `/v1/cases/${encodeURIComponent(c.case_id)}/assign`, {}) }, ...bi("我来办", "Assign to me")) : null,
            el("button", { class: "ok", onclick: () => closeCase(c) }, ...bi("结案", "Close")),
            assignOther(c)),
          el("ul", { class: "notes" }, c.notes.map((n) => el("li", {}, `${n.author_name}：${n.text}`))),
          el("form", { onsubmit: async (ev) => { ev.preventDefault();
            const text = noteInput.value;
            const r = await api("POST", `/v1/cases/${encodeURIComponent(c.case_id)}/note`, { text });
            // The row may have been redrawn meanwhile (the note's own event), its text carried over: clear the
            // box now in the page, so the sent note is not left there to be sent twice.
            const box = r.status === 200 && list.querySelector(`li[data-id="${CSS.escape(c.case_id)}"] input[name=text]`);
            if (box && box.value === text) box.value = ""; } },
            noteInput, el("button", { class: "plain" }, ...bi("加备注", "Add note"))));
      }));
    }
    async function closeCase(c) {
      const what = c.number ? `${c.number}（事项 ${c.item_code || "—"}）` : `事项 ${c.item_code || "—"}`;
      if (!await ask(`确认结案：${what}？`, `Close the case${c.number ? " " + c.number : ""} (item ${c.item_code || "—"})?`,
        "确认结案", "Yes, close")) return;
      const r = await api("POST", `/v1/cases/${encodeURIComponent(c.case_id)}/close`);
      if (r.status === 200 && r.data) {
        items.set(r.data.case_id, r.data); render();
        offerUndo(r.data.undo, `已结案 ${c.number || ""}`, `Case ${c.number || ""} closed`, (item) => { items.set(item.case_id, item); render(); });
      }
    }
    // Staff can hand a case to someone else on the roster (GET /v1/members: staff only, id and name).
    let staff = [];
    const chosen = new Map();  // case id: the member picked in its list, kept across re-renders
    (async () => { const r = await api("GET", "/v1/members"); if (r.status === 200 && r.data) { staff = r.data.members; render(); } })();
    function assignOther(c) {
      const others = staff.filter((m) => m.member_id !== c.assigned_to);
      if (!others.length) return null;
      const pick = el("select", { class: "assign-to", "aria-label": "指派给 assign to",
        onchange: (ev) => chosen.set(c.case_id, ev.target.value) },
        el("option", { value: "" }, "指派给… · Assign to…"),
        ...others.map((m) => el("option", { value: m.member_id }, `${m.display_name} (${m.member_id})`)));
      pick.value = chosen.get(c.case_id) || "";  // a property, not markup: a pending choice does not redraw the row
      return el("span", { class: "assign-other" }, pick, el("button", { type: "button", class: "plain assign-other-go", onclick: async () => {
        if (!pick.value) { say("请先选择一位工作人员", "Choose a member of staff first", true, true); return; }
        const r = await api("POST", `/v1/cases/${encodeURIComponent(c.case_id)}/assign`, { member_id: pick.value });
        if (r.status === 200 && r.data) { chosen.delete(c.case_id); items.set(r.data.case_id, r.data); render(); }
      } }, ...bi("指派", "Assign")));
    }
    labels.load();
    stream("page=cases", (d) => { items.clear(); d.items.forEach((c) => items.set(c.case_id, c)); render(); },
      { case: (c) => { items.set(c.case_id, c); render(); } });
    setInterval(render, 30000);
  }

  // --- kiosk fleet ---------------------------------------------------------------------------------------------------
  if (page === "fleet") {
    const rows = document.getElementById("fleet-rows");
    let kiosks = [];
    const ago = (t) => { const s = Math.max(0, Math.round(nowS() - t));
      return s < 120 ? `${s} 秒前 · ${s} s ago` : `${Math.round(s / 60)} 分钟前 · ${Math.round(s / 60)} min ago`; };
    function clockText(c) {
      if (!c || c.offset_s === null || c.offset_s === undefined) return "—";
      const off = `${c.offset_s >= 0 ? "+" : ""}${Math.round(c.offset_s)} 秒 · ${Math.round(c.offset_s)} s`;
      return c.flagged ? [off, el("br"), `⚠ ${c.flagged} 个时间不可信，按到达时间排队`,
        el("small", {}, `${c.flagged} time(s) out of window, queued at receipt`)] : off;
    }
    function render() {
      rows.replaceChildren(...kiosks.map((k) => el("tr", { dataset: { kiosk: k.kiosk_id } },
        el("td", {}, k.kiosk_id),
        el("td", { class: k.online ? "online" : "offline" }, ...(k.online ? bi("在线", "online") : bi("离线", "offline"))),
        el("td", {}, k.last_seen ? ago(k.last_seen) : "从未 · never"),
        el("td", {}, k.pending === null || k.pending === undefined ? "—" :
          `${k.pending} 条` + (k.oldest_age_s ? ` · 最久 ${Math.round(k.oldest_age_s / 60)} 分钟 · oldest ${Math.round(k.oldest_age_s / 60)} min` : "")),
        el("td", {}, Object.keys(k.devices).length ? Object.entries(k.devices).map(([n, d]) =>
          el("span", { class: "dev " + (d.state || "") }, `${n}: ${d.state === "ok" ? "正常 ok" : d.state === "fault" ? "故障 fault" : d.state === "absent" ? "未接 absent" : d.state}`,
            d.message ? ` — ${d.message}` : "")) : "—"),
        el("td", { class: k.clock && k.clock.flagged ? "clock-flag" : "" }, clockText(k.clock)),
        el("td", {}, k.version || "—"),
        el("td", { class: k.clashes && k.clashes.length ? "clash" : "" },
          k.slot === null || k.slot === undefined ? "—" : `${k.slot} 号段 · slot ${k.slot}` + (k.location ? ` — ${k.location}` : ""),
          ...(k.clashes || []).slice(0, 3).map((c) => el("div", { class: "clash" },
            `与 ${c.kiosks.filter((x) => x !== k.kiosk_id).join("、")} 重号 ${c.number}（${c.day}）· same number as ${c.kiosks.filter((x) => x !== k.kiosk_id).join(", ")}`))))));
    }
    stream("page=fleet", (d) => { kiosks = d.kiosks; render(); }, { fleet: (f) => { kiosks = f.kiosks; render(); } });
    setInterval(render, 5000);
    // This hub's own database, as its health endpoint says (a balancer reads the same answer).
    const hubHealth = document.getElementById("hub-health");
    async function checkHealth() {
      let db = "unreachable";
      try { const r = await fetch("/v1/health", { cache: "no-store" }); db = (await r.json()).database || db; } catch (e) { /* stays unreachable */ }
      hubHealth.replaceChildren(...(db === "ok" ? bi("中心数据库：正常", "Hub database: ok")
        : bi("中心数据库不可用，记录在终端排队等候", "Hub database unavailable; kiosks keep records queued")));
      hubHealth.classList.toggle("bad", db !== "ok");
      hubHealth.dataset.database = db;
    }
    checkHealth();
    setInterval(checkHealth, 10000);
  }
})();
