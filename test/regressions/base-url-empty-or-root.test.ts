// Regression: an empty or root-only BASE_URL ("", or "/" as some tools set it) was taken as the
// public base URL, so meta.location and $ref came out relative. Such a value now counts as unset,
// and the base URL is derived from each request's Host.
import { expect, it } from "vitest";
import { readConfig } from "../../src/config.js";

it("takes an empty or root-only BASE_URL as unset", () => {
  expect(readConfig({ BASE_URL: "" }).baseUrl).toBeUndefined();
  expect(readConfig({ BASE_URL: "/" }).baseUrl).toBeUndefined();
});
