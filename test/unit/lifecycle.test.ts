// The pure lifecycle twins (docs/BEHAVIOUR.md section 2): local dates, local midnights, who is
// active, who is a future employee, and when the last lifecycle transition happened.
import { describe, expect, it } from "vitest";
import {
  type Contract,
  coversDate,
  hasStarted,
  isActive,
  isFutureEmployee,
  lastModified,
  lastTransition,
  localDate,
  localMidnight,
} from "../../src/hr/lifecycle.js";

const PARIS = "Europe/Paris";
const AUCKLAND = "Pacific/Auckland";
const LOS_ANGELES = "America/Los_Angeles";

const c = (start: string, end: string | null = null): Contract => ({ start, end });
const at = (iso: string) => new Date(iso);

/** Whether the employee is active at an instant, the way a request computes it. */
const activeAt = (contracts: Contract[], instant: string, timeZone: string, futureEmployeesActive = false) =>
  isActive(contracts, localDate(at(instant), timeZone), futureEmployeesActive);

describe("localDate", () => {
  it.each([
    // Europe/Paris, summer time (+02:00)
    { instant: "2023-10-19T21:59:59Z", zone: PARIS, date: "2023-10-19" },
    { instant: "2023-10-19T22:00:00Z", zone: PARIS, date: "2023-10-20" },
    // spring forward 2024-03-31: 02:00 +01:00 becomes 03:00 +02:00
    { instant: "2024-03-30T22:59:59Z", zone: PARIS, date: "2024-03-30" },
    { instant: "2024-03-30T23:00:00Z", zone: PARIS, date: "2024-03-31" },
    { instant: "2024-03-31T00:59:59Z", zone: PARIS, date: "2024-03-31" },
    { instant: "2024-03-31T01:00:00Z", zone: PARIS, date: "2024-03-31" },
    { instant: "2024-03-31T21:59:59Z", zone: PARIS, date: "2024-03-31" },
    { instant: "2024-03-31T22:00:00Z", zone: PARIS, date: "2024-04-01" },
    // fall back 2024-10-27: 03:00 +02:00 becomes 02:00 +01:00
    { instant: "2024-10-26T21:59:59Z", zone: PARIS, date: "2024-10-26" },
    { instant: "2024-10-26T22:00:00Z", zone: PARIS, date: "2024-10-27" },
    { instant: "2024-10-27T00:30:00Z", zone: PARIS, date: "2024-10-27" },
    { instant: "2024-10-27T01:30:00Z", zone: PARIS, date: "2024-10-27" },
    { instant: "2024-10-27T22:59:59Z", zone: PARIS, date: "2024-10-27" },
    { instant: "2024-10-27T23:00:00Z", zone: PARIS, date: "2024-10-28" },
    // Pacific/Auckland is ahead of UTC: the local date is already tomorrow
    { instant: "2024-01-15T10:59:59Z", zone: AUCKLAND, date: "2024-01-15" },
    { instant: "2024-01-15T11:00:00Z", zone: AUCKLAND, date: "2024-01-16" },
    { instant: "2024-07-15T11:59:59Z", zone: AUCKLAND, date: "2024-07-15" },
    { instant: "2024-07-15T12:00:00Z", zone: AUCKLAND, date: "2024-07-16" },
    // America/Los_Angeles is behind UTC: the local date is still yesterday
    { instant: "2024-01-16T07:59:59Z", zone: LOS_ANGELES, date: "2024-01-15" },
    { instant: "2024-01-16T08:00:00Z", zone: LOS_ANGELES, date: "2024-01-16" },
    { instant: "2024-07-16T06:59:59Z", zone: LOS_ANGELES, date: "2024-07-15" },
    { instant: "2024-07-16T07:00:00Z", zone: LOS_ANGELES, date: "2024-07-16" },
    // leap day
    { instant: "2024-02-29T22:59:59Z", zone: PARIS, date: "2024-02-29" },
    { instant: "2024-02-29T23:00:00Z", zone: PARIS, date: "2024-03-01" },
  ])("the instant $instant falls on $date in $zone", ({ instant, zone, date }) => {
    expect(localDate(at(instant), zone)).toBe(date);
  });

  it("does not depend on the server's time zone", () => {
    expect(localDate(at("2024-01-15T11:00:00Z"), AUCKLAND)).toBe("2024-01-16");
    expect(localDate(at("2024-01-15T11:00:00Z"), "UTC")).toBe("2024-01-15");
    expect(localDate(at("2024-01-15T11:00:00Z"), LOS_ANGELES)).toBe("2024-01-15");
  });
});

