// The standard 5-field cron dialect of robfig/cron (ParseStandard), which cert-manager uses for
// renewal windows: lists, ranges, steps, `*`/`?`, month and weekday names, @descriptors and a
// leading `CRON_TZ=`/`TZ=` zone. Parsed into explicit value sets so renewal maths can use them.

export interface CronSchedule {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: readonly number[];
  readonly months: readonly number[];
  /** 0 = Sunday. */
  readonly daysOfWeek: readonly number[];
  /**
   * robfig's rule: when both day fields are restricted a day matches if *either* does; when one
   * is `*` or `?` only the other counts.
   */
  readonly dayOfMonthRestricted: boolean;
  readonly dayOfWeekRestricted: boolean;
  /** From a `CRON_TZ=` prefix; the window's own `timezone` applies otherwise. */
  readonly timezone?: string;
}

export type CronReading =
  | { readonly ok: true; readonly schedule: CronSchedule }
  | { readonly ok: false; readonly message: string };

interface FieldBounds {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTHS: FieldBounds = {
  min: 1,
  max: 12,
  names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
};
const WEEKDAYS: FieldBounds = { min: 0, max: 6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] };
const FIELDS: readonly FieldBounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  MONTHS,
  WEEKDAYS,
];

const DESCRIPTORS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function parseCron(expression: string): CronReading {
  let spec = expression.trim();
  let timezone: string | undefined;
  const zone = /^(?:CRON_TZ|TZ)=(\S*)(.*)$/.exec(spec);
  if (zone) {
    timezone = zone[1] ?? "";
    spec = (zone[2] ?? "").trim();
    if (!isTimeZone(timezone)) return { ok: false, message: `provided bad location ${timezone}` };
    if (spec === "") return { ok: false, message: `missing schedule after the ${timezone} time zone` };
  }
  if (spec === "") return { ok: false, message: "empty spec string" };
  if (spec.startsWith("@")) {
    const expanded = DESCRIPTORS[spec];
    if (expanded === undefined) return { ok: false, message: `unrecognized descriptor: ${spec}` };
    spec = expanded;
  }
  const fields = spec.split(/\s+/);
  if (fields.length !== 5) {
    return { ok: false, message: `expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]` };
  }
  const sets: number[][] = [];
  for (const [i, field] of fields.entries()) {
    const values = parseField(field, FIELDS[i]!);
    if (typeof values === "string") return { ok: false, message: values };
    sets.push(values);
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = sets as [
    number[],
    number[],
    number[],
    number[],
    number[],
  ];
  // robfig counts `*`, `?` (and their step-1 forms) as unrestricted; `*/2` restricts.
  const restricted = (field: string) => !field.split(",").some((part) => /^[*?](\/1)?$/.test(part));
  return {
    ok: true,
    schedule: {
      minutes,
      hours,
      daysOfMonth,
      months,
      daysOfWeek,
      dayOfMonthRestricted: restricted(fields[2]!),
      dayOfWeekRestricted: restricted(fields[4]!),
      ...(timezone === undefined ? {} : { timezone }),
    },
  };
}

function parseField(field: string, bounds: FieldBounds): number[] | string {
  const values = new Set<number>();
  for (const part of field.split(",")) {
    const range = parseRange(part, bounds);
    if (typeof range === "string") return range;
    for (const value of range) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

function parseRange(expr: string, bounds: FieldBounds): number[] | string {
  const slashParts = expr.split("/");
  if (slashParts.length > 2) return `too many slashes: ${expr}`;
  const [rangeText = "", stepText] = slashParts;
  const hyphenParts = rangeText.split("-");
  if (hyphenParts.length > 2) return `too many hyphens: ${expr}`;
  let start: number;
  let end: number;
  if (rangeText === "*" || rangeText === "?") {
    start = bounds.min;
    end = bounds.max;
  } else {
    const first = parseValue(hyphenParts[0] ?? "", bounds);
    if (typeof first === "string") return first;
    start = first;
    if (hyphenParts.length === 2) {
      const second = parseValue(hyphenParts[1] ?? "", bounds);
      if (typeof second === "string") return second;
      end = second;
    } else end = stepText === undefined ? first : bounds.max;
  }
  let step = 1;
  if (stepText !== undefined) {
    const parsed = parseInteger(stepText);
    if (typeof parsed === "string") return parsed;
    if (parsed <= 0) return `step of range should be a positive number: ${expr}`;
    step = parsed;
  }
  if (start < bounds.min) return `beginning of range (${start}) below minimum (${bounds.min}): ${expr}`;
  if (end > bounds.max) return `end of range (${end}) above maximum (${bounds.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  const values: number[] = [];
  for (let v = start; v <= end; v += step) values.push(v);
  return values;
}

function parseValue(text: string, bounds: FieldBounds): number | string {
  const named = bounds.names?.indexOf(text.toLowerCase()) ?? -1;
  return named >= 0 ? named + bounds.min : parseInteger(text);
}

function parseInteger(text: string): number | string {
  return /^\d+$/.test(text) ? Number(text) : `failed to parse int from ${text}`;
}
