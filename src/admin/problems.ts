// The one error of administration services: an RFC 9457 problem (status, title, detail). The admin
// API renders it as application/problem+json; the CLI prints its detail.
export class AdminProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = "AdminProblem";
  }
}

export const badInput = (detail: string, extra: Record<string, unknown> = {}) => new AdminProblem(400, "Bad request", detail, extra);
export const notFoundProblem = (detail: string) => new AdminProblem(404, "Not found", detail);
export const conflict = (detail: string) => new AdminProblem(409, "Conflict", detail);
