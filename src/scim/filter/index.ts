// The filter module's public face: SCIM filter text -> bound SQL (RFC 7644 section 3.4.2.2).
export { compileFilter, compileFilterTree, parseDateTime } from "./compile-sql.js";
export { parseFilter, normaliseFilter, type FilterNode, type FilterValue, type CompareOp, MAX_FILTER_LENGTH, MAX_FILTER_NODES, MAX_FILTER_DEPTH } from "./parse.js";
export { resolveAttribute, resolveAttributePath, resolveSubAttribute, subAttributeNames, type ResolvedAttribute } from "./resolve.js";
