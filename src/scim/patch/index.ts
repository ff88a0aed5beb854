// The write-back engine's public face: pure PATCH and PUT over a user's writable HR fields, as the
// tenant's catalogue defines them.
export { applyPatch } from "./apply-patch.js";
export { applyPut } from "./apply-put.js";
export { emailDomainAllowed } from "./email-domain.js";
export { MAX_PATCH_OPERATIONS } from "./patch-request.js";
export { columnsOf, diffWritableUsers, writableUserFromRow, type FieldChange, type WritableUser, type WriteResult } from "./writable-user.js";
