// Entry point: `npm run --silent cli -- <words>` (see usage.ts). Exit status 0 on success, 1 on error.
import { runCli } from "./run.js";

// stdout carries only the command's output (one JSON document with --json): libraries that log
// through console (knex warns with console.log) are sent to stderr.
console.log = console.error;
console.info = console.error;
console.debug = console.error;

const status = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
process.exitCode = status;
