// openapi.yaml validates as OpenAPI 3 and documents the SCIM routes the app serves.
import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";

describe("openapi.yaml", () => {
  it("is a valid OpenAPI document", async () => {
    const api = await SwaggerParser.validate("openapi.yaml");
    expect(api.info.title).toBe("hr-scim");
  });

  it("documents every read route of the SCIM API with SCIM error responses", async () => {
    const api = (await SwaggerParser.parse("openapi.yaml")) as { paths: Record<string, Record<string, any>> };
    for (const path of ["/Users", "/Users/{id}", "/Users/.search", "/.search", "/ServiceProviderConfig", "/ResourceTypes", "/Schemas"]) {
      expect(api.paths[path], path).toBeDefined();
    }
    expect(api.paths["/Users"].get.responses["401"]).toBeDefined();
    expect(api.paths["/Users/{id}"].get.responses["404"]).toBeDefined();
  });
});

describe("openapi.yaml, HR API", () => {
  it("documents every /hr/v1 route under its own tag with problem+json errors", async () => {
    const api = (await SwaggerParser.parse("openapi.yaml")) as { paths: Record<string, Record<string, any>>; tags: { name: string }[] };
    expect(api.tags.map((t) => t.name)).toContain("HR");
    for (const path of ["/legal-units/{key}", "/establishments/{key}", "/departments/{key}", "/employees/{key}", "/employees", "/batch", "/imports", "/changes"]) {
      expect(api.paths[path], path).toBeDefined();
      expect(api.paths[path].servers[0].url).toMatch(/\/hr\/v1$/);
      for (const [method, op] of Object.entries(api.paths[path])) {
        if (method === "servers" || method === "parameters") continue;
        expect(op.tags, `${method} ${path}`).toEqual(["HR"]);
        expect(op.responses["401"], `${method} ${path}`).toBeDefined();
      }
    }
  });
});

describe("openapi.yaml, admin API", () => {
  it("documents every /admin/v1 route with problem+json errors", async () => {
    const api = (await SwaggerParser.parse("openapi.yaml")) as { paths: Record<string, Record<string, any>> };
    for (const path of ["/session", "/tenants", "/tenants/{slug}/settings", "/tenants/{slug}/tokens", "/tenants/{slug}/tokens/{id}/rotate", "/tenants/{slug}/tokens/{id}/revoke",
      "/tenants/{slug}/tokens/{id}/permissions/{permission}", "/tenants/{slug}/integration-log", "/tenants/{slug}/admin-audit", "/tenants/{slug}/status",
      "/tenants/{slug}/activity", "/tenants/{slug}/hr/changes", "/tenants/{slug}/hr/imports", "/tenants/{slug}/entra", "/tenants/{slug}/entra/test", "/tenants/{slug}/entra/runs", "/metrics"]) {
      expect(api.paths[path], path).toBeDefined();
    }
    expect(api.paths["/tenants/{slug}/tokens"].post.responses["403"]).toBeDefined();
  });
});
