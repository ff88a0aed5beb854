// The filter module's public face: SCIM filter text -> resolved against the catalogue -> bound SQL
// (RFC 7644 section 3.4.2.2); the same grammar reads PATCH paths and their value filters.
export { compileFilter, compileResolved, parseDateTime } from "./compile-sql.js";
export { parseFilter, parsePatchPath, type FilterNode, type FilterValue, type CompareOp, type ParsedPath, MAX_FILTER_LENGTH, MAX_FILTER_NODES, MAX_FILTER_DEPTH } from "./parse.js";
export { resolveFilter, resolveTarget, filterablePaths, type ResolvedFilter, type Target } from "./resolve.js";
