// Environment parsed once, at start-up, into a typed Config.
import path from "node:path";
import { parseSecretKey } from "./crypto/secret-key.js";
import { readSmtpConfig, type SmtpConfig } from "./notifications/email.js";

export interface Config {
  port: number;
  /** PostgreSQL connection string; absent means embedded PGlite in dataDir. */
  databaseUrl?: string;
  dataDir: string;
  /** Public base URL used for absolute meta.location, e.g. https://scim.example.com */
  baseUrl?: string;
  logLevel: string;
  /** Test-only fixed instant (HR_SCIM_FAKE_NOW), honoured only when NODE_ENV=test. */
  fakeNow?: Date;
  /** HR_SCIM_SECRET_KEY (32 bytes, base64); required with DATABASE_URL, else kept in the data directory. */
  secretKey?: Buffer;
  /** SMTP server for notifications (SMTP_HOST, ...); absent: no email. */
  smtp?: SmtpConfig;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT ? Number(env.PORT) : 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  let fakeNow: Date | undefined;
  if (env.HR_SCIM_FAKE_NOW && env.NODE_ENV === "test") {
    fakeNow = new Date(env.HR_SCIM_FAKE_NOW);
    if (Number.isNaN(fakeNow.getTime())) throw new Error(`HR_SCIM_FAKE_NOW must be an ISO instant, got "${env.HR_SCIM_FAKE_NOW}"`);
  }
  return {
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.HR_SCIM_DATA_DIR || "./data"),
    baseUrl: env.BASE_URL?.replace(/\/+$/, "") || undefined,
    logLevel: env.LOG_LEVEL || "info",
    fakeNow,
    secretKey: env.HR_SCIM_SECRET_KEY ? parseSecretKey(env.HR_SCIM_SECRET_KEY) : undefined,
    smtp: readSmtpConfig(env),
  };
}
