/** Elapsed time in one unit, as kubectl's short form prints it: `5s`, `3m`, `2h`, `4d`, `1y`. */
export function formatAge(ms: number): string {
  const seconds = Math.floor(Math.max(0, ms) / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 365) return `${days}d`;
  return `${Math.floor(days / 365)}y`;
}

/** Age of a timestamp at `now`; `<unknown>` as kubectl prints for objects without one. */
export function ageSince(timestamp: string | undefined, now: Date): string {
  if (timestamp === undefined) return "<unknown>";
  return formatAge(now.getTime() - Date.parse(timestamp));
}
