// /admin/v1/tenants/{slug}/...: settings, tokens and permissions, the integration log, the admin
// audit, status and activity. Thin: parse, call the admin service, send. A tenant a key may not act
// on answers exactly as a missing one (404).
import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { listAdminAudit } from "../../../admin/admin-audit.js";
import { dailyActivity, lastDays, lastImports } from "../../../admin/activity.js";
import { queryIntegrationLog } from "../../../admin/log-query.js";
import { notFoundProblem } from "../../../admin/problems.js";
import { mayActOn, requireRole } from "../../../admin/roles.js";
import { changeTenantSettings, parseSettingChanges, tenantSettingsView } from "../../../admin/settings-admin.js";
import {
  issueTenantToken, listTenantTokens, needsSecurityAdmin, parseExpiresInDays, parsePermissions, parseTokenName, PERMISSION_EFFECTS, revokeTenantToken,
  rotateTenantToken, setTenantTokenPermission, tokenView,
} from "../../../admin/token-admin.js";
import { findConnection } from "../../../connectors/entra/connection-store.js";
import { recentRuns } from "../../../connectors/entra/run-log.js";
import { findTenantBySlug, type Tenant } from "../../../hr/tenants.js";
import { isPermission } from "../../../auth/permissions.js";
import { lockedAttributes, propertyMappingChecklist } from "../../../scim/services/tenant-settings.js";
import { adminContextOf } from "../../middleware/admin-auth.js";
import { badInput } from "../../../admin/problems.js";
import { dateParam, intParam, member, objectBody, onlyMembers, stringParam } from "./params.js";

export async function tenantOf(db: Knex, req: Request, res: Response): Promise<Tenant> {
  const slug = String(req.params.slug);
  const tenant = /^[a-z0-9][a-z0-9-]{0,62}$/.test(slug) ? await findTenantBySlug(db, slug) : null;
  if (!tenant || !mayActOn(adminContextOf(res).actor, tenant.id)) throw notFoundProblem(`No tenant "${slug.slice(0, 63)}"`);
  return tenant;
}