describe("localMidnight", () => {
  it.each([
    { date: "2023-10-20", zone: PARIS, instant: "2023-10-19T22:00:00.000Z" },
    { date: "2024-01-15", zone: PARIS, instant: "2024-01-14T23:00:00.000Z" },
    // the day of the spring-forward switch still starts at +01:00, the next day at +02:00
    { date: "2024-03-31", zone: PARIS, instant: "2024-03-30T23:00:00.000Z" },
    { date: "2024-04-01", zone: PARIS, instant: "2024-03-31T22:00:00.000Z" },
    // the day of the fall-back switch still starts at +02:00, the next day at +01:00
    { date: "2024-10-27", zone: PARIS, instant: "2024-10-26T22:00:00.000Z" },
    { date: "2024-10-28", zone: PARIS, instant: "2024-10-27T23:00:00.000Z" },
    // leap years
    { date: "2024-02-29", zone: PARIS, instant: "2024-02-28T23:00:00.000Z" },
    { date: "2024-03-01", zone: PARIS, instant: "2024-02-29T23:00:00.000Z" },
    // far from UTC: the local midnight falls on the previous (Auckland) or same (Los Angeles) UTC date
    { date: "2024-01-16", zone: AUCKLAND, instant: "2024-01-15T11:00:00.000Z" },
    { date: "2024-07-16", zone: AUCKLAND, instant: "2024-07-15T12:00:00.000Z" },
    { date: "2024-01-16", zone: LOS_ANGELES, instant: "2024-01-16T08:00:00.000Z" },
    { date: "2024-07-16", zone: LOS_ANGELES, instant: "2024-07-16T07:00:00.000Z" },
    // a zone whose clocks jump at midnight: the day starts at 01:00 -03:00
    { date: "2024-09-08", zone: "America/Santiago", instant: "2024-09-08T04:00:00.000Z" },
  ])("$date starts at $instant in $zone", ({ date, zone, instant }) => {
    expect(localMidnight(date, zone).toISOString()).toBe(instant);
  });

  it("makes the spring-forward day 23 hours long and the fall-back day 25 hours long", () => {
    const hours = (from: string, to: string) =>
      (localMidnight(to, PARIS).getTime() - localMidnight(from, PARIS).getTime()) / 3_600_000;
    expect(hours("2024-03-31", "2024-04-01")).toBe(23);
    expect(hours("2024-10-27", "2024-10-28")).toBe(25);
    expect(hours("2024-06-10", "2024-06-11")).toBe(24);
  });

  it("is the first instant of its local date and the instant before belongs to the previous date", () => {
    for (const zone of [PARIS, AUCKLAND, LOS_ANGELES]) {
      for (const date of ["2024-02-29", "2024-03-31", "2024-04-01", "2024-10-27", "2024-10-28", "2024-04-07", "2024-09-29", "2024-03-10", "2024-11-03"]) {
        const midnight = localMidnight(date, zone);
        expect(localDate(midnight, zone)).toBe(date);
        expect(localDate(new Date(midnight.getTime() - 1000), zone)).not.toBe(date);
      }
    }
  });
});

