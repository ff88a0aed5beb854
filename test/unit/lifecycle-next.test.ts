// The pure twins of the stored lifecycle columns (src/hr/lifecycle.ts): the next transition (when
// the stored state stops holding) and the contract a User shows.
import { describe, expect, it } from "vitest";
import { type Contract, lastTransition, nextTransition, shownContract } from "../../src/hr/lifecycle.js";

const c = (start: string, end: string | null = null): Contract => ({ start, end });

describe("nextTransition", () => {
  it.each([
    { name: "a future start", contracts: [c("2024-07-01")], today: "2024-06-15", next: "2024-06-30T22:00:00.000Z" },
    { name: "the day after the last contract day", contracts: [c("2020-01-01", "2024-06-15")], today: "2024-06-15", next: "2024-06-15T22:00:00.000Z" },
    { name: "the earlier of an end and a later start", contracts: [c("2020-01-01", "2024-06-20"), c("2024-09-01")], today: "2024-06-15", next: "2024-06-20T22:00:00.000Z" },
    { name: "nothing for an open-ended current contract", contracts: [c("2020-01-01")], today: "2024-06-15", next: null },
    { name: "nothing for a former employee", contracts: [c("2020-01-01", "2021-01-01")], today: "2024-06-15", next: null },
    { name: "nothing without contracts", contracts: [], today: "2024-06-15", next: null },
    { name: "the spring-forward day's midnight", contracts: [c("2024-03-31")], today: "2024-03-30", next: "2024-03-30T23:00:00.000Z" },
  ])("is $name", ({ contracts, today, next }) => {
    expect(nextTransition(contracts, today, "Europe/Paris")?.toISOString() ?? null).toBe(next);
  });

  it("bounds, with lastTransition, the days on which the state stays the same", () => {
    const contracts = [c("2024-01-10", "2024-02-10"), c("2024-02-11", "2024-03-01"), c("2024-05-01")];
    expect(lastTransition(contracts, "2024-03-15", "UTC")?.toISOString()).toBe("2024-03-02T00:00:00.000Z");
    expect(nextTransition(contracts, "2024-03-15", "UTC")?.toISOString()).toBe("2024-05-01T00:00:00.000Z");
  });
});

describe("shownContract", () => {
  it.each([
    { name: "the covering one with the latest start", contracts: [c("2022-01-01", "2024-12-31"), c("2024-06-01")], today: "2024-06-15", shown: c("2024-06-01") },
    { name: "the next upcoming one in a gap", contracts: [c("2020-01-01", "2023-06-30"), c("2025-01-01"), c("2024-09-01", "2024-12-31")], today: "2024-06-15", shown: c("2024-09-01", "2024-12-31") },
    { name: "the latest past one of a former employee", contracts: [c("2019-01-01", "2019-12-31"), c("2020-03-01", "2021-12-31")], today: "2024-06-15", shown: c("2020-03-01", "2021-12-31") },
    { name: "of two with the same start, the open-ended one", contracts: [c("2024-01-01", "2024-12-31"), c("2024-01-01")], today: "2024-06-15", shown: c("2024-01-01") },
    { name: "of two with the same start, the later end", contracts: [c("2024-01-01", "2024-07-31"), c("2024-01-01", "2024-12-31")], today: "2024-06-15", shown: c("2024-01-01", "2024-12-31") },
    { name: "nothing without contracts", contracts: [], today: "2024-06-15", shown: null },
  ])("is $name", ({ contracts, today, shown }) => {
    expect(shownContract(contracts, today)).toEqual(shown);
  });
});