export function tenantRoutes(db: Knex): Router {
  const router = Router();

  router.get("/tenants", async (_req, res) => {
    const { actor } = adminContextOf(res);
    let query = db("tenants").orderBy("slug").select("slug", "name", "time_zone");
    if (actor.tenantId !== null) query = query.where({ id: actor.tenantId });
    res.json({ tenants: (await query).map((t: Record<string, string>) => ({ slug: t.slug, name: t.name, timeZone: t.time_zone })) });
  });

  router.get("/permissions", (_req, res) => {
    res.json({ permissions: Object.entries(PERMISSION_EFFECTS).map(([name, opens]) => ({ name, opens })) });
  });

  // Settings
  router.get("/tenants/:slug/settings", async (req, res) => {
    res.json(tenantSettingsView(await tenantOf(db, req, res)));
  });
  router.patch("/tenants/:slug/settings", async (req, res) => {
    const { actor, now } = adminContextOf(res);
    const tenant = await tenantOf(db, req, res);
    requireRole(actor, "integration-admin");
    const updated = await changeTenantSettings(db, actor, tenant.slug, parseSettingChanges(objectBody(req)), now);
    res.json(tenantSettingsView(updated));
  });
  router.get("/tenants/:slug/property-mapping", async (req, res) => {
    const tenant = await tenantOf(db, req, res);
    res.json({ locked: lockedAttributes(), attributes: propertyMappingChecklist(tenant.settings) });
  });

  // Tokens
  router.get("/tenants/:slug/tokens", async (req, res) => {
    const { now } = adminContextOf(res);
    const tenant = await tenantOf(db, req, res);
    res.json({ tokens: (await listTenantTokens(db, tenant.id)).map((t) => tokenView(t, now)) });
  });
  router.post("/tenants/:slug/tokens", async (req, res) => {
    const { actor, now } = adminContextOf(res);
    const tenant = await tenantOf(db, req, res);
    requireRole(actor, "integration-admin");
    const body = objectBody(req);
    onlyMembers(body, ["name", "permissions", "expiresInDays"]);
    const input = { name: parseTokenName(member(body, "name")), permissions: parsePermissions(member(body, "permissions")), expiresInDays: parseExpiresInDays(member(body, "expiresInDays")) };
    const { token, record } = await issueTenantToken(db, actor, tenant.id, input, now);
    res.status(201).json({ ...tokenView(record, now), token });
  });
  router.post("/tenants/:slug/tokens/:id/rotate", async (req, res) => {
    const { actor, now } = adminContextOf(res);
    const tenant = await tenantOf(db, req, res);
    requireRole(actor, "integration-admin");
    const body = objectBody(req);
    onlyMembers(body, ["overlapSeconds"]);
    const overlap = member(body, "overlapSeconds") ?? 0;
    if (typeof overlap !== "number") throw badInput("overlapSeconds must be a number of seconds");
    const { token, record, old } = await rotateTenantToken(db, actor, tenant.id, String(req.params.id), overlap, now);
    res.status(201).json({ ...tokenView(record, now), token, replaced: tokenView(old, now) });
  });
  router.post("/tenants/:slug/tokens/:id/revoke", async (req, res) => {
    const { actor, now } = adminContextOf(res);
    const tenant = await tenantOf(db, req, res);
    res.json(tokenView(await revokeTenantToken(db, actor, tenant.id, String(req.params.id), now), now));
  });
  router.put("/tenants/:slug/tokens/:id/permissions/:permission", async (req, res) => {
    const { actor, now } = adminContextOf(res);
    const tenant = await tenantOf(db, req, res);
    const permission = String(req.params.permission);
    requireRole(actor, isPermission(permission) && !needsSecurityAdmin(permission) ? "integration-admin" : "security-admin");
    const body = objectBody(req);
    onlyMembers(body, ["enabled"]);
    const enabled = member(body, "enabled");
    if (typeof enabled !== "boolean") throw badInput("enabled must be true or false");
    res.json(tokenView(await setTenantTokenPermission(db, actor, tenant.id, String(req.params.id), permission, enabled, now), now));
  });

  // Logs and activity
  router.get("/tenants/:slug/integration-log", async (req, res) => {
    const { actor } = adminContextOf(res);
    const tenant = await tenantOf(db, req, res);
    requireRole(actor, "security-admin");
    res.json(await queryIntegrationLog(db, {
      tenantId: tenant.id, from: dateParam(req, "from"), to: dateParam(req, "to"), tokenId: stringParam(req, "token"),
      status: stringParam(req, "status", 10), resourceId: stringParam(req, "resource"), method: stringParam(req, "method", 10),
      limit: intParam(req, "limit", 50, 1, 500), cursor: stringParam(req, "cursor", 200),
    }));
  });
  router.get("/tenants/:slug/admin-audit", async (req, res) => {
    const { actor } = adminContextOf(res);
    const tenant = await tenantOf(db, req, res);
    requireRole(actor, "security-admin");
    const page = await listAdminAudit(db, { tenantId: tenant.id, from: dateParam(req, "from"), to: dateParam(req, "to"), limit: intParam(req, "limit", 50, 1, 500), after: stringParam(req, "cursor", 20) });
    res.json({ rows: page.rows.map((r) => ({ ...r, at: r.at.toISOString() })), next: page.next });
  });
  router.get("/tenants/:slug/status", async (req, res) => {
    const tenant = await tenantOf(db, req, res);
    const connection = await findConnection(db, tenant.id);
    const [lastRun] = connection ? await recentRuns(db, tenant.id, 1) : [];
    res.json({
      tenant: tenant.slug, logRetentionDays: tenant.settings.logRetentionDays,
      lastImports: await lastImports(db, tenant.id),
      entra: connection ? { connected: true, lastRun: lastRun ? { status: lastRun.status, kind: lastRun.kind, startedAt: lastRun.startedAt.toISOString(), sent: lastRun.sent, failed: lastRun.failed, error: lastRun.error } : null } : { connected: false },
    });
  });
  router.get("/tenants/:slug/activity", async (req, res) => {
    const { now } = adminContextOf(res);
    const tenant = await tenantOf(db, req, res);
    const days = intParam(req, "days", 14, 1, 90);
    res.json({ days, dayList: lastDays(now, days), tokens: (await listTenantTokens(db, tenant.id)).map((t) => ({ id: t.id, name: t.name })), activity: await dailyActivity(db, tenant.id, now, days) });
  });
  return router;
}
