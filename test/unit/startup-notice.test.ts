// startupNotice (src/startup-notice.ts): a token and a working curl on the first run only; on any
// other start, the exact command that issues a token, and for PGlite that the server must be stopped first.
import { describe, expect, it } from "vitest";
import { startupNotice } from "../../src/startup-notice.js";

const base = "http://localhost:8080/scim/v2";
const pglite = { kind: "pglite", dataDir: "/srv/data" } as const;

describe("startupNotice", () => {
  it("prints the first run's demo token with a curl command that uses it", () => {
    const text = startupNotice({ scimBaseUrl: base, store: pglite, demoToken: "hrscim_1_secret", hasDemoTenant: true, cliCommand: "npm run --silent cli --" });
    expect(text).toContain(`SCIM base URL: ${base}`);
    expect(text).toContain("Store: PGlite in /srv/data");
    expect(text).toContain(`curl -s -H "Authorization: Bearer hrscim_1_secret" "${base}/Users?startIndex=1&count=2"`);
    expect(text).not.toContain("token issue");
  });

  it("prints, without a token, the command that issues one and that PGlite needs the server stopped first", () => {
    const text = startupNotice({ scimBaseUrl: base, store: pglite, hasDemoTenant: true, cliCommand: "npm run --silent cli --" });
    expect(text).not.toMatch(/hrscim_|Bearer/);
    expect(text).toContain("  npm run --silent cli -- token issue --tenant demo --name demo --expires-in-days 30\n");
    expect(text).toMatch(/stop\s+the server first/);
    expect(text).toContain("PostgreSQL");
  });

  it("on PostgreSQL, in an image without the demo tenant, names the image's CLI and placeholders", () => {
    const text = startupNotice({ scimBaseUrl: base, store: { kind: "postgres" }, hasDemoTenant: false, cliCommand: "node dist/cli/main.js" });
    expect(text).toContain("Store: PostgreSQL (DATABASE_URL)");
    expect(text).toContain("  node dist/cli/main.js token issue --tenant <tenant slug> --name <name> --expires-in-days 30\n");
    expect(text).not.toMatch(/stop|PGlite/);
  });
});
