// Query parameter names are case-insensitive for SCIM clients (docs/CLIENTS.md item 6).
import type { Request } from "express";

export function queryParam(req: Request, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(req.query)) {
    if (key.toLowerCase() === lower) return Array.isArray(value) ? value.map(String).join(",") : value === undefined ? undefined : String(value);
  }
  return undefined;
}
