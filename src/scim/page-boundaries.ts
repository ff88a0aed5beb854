// Where the pages of a startIndex scan end (RFC 7644 section 3.4.2.4 index paging): for each page
// served, the position (sort value, id) of its last row, keyed by the scan (the exact query before
// paging, so tenant, token visibility, day, filter and order alike) and the startIndex that follows
// it. The next page of the same scan then continues by keyset instead of skipping rows with OFFSET,
// so a client stepping through a large tenant pays the same for the last page as for the first, and
// rows inserted or removed meanwhile neither repeat nor skip a row. Per process, bounded, expiring;
// a miss falls back to OFFSET.
import crypto from "node:crypto";
import type { CursorPosition } from "./cursor.js";

export interface PageBoundaryOptions {
  /** Most boundaries kept (least recently used dropped first). */
  maxEntries: number;
  /** How long a boundary stays usable after it was recorded or last used. */
  ttlMs: number;
}

export const DEFAULT_PAGE_BOUNDARY_OPTIONS: PageBoundaryOptions = { maxEntries: 20_000, ttlMs: 15 * 60_000 };

interface Entry { position: CursorPosition; expires: number }

export class PageBoundaries {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: PageBoundaryOptions = DEFAULT_PAGE_BOUNDARY_OPTIONS) {}

  /** A key for a scan: a digest of its SQL and bindings (client text is bound, never keyed raw). */
  static scanKey(sql: string, bindings: readonly unknown[]): string {
    return crypto.createHash("sha256").update(sql).update("\u0000").update(JSON.stringify(bindings)).digest("base64url");
  }

  /** The position after which the page starting at `startIndex` begins, if known. */
  get(scan: string, startIndex: number, now: number): CursorPosition | undefined {
    const key = `${scan}:${startIndex}`;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expires <= now) return undefined;
    entry.expires = now + this.options.ttlMs;
    this.entries.set(key, entry);
    return entry.position;
  }

  /** Records that the page starting at `startIndex` begins after `position`. */
  set(scan: string, startIndex: number, position: CursorPosition, now: number): void {
    const key = `${scan}:${startIndex}`;
    this.entries.delete(key);
    this.entries.set(key, { position, expires: now + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
