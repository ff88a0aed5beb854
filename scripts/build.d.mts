// Types of scripts/build.mjs for the tests that import it.
export const ROOT: string;
export function distIsStale(root?: string): boolean;
export function buildDist(root?: string): Promise<void>;
