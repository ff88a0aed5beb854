// The admin console in real headless Chromium (Debian's chromium, driven by playwright-core): sign
// in, issue a token and use it against /scim/v2/Users, grant future-employees:read and see the
// future employee appear, revoke the token and see it refused, read the rows in the integration
// log, import a CSV file, and be asked to sign in again when the session ended. A screenshot of each page goes to test-results/console/ (README "The admin console").
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addEmployee, issueTestAdminKey } from "../support/admin.js";
import { buildTestApp, makeTenant, type TestApp } from "../support/build-test-app.js";
import { recordSecret } from "../support/test-run.js";

const SCREENSHOTS = path.resolve("test-results", "console");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let t: TestApp;
let server: Server;
let base: string;
let browser: Browser;
let page: Page;
let slug: string;
let futureId: string;
let adminKey: string;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (.ci/run does it)`);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  t = await buildTestApp();
  const tenant = await makeTenant(t.db, { groupTypes: ["LUCCA_DEPT"] });
  slug = tenant.slug;
  await addEmployee(t.db, tenant.id, `now${tenant.id}`, "2020-01-01");
  futureId = await addEmployee(t.db, tenant.id, `later${tenant.id}`, "2026-09-01");
  adminKey = (await issueTestAdminKey(t.db, { roles: ["integration-admin", "security-admin"], tenantId: tenant.id, now: t.now(), name: "browser test" })).key;
  server = t.app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await t?.close();
});

const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
const scimUsers = (token: string) => fetch(`${base}/scim/v2/Users?count=100`, { headers: { Authorization: `Bearer ${token}` } });
const userIds = async (token: string) => ((await (await scimUsers(token)).json()) as { Resources: { id: string }[] }).Resources.map((u) => u.id);

async function open(hash: string, heading: string) {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  await page.locator("#page-title", { hasText: heading }).waitFor();
}

describe("the admin console", () => {
  it("signs in, issues a token, grants future-employees:read, revokes, and shows the log", async () => {
    await page.goto(`${base}/admin/`);
    await page.locator("#admin-key").waitFor();
    await shot("sign-in");
    await page.fill("#admin-key", adminKey);
    await page.keyboard.press("Enter");
    await page.locator("#page-title", { hasText: "Tokens" }).waitFor();
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === "hrscim_admin")).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    expect(await page.evaluate("JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie")).not.toContain("hrscimadm_");

    // Issue: the secret is shown once, and it reads /scim/v2/Users without the future employee.
    await page.fill("#token-name", "okta-browser");
    await page.click("text=Issue token");
    const secret = (await page.locator("#new-secret").textContent())!;
    recordSecret(secret);
    expect(secret).toMatch(/^hrscim_\d+_/);
    await shot("tokens");
    expect((await scimUsers(secret)).status).toBe(200);
    expect(await userIds(secret)).not.toContain(futureId);

    // Grant future-employees:read: the confirmation says what it opens.
    await open("#permissions", "Permissions");
    const box = page.locator('input[id$="-future-employees:read"]').first();
    await box.check();
    await expect.poll(() => page.locator("#confirm-text").textContent()).toMatch(/contract starts in the future/);
    await shot("permissions-confirm");
    await page.click("#confirm-ok");
    await page.locator("#message", { hasText: "granted" }).waitFor();
    await shot("permissions");
    expect(await userIds(secret)).toContain(futureId);

    // Revoke: the token is refused afterwards.
    await open("#tokens", "Tokens");
    await page.click('button[aria-label="Revoke okta-browser"]');
    await page.click("#confirm-ok");
    await page.locator("#message", { hasText: "revoked" }).waitFor();
    expect((await scimUsers(secret)).status).toBe(401);

    // The integration log holds the token's reads.
    await t.integrationLog.flush();
    await open("#log", "Integration log");
    await page.locator("#log-table tbody tr").first().waitFor();
    const rows = await page.locator("#log-table tbody tr").allTextContents();
    expect(rows.filter((r) => r.includes("okta-browser") && r.includes("/scim/v2/Users") && r.includes("200"))).toHaveLength(3);
    await shot("integration-log");
  });

  it("shows the other pages, each usable from the keyboard", async () => {
    await open("#settings", "Settings");
    expect(await page.locator("td.preview", { hasText: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" }).count()).toBe(1);
    await shot("settings");
    await open("#status", "Status");
    await page.locator("#retention", { hasText: "400 days" }).waitFor();
    await shot("status");
    await open("#activity", "Activity");
    expect(await page.locator("svg.chart").count()).toBe(2);
    await shot("activity");
    // HR CSV import: the dry run's report comes first, then the same file is applied and shows in the change feed.
    await open("#hr", "HR changes & import");
    await page.setInputFiles("#hr-file", { name: "people.csv", mimeType: "text/csv", buffer: Buffer.from("employeeNumber,login,firstName,lastName,contractStart\nE-BR1,brenda.browser,Brenda,Browser,2021-03-01\n") });
    await page.click("#hr-dry-run");
    await page.locator("#hr-report", { hasText: "1 created" }).waitFor();
    await shot("hr-import-dry-run");
    await page.click("#hr-apply");
    await page.locator("#message", { hasText: "Import applied" }).waitFor();
    await page.locator("#hr-feed td", { hasText: "E-BR1" }).first().waitFor();
    await shot("hr-changes");
    await open("#entra", "Entra connector");
    await shot("entra");
    await open("#audit", "Admin audit");
    await page.locator("td", { hasText: "token.permission.grant" }).waitFor();
    await shot("admin-audit");
    // Keyboard: Tab from the skip link reaches the navigation, and Enter follows a link.
    await page.focus("a.skip");
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement.textContent")).toBe("Tokens");
    await page.keyboard.press("Enter");
    await page.locator("#page-title", { hasText: "Tokens" }).waitFor();
    for (const name of ["sign-in", "tokens", "permissions", "integration-log", "settings", "status", "activity", "hr-import-dry-run", "hr-changes", "entra", "admin-audit"]) {
      expect(fs.existsSync(path.join(SCREENSHOTS, `${name}.png`)), name).toBe(true);
    }
  });

  it("asks to sign in again when the session ended before a CSV upload", async () => {
    await open("#hr", "HR changes & import");
    await page.setInputFiles("#hr-file", { name: "late.csv", mimeType: "text/csv", buffer: Buffer.from("employeeNumber,login,firstName,lastName,contractStart\nE-BR2,late.browser,Late,Browser,2021-03-01\n") });
    await page.context().clearCookies();
    await page.click("#hr-dry-run");
    await page.locator("#page-title", { hasText: "Sign in" }).waitFor();
    await page.locator("#message", { hasText: "Your session ended" }).waitFor();
    await page.fill("#admin-key", adminKey);
    await page.click("form.signin button[type=submit]");
    await page.locator("#nav:not([hidden])").waitFor();
  });
});
