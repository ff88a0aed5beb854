// The tenant's allowedEmailDomains rule (docs/BEHAVIOUR.md section 5), as a pure check for the write-back caller.

/**
 * Whether a work email may be written for a tenant whose `allowedEmailDomains` is `allowedDomains`
 * (docs/BEHAVIOUR.md section 5; the caller answers 400 invalidValue when it is not). An empty list allows
 * any domain; otherwise the part after the last "@" must equal one of the domains, ignoring case.
 * Subdomains are not implied: "demo.example" does not allow "eu.demo.example".
 */
export function emailDomainAllowed(email: string, allowedDomains: readonly string[]): boolean {
  if (allowedDomains.length === 0) return true;
  const at = email.lastIndexOf("@");
  if (at <= 0 || at === email.length - 1) return false;
  const domain = email.slice(at + 1).toLowerCase();
  return allowedDomains.some((d) => d.trim().toLowerCase() === domain);
}
