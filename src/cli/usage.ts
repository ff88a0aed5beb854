// The --help text: the exact command words other tools call.
export const USAGE = `Usage: npm run --silent cli -- <command> [options]

Commands:
  migrate                                  apply pending migrations (every command migrates first anyway)
  seed demo                                (re)create tenants "demo" and "other" with demo people;
                                           their previous data, tokens included, is deleted
  tenant create <slug> --name <name> [--time-zone <IANA zone>] [--json]
                                           slug: ^[a-z0-9][a-z0-9-]{0,62}$; default zone Europe/Paris;
                                           a new tenant has no group types enabled
  tenant list [--json]
  tenant show <slug> [--json]              id, slug, name, timeZone and normalised settings
  tenant set <slug> <setting> <value>      settings: timeZone, groupTypes, propertyMapping,
                                           userNameSource, futureEmployeesActive, allowedEmailDomains,
                                           rateLimit, logRetentionDays (default 400)
                                           lists: comma-separated or a JSON array, "none" for empty;
                                           propertyMapping: a JSON object
  token issue --tenant <slug> --name <name> [--permission <p>]... [--expires-in-days <N>] [--json]
                                           permissions: users:write, future-employees:read, hr:write
                                           (an HR token for /hr/v1: hr:write goes alone);
                                           the secret is shown once; --json prints one object
                                           {"id","token","tenant","name","permissions","expiresAt"}
  token list --tenant <slug> [--json]      never shows secrets
  token revoke <id>
  token permission <id> <permission> on|off
                                           toggles a permission; each toggle is recorded
  entra connect --tenant <slug> --directory-id <guid> --client-id <id> --client-secret-file <path>
        --service-principal-id <id> --job-id <id> [--graph-url <url>] [--login-url <url>]
        [--rate <requests/s>] [--future-days <n>] [--domain <domain>]... [--leaver-days <n>]
        [--notify-email <address>]... [--notify-webhook <url>] [--json]
                                           push the tenant's employees to Microsoft Entra ID
                                           (API-driven inbound provisioning); the secret is read
                                           from the file and stored encrypted, never shown.
                                           Defaults: public Graph and login URLs, 8 requests/s
                                           (Graph: 40 per 5 s), future employees from their start
                                           day (0), the tenant's allowedEmailDomains, leavers
                                           kept (active: false) with no limit
  entra show --tenant <slug> [--json]      the connection and its sync state (never the secret)
  entra test --tenant <slug> [--json]      gets a token, checks its permissions, reads the job and
                                           the provisioning logs; says what is missing
  entra disconnect --tenant <slug>         deletes the connection and its secret (runs stay logged)
  entra sync --tenant <slug> [--full] [--json]
                                           push now: the first run (or --full) sends everyone in
                                           scope, later ones what changed; --json prints
                                           {"runId","sent","requests","failed","retried"}
  entra runs --tenant <slug> [--limit <n>] [--json]
                                           the integration log of the pushes (--json: requests and
                                           Entra's outcomes per employee included)
  entra outcomes --tenant <slug> [--json]  reads Entra's provisioning logs now
  hr import --tenant <slug> --file <path> [--dry-run] [--json] [--snapshot [--remove-absent]]
                                           imports a CSV file (one row per contract), all or nothing;
                                           errors as line/column; see docs/hr-sample.csv
  hr changes --tenant <slug> [--since <ISO instant>] [--json]
                                           the tenant's HR change feed
  hr erase --tenant <slug> --employee <number>
                                           removes a former employee's personal data everywhere
  hr retention --tenant <slug> --days <n>  how long HR changes are kept (default 400 days)
  admin create --name <name> --role integration-admin|security-admin [--role ...] [--tenant <slug>] [--json]
                                           an admin key for the admin API and console (/admin),
                                           shown once; --tenant limits it to one tenant
  admin list [--json]                      admin keys (never their secrets)
  admin rotate <id> [--json]               a new key; the old one and its sessions end at once
  admin revoke <id>
  admin audit --tenant <slug> [--limit <n>] [--json]
                                           who changed what (tokens, permissions, settings, keys)

Options:
  --help, -h                               print this help

Environment:
  DATABASE_URL        PostgreSQL connection string; without it, embedded PGlite in HR_SCIM_DATA_DIR
  HR_SCIM_DATA_DIR    PGlite data directory (default ./data); refused while a server holds it
  HR_SCIM_FAKE_NOW    with NODE_ENV=test, the instant the CLI takes as "now"
  HR_SCIM_SECRET_KEY  the deployment key (base64, 32 bytes) that seals stored secrets; required
                      with DATABASE_URL for entra commands (PGlite keeps one in its data directory)
  SMTP_HOST, SMTP_PORT, SMTP_SECURE, SMTP_USER, SMTP_PASSWORD, SMTP_FROM
                      SMTP server for problem notifications (entra sync)

Exit status: 0 on success, 1 on any error (bad usage, unknown tenant or token, invalid value,
data directory in use, database error); the message goes to stderr.
`;
