// Email notifications through an SMTP server (nodemailer), configured from the environment:
// SMTP_HOST, SMTP_PORT (587), SMTP_SECURE (true for implicit TLS, usually port 465), SMTP_USER,
// SMTP_PASSWORD, SMTP_FROM. Without SMTP_HOST no email is sent (webhooks still are).
import { createTransport } from "nodemailer";

export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
}

export class InvalidSmtpConfigError extends Error {}

export function readSmtpConfig(env: NodeJS.ProcessEnv): SmtpConfig | undefined {
  if (!env.SMTP_HOST) return undefined;
  const port = env.SMTP_PORT ? Number(env.SMTP_PORT) : 587;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidSmtpConfigError(`SMTP_PORT must be a port number, got "${env.SMTP_PORT}"`);
  if (!env.SMTP_FROM) throw new InvalidSmtpConfigError("SMTP_FROM (the sender address of notifications) is required with SMTP_HOST");
  return {
    host: env.SMTP_HOST, port, secure: env.SMTP_SECURE === "true",
    user: env.SMTP_USER || undefined, password: env.SMTP_PASSWORD || undefined, from: env.SMTP_FROM,
  };
}

export interface EmailMessage {
  to: string[];
  subject: string;
  text: string;
}

export type SendEmail = (message: EmailMessage) => Promise<void>;

/** An email sender over SMTP; each message opens its own connection (notifications are rare). */
export function smtpSender(config: SmtpConfig, options: { timeoutMs?: number } = {}): SendEmail {
  const timeout = options.timeoutMs ?? 30_000;
  const transport = createTransport({
    host: config.host, port: config.port, secure: config.secure,
    auth: config.user ? { user: config.user, pass: config.password ?? "" } : undefined,
    connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout,
  });
  return async (message) => {
    await transport.sendMail({ from: config.from, to: message.to, subject: message.subject, text: message.text });
  };
}
