// What an HR write refuses, independent of HTTP: a status, a title, and the field errors
// ({path, message}, path a JSON Pointer into what the client sent). The HTTP layer renders it as
// RFC 9457 problem+json; the CLI prints it. Any HrProblem rolls its transaction back.
export interface FieldError {
  path: string;
  message: string;
}

export class HrProblem extends Error {
  constructor(readonly status: number, readonly title: string, readonly errors: FieldError[] = [], readonly headers: Record<string, string> = {}) {
    super(title);
    this.name = "HrProblem";
  }

  /** The same problem with every path under `prefix` (a batch operation's body, a CSV line). */
  under(prefix: string): HrProblem {
    return new HrProblem(this.status, this.title, this.errors.map((e) => ({ path: `${prefix}${e.path}`, message: e.message })), this.headers);
  }
}

export const invalidRecord = (errors: FieldError[]) => new HrProblem(400, "The record is not valid", errors);
export const conflict = (errors: FieldError[]) => new HrProblem(409, "The record conflicts with stored data", errors);
export const hrNotFound = (what: string) => new HrProblem(404, `${what} does not exist`);
export const unknownReference = (errors: FieldError[]) => new HrProblem(422, "The record refers to records that do not exist", errors);
