/** kubectl's compact age: 45s, 12m, 3h, 2d (the largest unit that fits, floored). */
export function formatAge(sinceIso: string | undefined, nowMs: number): string {
  if (sinceIso === undefined) return "<unknown>";
  const since = Date.parse(sinceIso);
  if (!Number.isFinite(since)) return "<unknown>";
  const seconds = Math.max(0, Math.floor((nowMs - since) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}
