import { describe, it, expect } from "vitest";
import { addDays, asciiFold, demoEmployees, generatedEmployees, mulberry32, namedEmployees } from "../../src/seeds/demo-data.js";
import { isActive, isFutureEmployee, type Contract } from "../../src/hr/lifecycle.js";

const T = "2026-11-23";

describe("mulberry32", () => {
  it("is deterministic for a seed and stays in [0, 1)", () => {
    const a = mulberry32(42), b = mulberry32(42), c = mulberry32(43);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(c()).not.toEqual(xs[0]);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe("asciiFold", () => {
  it("drops accents and apostrophes, keeps hyphens, lower-cases", () => {
    expect(asciiFold("Élodie")).toBe("elodie");
    expect(asciiFold("Durand-Müller")).toBe("durand-muller");
    expect(asciiFold("O'Brien")).toBe("obrien");
    expect(asciiFold("Łukasz")).toBe("lukasz");
    expect(asciiFold("Weiß")).toBe("weiss");
    expect(asciiFold("Øvergaard")).toBe("overgaard");
    expect(asciiFold("Da Silva")).toBe("dasilva");
    expect(asciiFold("Nuñez")).toBe("nunez");
  });
});

describe("generated employees", () => {
  const named = namedEmployees(T).map((e) => e.login);
  const people = generatedEmployees(T, named);

  it("are exactly 200, deterministic, numbered E1001..E1200", () => {
    expect(people).toHaveLength(200);
    expect(generatedEmployees(T, named)).toEqual(people);
    expect(people[0].employeeNumber).toBe("E1001");
    expect(people[199].employeeNumber).toBe("E1200");
  });

  it("have unique ASCII logins that do not collide with the named ones", () => {
    const all = [...named, ...people.map((p) => p.login)].map((l) => l.toLowerCase());
    expect(new Set(all).size).toBe(all.length);
    for (const p of people) expect(p.login).toMatch(/^[a-z-]+\.[a-z-]+\d*$/);
    expect(people.some((p) => /\d$/.test(p.login))).toBe(true); // some de-duplicated with a suffix
    expect(people.some((p) => /[^\x00-\x7f]/.test(p.firstName + p.lastName))).toBe(true);
  });

  it("shift with T: the same population on any day", () => {
    const later = generatedEmployees(addDays(T, 100), named);
    expect(later.map((p) => p.login)).toEqual(people.map((p) => p.login));
    expect(later[0].contracts[0].start).toBe(addDays(people[0].contracts[0].start, 100));
  });

  it("are mostly active, with some leavers and a few future employees", () => {
    const active = people.filter((p) => isActive(p.contracts, T)).length;
    const future = people.filter((p) => isFutureEmployee(p.contracts, T)).length;
    const former = people.length - active - future;
    expect(active).toBeGreaterThan(150);
    expect(former).toBeGreaterThan(5);
    expect(future).toBeGreaterThan(0);
    expect(future).toBeLessThan(20);
  });

  it("have managers listed earlier", () => {
    const all = demoEmployees(T);
    const seen = new Set<string>();
    for (const p of all) {
      if (p.manager !== null) expect(seen.has(p.manager)).toBe(true);
      seen.add(p.login);
    }
  });
});

describe("named employees", () => {
  const byLogin = (day: string) => Object.fromEntries(namedEmployees(day).map((e) => [e.login, e]));
  const check = (day: string) => {
    const e = byLogin(day);
    const active = (login: string) => isActive(e[login].contracts as Contract[], day);
    expect(active("ada.lovelace")).toBe(true);
    expect(isFutureEmployee(e["noah.future"].contracts, day)).toBe(true);
    expect(active("liam.leaver")).toBe(false);
    expect(isActive(e["liam.leaver"].contracts, addDays(day, -1))).toBe(true);
    expect(active("tara.today")).toBe(true);
    expect(isActive(e["tara.today"].contracts, addDays(day, 1))).toBe(false);
    expect(active("rita.rehire")).toBe(true);
    expect(e["rita.rehire"].contracts).toHaveLength(2);
    expect(active("greg.gap")).toBe(false);
    expect(isFutureEmployee(e["greg.gap"].contracts, day)).toBe(false);
    expect(active("carl.contiguous")).toBe(true);
    expect(isActive(e["carl.contiguous"].contracts, addDays(day, -1))).toBe(true);
    for (const emp of namedEmployees(day)) for (const c of emp.contracts) if (c.end) expect(c.end >= c.start).toBe(true);
  };

  it("have the shapes of docs/BEHAVIOUR.md section 7 relative to T", () => {
    check(T);
    check("2023-10-19");
    check("2021-03-01"); // fixed past dates move back when T is close to them
  });

  it("are E0001..E0010 in table order, ada first with no manager", () => {
    const named = namedEmployees(T);
    expect(named.map((e) => e.employeeNumber)).toEqual(Array.from({ length: 10 }, (_, i) => `E${String(i + 1).padStart(4, "0")}`));
    expect(named[0]).toMatchObject({ login: "ada.lovelace", jobTitle: "CTO", manager: null, contracts: [{ start: "2015-01-05", end: null }] });
    expect(named[2]).toMatchObject({ firstName: "Élodie", lastName: "Durand-Müller" });
  });
});
