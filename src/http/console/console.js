// The hr-scim admin console: a small page over the admin API (/admin/v1). The session is an httpOnly
// cookie; the CSRF token lives only in this script's memory (read again from GET /session after a
// reload). Every text from the server goes into the page as text nodes, never as HTML.
"use strict";

const API = "/admin/v1";
const state = { csrf: null, admin: null, tenant: null, tenants: [], permissions: [] };
const PAGES = [
  ["tokens", "Tokens"], ["permissions", "Permissions"], ["settings", "Settings"], ["log", "Integration log"],
  ["status", "Status"], ["activity", "Activity"], ["hr", "HR changes & import"], ["entra", "Entra"], ["audit", "Admin audit"],
];

/** h("tag", {attr: value, onclick: fn}, ...children): an element; strings become text nodes. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

function say(text, kind) {
  const m = document.getElementById("message");
  m.textContent = text || "";
  m.className = kind || "";
}

// A body is sent as JSON unless a contentType is given (then as it is); the statuses in `accept`
// return their body like a success instead of throwing (an import's 422 report).
async function api(method, path, body, { contentType, accept = [] } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = contentType || "application/json";
  if (method !== "GET" && state.csrf) headers["X-CSRF-Token"] = state.csrf;
  const payload = body === undefined ? undefined : contentType ? body : JSON.stringify(body);
  const res = await fetch(API + path, { method, headers, body: payload, credentials: "same-origin" });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.status === 401 && path !== "/session") { state.csrf = null; showSignIn("Your session ended: sign in again."); throw new Error("signed out"); }
  if (!res.ok && !accept.includes(res.status)) throw new Error((data && (data.detail || data.title)) || "HTTP " + res.status);
  return data;
}

const tenantPath = (rest) => "/tenants/" + encodeURIComponent(state.tenant) + rest;
const fmt = (iso) => (iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "—");
const hasRole = (r) => state.admin && state.admin.roles.includes(r);

function confirmDialog(title, text, okLabel) {
  const d = document.getElementById("confirm");
  document.getElementById("confirm-title").textContent = title;
  document.getElementById("confirm-text").textContent = text;
  document.getElementById("confirm-ok").textContent = okLabel || "Confirm";
  return new Promise((resolve) => {
    d.addEventListener("close", () => resolve(d.returnValue === "ok"), { once: true });
    d.returnValue = "cancel";
    d.showModal();
    document.getElementById("confirm-cancel").focus();
  });
}

function page(title, ...content) {
  const main = document.getElementById("main");
  main.replaceChildren(h("h2", { id: "page-title" }, title), ...content);
  main.focus();
}

async function guard(fn) {
  try { await fn(); } catch (e) { if (e.message !== "signed out") say(e.message, "error"); }
}

// ---------- sign in ----------
function showSignIn(note) {
  document.getElementById("nav").hidden = true;
  document.getElementById("who").replaceChildren();
  const input = h("input", { id: "admin-key", type: "password", autocomplete: "off", required: true, "aria-describedby": "key-help" });
  const form = h("form", { class: "signin", onsubmit: (ev) => { ev.preventDefault(); guard(async () => {
    const s = await api("POST", "/session", { key: input.value.trim() });
    input.value = "";
    await signedIn(s);
  }); } },
    h("p", { id: "key-help" }, "Sign in with an admin key (made with ", h("code", {}, "admin create"), " in the CLI, or printed at the first start). The key is sent once; the browser keeps only a session cookie."),
    h("label", { for: "admin-key" }, "Admin key"), input, h("p", {}, h("button", { class: "primary", type: "submit" }, "Sign in")));
  page("Sign in", form);
  say(note || "", note ? "error" : "");
  input.focus();
}

async function signedIn(session) {
  state.csrf = session.csrfToken;
  state.admin = session.admin;
  state.tenants = (await api("GET", "/tenants")).tenants;
  state.permissions = (await api("GET", "/permissions")).permissions;
  state.tenant = state.tenants.some((t) => t.slug === state.tenant) ? state.tenant : (state.tenants[0] || {}).slug;
  const select = h("select", { id: "tenant", "aria-label": "Tenant", onchange: () => { state.tenant = select.value; route(); } },
    state.tenants.map((t) => h("option", { value: t.slug, selected: t.slug === state.tenant }, t.name + " (" + t.slug + ")")));
  document.getElementById("who").replaceChildren(
    h("span", {}, session.admin.name + " · " + session.admin.roles.join(", ")), select,
    h("button", { type: "button", onclick: () => guard(async () => { await api("DELETE", "/session"); state.csrf = null; showSignIn(); say("Signed out.", "ok"); }) }, "Sign out"));
  const nav = document.getElementById("nav");
  nav.replaceChildren(...PAGES.map(([id, label]) => h("a", { href: "#" + id, "data-page": id }, label)));
  nav.hidden = false;
  say("");
  if (!location.hash || location.hash === "#signin") location.hash = "#tokens"; else route();
}

function route() {
  if (!state.csrf) return;
  const id = (location.hash || "#tokens").slice(1);
  for (const a of document.querySelectorAll("nav a")) {
    if (a.dataset.page === id) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  if (!state.tenant) { page("No tenant", h("p", {}, "This admin key may act on no tenant.")); return; }
  const show = { tokens: showTokens, permissions: showPermissions, settings: showSettings, log: showLog, status: showStatus, activity: showActivity, hr: showHr, entra: showEntra, audit: showAudit }[id] || showTokens;
  say("");
  guard(show);
}

// ---------- tokens ----------
async function showTokens() {
  const { tokens } = await api("GET", tenantPath("/tokens"));
  const secretBox = h("div", { id: "secret-box" });
  const name = h("input", { id: "token-name", required: true, maxlength: 200 });
  const days = h("input", { id: "token-days", type: "number", min: 1, max: 36500, placeholder: "never" });
  const perms = state.permissions.map((p) => h("input", { type: "checkbox", value: p.name, id: "new-perm-" + p.name, disabled: !hasRole("security-admin") }));
  const issue = h("form", { onsubmit: (ev) => { ev.preventDefault(); guard(async () => {
    const body = { name: name.value, permissions: perms.filter((c) => c.checked).map((c) => c.value) };
    if (days.value) body.expiresInDays = Number(days.value);
    const t = await api("POST", tenantPath("/tokens"), body);
    await showTokens();
    showSecret(t.token, "Token \u201c" + t.name + "\u201d issued");
  }); } },
    h("fieldset", {}, h("legend", {}, "Issue a token"),
      h("label", { for: "token-name" }, "Name"), name, " ",
      h("label", { for: "token-days" }, "Expires in days"), days,
      h("div", {}, perms.map((c, i) => h("label", { for: c.id }, c, state.permissions[i].name)),
        hasRole("security-admin") ? "" : h("span", { class: "muted" }, " (granting permissions needs the security-admin role)")),
      h("button", { class: "primary", type: "submit" }, "Issue token")));
  const rows = tokens.map((t) => h("tr", { "data-token": t.id },
    h("td", {}, t.name), h("td", { class: "mono" }, t.prefix + "…"), h("td", {}, t.permissions.join(", ") || "—"), h("td", {}, t.status),
    h("td", {}, fmt(t.createdAt)), h("td", {}, fmt(t.lastUsedAt)), h("td", {}, fmt(t.expiresAt)),
    h("td", {}, t.status === "active" ? [
      h("button", { type: "button", "aria-label": "Rotate " + t.name, onclick: () => guard(() => rotate(t)) }, "Rotate"), " ",
      h("button", { type: "button", class: "danger", "aria-label": "Revoke " + t.name, onclick: () => guard(() => revoke(t)) }, "Revoke"),
    ] : "")));
  page("Tokens", secretBox, issue,
    h("table", {}, h("caption", { class: "muted" }, tokens.length + " tokens; secrets are never shown again after issue"),
      h("thead", {}, h("tr", {}, ["Name", "Prefix", "Permissions", "Status", "Created", "Last used", "Expires", "Actions"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, rows)));
}

function showSecret(secret, title) {
  const code = h("code", { id: "new-secret" }, secret);
  const copy = h("button", { type: "button", id: "copy-secret", onclick: () => {
    navigator.clipboard.writeText(secret).then(() => say("Copied to the clipboard.", "ok"), () => say("Copy failed: select the text and copy it.", "error"));
  } }, "Copy");
  document.getElementById("secret-box").replaceChildren(h("div", { class: "secret", role: "alert" },
    h("strong", {}, title + ": copy the secret now, it is shown only once."), code, copy));
  copy.focus();
}

async function rotate(t) {
  const overlap = window.prompt("Rotate \u201c" + t.name + "\u201d: seconds the old secret keeps working (0: stops now)", "0");
  if (overlap === null) return;
  if (!/^\d+$/.test(overlap)) throw new Error("The overlap must be a whole number of seconds");
  const r = await api("POST", tenantPath("/tokens/" + encodeURIComponent(t.id) + "/rotate"), { overlapSeconds: Number(overlap) });
  await showTokens();
  showSecret(r.token, "Token \u201c" + r.name + "\u201d rotated");
}

async function revoke(t) {
  if (!(await confirmDialog("Revoke \u201c" + t.name + "\u201d?", "Every client using this token is refused from now on. This cannot be undone.", "Revoke"))) return;
  await api("POST", tenantPath("/tokens/" + encodeURIComponent(t.id) + "/revoke"));
  await showTokens();
  say("Token \u201c" + t.name + "\u201d revoked.", "ok");
}

// ---------- permissions ----------
async function showPermissions() {
  const { tokens } = await api("GET", tenantPath("/tokens"));
  const live = tokens.filter((t) => t.status === "active");
  const canToggle = hasRole("security-admin");
  const rows = live.map((t) => h("tr", {}, h("th", { scope: "row" }, t.name),
    state.permissions.map((p) => {
      const box = h("input", { type: "checkbox", id: "perm-" + t.id + "-" + p.name, checked: t.permissions.includes(p.name), disabled: !canToggle });
      box.addEventListener("change", () => guard(async () => {
        const enabled = box.checked;
        const ok = await confirmDialog((enabled ? "Grant " : "Withdraw ") + p.name + " for \u201c" + t.name + "\u201d?",
          (enabled ? "Granting it " : "Withdrawing it stops what it ") + p.opens + ".", enabled ? "Grant" : "Withdraw");
        if (!ok) { box.checked = !enabled; return; }
        await api("PUT", tenantPath("/tokens/" + encodeURIComponent(t.id) + "/permissions/" + encodeURIComponent(p.name)), { enabled });
        say(p.name + (enabled ? " granted to " : " withdrawn from ") + "\u201c" + t.name + "\u201d.", "ok");
      }).then(() => showPermissions()));
      return h("td", {}, h("label", { for: box.id }, box, h("span", { class: "muted" }, p.name)));
    })));
  page("Permissions",
    h("p", {}, canToggle ? "Each change asks for confirmation and is recorded in the admin audit." : "Only a security-admin may change permissions; you can read them."),
    h("ul", {}, state.permissions.map((p) => h("li", {}, h("code", {}, p.name), ": ", p.opens))),
    h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Token"), state.permissions.map((p) => h("th", { scope: "col" }, p.name)))), h("tbody", {}, rows)));
}

// ---------- settings ----------
async function showSettings() {
  const s = await api("GET", tenantPath("/settings"));
  const mapping = await api("GET", tenantPath("/property-mapping"));
  const GROUP_TYPES = ["LUCCA_DEPT", "LUCCA_ETS", "LUCCA_LU", "LUCCA_COUNTRY"];
  const zone = h("input", { id: "set-zone", value: s.timeZone });
  const groups = GROUP_TYPES.map((g) => h("input", { type: "checkbox", id: "grp-" + g, value: g, checked: s.groupTypes.includes(g) }));
  const userName = h("select", { id: "set-username" }, ["login", "workEmail"].map((v) => h("option", { value: v, selected: s.userNameSource === v }, v)));
  const future = h("input", { type: "checkbox", id: "set-future", checked: s.futureEmployeesActive });
  const domains = h("input", { id: "set-domains", value: s.allowedEmailDomains.join(", "), size: 40 });
  const retention = h("input", { id: "set-retention", type: "number", min: 1, max: 3650, value: s.logRetentionDays });
  const namespace = h("select", { id: "set-namespace" }, ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "urn:ietf:params:scim:schemas:extension:lucca:2.0:User"].map((v) => h("option", { value: v, selected: s.propertyMapping.namespace === v }, v)));
  const optional = mapping.attributes.filter((a) => a.key);
  const attrBoxes = optional.map((a) => h("input", { type: "checkbox", id: "map-" + a.key, value: a.key, checked: a.exposed }));
  const mapRows = [
    ...mapping.attributes.filter((a) => a.locked).map((a) => h("tr", {}, h("td", {}, h("input", { type: "checkbox", checked: true, disabled: true, "aria-label": a.scimAttribute + " (always exposed)" })), h("td", {}, "locked"), h("td", { class: "mono" }, a.scimAttribute), h("td", { class: "mono" }, a.namespace))),
    ...optional.map((a, i) => h("tr", {}, h("td", {}, attrBoxes[i]), h("td", {}, h("label", { for: attrBoxes[i].id }, a.key)), h("td", { class: "mono preview" }, a.scimAttribute), h("td", { class: "mono" }, a.namespace))),
  ];
  const save = h("form", { onsubmit: (ev) => { ev.preventDefault(); guard(async () => {
    const body = {
      timeZone: zone.value.trim(), groupTypes: groups.filter((g) => g.checked).map((g) => g.value), userNameSource: userName.value,
      futureEmployeesActive: future.checked, allowedEmailDomains: domains.value.split(",").map((d) => d.trim()).filter(Boolean),
      logRetentionDays: Number(retention.value),
      propertyMapping: { attributes: attrBoxes.filter((b) => b.checked).map((b) => b.value), namespace: namespace.value, extendedFields: s.propertyMapping.extendedFields },
    };
    await api("PATCH", tenantPath("/settings"), body);
    await showSettings();
    say("Settings saved. Identity providers see every user as changed (lastModified).", "ok");
  }); } },
    h("fieldset", {}, h("legend", {}, "Tenant"),
      h("div", { class: "grid" },
        h("label", { for: "set-zone" }, "Time zone"), zone,
        h("label", { for: "set-username" }, "userName from"), userName,
        h("label", { for: "set-domains" }, "Allowed email domains"), domains,
        h("label", { for: "set-retention" }, "Keep logs (days)"), retention),
      h("label", { for: "set-future" }, future, "Future employees are active before their first day")),
    h("fieldset", {}, h("legend", {}, "Group types published as SCIM Groups"), groups.map((g) => h("label", { for: g.id }, g, g.value))),
    h("fieldset", {}, h("legend", {}, "Property mapping"),
      h("p", { class: "muted" }, "Type the SCIM attribute as shown into Okta's attribute editor (external namespace and name) or Entra's mapping."),
      h("label", { for: "set-namespace" }, "Namespace of HR properties"), namespace,
      h("table", {}, h("thead", {}, h("tr", {}, ["Exposed", "Property", "SCIM attribute", "Namespace"].map((c) => h("th", { scope: "col" }, c)))), h("tbody", {}, mapRows))),
    h("button", { class: "primary", type: "submit" }, "Save settings"));
  page("Settings", hasRole("integration-admin") ? save : h("p", {}, "Only an integration-admin may change settings."));
}

// ---------- integration log ----------
async function showLog() {
  if (!hasRole("security-admin")) { page("Integration log", h("p", {}, "Reading the integration log needs the security-admin role.")); return; }
  const { tokens } = await api("GET", tenantPath("/tokens"));
  const names = Object.fromEntries(tokens.map((t) => [t.id, t.name]));
  const f = {
    from: h("input", { id: "log-from", type: "datetime-local" }), to: h("input", { id: "log-to", type: "datetime-local" }),
    token: h("select", { id: "log-token" }, h("option", { value: "" }, "any"), tokens.map((t) => h("option", { value: t.id }, t.name))),
    status: h("select", { id: "log-status" }, ["", "2xx", "4xx", "5xx", "error"].map((v) => h("option", { value: v }, v || "any"))),
    method: h("select", { id: "log-method" }, ["", "GET", "POST", "PUT", "PATCH", "DELETE"].map((v) => h("option", { value: v }, v || "any"))),
    resource: h("input", { id: "log-resource", size: 10 }),
  };
  const tbody = h("tbody", {});
  const more = h("button", { type: "button", hidden: true }, "Older rows");
  let cursor = null;
  const load = async (append) => {
    const q = new URLSearchParams();
    if (f.from.value) q.set("from", new Date(f.from.value).toISOString());
    if (f.to.value) q.set("to", new Date(f.to.value).toISOString());
    for (const k of ["token", "status", "method", "resource"]) if (f[k].value) q.set(k, f[k].value.trim());
    if (append && cursor) q.set("cursor", cursor);
    const page = await api("GET", tenantPath("/integration-log?" + q));
    cursor = page.next;
    more.hidden = !cursor;
    const rows = page.rows.map((r) => h("tr", { class: r.status >= 400 ? "error" : "" },
      h("td", {}, fmt(r.at)), h("td", {}, names[r.tokenId] || r.tokenId || "—"), h("td", {}, r.method), h("td", { class: "mono" }, r.path),
      h("td", {}, String(r.status)), h("td", {}, r.durationMs + " ms"), h("td", {}, r.results === null ? "" : String(r.results)),
      h("td", {}, r.diff ? h("details", {}, h("summary", {}, "diff"), h("pre", { class: "diff" }, JSON.stringify(r.diff, null, 2))) : "")));
    if (append) tbody.append(...rows); else tbody.replaceChildren(...rows);
    if (!append && rows.length === 0) tbody.replaceChildren(h("tr", {}, h("td", { colspan: 8, class: "muted" }, "No requests match.")));
  };
  more.addEventListener("click", () => guard(() => load(true)));
  const form = h("form", { onsubmit: (ev) => { ev.preventDefault(); guard(() => load(false)); } },
    h("fieldset", {}, h("legend", {}, "Filter"),
      h("label", { for: "log-from" }, "From"), f.from, h("label", { for: "log-to" }, "To"), f.to,
      h("label", { for: "log-token" }, "Token"), f.token, h("label", { for: "log-status" }, "Status"), f.status,
      h("label", { for: "log-method" }, "Method"), f.method, h("label", { for: "log-resource" }, "Resource id"), f.resource,
      h("button", { class: "primary", type: "submit" }, "Filter")));
  page("Integration log", form,
    h("table", { id: "log-table" }, h("thead", {}, h("tr", {}, ["When", "Token", "Method", "Path", "Status", "Time", "Results", "Diff"].map((c) => h("th", { scope: "col" }, c)))), tbody), more);
  await load(false);
}

// ---------- status ----------
async function showStatus() {
  const s = await api("GET", tenantPath("/status"));
  page("Status",
    h("p", {}, "Integration log and admin audit are kept ", h("strong", { id: "retention" }, s.logRetentionDays + " days"), " (setting logRetentionDays), then purged by the hourly retention job."),
    h("h3", {}, "Last import per token"),
    h("table", {}, h("thead", {}, h("tr", {}, ["Token", "Last request", "Import started", "Requests", "List pages", "Users", "Errors"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, s.lastImports.map((i) => h("tr", { class: i.errors ? "error" : "" }, h("td", {}, i.tokenName), h("td", {}, fmt(i.lastRequestAt)), h("td", {}, fmt(i.startedAt)),
        h("td", {}, String(i.requests)), h("td", {}, String(i.pages)), h("td", {}, String(i.users)), h("td", { class: i.errors ? "bad" : "" }, String(i.errors)))))),
    h("h3", {}, "Entra connector"),
    h("p", {}, !s.entra.connected ? "Not connected." : s.entra.lastRun ? "Last run " + fmt(s.entra.lastRun.startedAt) + ": " + s.entra.lastRun.status + ", " + s.entra.lastRun.sent + " sent, " + s.entra.lastRun.failed + " failed" + (s.entra.lastRun.error ? " — " + s.entra.lastRun.error : "") : "Connected; no run yet."));
}

// ---------- activity chart ----------
const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}
const COLOURS = ["#0b5cad", "#1a7f37", "#8250df", "#bc4c00", "#0a7ea4", "#6e7781"];

async function showActivity() {
  const a = await api("GET", tenantPath("/activity?days=14"));
  const days = a.dayList;
  const tokenIds = [...new Set(a.activity.map((r) => r.tokenId))];
  const names = Object.fromEntries(a.tokens.map((t) => [t.id, t.name]));
  const W = 760, H = 220, L = 40, B = 30, bw = (W - L - 10) / days.length;
  const byDay = (d) => a.activity.filter((r) => r.day === d);
  const max = Math.max(1, ...days.map((d) => byDay(d).reduce((n, r) => n + r.requests, 0)));
  const bars = [];
  days.forEach((d, i) => {
    let y = H - B;
    for (const r of byDay(d)) {
      const hgt = (r.requests / max) * (H - B - 10);
      y -= hgt;
      bars.push(svg("rect", { x: L + i * bw + 2, y, width: bw - 4, height: hgt, fill: COLOURS[tokenIds.indexOf(r.tokenId) % COLOURS.length] }, svg("title", {}, d + " " + (names[r.tokenId] || "—") + ": " + r.requests + " requests, " + r.errors + " errors")));
      if (r.errors) bars.push(svg("rect", { x: L + i * bw + 2, y, width: bw - 4, height: Math.max(2, (r.errors / max) * (H - B - 10)), fill: "#b3261e" }));
    }
    if (i % 2 === 0) bars.push(svg("text", { x: L + i * bw, y: H - 10 }, d.slice(5)));
  });
  const requests = svg("svg", { class: "chart", viewBox: "0 0 " + W + " " + H, width: "100%", role: "img", "aria-labelledby": "chart-req-title" },
    svg("title", { id: "chart-req-title" }, "Requests per token and day; errors in red"),
    svg("line", { x1: L, y1: H - B, x2: W, y2: H - B, stroke: "#8c959f" }), svg("text", { x: 2, y: 14 }, String(max)), bars);
  const lat = days.map((d) => { const rs = byDay(d); const n = rs.reduce((s, r) => s + r.requests, 0); return n ? { avg: rs.reduce((s, r) => s + r.avgMs * r.requests, 0) / n, p95: Math.max(...rs.map((r) => r.p95Ms)) } : null; });
  const lmax = Math.max(1, ...lat.filter(Boolean).map((l) => l.p95));
  const line = (k, colour) => svg("polyline", { fill: "none", stroke: colour, "stroke-width": 2, points: lat.map((l, i) => (l ? (L + i * bw + bw / 2) + "," + (H - B - (l[k] / lmax) * (H - B - 10)) : "")).filter(Boolean).join(" ") });
  const latency = svg("svg", { class: "chart", viewBox: "0 0 " + W + " " + H, width: "100%", role: "img", "aria-labelledby": "chart-lat-title" },
    svg("title", { id: "chart-lat-title" }, "SCIM response times per day: average and 95th percentile, in milliseconds"),
    svg("line", { x1: L, y1: H - B, x2: W, y2: H - B, stroke: "#8c959f" }), svg("text", { x: 2, y: 14 }, Math.round(lmax) + " ms"), line("avg", "#0b5cad"), line("p95", "#bc4c00"),
    days.map((d, i) => (i % 2 === 0 ? svg("text", { x: L + i * bw, y: H - 10 }, d.slice(5)) : null)));
  const totals = days.map((d, i) => { const rs = byDay(d); return h("tr", {}, h("td", {}, d), h("td", {}, String(rs.reduce((n, r) => n + r.requests, 0))), h("td", {}, String(rs.reduce((n, r) => n + r.errors, 0))), h("td", {}, lat[i] ? Math.round(lat[i].avg) + " ms" : "—"), h("td", {}, lat[i] ? Math.round(lat[i].p95) + " ms" : "—")); });
  page("Activity (last " + a.days + " days, UTC)",
    h("h3", {}, "Requests and errors per token"),
    h("p", { class: "legend" }, tokenIds.map((t, i) => h("span", { class: "key" }, h("span", { class: "swatch", "data-colour": COLOURS[i % COLOURS.length] }), names[t] || "—")),
      h("span", { class: "key" }, h("span", { class: "swatch", "data-colour": "#b3261e" }), "errors")),
    requests, h("h3", {}, "SCIM response times (average in blue, 95th percentile in orange)"), latency,
    h("details", {}, h("summary", {}, "The same as a table"), h("table", {}, h("thead", {}, h("tr", {}, ["Day", "Requests", "Errors", "Average", "95th percentile"].map((c) => h("th", { scope: "col" }, c)))), h("tbody", {}, totals))));
  for (const el of document.querySelectorAll("[data-colour]")) el.style.background = el.dataset.colour;
}

// ---------- HR change feed and CSV import ----------
async function showHr() {
  const feed = h("tbody", {});
  const more = h("button", { type: "button", hidden: true }, "Later changes");
  let cursor = "0";
  const since = h("input", { id: "hr-since", type: "datetime-local" });
  const loadFeed = async (append) => {
    const q = append ? "after=" + encodeURIComponent(cursor) : since.value ? "since=" + encodeURIComponent(new Date(since.value).toISOString()) : "after=0";
    const page = await api("GET", tenantPath("/hr/changes?limit=100&" + q));
    cursor = page.nextCursor;
    more.hidden = page.items.length < 100;
    const rows = page.items.map((c) => h("tr", {}, h("td", {}, fmt(c.at)), h("td", {}, c.actor), h("td", {}, c.entity), h("td", { class: "mono" }, c.key), h("td", {}, c.operation),
      h("td", {}, h("details", {}, h("summary", {}, Object.keys(c.fields).join(", ") || "—"),
        h("table", {}, h("tbody", {}, Object.entries(c.fields).map(([f, v]) => h("tr", {}, h("th", { scope: "row" }, f), h("td", {}, JSON.stringify(v.before)), h("td", {}, "\u2192 " + JSON.stringify(v.after))))))))));
    if (append) feed.append(...rows); else feed.replaceChildren(...rows);
    if (!append && rows.length === 0) feed.replaceChildren(h("tr", {}, h("td", { colspan: 6, class: "muted" }, "No HR changes yet.")));
  };
  more.addEventListener("click", () => guard(() => loadFeed(true)));

  const file = h("input", { id: "hr-file", type: "file", accept: ".csv,text/csv" });
  const snapshot = h("input", { id: "hr-snapshot", type: "checkbox" });
  const removeAbsent = h("input", { id: "hr-remove", type: "checkbox" });
  const report = h("div", { id: "hr-report", "aria-live": "polite" });
  const apply = h("button", { type: "button", class: "primary", id: "hr-apply", disabled: true }, "Apply this file");
  let text = null;
  const run = async (dryRun) => {
    const q = "?dryRun=" + dryRun + "&snapshot=" + snapshot.checked + "&removeAbsent=" + removeAbsent.checked;
    const r = await api("POST", tenantPath("/hr/imports" + q), text, { contentType: "text/csv", accept: [422] });
    report.replaceChildren(h("h3", {}, dryRun ? "Dry run: what the file would do" : "Applied"),
      h("p", {}, r.created + " created, " + r.updated + " updated, " + r.unchanged + " unchanged, " + r.removed + " removed" + (r.absent && r.absent.length ? "; absent from the file: " + r.absent.join(", ") : "")),
      r.errors.length ? h("table", {}, h("caption", { class: "bad" }, r.errors.length + " errors: nothing would be imported"), h("thead", {}, h("tr", {}, ["Line", "Column", "Problem"].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, r.errors.map((e) => h("tr", { class: "error" }, h("td", {}, String(e.line)), h("td", {}, e.column), h("td", {}, e.message))))) : "");
    apply.disabled = !dryRun || r.errors.length > 0;
    if (!dryRun) { text = null; await loadFeed(false); say("Import applied.", "ok"); }
  };
  apply.addEventListener("click", () => guard(() => run(false)));
  const form = h("form", { onsubmit: (ev) => { ev.preventDefault(); guard(async () => {
    if (!file.files || !file.files[0]) throw new Error("Choose a CSV file first");
    text = await file.files[0].text();
    await run(true);
  }); } },
    h("fieldset", {}, h("legend", {}, "Import a CSV file (dry run first)"),
      h("label", { for: "hr-file" }, "File"), file,
      h("label", { for: "hr-snapshot" }, snapshot, "The file is the whole population (list who is absent)"),
      h("label", { for: "hr-remove" }, removeAbsent, "End the contracts of those absent"),
      h("p", {}, h("button", { type: "submit", id: "hr-dry-run" }, "Dry run"), " ", apply)));
  page("HR changes & import", hasRole("integration-admin") ? form : h("p", { class: "muted" }, "Importing needs the integration-admin role."), report,
    h("h3", {}, "Change feed (oldest first)"),
    h("form", { onsubmit: (ev) => { ev.preventDefault(); guard(() => loadFeed(false)); } },
      h("label", { for: "hr-since" }, "Changes from"), since, " ", h("button", { type: "submit" }, "Show")),
    h("table", { id: "hr-feed" }, h("thead", {}, h("tr", {}, ["When", "Who", "Record", "Key", "Operation", "Fields (before \u2192 after)"].map((c) => h("th", { scope: "col" }, c)))), feed), more);
  await loadFeed(false);
}

// ---------- Entra ----------
async function showEntra() {
  const c = await api("GET", tenantPath("/entra"));
  const field = (id, label, value, attrs) => { const input = h("input", Object.assign({ id: "entra-" + id, value: value == null ? "" : value, size: 40 }, attrs || {})); return [h("label", { for: input.id }, label), input]; };
  const fields = {
    directoryId: field("directoryId", "Directory (tenant) id", c.directoryId), clientId: field("clientId", "Client id", c.clientId),
    clientSecret: field("clientSecret", "Client secret", "", { type: "password", autocomplete: "new-password", placeholder: c.connected ? "stored; leave blank to keep" : "" }),
    servicePrincipalId: field("servicePrincipalId", "Service principal id", c.servicePrincipalId), jobId: field("jobId", "Provisioning job id", c.jobId),
  };
  const result = h("div", { id: "entra-result", "aria-live": "polite" });
  const form = h("form", { onsubmit: (ev) => { ev.preventDefault(); guard(async () => {
    const body = {};
    for (const [k, [, input]] of Object.entries(fields)) if (input.value.trim()) body[k] = input.value.trim();
    await api("PUT", tenantPath("/entra"), body);
    await showEntra();
    say("Entra connection saved; the secret is stored encrypted.", "ok");
  }); } },
    h("fieldset", {}, h("legend", {}, c.connected ? "Connection" : "Connect to Microsoft Entra ID"), h("div", { class: "grid" }, Object.values(fields).flat()),
      h("button", { class: "primary", type: "submit" }, c.connected ? "Save" : "Connect")));
  const actions = c.connected ? h("p", {},
    h("button", { type: "button", onclick: () => guard(async () => {
      const t = await api("POST", tenantPath("/entra/test"));
      result.replaceChildren(h("ul", {}, t.steps.map((s) => h("li", { class: s.ok ? "" : "bad" }, (s.ok ? "ok — " : "FAILED — ") + s.step + ": " + s.detail))));
    }) }, "Test the connection"), " ",
    h("button", { type: "button", onclick: () => guard(async () => {
      const r = await api("POST", tenantPath("/entra/runs"), {});
      say(r.runs.length ? "Run finished: " + r.runs.map((x) => x.status + ", " + x.sent + " sent, " + x.failed + " failed").join("; ") : "Nothing to send.", "ok");
      await showRuns(runsBox);
    }) }, "Run now")) : "";
  const runsBox = h("div", {});
  page("Entra connector", form, actions, result, h("h3", {}, "Runs"), runsBox);
  if (c.connected) await showRuns(runsBox);
}

async function showRuns(box) {
  const { runs } = await api("GET", tenantPath("/entra/runs?limit=10"));
  box.replaceChildren(runs.length === 0 ? h("p", { class: "muted" }, "No runs yet.") : h("table", {},
    h("thead", {}, h("tr", {}, ["Started", "Kind", "Status", "Sent", "Unchanged", "Failed", "Outcomes"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, runs.map((r) => h("tr", { class: r.failed || r.status === "failed" ? "error" : "" },
      h("td", {}, fmt(r.startedAt)), h("td", {}, r.kind), h("td", {}, r.status + (r.error ? " — " + r.error : "")), h("td", {}, String(r.sent)), h("td", {}, String(r.unchanged)),
      h("td", { class: r.failed ? "bad" : "" }, String(r.failed)),
      h("td", {}, r.outcomes.length ? h("details", {}, h("summary", {}, r.outcomes.length + " employees"), h("ul", {}, r.outcomes.map((o) => h("li", { class: o.result === "failure" || o.status === "failure" ? "bad" : "" }, o.externalId + ": " + (o.status || o.result) + (o.error ? " — " + o.error : ""))))) : "—"))))));
}

// ---------- admin audit ----------
async function showAudit() {
  if (!hasRole("security-admin")) { page("Admin audit", h("p", {}, "Reading the admin audit needs the security-admin role.")); return; }
  const { rows } = await api("GET", tenantPath("/admin-audit?limit=100"));
  page("Admin audit", h("table", {}, h("thead", {}, h("tr", {}, ["When", "Who", "Action", "Target", "Before / after"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, h("td", {}, fmt(r.at)), h("td", {}, r.actor), h("td", {}, r.action), h("td", { class: "mono" }, r.target || ""),
      h("td", {}, h("details", {}, h("summary", {}, "show"), h("pre", { class: "diff" }, "before: " + JSON.stringify(r.before, null, 2) + "\nafter: " + JSON.stringify(r.after, null, 2)))))))));
}

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", () => {
  fetch(API + "/session", { credentials: "same-origin" }).then(async (res) => {
    if (res.ok) await signedIn(await res.json()); else showSignIn();
  }, () => showSignIn("The server cannot be reached."));
});
