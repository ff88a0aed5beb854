// The demo tenants' people as plain data (docs/BEHAVIOUR.md section 7), computed from the seed day T and a
// fixed-seed PRNG, so that the same T always gives the same people and dates. No database here.
import { DateTime } from "luxon";

export type DepartmentKey = "engineering" | "platform" | "sales" | "people" | "finance";
export type EstablishmentKey = "paris" | "lyon" | "berlin" | "madrid";

export interface ContractSpec { start: string; end: string | null }

export interface EmployeeSpec {
  login: string;
  firstName: string;
  lastName: string;
  jobTitle: string;
  employeeNumber: string;
  department: DepartmentKey;
  establishment: EstablishmentKey;
  /** Login of the manager, an employee listed earlier; null for none. */
  manager: string | null;
  workPhone: string | null;
  mobilePhone: string | null;
  preferredLanguage: string;
  costCenter: string;
  contracts: ContractSpec[];
}

export const COST_CENTERS: Record<DepartmentKey, string> = {
  engineering: "CC-ENG", platform: "CC-PLT", sales: "CC-SAL", people: "CC-PPL", finance: "CC-FIN",
};

/** T + days, on calendar dates (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: "UTC" }).plus({ days }).toISODate()!;
}

/** mulberry32: a tiny deterministic PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIAL_LETTERS: Record<string, string> = {
  "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
  "đ": "d", "Đ": "d", "ı": "i", "þ": "th", "ð": "d",
};

/** Lower-case ASCII for a login part: accents dropped, apostrophes and spaces removed, hyphens kept. */
export function asciiFold(text: string): string {
  return text
    .replace(/[łŁøØßæÆœŒđĐıþð]/g, (c) => SPECIAL_LETTERS[c])
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’\s]+/g, "")
    .replace(/[^a-z0-9-]/g, "");
}

/** The ten named employees, in table order (employee numbers E0001..E0010). T is the seed's local date. */
export function namedEmployees(T: string): EmployeeSpec[] {
  const d = (n: number) => addDays(T, n);
  // Long-standing contracts start on fixed dates in past years; should T ever be close to or before
  // them (a fake clock in tests), they move back so that every shape in the table still holds.
  const since = (fixed: string) => (fixed <= d(-365) ? fixed : d(-365));
  const ritaFirst = "2021-06-30" < d(-60) ? { start: "2019-03-01", end: "2021-06-30" } : { start: d(-1200), end: d(-400) };
  return [
    {
      login: "ada.lovelace", firstName: "Ada", lastName: "Lovelace", jobTitle: "CTO", employeeNumber: "E0001",
      department: "engineering", establishment: "paris", manager: null,
      workPhone: "+33 1 42 68 53 01", mobilePhone: "+33 6 12 34 56 78", preferredLanguage: "en-GB", costCenter: "CC-ENG",
      contracts: [{ start: since("2015-01-05"), end: null }],
    },
    {
      login: "grace.hopper", firstName: "Grace", lastName: "Hopper", jobTitle: "Staff Engineer", employeeNumber: "E0002",
      department: "platform", establishment: "berlin", manager: "ada.lovelace",
      workPhone: "+49 30 2589 4402", mobilePhone: null, preferredLanguage: "en-US", costCenter: "CC-PLT",
      contracts: [{ start: since("2016-09-01"), end: null }],
    },
    {
      login: "elodie.durand-muller", firstName: "Élodie", lastName: "Durand-Müller", jobTitle: "Account Executive", employeeNumber: "E0003",
      department: "sales", establishment: "lyon", manager: "ada.lovelace",
      workPhone: null, mobilePhone: "+33 6 71 22 48 90", preferredLanguage: "fr-FR", costCenter: "CC-SAL",
      contracts: [{ start: since("2018-04-16"), end: null }],
    },
    {
      login: "noah.future", firstName: "Noah", lastName: "Future", jobTitle: "Software Engineer", employeeNumber: "E0004",
      department: "engineering", establishment: "paris", manager: "ada.lovelace",
      workPhone: null, mobilePhone: null, preferredLanguage: "en-US", costCenter: "CC-ENG",
      contracts: [{ start: d(14), end: null }],
    },
    {
      login: "liam.leaver", firstName: "Liam", lastName: "Leaver", jobTitle: "Sales Representative", employeeNumber: "E0005",
      department: "sales", establishment: "lyon", manager: "elodie.durand-muller",
      workPhone: "+33 4 72 10 33 05", mobilePhone: null, preferredLanguage: "en-GB", costCenter: "CC-SAL",
      contracts: [{ start: since("2020-02-03"), end: d(-1) }],
    },
    {
      login: "tara.today", firstName: "Tara", lastName: "Today", jobTitle: "Financial Analyst", employeeNumber: "E0006",
      department: "finance", establishment: "paris", manager: "ada.lovelace",
      workPhone: "+33 1 42 68 53 06", mobilePhone: null, preferredLanguage: "fr-FR", costCenter: "CC-FIN",
      contracts: [{ start: since("2021-05-03"), end: d(0) }],
    },
    {
      login: "rita.rehire", firstName: "Rita", lastName: "Rehire", jobTitle: "HR Business Partner", employeeNumber: "E0007",
      department: "people", establishment: "paris", manager: "ada.lovelace",
      workPhone: null, mobilePhone: "+33 7 81 45 62 07", preferredLanguage: "fr-FR", costCenter: "CC-PPL",
      contracts: [ritaFirst, { start: d(-30), end: null }],
    },
    {
      login: "greg.gap", firstName: "Greg", lastName: "Gap", jobTitle: "Sales Engineer", employeeNumber: "E0008",
      department: "sales", establishment: "berlin", manager: "elodie.durand-muller",
      workPhone: "+49 30 2589 4408", mobilePhone: null, preferredLanguage: "de-DE", costCenter: "CC-SAL",
      contracts: [{ start: since("2022-01-10"), end: d(-10) }, { start: d(5), end: null }],
    },
    {
      login: "carl.contiguous", firstName: "Carl", lastName: "Contiguous", jobTitle: "Platform Engineer", employeeNumber: "E0009",
      department: "platform", establishment: "berlin", manager: "grace.hopper",
      workPhone: null, mobilePhone: "+49 151 2345 6709", preferredLanguage: "de-DE", costCenter: "CC-PLT",
      contracts: [{ start: since("2020-07-01"), end: d(-1) }, { start: d(0), end: null }],
    },
    {
      login: "jose.garcia", firstName: "José", lastName: "García", jobTitle: "People & Culture Manager", employeeNumber: "E0010",
      department: "people", establishment: "madrid", manager: "ada.lovelace",
      workPhone: "+34 91 123 45 10", mobilePhone: "+34 612 345 010", preferredLanguage: "es-ES", costCenter: "CC-PPL",
      contracts: [{ start: since("2017-03-13"), end: null }],
    },
  ];
}

