// The write-back engine's public face: pure PATCH and PUT over a user's writable HR fields.
export { applyPatch } from "./apply-patch.js";
export { applyPut } from "./apply-put.js";
export { emailDomainAllowed } from "./email-domain.js";
export { MAX_PATCH_OPERATIONS } from "./patch-request.js";
export {
  WRITABLE_FIELDS, diffWritableUsers, fieldAttribute, writableUserFromRow,
  type FieldChange, type WritableField, type WritableUser, type WriteResult, type WriteTenant,
} from "./writable-user.js";
