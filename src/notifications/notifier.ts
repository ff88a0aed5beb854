// Notifying a tenant's administrators of a problem, once: a problem has a key (what went wrong and
// for what), and while a row with that key is open in `notifications` the problem is not notified
// again; resolving it (the thing works again) lets a later occurrence notify anew. Sends by email
// and/or webhook, records how each delivery went, and never fails its caller: a notification that
// cannot be delivered is logged and kept in the table.
import type { Knex } from "knex";
import type { Logger } from "winston";
import type { SendEmail } from "./email.js";
import type { PostJson } from "./webhook.js";

export interface Problem {
  /** Stable identity of the problem, e.g. "entra.run:403" or "entra.outcome:E0042:disable". */
  key: string;
  subject: string;
  /** What happened and what to do, in plain text. */
  body: string;
}

export interface Recipients {
  emails: string[];
  webhookUrl: string | null;
}

export interface NotifierDeps {
  db: Knex;
  logger: Logger;
  now: () => Date;
  /** Absent: no SMTP configured. */
  sendEmail?: SendEmail;
  postJson: PostJson;
}

export class Notifier {
  constructor(private readonly deps: NotifierDeps) {}

  /** Notifies the problem unless it is already open; true when it notified. */
  async raise(tenant: { id: number; slug: string }, recipients: Recipients, problem: Problem): Promise<boolean> {
    const { db, now } = this.deps;
    const at = now();
    const inserted = await db.raw(
      `insert into notifications (tenant_id, problem_key, subject, body, first_at, last_seen_at)
       values (?, ?, ?, ?, ?, ?)
       on conflict (tenant_id, problem_key) where resolved_at is null do nothing
       returning id`,
      [tenant.id, problem.key, problem.subject, problem.body, at, at],
    );
    const id = inserted.rows?.[0]?.id;
    if (id === undefined) {
      await db("notifications").where({ tenant_id: tenant.id, problem_key: problem.key }).whereNull("resolved_at").update({ last_seen_at: at });
      return false;
    }
    const emailStatus = await this.email(recipients, problem);
    const webhookStatus = await this.webhook(tenant, recipients, problem, at);
    await db("notifications").where({ tenant_id: tenant.id, id }).update({ email_status: emailStatus, webhook_status: webhookStatus });
    this.deps.logger.info("notification", { tenant: tenant.id, problem: problem.key, email: emailStatus, webhook: webhookStatus });
    return true;
  }

  /** Closes the open problems whose key starts with `prefix` (they no longer hold). */
  async resolve(tenantId: number, prefix: string): Promise<number> {
    const closed = await this.deps.db("notifications").where({ tenant_id: tenantId }).whereNull("resolved_at")
      .andWhereRaw("left(problem_key, ?) = ?", [prefix.length, prefix]).update({ resolved_at: this.deps.now() }).returning("id");
    return closed.length;
  }

  private async email(recipients: Recipients, problem: Problem): Promise<string> {
    if (recipients.emails.length === 0) return "no addresses";
    if (!this.deps.sendEmail) return "no SMTP server configured (SMTP_HOST)";
    try {
      await this.deps.sendEmail({ to: recipients.emails, subject: problem.subject, text: problem.body });
      return "sent";
    } catch (e) {
      this.deps.logger.warn("notification email failed", { problem: problem.key, error: (e as Error).message });
      return `failed: ${(e as Error).message}`.slice(0, 500);
    }
  }

  private async webhook(tenant: { id: number; slug: string }, recipients: Recipients, problem: Problem, at: Date): Promise<string> {
    if (!recipients.webhookUrl) return "no webhook";
    try {
      await this.deps.postJson(recipients.webhookUrl, {
        type: "hr-scim.problem", tenant: tenant.slug, problem: problem.key, subject: problem.subject, text: problem.body, at: at.toISOString(),
      });
      return "sent";
    } catch (e) {
      this.deps.logger.warn("notification webhook failed", { problem: problem.key, error: (e as Error).message });
      return `failed: ${(e as Error).message}`.slice(0, 500);
    }
  }
}
