// Schema and message URNs (RFC 7643, RFC 7644).
export const USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const LIST_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const SEARCH_REQUEST_URN = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
export const PATCH_OP_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const SERVICE_PROVIDER_CONFIG_URN = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
export const RESOURCE_TYPE_URN = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
export const SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:Schema";
export const ENTERPRISE_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/** hr-scim's own namespace for HR properties without a standard attribute (a tenant may choose it). */
export const LUCCA_URN = "urn:ietf:params:scim:schemas:extension:lucca:2.0:User";
