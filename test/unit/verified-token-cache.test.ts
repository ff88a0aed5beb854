// VerifiedTokenCache (src/auth/verified-token-cache.ts): entries live ttlMs; a change forgets the
// entries it touches; stale entries are dropped as new ones come, not kept until their token returns.
import { expect, it } from "vitest";
import type { TokenRecord } from "../../src/auth/tokens.js";
import { forgetVerifiedTokens, VerifiedTokenCache } from "../../src/auth/verified-token-cache.js";

const record = (id: string, tenantId: number) => ({ record: { id, tenantId } as TokenRecord, tenant: null });

it("serves an entry for ttlMs, forgets it on a change, and drops stale entries as others are stored", () => {
  const cache = new VerifiedTokenCache(1_000);
  cache.set("a", record("ta", 1), 0, cache.mark());
  cache.set("b", record("tb", 2), 10, cache.mark());
  expect(cache.get("a", 999)?.record.id).toBe("ta");
  expect(cache.get("a", 1_000)).toBeUndefined();

  const mark = cache.mark();
  forgetVerifiedTokens({ tenantId: 2 });
  expect(cache.get("b", 20)).toBeUndefined();
  cache.set("b", record("tb", 2), 20, mark);
  expect(cache.get("b", 21)).toBeUndefined(); // read before the change: not stored

  cache.set("c", record("tc", 3), 100, cache.mark());
  cache.set("d", record("td", 4), 5_000, cache.mark());
  expect(cache.size).toBe(1);
  expect(cache.get("d", 5_001)?.record.id).toBe("td");
});