const FIRST_NAMES = [
  "Zoë", "Renée", "Jean-Baptiste", "Łukasz", "Chloé", "Mathéo", "Inès", "François", "Anaïs", "Hélène",
  "Jérôme", "Marie-Claire", "Björn", "Jürgen", "Søren", "Małgorzata", "Ángel", "Lucía", "Begoña", "Íñigo",
  "Seán", "Siobhán", "Åsa", "Noémie", "Raphaël", "Léa", "Camille", "Hugo", "Lena", "Jonas",
  "Sofía", "Pablo", "Emma", "Lukas", "Amélie", "Paul", "Clara", "Thomas", "Laura", "Mateo",
  "Aïcha", "Yusuf", "Mei", "Kenji", "Olivia", "Max", "Anna", "Félix", "Marta", "Jan",
];

const LAST_NAMES = [
  "Müller", "O'Brien", "Nuñez", "Martin", "Bernard", "Dubois", "Lefèvre", "Garnier-Roux", "Schröder", "Weiß",
  "Schmidt", "Fischer", "Wagner", "Becker", "Hoffmann", "García", "Fernández", "López", "Martínez", "Sánchez",
  "Pérez", "Gómez", "Díaz", "Moreno", "Kowalski", "Wiśniewski", "Nowak", "Lewandowski", "D'Angelo", "Rossi",
  "Petit", "Roux", "Fontaine", "Mercier", "Blanc", "Faure", "Chevalier", "Girard", "Lambert", "Bonnet",
  "Da Silva", "Le Gall", "N'Diaye", "Øvergaard", "Ruiz-Picasso", "Zimmermann", "Krüger", "Herrera", "Vidal", "Andrés",
];

const TITLES: Record<DepartmentKey, string[]> = {
  engineering: ["Software Engineer", "Senior Software Engineer", "Engineering Manager", "QA Engineer", "Product Designer", "Data Engineer"],
  platform: ["Site Reliability Engineer", "Platform Engineer", "Security Engineer", "Database Administrator"],
  sales: ["Account Executive", "Sales Development Representative", "Account Manager", "Sales Engineer", "Customer Success Manager"],
  people: ["HR Business Partner", "Recruiter", "Payroll Specialist", "People Operations Specialist"],
  finance: ["Accountant", "Financial Analyst", "Controller", "Accounts Payable Specialist"],
};

/** Department heads among the named employees: managers of last resort for generated people. */
const HEADS: Record<DepartmentKey, string> = {
  engineering: "ada.lovelace", platform: "grace.hopper", sales: "elodie.durand-muller", people: "jose.garcia", finance: "ada.lovelace",
};

const COUNTRY_OF: Record<EstablishmentKey, "FR" | "DE" | "ES"> = { paris: "FR", lyon: "FR", berlin: "DE", madrid: "ES" };

