// Progress of a long operation on stderr. On a terminal one line is redrawn in place; in a log or
// a pipe a line is written at each tenth, so the output stays readable and bounded.
import type { CliWriter } from "../cli-io.ts";

const WIDTH = 30;

/** `[#########.....................]  30%  300,000 of 1,000,000 events` */
export function formatProgressBar(done: number, total: number, unit: string): string {
  const fraction = total <= 0 ? 1 : Math.min(done / total, 1);
  const filled = Math.round(fraction * WIDTH);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const count = (n: number) => n.toLocaleString("en-US");
  return `[${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${percent}  ${count(done)} of ${count(total)} ${unit}`;
}

export interface ProgressReporter {
  update(done: number, total: number): void;
  /** Ends the bar's line, so what follows starts on its own. */
  finish(): void;
}

export function progressReporter(out: CliWriter, label: string, unit: string): ProgressReporter {
  let lastTenth = -1;
  let drawn = false;
  return {
    update(done, total) {
      const line = `${label} ${formatProgressBar(done, total, unit)}`;
      if (out.isTTY) {
        out.write(`\r${line}\x1b[K`);
        drawn = true;
        return;
      }
      const tenth = Math.floor((total <= 0 ? 1 : Math.min(done / total, 1)) * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      out.write(`${line}\n`);
    },
    finish() {
      if (drawn) out.write("\n");
      drawn = false;
    },
  };
}
