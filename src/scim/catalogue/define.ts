// Small builders for catalogue entries: RFC 7643 section 2.2 defaults for characteristics, and leaf
// sources read from one column of the resource's derived table.
import type { AttributeType, Characteristics, Column, LeafSource, Row } from "./types.js";

type Extra = Partial<Characteristics>;

/**
 * Characteristics with the RFC 7643 section 2.2 defaults (single-valued, optional,
 * case-insensitive, readWrite, returned by default, not unique) overridden by `extra`.
 */
export function characteristics(type: AttributeType, description: string, extra: Extra = {}): Characteristics {
  return {
    type, multiValued: false, description, required: false, caseExact: false,
    mutability: "readWrite", returned: "default", uniqueness: "none", ...extra,
  };
}

export const text = (description: string, extra: Extra = {}) => characteristics("string", description, extra);
export const readOnlyText = (description: string, extra: Extra = {}) => characteristics("string", description, { mutability: "readOnly", ...extra });

/** A column over the derived table `alias` (`u.job_title`). */
export function column(alias: string, name: string, options: { type?: AttributeType; caseExact?: boolean; integerId?: boolean; guard?: string } = {}): Column {
  return { sql: `${alias}.${name}`, type: options.type ?? "string", caseExact: options.caseExact ?? false, integerId: options.integerId, guard: options.guard };
}

/** A leaf read from one column of the row: the same name in SQL and in the row object. */
export function fromColumn(alias: string, name: string, options: Parameters<typeof column>[2] = {}): LeafSource {
  return { column: column(alias, name, options), value: (row: Row) => row[name] ?? null };
}

/** A literal leaf (`type: "work"`): the same constant in SQL and in the projection. */
export function literal(value: string): LeafSource {
  return { column: { sql: `'${value.replace(/'/g, "''")}'::text`, type: "string", caseExact: false }, value: () => value };
}

/** A boolean leaf given as SQL and its pure twin. */
export function flag(sql: string, test: (row: Row) => boolean): LeafSource {
  return { column: { sql, type: "boolean", caseExact: false }, value: test };
}

/** "first last" without empty parts: the SQL and TypeScript twins of a person's full name. */
export function fullNameSql(first: string, last: string): string {
  return `concat_ws(' ', nullif(${first}, ''), nullif(${last}, ''))`;
}

export function fullName(first: unknown, last: unknown): string {
  return [first, last].filter((part) => typeof part === "string" && part !== "").join(" ");
}
