// The write-back engine's public face: pure PATCH and PUT over a user's writable HR fields.
export { applyPatch } from "./apply-patch";
export { applyPut } from "./apply-put";
export { emailDomainAllowed } from "./email-domain";
export { MAX_PATCH_OPERATIONS } from "./patch-request";
export {
  WRITABLE_FIELDS, diffWritableUsers, fieldAttribute, writableUserFromRow,
  type FieldChange, type WritableField, type WritableUser, type WriteResult, type WriteTenant,
} from "./writable-user";