describe("coversDate", () => {
  it.each([
    { contract: c("2024-01-01", "2024-01-31"), today: "2023-12-31", covers: false },
    { contract: c("2024-01-01", "2024-01-31"), today: "2024-01-01", covers: true },
    { contract: c("2024-01-01", "2024-01-31"), today: "2024-01-31", covers: true },
    { contract: c("2024-01-01", "2024-01-31"), today: "2024-02-01", covers: false },
    { contract: c("2024-01-01"), today: "2099-12-31", covers: true },
    { contract: c("2024-02-29", "2024-02-29"), today: "2024-02-29", covers: true },
    { contract: c("2024-02-29", "2024-02-29"), today: "2024-03-01", covers: false },
  ])("a contract $contract.start..$contract.end covers $today: $covers", ({ contract, today, covers }) => {
    expect(coversDate(contract, today)).toBe(covers);
  });
});

describe("a leaver whose contract ends on D", () => {
  const leaver = [c("2020-01-01", "2023-10-19")];

  it.each([
    { instant: "2023-10-19T00:00:00Z", active: true },
    { instant: "2023-10-19T21:59:59Z", active: true }, // 2023-10-19 23:59:59 in Paris
    { instant: "2023-10-19T22:00:00Z", active: false }, // 2023-10-20 00:00:00 in Paris
    { instant: "2023-10-20T12:00:00Z", active: false },
  ])("is active at $instant in Europe/Paris: $active", ({ instant, active }) => {
    expect(activeAt(leaver, instant, PARIS)).toBe(active);
  });

  it("has its last transition at D+1 00:00 local once D+1 has begun, not before", () => {
    expect(lastTransition(leaver, "2023-10-19", PARIS)?.toISOString()).toBe("2019-12-31T23:00:00.000Z");
    expect(lastTransition(leaver, "2023-10-20", PARIS)?.toISOString()).toBe("2023-10-19T22:00:00.000Z");
    expect(lastTransition(leaver, "2024-05-01", PARIS)?.toISOString()).toBe("2023-10-19T22:00:00.000Z");
  });

  it("is deactivated at the local midnight of its own time zone, whatever the UTC date", () => {
    const contracts = [c("2020-01-01", "2024-01-15")];
    // Auckland (+13:00): inactive from 2024-01-15T11:00Z, while the UTC date is still the 15th
    expect(activeAt(contracts, "2024-01-15T10:59:59Z", AUCKLAND)).toBe(true);
    expect(activeAt(contracts, "2024-01-15T11:00:00Z", AUCKLAND)).toBe(false);
    expect(activeAt(contracts, "2024-01-15T11:00:00Z", "UTC")).toBe(true);
    // Los Angeles (-08:00): still active on 2024-01-16T07:59Z, when the UTC date is already the 16th
    expect(activeAt(contracts, "2024-01-16T07:59:59Z", LOS_ANGELES)).toBe(true);
    expect(activeAt(contracts, "2024-01-16T08:00:00Z", LOS_ANGELES)).toBe(false);
    expect(activeAt(contracts, "2024-01-16T00:00:00Z", "UTC")).toBe(false);

    expect(lastTransition(contracts, "2024-01-16", AUCKLAND)?.toISOString()).toBe("2024-01-15T11:00:00.000Z");
    expect(lastTransition(contracts, "2024-01-16", LOS_ANGELES)?.toISOString()).toBe("2024-01-16T08:00:00.000Z");
  });
});

