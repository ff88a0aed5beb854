// firstMembersPerGroup (src/scim/services/groups.ts): the one statement reading a page's first
// members returns at most a member chunk in all, and at most 500 per group.
import { expect, it } from "vitest";
import { firstMembersPerGroup } from "../../src/scim/services/groups.js";

it("gives each group a share of one member chunk, at most 500 and at least 1", () => {
  expect(firstMembersPerGroup(15, 5_000)).toBe(333);
  expect(firstMembersPerGroup(3, 5_000)).toBe(500);
  expect(firstMembersPerGroup(1_000, 5_000)).toBe(5);
  expect(firstMembersPerGroup(100, 5_000) * 100).toBeLessThanOrEqual(5_000);
  expect(firstMembersPerGroup(1, 2)).toBe(2);
  expect(firstMembersPerGroup(10, 2)).toBe(1);
});
