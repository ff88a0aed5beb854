// The cost bound of compileFilter: conditions on related attributes (members.*, groups.*) compile
// to a subquery each and are limited to MAX_RELATED_CONDITIONS per filter; conditions on columns
// are not counted there.
import { describe, expect, it } from "vitest";
import { ScimError } from "../../src/scim/errors.js";
import { compileFilter, MAX_RELATED_CONDITIONS } from "../../src/scim/filter/compile-sql.js";
import { groupMap, SCOPE } from "./filter-maps.js";

const conditions = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i)).join(" or ");

function refusal(filter: string): ScimError {
  try {
    compileFilter(filter, groupMap, SCOPE);
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error(`accepted: ${filter}`);
}

describe("compileFilter: conditions on related attributes", () => {
  it(`accepts ${MAX_RELATED_CONDITIONS} of them`, () => {
    expect(() => compileFilter(conditions(MAX_RELATED_CONDITIONS, (i) => `members.display co "x${i}"`), groupMap, SCOPE)).not.toThrow();
  });

  it.each([
    { name: "one more condition on members.display", filter: conditions(MAX_RELATED_CONDITIONS + 1, (i) => `members.display co "x${i}"`) },
    { name: "presence tests on members", filter: conditions(MAX_RELATED_CONDITIONS + 1, () => "members pr") },
    { name: "conditions inside one value path", filter: `members[${conditions(MAX_RELATED_CONDITIONS + 1, (i) => `value eq "${i}"`)}]` },
    { name: "conditions spread over value paths and dotted paths", filter: `members[value eq "1" or display co "a"] and ${conditions(MAX_RELATED_CONDITIONS - 1, (i) => `members.value eq "${i}"`)}` },
  ])("refuses $name with invalidFilter", ({ filter }) => {
    const error = refusal(filter);
    expect(error.status).toBe(400);
    expect(error.scimType).toBe("invalidFilter");
    expect(error.detail).toMatch(`more than ${MAX_RELATED_CONDITIONS} conditions on members or groups`);
  });

  it("does not count conditions on columns", () => {
    const filter = `${conditions(MAX_RELATED_CONDITIONS, (i) => `members.value eq "${i}"`)} or ${conditions(12, (i) => `displayName eq "g${i}"`)}`;
    expect(() => compileFilter(filter, groupMap, SCOPE)).not.toThrow();
  });
});
