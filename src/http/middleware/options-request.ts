// OPTIONS: 204 No Content with an Allow header naming the methods the path serves, before
// authentication (the methods are no secret: the discovery endpoints say as much); an unknown path
// is a SCIM 404 like any other. Methods that answer 405 (POST /Users, DELETE /Users/{id}, group
// writes) are not in Allow, as in the Allow header of those 405s.
import type { RequestHandler } from "express";
import { notFound } from "../../scim/errors.js";

const GET = "GET, HEAD, OPTIONS";
const SEARCH = "POST, OPTIONS";

/** Paths below the SCIM prefix (matched case-insensitively, as the routers do) and what they serve. */
const SCIM_PATHS: [RegExp, string][] = [
  [/^$/, GET],
  [/^\/users$/, GET],
  [/^\/users\/\.search$/, SEARCH],
  [/^\/users\/[^/]+$/, "GET, HEAD, PUT, PATCH, OPTIONS"],
  [/^\/groups$/, GET],
  [/^\/groups\/\.search$/, SEARCH],
  [/^\/groups\/[^/]+$/, GET],
  [/^\/\.search$/, SEARCH],
  [/^\/serviceproviderconfig$/, GET],
  [/^\/(resourcetypes|schemas)(\/[^/]+)?$/, GET],
];

const OTHER_PATHS: [RegExp, string][] = [
  [/^\/(healthz|readyz)$/, GET],
];

/** The Allow value of a path (without its query), or undefined when nothing is served there. */
export function allowedMethods(path: string, scimPrefix: string): string | undefined {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  const lower = trimmed.toLowerCase();
  const prefix = scimPrefix.toLowerCase();
  if (lower === prefix || lower.startsWith(`${prefix}/`)) {
    const rest = lower.slice(prefix.length);
    return SCIM_PATHS.find(([pattern]) => pattern.test(rest))?.[1];
  }
  return OTHER_PATHS.find(([pattern]) => pattern.test(lower))?.[1];
}

export function answerOptions(scimPrefix: string): RequestHandler {
  return (req, res, next) => {
    if (req.method !== "OPTIONS") return next();
    const allow = allowedMethods(req.path, scimPrefix);
    if (!allow) throw notFound(`Nothing is served at this path. The SCIM base URL is ${scimPrefix}, with /Users, /Groups, /ServiceProviderConfig, /ResourceTypes and /Schemas below it.`);
    res.setHeader("Allow", allow);
    res.status(204).end();
  };
}
