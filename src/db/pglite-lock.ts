// Exclusive lock on a PGlite data directory: two processes opening one directory silently
// overwrite each other's writes, so the second one must be refused.
import fs from "node:fs";
import path from "node:path";

const LOCK_NAME = "hr-scim.lock";

export class DataDirectoryLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(`The data directory ${dir} is in use by another hr-scim process (pid ${pid}). ` +
      `Stop it first, or set DATABASE_URL to use a PostgreSQL server that several processes can share.`);
  }
}

function isAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === "EPERM"; }
}

/** Takes the lock or throws DataDirectoryLockedError; returns the release function. */
export function lockDataDirectory(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, "wx");
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off("exit", release); // one process may open and close many times (the CLI's tests)
        try { fs.unlinkSync(file); } catch { /* already gone */ }
      };
      process.once("exit", release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number(fs.readFileSync(file, "utf8").trim());
      if (pid && pid !== process.pid && isAlive(pid)) throw new DataDirectoryLockedError(dir, pid);
      fs.unlinkSync(file); // stale lock from a process that died
    }
  }
  throw new Error(`Could not lock ${dir}`);
}
