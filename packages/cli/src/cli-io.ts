export interface CliWriter {
  write(text: string): unknown;
  /** A terminal: progress is redrawn in place rather than written line by line. */
  readonly isTTY?: boolean;
}

/** Everything certctl touches outside itself, so tests run it in-process with fakes. */
export interface CliIo {
  readonly stdout: CliWriter;
  readonly stderr: CliWriter;
  readonly stdin: AsyncIterable<string | Uint8Array>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  /** Waits between polls (`wait`); tests pass one that advances a fake clock. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** How often `wait` polls; 500 ms unless set. */
  readonly pollIntervalMs?: number;
  /** Ends a command that runs until interrupted (`history --follow`); tests abort it. */
  readonly signal?: AbortSignal;
}
