// Write-back (docs/BEHAVIOUR.md section 5): one employee update in one transaction. The row is locked,
// the caller decides the change on the locked state, the login stays unique per tenant, the row's
// version and updated_at move, and the audit row is stored in the same transaction: all or nothing.
import type { Knex } from "knex";
import { recordWrite, type IntegrationLogEntry } from "../audit/integration-log.js";
import { forTenant } from "../db/tenant-scope.js";
import { withCurrentLifecycle } from "./lifecycle-state.js";
import { hrTransaction } from "./write/session.js";
import { visiblePeople, type PeopleScope, type PersonRow } from "./people.js";

/** Employee columns to write, by column name (the caller's catalogue names them); null clears. */
export type EmployeeColumns = Record<string, string | null>;

/** What the caller decided from the locked row: the columns to write and the diff to audit. */
export interface EmployeeChange {
  columns: EmployeeColumns;
  diff: unknown;
}

/** The user name another employee of the tenant already has (compared ignoring case). */
export class UserNameTakenError extends Error {
  constructor(readonly userName: string) {
    super(`user name already taken: ${userName}`);
    this.name = "UserNameTakenError";
  }
}

export interface EmployeeWrite {
  scope: PeopleScope;
  employeeId: number;
  /** The request's instant: the row's new updated_at and the audit row's time. */
  now: Date;
  /**
   * Decides the change from the locked row as the calling token sees it (If-Match, PATCH or PUT
   * application, value checks). Runs inside the transaction; throwing aborts it, writing nothing.
   */
  decide(row: PersonRow): EmployeeChange;
  /** The audit row, completed with tenant, time and diff. */
  audit: Omit<IntegrationLogEntry, "tenantId" | "at" | "diff" | "durationMs"> & { durationMs: () => number };
}

export interface EmployeeWriteResult {
  before: PersonRow;
  after: PersonRow;
  /** False when the decided change wrote nothing (the row, its version and updated_at are unchanged). */
  changed: boolean;
}

function userNameExpression(scope: PeopleScope): string {
  return scope.userNameSource === "workEmail" ? "coalesce(e.work_email, e.login)" : "e.login";
}

/** The user name the row will have after the change (hr/people.ts user_name). */
function nextUserName(row: PersonRow, columns: EmployeeColumns, scope: PeopleScope): string {
  const login = columns.login ?? row.login;
  if (scope.userNameSource === "login") return login;
  const email = Object.hasOwn(columns, "work_email") ? columns.work_email : row.work_email;
  return email ?? login;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "23505";
}

/**
 * Updates one employee for write-back, in one transaction: `select ... for update` on the row, the
 * visible row re-read under the lock (null when the employee does not exist for this tenant or is
 * hidden from the token, so the caller answers 404 as GET does), `decide` on that row, the user
 * name checked unique in the tenant ignoring case under an advisory lock on the name
 * (UserNameTakenError, also for a 23505 from the
 * unique index on (tenant_id, lower(login)) when two writes race), the columns written with
 * `version + 1` and `updated_at = now`, and the audit row inserted with recordWrite. A change that
 * writes nothing leaves the row as it is but is still audited (with an empty diff). Any failure,
 * the audit insert's included, rolls everything back.
 */
export async function writeEmployee(db: Knex, write: EmployeeWrite): Promise<EmployeeWriteResult | null> {
  const { scope, employeeId, now } = write;
  // The row is read through the people table, whose lifecycle must hold today: a stale one rolls the
  // transaction back, and it runs again once the tenant's lifecycle is refreshed.
  // The change feed's counter first (as every HR writer takes it), and the token as the changes' actor.
  const writer = { tenantId: scope.tenantId, actor: `token:${write.audit.tokenId ?? "unknown"}`, now };
  return withCurrentLifecycle(db, scope, (h) => hrTransaction(h, writer, async (trx) => {
    const locked = await forTenant(trx, "employees", "e", scope.tenantId).where("e.id", employeeId).select("e.id").forUpdate().first();
    if (!locked) return null;
    const before = (await visiblePeople(trx, scope).where("u.id", employeeId).first()) as PersonRow | undefined;
    if (!before) return null;

    const change = write.decide(before);
    const changed = Object.keys(change.columns).length > 0;
    if (changed) {
      const userName = nextUserName(before, change.columns, scope);
      if (userName.toLowerCase() !== before.user_name.toLowerCase()) {
        // Serialises writes claiming the same name in the tenant until commit, so that the check
        // below sees a concurrent claim: no unique index covers lower(work_email), the userName of
        // tenants whose userNameSource is workEmail.
        await trx.raw("select pg_advisory_xact_lock(?, hashtext(lower(?)))", [scope.tenantId, userName]);
        const taken = await forTenant(trx, "employees", "e", scope.tenantId)
          .whereNot("e.id", employeeId)
          .whereRaw(`lower(${userNameExpression(scope)}) = lower(?)`, [userName])
          .select("e.id").first();
        if (taken) throw new UserNameTakenError(userName);
      }
      try {
        await forTenant(trx, "employees", "e", scope.tenantId).where("e.id", employeeId)
          .update({ ...change.columns, version: trx.raw("version + 1"), updated_at: now });
      } catch (error) {
        if (isUniqueViolation(error)) throw new UserNameTakenError(userName);
        throw error;
      }
    }

    const { durationMs, ...audit } = write.audit;
    await recordWrite(trx, { ...audit, tenantId: scope.tenantId, at: now, durationMs: durationMs(), diff: change.diff });

    const after = changed ? ((await visiblePeople(trx, scope).where("u.id", employeeId).first()) as PersonRow) : before;
    return { before, after, changed };
  }));
}