function weighted<T extends string>(rng: () => number, weights: [T, number][]): T {
  const total = weights.reduce((s, [, w]) => s + w, 0);
  let r = rng() * total;
  for (const [value, w] of weights) { if ((r -= w) < 0) return value; }
  return weights[weights.length - 1][0];
}

function pick<T>(rng: () => number, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)];
}

function int(rng: () => number, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

function digits(rng: () => number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String(int(rng, 0, 9));
  return s;
}

function phones(rng: () => number, establishment: EstablishmentKey): { work: string; mobile: string } {
  switch (establishment) {
    case "paris": return { work: `+33 1 ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)}`, mobile: `+33 6 ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)}` };
    case "lyon": return { work: `+33 4 72 ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)}`, mobile: `+33 7 ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)}` };
    case "berlin": return { work: `+49 30 ${digits(rng, 4)} ${digits(rng, 4)}`, mobile: `+49 15${int(rng, 1, 7)} ${digits(rng, 4)} ${digits(rng, 4)}` };
    case "madrid": return { work: `+34 91 ${digits(rng, 3)} ${digits(rng, 2)} ${digits(rng, 2)}`, mobile: `+34 6${digits(rng, 2)} ${digits(rng, 3)} ${digits(rng, 3)}` };
  }
}

function language(rng: () => number, establishment: EstablishmentKey): string {
  if (rng() < 0.15) return pick(rng, ["en-US", "en-GB", "it-IT", "pl-PL", "pt-PT"]);
  return { FR: "fr-FR", DE: "de-DE", ES: "es-ES" }[COUNTRY_OF[establishment]];
}

export const GENERATED_SEED = 20261123;
export const GENERATED_COUNT = 200;

/**
 * The generated employees (E1001..), deterministic for a given T: the PRNG draws offsets, which are
 * then applied to T, so the population means the same whatever day the seed runs.
 * Logins are unique (case-insensitively) among themselves and `taken`.
 */
export function generatedEmployees(T: string, taken: Iterable<string> = [], count = GENERATED_COUNT, seed = GENERATED_SEED): EmployeeSpec[] {
  const rng = mulberry32(seed);
  const used = new Set([...taken].map((l) => l.toLowerCase()));
  const people: EmployeeSpec[] = [];
  for (let i = 0; i < count; i++) {
    const firstName = pick(rng, FIRST_NAMES);
    const lastName = pick(rng, LAST_NAMES);
    const base = `${asciiFold(firstName)}.${asciiFold(lastName)}`;
    let login = base;
    for (let n = 2; used.has(login); n++) login = `${base}${n}`;
    used.add(login);

    const department = weighted<DepartmentKey>(rng, [["engineering", 30], ["platform", 12], ["sales", 30], ["people", 12], ["finance", 16]]);
    const establishment = weighted<EstablishmentKey>(rng, [["paris", 35], ["lyon", 20], ["berlin", 25], ["madrid", 20]]);

    // Mostly active open-ended contracts; some fixed-term, some leavers, a few future joiners.
    const shape = rng();
    let contracts: ContractSpec[];
    if (shape < 0.80) contracts = [{ start: addDays(T, -int(rng, 45, 4200)), end: null }];
    else if (shape < 0.85) contracts = [{ start: addDays(T, -int(rng, 30, 330)), end: addDays(T, int(rng, 10, 240)) }];
    else if (shape < 0.96) {
      const end = -int(rng, 1, 400);
      contracts = [{ start: addDays(T, end - int(rng, 90, 2500)), end: addDays(T, end) }];
    } else contracts = [{ start: addDays(T, int(rng, 1, 60)), end: null }];

    // Managers are earlier employees: a long-standing colleague of the same department, or the head.
    const colleagues = people.filter((p, k) => p.department === department && k < 40 && p.contracts[0].end === null && p.contracts[0].start <= T);
    const manager = colleagues.length > 0 && rng() < 0.6 ? pick(rng, colleagues).login : HEADS[department];

    const phone = phones(rng, establishment);
    const hasWork = rng() < 0.6;
    const hasMobile = rng() < 0.4;
    people.push({
      login, firstName, lastName,
      jobTitle: pick(rng, TITLES[department]),
      employeeNumber: `E${1001 + i}`,
      department, establishment, manager,
      workPhone: hasWork ? phone.work : null,
      mobilePhone: hasMobile ? phone.mobile : null,
      preferredLanguage: language(rng, establishment),
      costCenter: COST_CENTERS[department],
      contracts,
    });
  }
  return people;
}

/** Every demo employee, named ones first: managers always precede the people they manage. */
export function demoEmployees(T: string): EmployeeSpec[] {
  const named = namedEmployees(T);
  return [...named, ...generatedEmployees(T, named.map((e) => e.login))];
}
