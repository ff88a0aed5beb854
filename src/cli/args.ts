// A tiny argv parser: positional words, `--opt value` / `--opt=value` (repeatable) and boolean flags.
// Unknown options are usage errors, so a typo never passes silently.

/** An error the CLI reports as one line on stderr, with exit status 1. */
export class CliError extends Error {}

/** Bad usage: unknown command or option, missing or malformed argument. */
export class UsageError extends CliError {}

export interface ParsedArgs {
  positionals: string[];
  /** Values of options that take one, in order of appearance (repeatable options keep all). */
  values: Record<string, string[]>;
  flags: Set<string>;
}

export interface ArgsSpec {
  /** Options that take a value, without the leading dashes. */
  valueOptions: readonly string[];
  /** Boolean options, without the leading dashes. */
  flagOptions: readonly string[];
}

export function parseArgs(argv: readonly string[], spec: ArgsSpec): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], values: {}, flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") { parsed.positionals.push(...argv.slice(i + 1)); break; }
    if (arg === "-h") { parsed.flags.add("help"); continue; }
    if (!arg.startsWith("--") || arg === "--") { parsed.positionals.push(arg); continue; }
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (spec.flagOptions.includes(name)) {
      if (eq !== -1) throw new UsageError(`Option --${name} takes no value`);
      parsed.flags.add(name);
    } else if (spec.valueOptions.includes(name)) {
      let value: string | undefined;
      if (eq !== -1) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) value = argv[++i];
      if (value === undefined) throw new UsageError(`Option --${name} needs a value`);
      (parsed.values[name] ??= []).push(value);
    } else {
      throw new UsageError(`Unknown option --${name}`);
    }
  }
  return parsed;
}

/** The single value of an option; a usage error when given twice. */
export function optionValue(args: ParsedArgs, name: string): string | undefined {
  const all = args.values[name];
  if (!all) return undefined;
  if (all.length > 1) throw new UsageError(`Option --${name} is given more than once`);
  return all[0];
}

export function requiredOption(args: ParsedArgs, name: string): string {
  const value = optionValue(args, name);
  if (value === undefined || value === "") throw new UsageError(`Option --${name} is required`);
  return value;
}

/** Refuses options the command does not use (the parser accepts every option of every command). */
export function allowOnly(args: ParsedArgs, command: string, allowed: readonly string[]): void {
  for (const name of [...Object.keys(args.values), ...args.flags]) {
    if (name !== "help" && !allowed.includes(name)) throw new UsageError(`Option --${name} does not apply to "${command}"`);
  }
}

/** Exactly `names.length` positional arguments after the command words. */
export function positionals(args: ParsedArgs, skip: number, names: readonly string[], command: string): string[] {
  const rest = args.positionals.slice(skip);
  if (rest.length < names.length) throw new UsageError(`Missing <${names[rest.length]}>; usage: ${command}`);
  if (rest.length > names.length) throw new UsageError(`Unexpected argument "${rest[names.length]}"; usage: ${command}`);
  return rest;
}
