// Small helpers over supertest for SCIM calls in API tests.
import type { AppUnderTest } from "./build-test-app.js";

export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

export async function listAll(t: AppUnderTest, token: string, query: Record<string, string | number> = {}) {
  const res = await t.request().get("/scim/v2/Users").query({ count: 1000, ...query }).set(bearer(token));
  if (res.status !== 200) throw new Error(`list failed ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { totalResults: number; itemsPerPage: number; startIndex: number; Resources: any[] };
}

export async function userByLogin(t: AppUnderTest, token: string, login: string): Promise<any | undefined> {
  const res = await t.request().get("/scim/v2/Users").query({ filter: `userName eq "${login}"` }).set(bearer(token));
  if (res.status !== 200) throw new Error(`filter failed ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.Resources[0];
}

/** Body parsed whatever the content type (supertest parses only application/json by itself). */
export function json(res: { text: string }): any {
  return JSON.parse(res.text);
}
