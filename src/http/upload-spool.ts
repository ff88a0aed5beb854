// An uploaded file (a CSV import) written to a private temporary file before it is read: the
// import then runs at disk speed inside its transaction, so a slow or stalled client holds no
// database connection while it sends (on PGlite, the only one), and memory stays bounded by a
// chunk whatever the file's size. The file is readable by this process's user only and removed
// when the import ends.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";

const SPOOL_PREFIX = "hr-scim-upload-";

/** Runs `use` over the body of `req`, spooled to disk; `tooLarge` is thrown beyond `limit` bytes. */
export async function withSpooledBody<T>(
  req: Readable, limit: number, tooLarge: () => Error, use: (body: AsyncIterable<Buffer>) => Promise<T>,
): Promise<T> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), SPOOL_PREFIX));
  const file = path.join(dir, "body");
  try {
    await spool(req, file, limit, tooLarge);
    const body = fs.createReadStream(file);
    try {
      return await use(body);
    } finally {
      // A reader that stops early (a refused header, a database error) leaves the stream open: its
      // descriptor would keep the removed file's space until the process ends.
      body.destroy();
    }
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Copies the body into `file`. Beyond the limit the request is paused and left open, as
 * body-parser does, so that the error's response (413) still reaches the client.
 */
function spool(req: Readable, file: string, limit: number, tooLarge: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(file, { mode: 0o600 });
    let bytes = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      req.unpipe(out);
      req.pause();
      out.destroy();
      reject(error);
    };
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit) fail(tooLarge());
    });
    req.once("error", fail);
    // A client fault, as body-parser reports it (400 request.aborted), not a server error.
    req.once("aborted", () => fail(Object.assign(new Error("the client went away during the upload"), { status: 400, type: "request.aborted" })));
    out.once("error", fail);
    out.once("finish", () => { if (!failed) resolve(); });
    req.pipe(out);
  });
}

/**
 * Removes spool directories a stopped process left behind (a crash during an import), older than
 * `olderThanMs`: an upload in progress in another process on this machine is far younger (the
 * request timeout bounds it). Returns how many were removed.
 */
export async function removeStaleSpools(now: Date, olderThanMs = 60 * 60 * 1000, dir = os.tmpdir()): Promise<number> {
  let removed = 0;
  for (const name of await fs.promises.readdir(dir)) {
    if (!name.startsWith(SPOOL_PREFIX)) continue;
    const full = path.join(dir, name);
    const stat = await fs.promises.stat(full).catch(() => null);
    if (!stat?.isDirectory() || now.getTime() - stat.mtimeMs < olderThanMs) continue;
    await fs.promises.rm(full, { recursive: true, force: true });
    removed++;
  }
  return removed;
}
