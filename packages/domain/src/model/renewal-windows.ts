// Renewal windows (cert-manager v1.21 `spec.renewal.windows`, §1.5 step 5): a renewal that falls
// inside a window keeps its time; otherwise it moves to the earliest window start after it, never
// earlier. Cron fields are evaluated in the window's time zone.
import { readGoDuration } from "../duration.ts";
import type { CronSchedule } from "../validation/cron.ts";
import { parseCron } from "../validation/cron.ts";

export interface RenewalWindowSpec {
  readonly cron: string;
  readonly windowDuration: string;
  readonly timezone?: string;
}

export type WindowPlacement =
  | { readonly ok: true; readonly time: Date }
  | { readonly ok: false; readonly message: string };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's wall clock at `instant`, expressed as if it were UTC (so date arithmetic is plain). */
function wallClock(instant: number, timeZone: string): number {
  if (timeZone === "UTC") return instant;
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall + (((instant % 1000) + 1000) % 1000);
}

/** The instant a wall-clock time denotes; inside a DST gap it lands just after the gap, like Go. */
function instantOf(wall: number, timeZone: string): number {
  const guess = wall - (wallClock(wall, timeZone) - wall);
  return wall - (wallClock(guess, timeZone) - guess);
}

function dayMatches(schedule: CronSchedule, wall: Date): boolean {
  const dom = schedule.daysOfMonth.includes(wall.getUTCDate());
  const dow = schedule.daysOfWeek.includes(wall.getUTCDay());
  if (schedule.dayOfMonthRestricted && schedule.dayOfWeekRestricted) return dom || dow;
  return dom && dow;
}

/** The first firing at or after `from`, or undefined when none comes before `until`. */
export function nextCronFiring(
  schedule: CronSchedule,
  timeZone: string,
  from: number,
  until: number,
): number | undefined {
  let wall = Math.ceil(wallClock(from, timeZone) / MINUTE) * MINUTE;
  const wallUntil = wallClock(until, timeZone) + DAY;
  while (wall <= wallUntil) {
    const at = new Date(wall);
    if (!schedule.months.includes(at.getUTCMonth() + 1)) {
      wall = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1);
    } else if (!dayMatches(schedule, at)) {
      wall = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1);
    } else if (!schedule.hours.includes(at.getUTCHours())) {
      wall = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate(), at.getUTCHours() + 1);
    } else if (!schedule.minutes.includes(at.getUTCMinutes())) {
      wall += MINUTE;
    } else {
      const instant = instantOf(wall, timeZone);
      if (instant > until) return undefined;
      if (instant >= from) return instant;
      wall += MINUTE;
    }
  }
  return undefined;
}

/**
 * Places `desired` with respect to the windows. The search is bounded to
 * [notBefore − windowDuration, notAfter + windowDuration], as cert-manager bounds it.
 */
export function placeInRenewalWindows(
  desired: Date,
  windows: readonly RenewalWindowSpec[],
  bounds: { readonly notBefore: Date; readonly notAfter: Date },
): WindowPlacement {
  const time = desired.getTime();
  let earliest: number | undefined;
  const problems: string[] = [];
  for (const [index, window] of windows.entries()) {
    const cron = parseCron(window.cron);
    const duration = readGoDuration(window.windowDuration);
    if (!cron.ok || !duration.ok || duration.ms <= 0) {
      problems.push(`window ${index}: ${cron.ok ? "invalid windowDuration" : cron.message}`);
      continue;
    }
    const zone = cron.schedule.timezone ?? window.timezone ?? "UTC";
    const lower = Math.max(time - duration.ms + 1, bounds.notBefore.getTime() - duration.ms);
    const upper = bounds.notAfter.getTime() + duration.ms;
    const start = nextCronFiring(cron.schedule, zone, lower, upper);
    if (start === undefined) continue;
    if (start <= time) return { ok: true, time: desired };
    earliest = earliest === undefined ? start : Math.min(earliest, start);
  }
  if (earliest !== undefined) return { ok: true, time: new Date(earliest) };
  const detail = problems.length > 0 ? `: ${problems.join("; ")}` : "";
  return {
    ok: false,
    message: `no renewal window opens between ${desired.toISOString()} and ${bounds.notAfter.toISOString()}${detail}`,
  };
}
