// Findings as a person reads them: the case as it could be typed again (tokens named, never shown),
// the answer, and the command that replays it.
import type { Outcome } from "./client.js";
import type { FindingKind } from "./checks.js";
import type { FuzzCase } from "./generator.js";

export interface Finding {
  kind: FindingKind;
  detail: string;
  seed: number;
  n: number;
  request: string;
  response: string;
  /** The known issue this finding belongs to (known-issues.ts), if any. */
  known?: string;
}

/** The request of a case: the token named, never shown. */
export function describeCase(c: FuzzCase, limit = 3000): string {
  const cut = (s: string) => (s.length > limit ? `${s.slice(0, limit)}... (${s.length} characters)` : s);
  const auth = c.authorization === null ? [] : [`Authorization: ${c.authorization.replaceAll("{token}", `<${c.credential} token of tenant ${c.tenant}>`)}`];
  const lines = [`${c.method} ${cut(c.url)}`, ...auth, ...c.headers.map(([k, v]) => `${k}: ${cut(v)}`)];
  if (c.ifMatch) lines.push(`If-Match: <${c.ifMatch} version of user ${c.target?.id}>`);
  if (c.followCursor) lines.push(`(then GET with its nextCursor, altered: ${c.followCursor})`);
  if (c.body !== undefined) lines.push("", cut(c.body));
  return lines.join("\n");
}

export function describeOutcome(o: Outcome, limit = 1500): string {
  if (o.error) return `no response: ${o.error} after ${Math.round(o.ms)} ms`;
  const text = o.text.length > limit ? `${o.text.slice(0, limit)}... (${o.text.length} characters)` : o.text;
  return `${o.status} ${o.headers["content-type"] ?? "(no content type)"} in ${Math.round(o.ms)} ms\n${text}`;
}

/** A finding as a report: how to replay it, the request and the response. */
export function formatFinding(f: Finding): string {
  const replay = f.n >= 0 ? `npm run fuzz -- --seed ${f.seed} --case ${f.n}` : `npm run fuzz -- --seed ${f.seed}`;
  return [
    `${f.known ? `[known: ${f.known}] ` : ""}${f.kind}: ${f.detail}`,
    `  seed ${f.seed}, case ${f.n} (replay: ${replay})`,
    ...f.request.split("\n").map((l) => `  > ${l}`),
    ...f.response.split("\n").map((l) => `  < ${l}`),
  ].join("\n");
}
