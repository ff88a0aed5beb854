// Query parameters and bodies of /admin/v1, checked: one string per name, dates as ISO 8601, limits bounded.
import type { Request } from "express";
import { badInput } from "../../../admin/problems.js";

export function stringParam(req: Request, name: string, max = 200): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string") throw badInput(`${name} must be given once, as text`);
  if (value.length > max) throw badInput(`${name} is too long (at most ${max} characters)`);
  return value;
}

export function dateParam(req: Request, name: string): Date | undefined {
  const value = stringParam(req, name, 40);
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!/^\d{4}-\d\d-\d\d/.test(value) || Number.isNaN(date.getTime())) throw badInput(`${name} must be an ISO 8601 date or instant, such as 2026-11-30T12:00:00Z`);
  return date;
}

export function intParam(req: Request, name: string, fallback: number, min: number, max: number): number {
  const value = stringParam(req, name, 10);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw badInput(`${name} must be a whole number from ${min} to ${max}`);
  return Number(value);
}

export function objectBody(req: Request): Record<string, unknown> {
  const body = req.body as unknown;
  if (body === undefined) return {};
  if (!body || typeof body !== "object" || Array.isArray(body)) throw badInput("The body must be a JSON object");
  return body as Record<string, unknown>;
}

/** Reads a member of a client object without reaching into its prototype. */
export function member(body: Record<string, unknown>, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(body, name) ? body[name] : undefined;
}

/** Refuses members other than `allowed` (a typo never passes silently). */
export function onlyMembers(body: Record<string, unknown>, allowed: string[]): void {
  for (const key of Object.keys(body)) if (!allowed.includes(key)) throw badInput(`Unknown member ${JSON.stringify(key.slice(0, 100))}; expected ${allowed.join(", ")}`);
}
