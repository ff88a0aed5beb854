// A small seeded PRNG (mulberry32) with the draws the generators need: the same seed gives the
// same cases, so any finding is replayed from its seed and case number.

export type Weighted<T> = readonly (readonly [T, number])[];

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)];
  }

  weighted<T>(entries: Weighted<T>): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, w] of entries) if ((r -= w) < 0) return value;
    return entries[entries.length - 1][0];
  }

  /** Some elements of a list, in order. */
  subset<T>(list: readonly T[], p = 0.5): T[] {
    return list.filter(() => this.chance(p));
  }

  /** The same text with letters in random case (names and operators are case-insensitive). */
  mixCase(text: string): string {
    return [...text].map((c) => (this.chance(0.3) ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c)).join("");
  }

  /** A derived generator, so that one case's draws do not shift with another's. */
  fork(salt: number): Prng {
    return new Prng(mix(this.int(0, 0x7fffffff), salt));
  }
}

/** Two integers hashed into one 32-bit seed (murmur3's finaliser). */
function mix(a: number, b: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The generator of case `n` of a run: independent of how many draws the earlier cases made. */
export function caseRng(seed: number, n: number): Prng {
  return new Prng(mix(seed >>> 0, n + 1));
}
