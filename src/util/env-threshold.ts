/**
 * A size threshold a test or a benchmark may set through the environment (workers for small
 * fixtures): the variable's number when it is set to one, else the built-in value.
 */
export function envThreshold(name: string, fallback: number, env: Record<string, string | undefined> = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}
