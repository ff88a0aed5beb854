// Country names (groups LUCCA_COUNTRY and the custom countryCode attribute): English names by
// ISO 3166-1 alpha-2 code from the runtime's ICU data, in TypeScript and as SQL over a code column.
import type { SqlFragment } from "../db/sql-fragment.js";

const regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

/** English country names by ISO 3166-1 alpha-2 code ("ES" -> "Spain"), from the runtime's ICU data. */
const COUNTRY_NAMES: Record<string, string> = {};
for (let a = 65; a <= 90; a++) {
  for (let b = 65; b <= 90; b++) {
    const code = String.fromCharCode(a, b);
    const name = regionNames.of(code);
    if (name && name !== code) COUNTRY_NAMES[code] = name;
  }
}
/** The same table as JSON, for a `?::jsonb` binding, so that SQL filters see the same names. */
const COUNTRY_NAMES_JSON = JSON.stringify(COUNTRY_NAMES);

/** The English name of a country ("ES" -> "Spain"); the code itself when unknown. */
export function countryName(code: string): string {
  const trimmed = code.trim();
  return COUNTRY_NAMES[trimmed] ?? trimmed;
}

/** SQL for the English name of a country code expression (the table is one bound JSON value). */
export function countryNameSql(codeSql: string): SqlFragment {
  return { sql: `coalesce((?::jsonb ->> (${codeSql})::text), (${codeSql})::text)`, bindings: [COUNTRY_NAMES_JSON] };
}

/** Whether `code` is an ISO 3166-1 alpha-2 code the runtime knows ("FR"). */
export function isCountryCode(code: string): boolean {
  return Object.hasOwn(COUNTRY_NAMES, code);
}
