// RFC 6750 section 2.1 credentials, read as passport-http-bearer read them before.
import { describe, expect, it } from "vitest";
import { bearerCredentials } from "../../src/http/middleware/authenticate.js";

const cases: [header: string, token: string | null][] = [
  ["Bearer abc", "abc"],
  ["bearer abc", "abc"],
  ["BEARER abc", "abc"],
  ["Bearer", null],
  ["Bearer ", null],
  ["Bearer  abc", null],
  ["Bearer abc def", null],
  ["Basic abc", null],
  ["Bearerabc", null],
  [" Bearer abc", null],
  ["Bearer\tabc", null],
];

describe("bearerCredentials", () => {
  it.each(cases)("reads %j as %j", (header, token) => {
    expect(bearerCredentials(header)).toBe(token);
  });
});