describe("daylight saving time switches (Europe/Paris)", () => {
  it.each([
    // spring forward 2024-03-31
    { contracts: [c("2024-03-31")], instant: "2024-03-30T22:59:59Z", active: false },
    { contracts: [c("2024-03-31")], instant: "2024-03-30T23:00:00Z", active: true },
    { contracts: [c("2023-01-01", "2024-03-31")], instant: "2024-03-31T21:59:59Z", active: true },
    { contracts: [c("2023-01-01", "2024-03-31")], instant: "2024-03-31T22:00:00Z", active: false },
    // fall back 2024-10-27
    { contracts: [c("2024-10-27")], instant: "2024-10-26T21:59:59Z", active: false },
    { contracts: [c("2024-10-27")], instant: "2024-10-26T22:00:00Z", active: true },
    { contracts: [c("2023-01-01", "2024-10-27")], instant: "2024-10-27T22:59:59Z", active: true },
    { contracts: [c("2023-01-01", "2024-10-27")], instant: "2024-10-27T23:00:00Z", active: false },
  ])("a contract $contracts.0.start..$contracts.0.end is active at $instant: $active", ({ contracts, instant, active }) => {
    expect(activeAt(contracts, instant, PARIS)).toBe(active);
  });

  it.each([
    { contracts: [c("2024-03-31")], today: "2024-03-31", transition: "2024-03-30T23:00:00.000Z" },
    { contracts: [c("2024-10-27")], today: "2024-10-27", transition: "2024-10-26T22:00:00.000Z" },
    { contracts: [c("2023-01-01", "2024-03-31")], today: "2024-04-01", transition: "2024-03-31T22:00:00.000Z" },
    { contracts: [c("2023-01-01", "2024-10-27")], today: "2024-10-28", transition: "2024-10-27T23:00:00.000Z" },
    { contracts: [c("2023-01-01", "2024-03-30")], today: "2024-03-31", transition: "2024-03-30T23:00:00.000Z" },
    { contracts: [c("2023-01-01", "2024-10-26")], today: "2024-10-27", transition: "2024-10-26T22:00:00.000Z" },
  ])("a contract $contracts.0.start..$contracts.0.end has its last transition at $transition on $today",
    ({ contracts, today, transition }) => {
      expect(lastTransition(contracts, today, PARIS)?.toISOString()).toBe(transition);
    });
});

describe("leap days", () => {
  it.each([
    { contracts: [c("2020-01-01", "2024-02-28")], today: "2024-02-28", active: true },
    { contracts: [c("2020-01-01", "2024-02-28")], today: "2024-02-29", active: false },
    { contracts: [c("2020-01-01", "2024-02-29")], today: "2024-02-29", active: true },
    { contracts: [c("2020-01-01", "2024-02-29")], today: "2024-03-01", active: false },
    { contracts: [c("2024-02-29")], today: "2024-02-28", active: false },
    { contracts: [c("2024-02-29")], today: "2024-02-29", active: true },
    { contracts: [c("2024-02-29")], today: "2024-03-01", active: true },
    { contracts: [c("2024-02-29", "2024-02-29")], today: "2024-02-29", active: true },
    { contracts: [c("2024-02-29", "2024-02-29")], today: "2024-03-01", active: false },
  ])("a contract $contracts.0.start..$contracts.0.end is active on $today: $active", ({ contracts, today, active }) => {
    expect(isActive(contracts, today)).toBe(active);
  });

  it.each([
    { contracts: [c("2020-01-01", "2024-02-28")], today: "2024-02-29", transition: "2024-02-29" },
    { contracts: [c("2020-01-01", "2024-02-28")], today: "2024-03-01", transition: "2024-02-29" },
    { contracts: [c("2020-01-01", "2024-02-29")], today: "2024-03-01", transition: "2024-03-01" },
    { contracts: [c("2020-01-01", "2024-02-29")], today: "2024-02-29", transition: "2020-01-01" },
    { contracts: [c("2024-02-29")], today: "2024-02-29", transition: "2024-02-29" },
    { contracts: [c("2024-02-29", "2024-02-29")], today: "2024-03-01", transition: "2024-03-01" },
    // a non-leap year: the day after 02-28 is 03-01
    { contracts: [c("2020-01-01", "2023-02-28")], today: "2023-03-01", transition: "2023-03-01" },
  ])("a contract $contracts.0.start..$contracts.0.end has its last transition at $transition 00:00 local on $today",
    ({ contracts, today, transition }) => {
      for (const zone of [PARIS, AUCKLAND, LOS_ANGELES]) {
        expect(lastTransition(contracts, today, zone)?.toISOString()).toBe(localMidnight(transition, zone).toISOString());
      }
    });

  it("gives 2024-03-01 00:00 Paris time, i.e. 2024-02-29T23:00Z, for a contract ending on 2024-02-29", () => {
    expect(lastTransition([c("2020-01-01", "2024-02-29")], "2024-03-01", PARIS)?.toISOString()).toBe("2024-02-29T23:00:00.000Z");
  });
});

