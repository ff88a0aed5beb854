// The ScimError a pure PATCH/PUT step throws, for the engine's unit tests.
import { expect } from "vitest";
import { ScimError } from "../../src/scim/errors.js";

export function refusal(run: () => unknown, what: string): ScimError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    return e as ScimError;
  }
  throw new Error(`expected the ${what} to be refused`);
}
