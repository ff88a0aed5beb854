// Text PostgreSQL can store and bind: no NUL (or other C0 control character but tab, CR, LF) and no
// unpaired UTF-16 surrogate. Client strings failing it are refused with a 400 before any query, or,
// where they must be kept (the integration log), stored with U+FFFD in their place.
const UNSTORABLE_SOURCE = "[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]";
const UNSTORABLE = new RegExp(UNSTORABLE_SOURCE);
const UNSTORABLE_ALL = new RegExp(UNSTORABLE_SOURCE, "g");

export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** The text with every character isStorableText refuses replaced by U+FFFD. */
export function toStorableText(text: string): string {
  // Every request logs its path and id through here: text that needs nothing is returned as is.
  return UNSTORABLE.test(text) ? text.replace(UNSTORABLE_ALL, "\ufffd") : text;
}

const UNBINDABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text PostgreSQL can bind at all (no NUL, no unpaired surrogate), whatever HR stored in it. */
export function isBindableText(text: string): boolean {
  return !UNBINDABLE.test(text);
}
