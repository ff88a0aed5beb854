// The one clock. Everything that asks "what time is it" takes a Clock, so tests can stand at any instant.
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export function fixedClock(at: Date | string): Clock {
  const instant = new Date(at);
  return () => new Date(instant.getTime());
}
