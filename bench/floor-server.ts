// The floor of the benchmark: what the database itself costs. A minimal express server over flat
// tables of the same rows hr-scim serves (bench/floor-tables.ts), answering the same reads with the
// rows' columns as plain JSON: OFFSET pages plus count(*), keyset pages for the cursor import, an
// index probe per lookup, one UPDATE per write. No authentication, no SCIM shaping, no lifecycle.
// Run as a child process of bench/run.ts (its CPU is read from /proc): PORT, FLOOR_SCHEMA, and
// DATABASE_URL or FLOOR_DATA_DIR (a PGlite directory of its own).
import express, { type Request, type Response } from "express";
import pg from "pg";

type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

async function openStore(): Promise<Query> {
  if (process.env.DATABASE_URL) {
    // The pool size of hr-scim's default (DEFAULT_DATABASE_LIMITS.poolSize).
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
    return async (sql, params) => (await pool.query(sql, params)).rows;
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const db = new PGlite(process.env.FLOOR_DATA_DIR!);
  await db.waitReady;
  return async (sql, params) => (await db.query<Record<string, unknown>>(sql, params)).rows;
}

function int(value: unknown, fallback: number): number {
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : fallback;
}

async function main(): Promise<void> {
  const query = await openStore();
  const schema = process.env.FLOOR_SCHEMA ?? "bench_floor";
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error("FLOOR_SCHEMA must be a plain identifier");
  const users = `${schema}.users`;
  const groups = `${schema}.groups`;
  const members = `${schema}.members`;
  const app = express();
  app.use(express.json());
  app.get("/health", (_req, res) => { res.json({ ok: true }); });

  app.get("/Users", async (req: Request, res: Response) => {
    const count = int(req.query.count, 100);
    if (typeof req.query.userName === "string") {
      const rows = await query(`select * from ${users} where user_name = $1`, [req.query.userName]);
      res.json({ totalResults: rows.length, Resources: rows });
      return;
    }
    if (typeof req.query.modifiedSince === "string") {
      const since = req.query.modifiedSince;
      const offset = int(req.query.startIndex, 1) - 1;
      const [total] = await query(`select count(*)::int as n from ${users} where last_modified > $1`, [since]);
      const rows = await query(`select * from ${users} where last_modified > $1 order by last_modified, id offset $2 limit $3`, [since, offset, count]);
      res.json({ totalResults: total.n, Resources: rows });
      return;
    }
    const [total] = await query(`select count(*)::int as n from ${users}`);
    if (typeof req.query.after === "string") {
      const rows = await query(`select * from ${users} where id > $1 order by id limit $2`, [int(req.query.after, 0), count]);
      res.json({ totalResults: total.n, Resources: rows, nextCursor: rows.length === count ? String(rows[rows.length - 1].id) : undefined });
      return;
    }
    const rows = await query(`select * from ${users} order by id offset $1 limit $2`, [int(req.query.startIndex, 1) - 1, count]);
    res.json({ totalResults: total.n, Resources: rows });
  });

  app.get("/Users/:id", async (req: Request, res: Response) => {
    const [row] = await query(`select * from ${users} where id = $1`, [int(req.params.id, 0)]);
    if (!row) { res.status(404).json({ status: 404 }); return; }
    res.json(row);
  });

  app.patch("/Users/:id", async (req: Request, res: Response) => {
    const title = typeof req.body?.title === "string" ? req.body.title : null;
    const [row] = await query(`update ${users} set title = $1, last_modified = now() where id = $2 returning *`, [title, int(req.params.id, 0)]);
    if (!row) { res.status(404).json({ status: 404 }); return; }
    res.json(row);
  });

  const withMembers = async (rows: Record<string, unknown>[]) => {
    if (rows.length === 0) return rows;
    const list = await query(`select group_id, user_id as value, display from ${members} where group_id = any($1) order by group_id, user_id`, [rows.map((r) => r.id)]);
    const byGroup = new Map<unknown, unknown[]>();
    for (const m of list) {
      const entry = byGroup.get(m.group_id) ?? [];
      entry.push({ value: m.value, display: m.display });
      byGroup.set(m.group_id, entry);
    }
    return rows.map((r) => ({ ...r, members: byGroup.get(r.id) ?? [] }));
  };

  app.get("/Groups", async (req: Request, res: Response) => {
    const [total] = await query(`select count(*)::int as n from ${groups}`);
    const rows = await query(`select * from ${groups} order by id offset $1 limit $2`, [int(req.query.startIndex, 1) - 1, int(req.query.count, 100)]);
    res.json({ totalResults: total.n, Resources: req.query.members === "0" ? rows : await withMembers(rows) });
  });

  app.get("/Groups/:id", async (req: Request, res: Response) => {
    const rows = await query(`select * from ${groups} where id = $1`, [req.params.id]);
    if (rows.length === 0) { res.status(404).json({ status: 404 }); return; }
    res.json((await withMembers(rows))[0]);
  });

  const server = app.listen(int(process.env.PORT, 0), () => {
    const address = server.address();
    process.stdout.write(`floor listening ${typeof address === "object" && address ? address.port : ""}\n`);
  });
  process.on("SIGTERM", () => { server.close(); process.exit(0); });
}

main().catch((e) => { console.error(e); process.exit(1); });
