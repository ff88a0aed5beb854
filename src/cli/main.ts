// Entry point: `npm run --silent cli -- <words>` (see usage.ts). Exit status 0 on success, 1 on error.
import { runCli } from "./run";

const status = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
process.exitCode = status;
