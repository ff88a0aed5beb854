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
                                           userNameSource, futureEmployeesActive, allowedEmailDomains
                                           lists: comma-separated or a JSON array, "none" for empty;
                                           propertyMapping: a JSON object
  token issue --tenant <slug> --name <name> [--permission <p>]... [--expires-in-days <N>] [--json]
                                           permissions: users:write, future-employees:read;
                                           the secret is shown once; --json prints one object
                                           {"id","token","tenant","name","permissions","expiresAt"}
  token list --tenant <slug> [--json]      never shows secrets
  token revoke <id>
  token permission <id> <permission> on|off
                                           toggles a permission; each toggle is recorded

Options:
  --help, -h                               print this help

Environment:
  DATABASE_URL        PostgreSQL connection string; without it, embedded PGlite in HR_SCIM_DATA_DIR
  HR_SCIM_DATA_DIR    PGlite data directory (default ./data); refused while a server holds it
  HR_SCIM_FAKE_NOW    with NODE_ENV=test, the instant the CLI takes as "now"

Exit status: 0 on success, 1 on any error (bad usage, unknown tenant or token, invalid value,
data directory in use, database error); the message goes to stderr.
`;