describe("contiguous and overlapping contracts", () => {
  const days = (from: string, to: string) => {
    const out: string[] = [];
    for (let d = new Date(from + "T00:00:00Z"); d <= new Date(to + "T00:00:00Z"); d.setUTCDate(d.getUTCDate() + 1)) {
      out.push(d.toISOString().slice(0, 10));
    }
    return out;
  };

  it.each([
    { name: "the next contract starting on the end date", contracts: [c("2023-01-01", "2024-02-29"), c("2024-02-29")] },
    { name: "the next contract starting the day after the end date", contracts: [c("2023-01-01", "2024-02-29"), c("2024-03-01")] },
    { name: "overlapping contracts", contracts: [c("2023-01-01", "2024-06-30"), c("2024-01-01", "2024-12-31")] },
    { name: "contracts chained across both DST switches", contracts: [c("2023-01-01", "2024-03-30"), c("2024-03-31", "2024-10-26"), c("2024-10-27", "2024-12-31")] },
    { name: "contracts listed out of order", contracts: [c("2024-03-01", "2024-12-31"), c("2023-01-01", "2024-02-29")] },
  ])("keep the employee active every day with $name", ({ contracts }) => {
    for (const day of days("2023-01-01", "2024-12-31")) {
      expect(isActive(contracts, day), day).toBe(true);
    }
    expect(isActive(contracts, "2022-12-31")).toBe(false);
    expect(isActive(contracts, "2025-01-01")).toBe(contracts.some((x) => x.end === null));
  });

  it("keep the employee active at every hour across the DST switches in Paris", () => {
    const contracts = [c("2023-01-01", "2024-03-30"), c("2024-03-31", "2024-10-26"), c("2024-10-27")];
    for (let t = Date.parse("2024-03-29T00:00:00Z"); t < Date.parse("2024-04-02T00:00:00Z"); t += 1_800_000) {
      expect(isActive(contracts, localDate(new Date(t), PARIS))).toBe(true);
    }
    for (let t = Date.parse("2024-10-25T00:00:00Z"); t < Date.parse("2024-10-29T00:00:00Z"); t += 1_800_000) {
      expect(isActive(contracts, localDate(new Date(t), PARIS))).toBe(true);
    }
  });

  it("leave a one-day gap inactive when the next contract starts two days after the end", () => {
    const contracts = [c("2023-01-01", "2024-02-28"), c("2024-03-01")];
    expect(isActive(contracts, "2024-02-28")).toBe(true);
    expect(isActive(contracts, "2024-02-29")).toBe(false);
    expect(isActive(contracts, "2024-03-01")).toBe(true);
  });

  it("report the start of the next contract as the last transition when it touches the previous one", () => {
    const touching = [c("2023-01-01", "2024-02-29"), c("2024-02-29")];
    expect(lastTransition(touching, "2024-02-29", PARIS)?.toISOString()).toBe(localMidnight("2024-02-29", PARIS).toISOString());
    // the old contract's end (2024-03-01 00:00) is reached on 03-01 and is then the latest transition
    expect(lastTransition(touching, "2024-03-01", PARIS)?.toISOString()).toBe(localMidnight("2024-03-01", PARIS).toISOString());
    const nextDay = [c("2023-01-01", "2024-02-29"), c("2024-03-01")];
    expect(lastTransition(nextDay, "2024-03-01", PARIS)?.toISOString()).toBe(localMidnight("2024-03-01", PARIS).toISOString());
    expect(lastTransition(nextDay, "2024-02-29", PARIS)?.toISOString()).toBe(localMidnight("2023-01-01", PARIS).toISOString());
  });
});

