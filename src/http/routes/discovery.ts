// /ServiceProviderConfig, /ResourceTypes and /Schemas (RFC 7644 section 4), per tenant.
import { Router, type Response } from "express";
import type { RequestContext } from "../../context.js";
import { notFound } from "../../scim/errors.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../scim/list-request.js";
import { listResponse } from "../../scim/listing.js";
import { findResourceType, findSchema, resourceTypes, schemas, serviceProviderConfig, type DiscoveryOptions } from "../../scim/services/discovery.js";
import { contextOf } from "../middleware/authenticate.js";
import { sendScim } from "../middleware/scim-json.js";

function discoveryOptions(ctx: RequestContext): DiscoveryOptions {
  return { groupsEnabled: ctx.tenant.settings.groupTypes.length > 0 };
}

function sendList(res: Response, resources: unknown[]): void {
  sendScim(res, 200, listResponse(resources, { totalResults: resources.length, startIndex: 1 }, false));
}

export function discoveryRouter(): Router {
  const router = Router();
  router.get("/ServiceProviderConfig", (_req, res) => {
    const ctx = contextOf(res);
    sendScim(res, 200, serviceProviderConfig(ctx.scimBaseUrl, { maxPageSize: MAX_PAGE_SIZE, defaultPageSize: DEFAULT_PAGE_SIZE }));
  });
  router.get("/ResourceTypes", (_req, res) => {
    const ctx = contextOf(res);
    sendList(res, resourceTypes(ctx.scimBaseUrl, ctx.tenant.settings, discoveryOptions(ctx)));
  });
  router.get("/ResourceTypes/:id", (req, res) => {
    const ctx = contextOf(res);
    const found = findResourceType(ctx.scimBaseUrl, ctx.tenant.settings, discoveryOptions(ctx), String(req.params.id));
    if (!found) throw notFound(`No resource type "${req.params.id}"`);
    sendScim(res, 200, found);
  });
  router.get("/Schemas", (_req, res) => {
    const ctx = contextOf(res);
    sendList(res, schemas(ctx.scimBaseUrl, ctx.tenant.settings, discoveryOptions(ctx)));
  });
  router.get("/Schemas/:id", (req, res) => {
    const ctx = contextOf(res);
    const found = findSchema(ctx.scimBaseUrl, ctx.tenant.settings, discoveryOptions(ctx), String(req.params.id));
    if (!found) throw notFound(`No schema "${req.params.id}" for this tenant`);
    sendScim(res, 200, found);
  });
  return router;
}
