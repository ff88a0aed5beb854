// Client-given text in log lines (a path, a route that was not matched, a header) is cut to a bound:
// a request may carry 64 KiB of request line, and a log line must stay one short line.

export const LOG_TEXT_MAX = 200;

/** The text as is when short; else its first `max` characters and how many were left out. */
export function boundLogText(text: string, max: number = LOG_TEXT_MAX): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}…(${text.length - max} more)`;
}
