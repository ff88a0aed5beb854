// Watches the built-in prototypes a request could pollute (a client key walked into
// Object.prototype breaks every later request): what changed since the guard was made, put back.
// The server calls restore() as each response ends, before the client (in the same process) reads
// it; take() gives what was found since the last take.

const WATCHED: [string, object][] = [
  ["Object.prototype", Object.prototype],
  ["Array.prototype", Array.prototype],
  ["Function.prototype", Function.prototype],
  ["String.prototype", String.prototype],
];

type Descriptors = Map<string | symbol, PropertyDescriptor>;

function descriptors(target: object): Descriptors {
  return new Map(Reflect.ownKeys(target).map((key) => [key, Reflect.getOwnPropertyDescriptor(target, key)!]));
}

function same(a: PropertyDescriptor, b: PropertyDescriptor): boolean {
  return a.value === b.value && a.get === b.get && a.set === b.set && a.enumerable === b.enumerable && a.writable === b.writable && a.configurable === b.configurable;
}

export class PrototypeGuard {
  private readonly saved = WATCHED.map(([name, target]) => ({ name, target, own: descriptors(target) }));
  private found: string[] = [];

  /** The changes found since the last call ("Object.prototype: hasOwnProperty deleted"), all undone. */
  take(): string[] {
    this.restore();
    const found = this.found;
    this.found = [];
    return found;
  }

  /** Undoes what changed on the watched prototypes, noting it for take(). */
  restore(): void {
    const changes = this.found;
    for (const { name, target, own } of this.saved) {
      const now = descriptors(target);
      for (const key of now.keys()) {
        if (!own.has(key)) {
          changes.push(`${name}: ${String(key)} added`);
          Reflect.deleteProperty(target, key);
        }
      }
      for (const [key, descriptor] of own) {
        const current = now.get(key);
        if (!current || !same(current, descriptor)) {
          changes.push(`${name}: ${String(key)} ${current ? "changed" : "deleted"}`);
          Reflect.defineProperty(target, key, descriptor);
        }
      }
    }
  }
}