describe("a rehire after a gap", () => {
  const rehire = [c("2020-01-01", "2023-06-30"), c("2024-01-15")];

  it.each([
    { today: "2023-06-30", active: true, started: true, future: false },
    { today: "2023-07-01", active: false, started: true, future: false },
    { today: "2024-01-14", active: false, started: true, future: false },
    { today: "2024-01-15", active: true, started: true, future: false },
  ])("on $today is active: $active, has started: $started, is future: $future", ({ today, active, started, future }) => {
    expect(isActive(rehire, today)).toBe(active);
    expect(hasStarted(rehire, today)).toBe(started);
    expect(isFutureEmployee(rehire, today)).toBe(future);
  });

  it("stays inactive during the gap even when future employees are active, being a former employee", () => {
    expect(isActive(rehire, "2023-10-01", true)).toBe(false);
  });

  it("moves the last transition from the end of the first contract to the start of the second", () => {
    expect(lastTransition(rehire, "2023-06-30", PARIS)?.toISOString()).toBe(localMidnight("2020-01-01", PARIS).toISOString());
    expect(lastTransition(rehire, "2023-07-01", PARIS)?.toISOString()).toBe(localMidnight("2023-07-01", PARIS).toISOString());
    expect(lastTransition(rehire, "2024-01-14", PARIS)?.toISOString()).toBe(localMidnight("2023-07-01", PARIS).toISOString());
    expect(lastTransition(rehire, "2024-01-15", PARIS)?.toISOString()).toBe(localMidnight("2024-01-15", PARIS).toISOString());
  });
});

describe("future, former and contract-less employees", () => {
  const today = "2024-06-15";
  it.each([
    { name: "a future employee (only a later contract)", contracts: [c("2024-07-01")], started: false, future: true, active: false, activeWithFlag: true },
    { name: "a future employee starting tomorrow", contracts: [c("2024-06-16", "2024-12-31")], started: false, future: true, active: false, activeWithFlag: true },
    { name: "an employee starting today", contracts: [c("2024-06-15")], started: true, future: false, active: true, activeWithFlag: true },
    { name: "a current employee", contracts: [c("2020-01-01")], started: true, future: false, active: true, activeWithFlag: true },
    { name: "a former employee (every contract ended)", contracts: [c("2019-01-01", "2019-12-31"), c("2020-03-01", "2024-06-14")], started: true, future: false, active: false, activeWithFlag: false },
    { name: "a former employee with a later contract (a rehire to come)", contracts: [c("2019-01-01", "2022-12-31"), c("2025-01-01")], started: true, future: false, active: false, activeWithFlag: false },
    { name: "an employee without contracts", contracts: [], started: false, future: false, active: false, activeWithFlag: false },
  ])("$name: started $started, future $future, active $active, active with futureEmployeesActive $activeWithFlag",
    ({ contracts, started, future, active, activeWithFlag }) => {
      expect(hasStarted(contracts, today)).toBe(started);
      expect(isFutureEmployee(contracts, today)).toBe(future);
      expect(isActive(contracts, today)).toBe(active);
      expect(isActive(contracts, today, false)).toBe(active);
      expect(isActive(contracts, today, true)).toBe(activeWithFlag);
    });

  it("a future employee becomes an ordinary active employee on the start date, whatever the flag", () => {
    const contracts = [c("2024-07-01")];
    expect(isFutureEmployee(contracts, "2024-07-01")).toBe(false);
    expect(isActive(contracts, "2024-07-01", false)).toBe(true);
    expect(isActive(contracts, "2024-07-01", true)).toBe(true);
  });

  it("neither future, former nor contract-less employees have a transition before any start", () => {
    expect(lastTransition([c("2024-07-01")], today, PARIS)).toBeNull();
    expect(lastTransition([], today, PARIS)).toBeNull();
    expect(lastTransition([c("2019-01-01", "2019-12-31"), c("2020-03-01", "2024-06-14")], today, PARIS)?.toISOString())
      .toBe(localMidnight("2024-06-15", PARIS).toISOString());
  });
});

