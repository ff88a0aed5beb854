// `npm run fuzz -- [--cases N] [--seed S] [--case N[,N...]] [--deadline MS] [--allow-known]`: a
// longer fuzz run than the suite's (test/api/fuzz.test.ts), on a fresh in-memory PGlite with the
// demo seed, or on the PostgreSQL database of DATABASE_URL (migrated; the demo tenant seeded if
// missing). Prints each finding with its seed, case number, request and response; exits 1 when it
// found anything (with --allow-known, anything not already listed in known-issues.ts).
import { PGlite } from "@electric-sql/pglite";
import { openDatabase, type Database } from "../../src/db/database.js";
import { migrateToLatest } from "../../src/db/migrate.js";
import { findTenantBySlug } from "../../src/hr/tenants.js";
import { seedDemo } from "../../src/seeds/demo.js";
import { TEST_NOW } from "../support/test-clock.js";
import { createHarness } from "./harness.js";
import { KNOWN_ISSUES } from "./known-issues.js";
import { formatFinding, type Finding } from "./report.js";
import { runFuzz } from "./runner.js";

interface Args { cases: number; seed: number; only?: number[]; deadlineMs: number; allowKnown: boolean }

function parseArgs(argv: string[]): Args {
  const args: Args = { cases: 2000, seed: Math.floor(Math.random() * 2 ** 31), deadlineMs: 10_000, allowKnown: false };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    const int = (name: string) => {
      if (value === undefined || !/^\d+$/.test(value)) throw new Error(`${name} takes a non-negative integer`);
      i++;
      return Number(value);
    };
    switch (argv[i]) {
      case "--cases": args.cases = int("--cases"); break;
      case "--seed": args.seed = int("--seed"); break;
      case "--deadline": args.deadlineMs = int("--deadline"); break;
      case "--allow-known": args.allowKnown = true; break;
      case "--case":
        if (!value || !/^\d+(,\d+)*$/.test(value)) throw new Error("--case takes case numbers: 12 or 12,40");
        args.only = [...(args.only ?? []), ...value.split(",").map(Number)];
        i++;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}; usage: npm run fuzz -- [--cases N] [--seed S] [--case N[,N...]] [--deadline MS] [--allow-known]`);
    }
  }
  return args;
}

async function openStore(): Promise<Database> {
  if (process.env.DATABASE_URL) {
    const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL });
    await migrateToLatest(database.knex);
    if (!(await findTenantBySlug(database.knex, "demo"))) await seedDemo(database.knex, { now: TEST_NOW });
    return database;
  }
  const database = await openDatabase({ pglite: new PGlite() });
  await migrateToLatest(database.knex);
  await seedDemo(database.knex, { now: TEST_NOW });
  return database;
}

function summary(findings: Finding[]): Map<string, Finding[]> {
  const byCase = new Map<string, Finding[]>();
  for (const f of findings) byCase.set(`${f.n}`, [...(byCase.get(`${f.n}`) ?? []), f]);
  return byCase;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const database = await openStore();
  const harness = await createHarness({ database, deadlineMs: args.deadlineMs });
  const total = args.only?.length ?? args.cases;
  console.log(`fuzz: seed ${args.seed}, ${args.only ? `case(s) ${args.only.join(", ")}` : `${args.cases} cases`}, ${database.kind}`);
  let done = 0;
  const { findings, stats } = await runFuzz(harness, {
    seed: args.seed, cases: args.cases, only: args.only,
    onCase: (_c, _o, found) => {
      done++;
      for (const f of found) if (!f.known) console.log(`\n${formatFinding(f)}`);
      if (done % 500 === 0) console.log(`... ${done}/${total} cases, ${Math.round((Date.now() - started) / 1000)} s`);
    },
  });
  await harness.close();

  const unknown = findings.filter((f) => !f.known);
  const known = findings.filter((f) => f.known);
  console.log(`\nfuzz: ${stats.cases} cases in ${Math.round((Date.now() - started) / 1000)} s (seed ${args.seed}); ${stats.acceptedWrites}/${stats.writes} writes accepted; slowest answer ${Math.round(stats.slowestMs)} ms (${stats.slowest}); ${Math.round(stats.cpuMs / 1000)} s of CPU`);
  for (const [category, statuses] of Object.entries(stats.byCategory).sort()) {
    const count = Object.values(statuses).reduce((sum, n) => sum + n, 0);
    const perCase = `${(stats.msByCategory[category] / count).toFixed(1)} ms/case`.padStart(14);
    console.log(`  ${category.padEnd(15)}${perCase}  ${Object.entries(statuses).sort().map(([s, n]) => `${s}:${n}`).join(" ")}`);
  }
  const seenKnown = new Set(known.map((f) => f.known));
  for (const issue of KNOWN_ISSUES) {
    const cases = [...summary(known.filter((f) => f.known === issue.id)).keys()];
    console.log(seenKnown.has(issue.id)
      ? `known issue ${issue.id}: seen in ${cases.length} case(s) (${cases.slice(0, 10).join(", ")}${cases.length > 10 ? ", ..." : ""}); first:\n${formatFinding(known.find((f) => f.known === issue.id)!)}`
      : `known issue ${issue.id}: not seen in this run`);
  }
  if (unknown.length) console.log(`\nfuzz: ${unknown.length} new finding(s) in ${summary(unknown).size} case(s), listed above`);
  else console.log(known.length ? "\nfuzz: nothing found besides the known issues above" : "\nfuzz: nothing found");
  return unknown.length || (known.length && !args.allowKnown) ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error("fuzz failed:", e instanceof Error ? e.stack : e);
  process.exit(2);
});
