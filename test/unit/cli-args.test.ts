import { describe, it, expect } from "vitest";
import { parseArgs, UsageError } from "../../src/cli/args.js";
import { ARGS_SPEC, resolveCommand } from "../../src/cli/commands.js";
import { parseExpiresInDays } from "../../src/cli/token-commands.js";
import { SLUG_PATTERN } from "../../src/cli/tenant-commands.js";

const parse = (argv: string[]) => parseArgs(argv, ARGS_SPEC);

describe("parseArgs", () => {
  it("separates words, value options (repeatable, = form) and flags", () => {
    const a = parse(["token", "issue", "--tenant", "demo", "--name=my token", "--permission", "users:write", "--permission", "future-employees:read", "--json"]);
    expect(a.positionals).toEqual(["token", "issue"]);
    expect(a.values).toEqual({ tenant: ["demo"], name: ["my token"], permission: ["users:write", "future-employees:read"] });
    expect([...a.flags]).toEqual(["json"]);
  });

  it("keeps JSON and negative-looking values as values", () => {
    const a = parse(["tenant", "set", "acme", "propertyMapping", '{"attributes":[]}']);
    expect(a.positionals).toEqual(["tenant", "set", "acme", "propertyMapping", '{"attributes":[]}']);
    expect(parse(["x", "--expires-in-days", "-1"]).values["expires-in-days"]).toEqual(["-1"]);
  });

  it("treats -h and --help as help", () => {
    expect(parse(["-h"]).flags.has("help")).toBe(true);
    expect(parse(["token", "--help"]).flags.has("help")).toBe(true);
  });

  it("refuses unknown options, missing values and values on flags", () => {
    expect(() => parse(["--verbose"])).toThrow(UsageError);
    expect(() => parse(["token", "issue", "--name"])).toThrow(/needs a value/);
    expect(() => parse(["token", "issue", "--name", "--json"])).toThrow(/needs a value/);
    expect(() => parse(["--json=yes"])).toThrow(/takes no value/);
  });
});

describe("resolveCommand (usage checked before the database opens)", () => {
  const resolve = (argv: string[]) => resolveCommand(parse(argv));
  it("accepts the documented words", () => {
    for (const argv of [
      ["migrate"], ["seed", "demo"],
      ["tenant", "create", "acme", "--name", "Acme", "--time-zone", "Europe/Berlin"],
      ["tenant", "show", "acme", "--json"], ["tenant", "list"],
      ["tenant", "set", "acme", "groupTypes", "none"], ["tenant", "set", "acme", "timeZone", "Asia/Tokyo"],
      ["token", "issue", "--tenant", "demo", "--name", "x", "--permission", "users:write", "--expires-in-days", "30", "--json"],
      ["token", "list", "--tenant", "demo", "--json"], ["token", "revoke", "abc"],
      ["token", "permission", "abc", "future-employees:read", "off"],
    ]) expect(typeof resolve(argv)).toBe("function");
  });

  it("refuses bad usage with a UsageError", () => {
    for (const argv of [
      ["frobnicate"], ["seed"], ["seed", "prod"], ["tenant"], ["tenant", "create", "Bad_Slug", "--name", "x"],
      ["tenant", "create", "acme"], ["tenant", "create", "acme", "--name", "x", "--time-zone", "Mars/Olympus"],
      ["tenant", "set", "acme", "colour", "blue"], ["tenant", "set", "acme", "timeZone", "Nowhere/City"],
      ["tenant", "show"], ["tenant", "show", "a", "b"], ["tenant", "show", "acme", "--tenant", "x"],
      ["token", "issue", "--tenant", "demo"], ["token", "issue", "--tenant", "demo", "--name", "x", "--permission", "admin"],
      ["token", "issue", "--tenant", "demo", "--name", "x", "--tenant", "other"],
      ["token", "list"], ["token", "revoke"], ["token", "permission", "abc", "users:write", "maybe"],
    ]) expect(() => resolve(argv), argv.join(" ")).toThrow(UsageError);
  });
});

describe("small validators", () => {
  it("slug pattern", () => {
    expect(SLUG_PATTERN.test("demo")).toBe(true);
    expect(SLUG_PATTERN.test("a".repeat(63))).toBe(true);
    expect(SLUG_PATTERN.test("a".repeat(64))).toBe(false);
    expect(SLUG_PATTERN.test("-demo")).toBe(false);
    expect(SLUG_PATTERN.test("Demo")).toBe(false);
  });
  it("expires-in-days", () => {
    expect(parseExpiresInDays(undefined)).toBeNull();
    expect(parseExpiresInDays("30")).toBe(30);
    for (const bad of ["0", "-1", "1.5", "x", ""]) expect(() => parseExpiresInDays(bad)).toThrow(UsageError);
  });
});
