// What the server prints for the person who started it (stdout, between the JSON log lines): where
// the SCIM API is, which store it uses, and either the demo token of a first run or how to get a
// token. A token is printed only on the first run (README "The two commands"): a restart mints none.
import { DEMO_TOKEN_DAYS } from "./seeds/demo.js";

export interface StartupNoticeInput {
  scimBaseUrl: string;
  store: { kind: "pglite"; dataDir: string } | { kind: "postgres" };
  /** The token issued because the demo tenant was just seeded into an empty store. */
  demoToken?: string;
  /** Whether tenant "demo" exists (the how-to names it, else a placeholder). */
  hasDemoTenant: boolean;
  /** How the CLI is called here: `npm run --silent cli --` in a checkout, `node dist/cli/main.js` in an image. */
  cliCommand: string;
  /** The admin console's URL (…/admin/). */
  adminConsoleUrl?: string;
  /** The admin key made with the demo tenant on the first run (both roles, limited to the demo tenant). */
  demoAdminKey?: string;
}

export function startupNotice(input: StartupNoticeInput): string {
  const lines = [
    "",
    `hr-scim is listening. SCIM base URL: ${input.scimBaseUrl}`,
    `Store: ${input.store.kind === "pglite" ? `PGlite in ${input.store.dataDir}` : "PostgreSQL (DATABASE_URL)"}`,
  ];
  if (input.demoToken) {
    lines.push(
      `Demo tenant token (shown once, read-only, valid ${DEMO_TOKEN_DAYS} days): ${input.demoToken}`,
      "Try:",
      `  curl -s -H "Authorization: Bearer ${input.demoToken}" "${input.scimBaseUrl}/Users?startIndex=1&count=2"`,
    );
  } else {
    const tenant = input.hasDemoTenant ? "demo" : "<tenant slug>";
    const issue = `${input.cliCommand} token issue --tenant ${tenant} --name ${input.hasDemoTenant ? "demo" : "<name>"} --expires-in-days ${DEMO_TOKEN_DAYS}`;
    if (input.store.kind === "pglite") {
      lines.push(
        "No token is issued at start. PGlite lets one process at a time open its data directory, so stop",
        "the server first (Ctrl-C), issue a token, and start it again (or use PostgreSQL through DATABASE_URL,",
        "where the CLI runs beside the server):",
        `  ${issue}`,
      );
    } else {
      lines.push("No token is issued at start. Issue one with:", `  ${issue}`);
    }
  }
  if (input.adminConsoleUrl) {
    if (input.demoAdminKey) {
      lines.push(
        `Admin console: ${input.adminConsoleUrl} (tokens, permissions, settings, integration log)`,
        `Demo admin key (shown once, demo tenant only; sign in to the console with it): ${input.demoAdminKey}`,
      );
    } else {
      const tenant = input.hasDemoTenant ? " --tenant demo" : "";
      lines.push(
        `Admin console: ${input.adminConsoleUrl}; sign in with an admin key, made with:`,
        `  ${input.cliCommand} admin create --name <you> --role integration-admin --role security-admin${tenant}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
