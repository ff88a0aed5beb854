// Findings already reported and being fixed elsewhere: the fuzzer still finds and prints them, but
// they do not fail the run. Each entry says where it is fixed; remove it when that fix is merged
// (a run then shows the entry as no longer seen).
import type { FuzzCase } from "./generator.js";

export interface KnownIssue {
  id: string;
  description: string;
  /** Whether a case's findings are this issue's doing. */
  matches(c: FuzzCase, kinds: readonly string[]): boolean;
}

/** None open: the prototype walk of attribute selection and OPTIONS in text/plain are fixed (test/regressions). */
export const KNOWN_ISSUES: readonly KnownIssue[] = [];

export function knownIssueOf(c: FuzzCase, kinds: readonly string[]): string | undefined {
  if (kinds.length === 0) return undefined;
  return KNOWN_ISSUES.find((issue) => issue.matches(c, kinds))?.id;
}
