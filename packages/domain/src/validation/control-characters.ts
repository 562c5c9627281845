// Names, SANs and subject values end up in certificates, logs, file paths and terminals. A NUL byte
// truncates the name a C library reads (the classic "www.bank.com\0.evil.com" certificate), and
// other control characters forge log lines or terminal output, so none of them is ever legitimate.

// C0 controls, DEL and C1 controls (Unicode general category Cc).
const CONTROL = /\p{Cc}/u;

/** Why `value` may not be used as a name, or `undefined` when it holds no control character. */
export function controlCharacterProblem(value: string): string | undefined {
  const found = CONTROL.exec(value);
  if (found === null) return undefined;
  const codePoint = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
  // The code point and offset, never the value: the user can find it without us echoing it.
  return `must not contain control characters (found U+${codePoint} at offset ${found.index})`;
}
