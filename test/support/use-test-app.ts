// The test app of one test file: built before its tests, closed after them, with one token per
// tenant and permissions issued on first use and reused by every later test.
import { afterAll, beforeAll } from "vitest";
import type { Permission } from "../../src/auth/permissions.js";
import { buildTestApp, type AppUnderTest, type TestApp, type TestAppOptions } from "./build-test-app.js";

export interface SharedTestApp extends AppUnderTest {
  /** The file's token of the tenant with exactly these permissions (tokenFor gives a new one). */
  token(tenantSlug: string, permissions?: Permission[]): Promise<string>;
}

/**
 * Registers beforeAll and afterAll in the calling file (or describe block) and returns a handle on
 * its app. The handle is made at module level, but its members work only inside tests and hooks
 * registered after this call; used elsewhere they throw.
 */
export function useTestApp(options: TestAppOptions = {}): SharedTestApp {
  let built: TestApp | undefined;
  const tokens = new Map<string, Promise<string>>();
  beforeAll(async () => { built = await buildTestApp(options); });
  afterAll(async () => {
    await built?.close();
    built = undefined;
  });
  const app = (): TestApp => {
    if (!built) throw new Error("useTestApp(): the app exists only inside the tests and hooks of the file that uses it");
    return built;
  };
  return {
    get app() { return app().app; },
    get db() { return app().db; },
    get database() { return app().database; },
    get integrationLog() { return app().integrationLog; },
    request: () => app().request(),
    setNow: (at) => app().setNow(at),
    now: () => app().now(),
    tokenFor: (tenantSlug, permissions, options) => app().tokenFor(tenantSlug, permissions, options),
    token(tenantSlug, permissions = []) {
      const key = [tenantSlug, ...[...permissions].sort()].join(" ");
      let token = tokens.get(key);
      if (!token) {
        token = app().tokenFor(tenantSlug, permissions);
        tokens.set(key, token);
      }
      return token;
    },
  };
}
