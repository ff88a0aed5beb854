// The instant every API test starts at, and the demo seed is made at (seed day T = 2026-06-15, Paris).
export const TEST_NOW = new Date("2026-06-15T10:00:00Z");
export const TEST_TODAY = "2026-06-15";
/** The deployment secret key of test apps (cursors are sealed with a key derived from it). */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7);