describe("lastTransition ignores transitions not yet reached", () => {
  it.each([
    { name: "a start in the future", contracts: [c("2020-01-01", "2024-06-30"), c("2024-09-01")], today: "2024-07-15", transition: "2024-07-01" },
    { name: "an end tomorrow night (end date today)", contracts: [c("2020-01-01", "2024-07-15")], today: "2024-07-15", transition: "2020-01-01" },
    { name: "an end later on", contracts: [c("2020-01-01", "2024-12-31")], today: "2024-07-15", transition: "2020-01-01" },
    { name: "a later start and a later end", contracts: [c("2020-01-01", "2021-12-31"), c("2024-09-01", "2024-12-31")], today: "2024-07-15", transition: "2022-01-01" },
    { name: "an open-ended contract (no end transition)", contracts: [c("2020-01-01")], today: "2030-01-01", transition: "2020-01-01" },
  ])("with $name", ({ contracts, today, transition }) => {
    expect(lastTransition(contracts, today, PARIS)?.toISOString()).toBe(localMidnight(transition, PARIS).toISOString());
  });

  it("returns nothing when no transition has been reached", () => {
    expect(lastTransition([c("2024-09-01", "2024-12-31")], "2024-08-31", PARIS)).toBeNull();
  });
});

describe("lastModified", () => {
  const leaver = [c("2020-01-01", "2023-10-19")];

  it.each([
    { name: "the transition when the row changed before it", updatedAt: "2023-05-01T10:00:00Z", today: "2023-10-20", expected: "2023-10-19T22:00:00.000Z" },
    { name: "the row change when it happened after the transition", updatedAt: "2023-10-20T08:00:00Z", today: "2023-10-20", expected: "2023-10-20T08:00:00.000Z" },
    { name: "the row change while the end transition is not yet reached", updatedAt: "2023-05-01T10:00:00Z", today: "2023-10-19", expected: "2023-05-01T10:00:00.000Z" },
    { name: "either when they are equal", updatedAt: "2023-10-19T22:00:00Z", today: "2023-10-20", expected: "2023-10-19T22:00:00.000Z" },
  ])("is $name", ({ updatedAt, today, expected }) => {
    expect(lastModified(at(updatedAt), leaver, today, PARIS).toISOString()).toBe(expected);
  });

  it("shows a leaver to a poller on the morning after the contract ended, with no row change overnight", () => {
    const updatedAt = at("2023-09-01T09:00:00Z");
    const lastPoll = at("2023-10-19T21:00:00Z"); // 23:00 in Paris on the last day
    const morning = at("2023-10-20T06:00:00Z"); // 08:00 in Paris the next day
    expect(lastModified(updatedAt, leaver, localDate(lastPoll, PARIS), PARIS) > lastPoll).toBe(false);
    expect(lastModified(updatedAt, leaver, localDate(morning, PARIS), PARIS) > lastPoll).toBe(true);
  });

  it("is the row change for an employee without contracts or a future employee", () => {
    const updatedAt = at("2024-01-01T00:00:00Z");
    expect(lastModified(updatedAt, [], "2024-06-15", PARIS)).toEqual(updatedAt);
    expect(lastModified(updatedAt, [c("2030-01-01")], "2024-06-15", PARIS)).toEqual(updatedAt);
  });

  it("uses the tenant time zone for the transition instant", () => {
    const updatedAt = at("2024-01-01T00:00:00Z");
    const contracts = [c("2020-01-01", "2024-01-15")];
    expect(lastModified(updatedAt, contracts, "2024-01-16", AUCKLAND).toISOString()).toBe("2024-01-15T11:00:00.000Z");
    expect(lastModified(updatedAt, contracts, "2024-01-16", LOS_ANGELES).toISOString()).toBe("2024-01-16T08:00:00.000Z");
    expect(lastModified(updatedAt, contracts, "2024-01-16", PARIS).toISOString()).toBe("2024-01-15T23:00:00.000Z");
  });
});
