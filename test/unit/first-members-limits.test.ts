// firstMembersLimits (src/scim/services/groups.ts): the one statement reading a page's first members
// returns at most a member chunk in all; it is shared by need (water-filling) over the groups'
// stored member counts, so that empty groups cost nothing and small groups come whole.
import { expect, it } from "vitest";
import { mulberry32 } from "../../src/seeds/demo-data.js";
import { firstMembersLimits } from "../../src/scim/services/groups.js";

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

it("gives a group without members nothing, and every group its whole count plus one when they fit", () => {
  expect(firstMembersLimits([0, 3, 0, 1], 5_000)).toEqual([0, 4, 0, 2]);
  expect(firstMembersLimits([], 5_000)).toEqual([]);
  expect(firstMembersLimits([0, 0], 5_000)).toEqual([0, 0]);
  expect(firstMembersLimits([4, 5], 11)).toEqual([5, 6]);
});

it("fills small groups whole and shares the rest among the large ones, one more each for the first in page order", () => {
  expect(firstMembersLimits([20_000, 10, 0, 3], 5_000)).toEqual([5_000 - 11 - 4, 11, 0, 4]);
  expect(firstMembersLimits([20_000, 10, 30_000], 5_000)).toEqual([2_495, 11, 2_494]);
  expect(firstMembersLimits([100, 100, 100], 10)).toEqual([4, 3, 3]);
  expect(firstMembersLimits([20_000], 5_000)).toEqual([5_000]);
});

it("gives the first groups in page order one row each when there are more groups with members than rows", () => {
  expect(firstMembersLimits([5, 5, 5], 2)).toEqual([1, 1, 0]);
  expect(firstMembersLimits([1, 1, 1], 1)).toEqual([1, 0, 0]);
});

it("never exceeds the chunk, never gives a group more than its count plus one, and gives whole counts below the level", () => {
  const rand = mulberry32(20261206);
  for (let run = 0; run < 2_000; run++) {
    const counts = Array.from({ length: 1 + Math.floor(rand() * 40) }, () =>
      rand() < 0.2 ? 0 : Math.floor(rand() ** 3 * (rand() < 0.1 ? 20_000 : 200)));
    const chunk = 1 + Math.floor(rand() * 2_000);
    const limits = firstMembersLimits(counts, chunk);
    const label = JSON.stringify({ counts, chunk });
    expect(sum(limits), label).toBeLessThanOrEqual(chunk);
    counts.forEach((count, i) => expect(limits[i], label).toBeLessThanOrEqual(count === 0 ? 0 : count + 1));
    if (sum(counts.map((c) => (c > 0 ? c + 1 : 0))) <= chunk) expect(limits, label).toEqual(counts.map((c) => (c > 0 ? c + 1 : 0)));
    else expect(sum(limits), `${label}: the whole chunk used`).toBe(Math.min(chunk, sum(counts.map((c) => (c > 0 ? c + 1 : 0)))));
    // Water-filling: a group cut short has at least as much as any group given more than it.
    const cut = counts.flatMap((c, i) => (c > 0 && limits[i] < c + 1 ? [limits[i]] : []));
    if (cut.length) expect(Math.max(...cut) - Math.min(...cut), label).toBeLessThanOrEqual(1);
    counts.forEach((c, i) => { if (c > 0 && limits[i] === c + 1 && cut.length) expect(c + 1, label).toBeLessThanOrEqual(Math.max(...cut) + 1); });
  }
});
