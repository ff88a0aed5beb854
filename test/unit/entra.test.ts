// The Entra connector's pure parts: settings checks, the sealed client secret, Retry-After and
// backoff, the BulkRequest body, provisioning log entries as outcomes, and the token's roles.
import { describe, expect, it } from "vitest";
import { openClientSecret, sealClientSecret, UnreadableSecretError } from "../../src/connectors/entra/client-secret.js";
import { tokenRoles } from "../../src/connectors/entra/connection-check.js";
import { backoffMs, retryAfterMs } from "../../src/connectors/entra/http.js";
import { parseOutcome } from "../../src/connectors/entra/outcomes.js";
import { bulkRequestBody } from "../../src/connectors/entra/payload.js";
import {
  bulkUploadUrl, InvalidEntraSettingError, maskWebhookUrl, tokenUrl, validateBaseUrl, validateDirectoryId, validateJobId, validateRate,
} from "../../src/connectors/entra/settings.js";
import { FakeGraph } from "../support/fake-graph.js";

const KEY = Buffer.alloc(32, 3);

describe("the sealed client secret", () => {
  it("opens with the same key and tenant only", () => {
    const sealed = sealClientSecret(KEY, 7, "s3cr3t~value");
    expect(sealed).toMatch(/^s1\./);
    expect(sealed).not.toContain("s3cr3t");
    expect(openClientSecret(KEY, 7, sealed)).toBe("s3cr3t~value");
    expect(() => openClientSecret(KEY, 8, sealed)).toThrow(UnreadableSecretError);
    expect(() => openClientSecret(Buffer.alloc(32, 4), 7, sealed)).toThrow(/HR_SCIM_SECRET_KEY .* not the one/);
    expect(sealClientSecret(KEY, 7, "same")).not.toBe(sealClientSecret(KEY, 7, "same"));
  });
});

describe("settings", () => {
  it.each([
    ["directory GUID", () => validateDirectoryId("0E1C9A5B-1111-2222-3333-444455556666"), "0e1c9a5b-1111-2222-3333-444455556666"],
    ["directory domain", () => validateDirectoryId("contoso.onmicrosoft.com"), "contoso.onmicrosoft.com"],
    ["job id", () => validateJobId("API2AAD.0123abcd.6b2f"), "API2AAD.0123abcd.6b2f"],
    ["https URL without trailing slash", () => validateBaseUrl("graph-url", "https://graph.microsoft.us/"), "https://graph.microsoft.us"],
    ["http to localhost", () => validateBaseUrl("graph-url", "http://127.0.0.1:8080"), "http://127.0.0.1:8080"],
    ["rate", () => validateRate("2.5"), 2.5],
  ])("accepts a %s", (_name, fn, expected) => expect(fn()).toEqual(expected));

  it.each([
    ["a directory id with a path", () => validateDirectoryId("x/../y")],
    ["a job id with a slash", () => validateJobId("API2AAD/../x")],
    ["plain http elsewhere", () => validateBaseUrl("graph-url", "http://graph.example.com")],
    ["a URL with credentials", () => validateBaseUrl("graph-url", "https://u:p@graph.example.com")],
    ["a rate above 40 per 5 s", () => validateRate("9")],
    ["a rate of 0", () => validateRate("0")],
  ])("refuses %s", (_name, fn) => expect(fn).toThrow(InvalidEntraSettingError));

  it("builds the documented URLs and masks webhook paths", () => {
    expect(bulkUploadUrl({ graphUrl: "https://graph.microsoft.com", servicePrincipalId: "sp", jobId: "API2AAD.x" }))
      .toBe("https://graph.microsoft.com/v1.0/servicePrincipals/sp/synchronization/jobs/API2AAD.x/bulkUpload");
    expect(tokenUrl({ loginUrl: "https://login.microsoftonline.com", directoryId: "tid" })).toBe("https://login.microsoftonline.com/tid/oauth2/v2.0/token");
    expect(maskWebhookUrl("https://hooks.example.com/services/T000/B000/XXXX")).toBe("https://hooks.example.com/…");
  });
});

describe("retries", () => {
  const now = new Date("2026-06-15T10:00:00Z");
  it.each([
    ["7", 7000],
    ["0", 0],
    ["Mon, 15 Jun 2026 10:00:30 GMT", 30_000],
    ["soon", null],
    [null, null],
  ])("reads Retry-After %s", (header, expected) => expect(retryAfterMs(header as string | null, now)).toBe(expected));

  it("backs off exponentially with jitter, capped", () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((a) => backoffMs(a, () => 0.999999))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(20, () => 1)).toBe(60_000);
  });
});

describe("the BulkRequest body", () => {
  it("meets the documented contract", () => {
    const data = (n: string) => JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], externalId: n, userName: `u${n}`, active: true });
    const body = bulkRequestBody([{ bulkId: "1", dataJson: data("E1") }, { bulkId: "2", dataJson: data("E2") }]);
    const fake = new FakeGraph({ directoryId: "d", clientId: "c", clientSecret: "s", servicePrincipalId: "sp", jobId: "j" });
    expect(fake.checkBulkRequest("application/scim+json", body)).toEqual([]);
    expect(JSON.parse(body).Operations[1]).toEqual({ method: "POST", bulkId: "2", path: "/Users", data: JSON.parse(data("E2")) });
    expect(fake.checkBulkRequest("application/json", body)).toEqual(["Content-Type application/json, expected application/scim+json"]);
  });
});

describe("provisioning log entries", () => {
  const entry = (over: Record<string, unknown>) => ({
    id: "log-1", activityDateTime: "2026-06-15T10:05:00Z", provisioningAction: "create", sourceIdentity: { id: "E0042" },
    provisioningStatusInfo: { status: "success", errorInformation: null }, modifiedProperties: [], ...over,
  });
  it.each([
    ["a creation", entry({}), "created"],
    ["an update", entry({ provisioningAction: "update" }), "updated"],
    ["an update that disabled the account", entry({ provisioningAction: "update", modifiedProperties: [{ displayName: "accountEnabled", oldValue: "True", newValue: "False" }] }), "disabled"],
    ["a disable", entry({ provisioningAction: "disable" }), "disabled"],
    ["a skipped entry", entry({ provisioningStatusInfo: { status: "skipped" } }), "skipped"],
  ])("reads %s", (_n, raw, result) => expect(parseOutcome(raw)?.result).toBe(result));

  it("reads failures with Entra's error, under either documented property name", () => {
    for (const key of ["errorInformation", "errorInfo"]) {
      const parsed = parseOutcome(entry({ provisioningStatusInfo: { status: "failure", [key]: { errorCode: "DuplicateTargetEntries", reason: "Two users match." } } }));
      expect(parsed).toMatchObject({ externalId: "E0042", result: "failed", errorCode: "DuplicateTargetEntries", errorReason: "Two users match." });
    }
  });

  it("ignores entries it cannot attribute", () => {
    expect(parseOutcome(entry({ sourceIdentity: null }))).toBeNull();
    expect(parseOutcome(entry({ activityDateTime: "yesterday" }))).toBeNull();
    expect(parseOutcome("nope")).toBeNull();
  });
});

describe("the token's roles", () => {
  it("reads the roles claim of a JWT, and nothing of an opaque token", () => {
    const jwt = ["x", Buffer.from(JSON.stringify({ roles: ["SynchronizationData-User.Upload"] })).toString("base64url"), "y"].join(".");
    expect(tokenRoles(jwt)).toEqual(["SynchronizationData-User.Upload"]);
    expect(tokenRoles("opaque")).toBeNull();
  });
});
