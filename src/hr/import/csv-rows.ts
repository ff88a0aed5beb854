// Reads a CSV stream row by row with csv-parse (a well-kept streaming parser: quoted fields,
// embedded separators and line breaks), UTF-8 with or without BOM, comma or semicolon (the
// separator spreadsheets use in France), detected from the header line. Memory holds one row.
import { pipeline, Readable } from "node:stream";
import { parse } from "csv-parse";

export interface CsvRow {
  /** Line of the file where the row ends (the header is line 1). */
  line: number;
  fields: string[];
}

/** The separator of a header line: the one of ";" and "," that occurs more often outside quotes. */
export function detectSeparator(headerLine: string): "," | ";" {
  let commas = 0, semicolons = 0, quoted = false;
  for (const c of headerLine) {
    if (c === "\"") quoted = !quoted;
    else if (!quoted && c === ",") commas++;
    else if (!quoted && c === ";") semicolons++;
  }
  return semicolons > commas ? ";" : ",";
}

/** Bytes read so far, for a progress bar. */
export type ProgressListener = (bytes: number) => void;

/** The rows of `source`, the header first. */
export async function* csvRows(source: AsyncIterable<Buffer | string>, onProgress?: ProgressListener): AsyncGenerator<CsvRow> {
  const iterator = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let bytes = 0;
  let headText = "";
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = typeof next.value === "string" ? Buffer.from(next.value) : next.value;
    head.push(chunk);
    bytes += chunk.length;
    headText = Buffer.concat(head).toString("utf8");
    if (headText.includes("\n") || bytes > 1_000_000) break;
  }
  const separator = detectSeparator(headText.replace(/^\uFEFF/, "").split(/\r?\n/)[0]);
  async function* all(): AsyncGenerator<Buffer> {
    for (const chunk of head) yield chunk;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      const chunk = typeof next.value === "string" ? Buffer.from(next.value) : next.value;
      bytes += chunk.length;
      onProgress?.(bytes);
      yield chunk;
    }
  }
  const parser = parse({ bom: true, delimiter: separator, relax_column_count: true, skip_empty_lines: true, info: true });
  // pipeline, not pipe: a failing source (a body over its limit, a client gone) destroys the parser
  // with its error, which the loop below throws, instead of an unhandled 'error' event.
  pipeline(Readable.from(all()), parser, () => {});
  for await (const item of parser as AsyncIterable<{ info: { lines: number }; record: string[] }>) {
    yield { line: item.info.lines, fields: item.record };
  }
}
