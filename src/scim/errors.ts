// The one error type of the SCIM protocol (RFC 7644 section 3.12) and its named factories.
export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

export type ScimType =
  | "invalidFilter" | "tooMany" | "uniqueness" | "mutability" | "invalidSyntax"
  | "invalidPath" | "noTarget" | "invalidValue" | "invalidVers" | "sensitive"
  | "invalidCursor" | "expiredCursor";

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "ScimError";
  }

  toBody(): Record<string, unknown> {
    const body: Record<string, unknown> = { schemas: [ERROR_SCHEMA], status: String(this.status), detail: this.detail };
    if (this.scimType) body.scimType = this.scimType;
    return body;
  }
}

export const invalidFilter = (detail: string) => new ScimError(400, detail, "invalidFilter");
export const invalidSyntax = (detail: string) => new ScimError(400, detail, "invalidSyntax");
export const invalidValue = (detail: string) => new ScimError(400, detail, "invalidValue");
export const invalidPath = (detail: string) => new ScimError(400, detail, "invalidPath");
export const noTarget = (detail: string) => new ScimError(400, detail, "noTarget");
export const mutability = (detail: string) => new ScimError(400, detail, "mutability");
export const uniqueness = (detail: string) => new ScimError(409, detail, "uniqueness");
export const tooMany = (detail: string) => new ScimError(400, detail, "tooMany");
export const badRequest = (detail: string) => new ScimError(400, detail);
export const notFound = (detail: string) => new ScimError(404, detail);
export const forbidden = (detail: string) => new ScimError(403, detail);
export const methodNotAllowed = (detail: string, allow: string) => new ScimError(405, detail, undefined, { Allow: allow });
export const preconditionFailed = (detail: string) => new ScimError(412, detail);
export const notImplemented = (detail: string) => new ScimError(501, detail);
export const unauthorized = (detail: string) =>
  new ScimError(401, detail, undefined, { "WWW-Authenticate": 'Bearer realm="hr-scim"' });
export const invalidCursor = (detail: string) => new ScimError(400, detail, "invalidCursor");
