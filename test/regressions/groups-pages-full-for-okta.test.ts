// Regression: a page of groups stopped early once its groups' members passed a per-response member
// budget. RFC 7644 allows short pages, but Okta steps startIndex by count whatever itemsPerPage
// says, so it skipped the groups after each short page (122 of 249 groups seen on a
// 100,000-employee tenant). A page now holds min(count, remaining) groups whatever their members,
// which are streamed (docs/CLIENTS.md item 16). test/api/groups-large.test.ts walks the same way
// over groups of 20,000 members.
import { expect, it } from "vitest";
import { useTestApp } from "../support/use-test-app.js";
import { listGroups, makeOrganisationWithSecondUnits } from "../api/groups-fixture.js";

const t = useTestApp({ groupLimits: { memberChunkSize: 1 } });

it("gives an Okta-style import (startIndex += count) full pages and every group exactly once", async () => {
  const { tok } = await makeOrganisationWithSecondUnits(t);
  const all = (await listGroups(t, tok, { attributes: "id" })).Resources.map((g) => g.id);
  expect(all.length).toBe(8);
  const seen: string[] = [];
  for (let startIndex = 1, total = Infinity; startIndex <= total; startIndex += 3) {
    const page = await listGroups(t, tok, { startIndex, count: 3 });
    total = page.totalResults;
    expect(page.itemsPerPage).toBe(Math.min(3, total - startIndex + 1));
    expect(page.Resources).toHaveLength(page.itemsPerPage);
    seen.push(...page.Resources.map((g) => g.id));
  }
  expect(seen).toEqual(all);
});
