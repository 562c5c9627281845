import { ValidationError } from "@certplane/domain";

/**
 * A file a setting names, read once at start; a file that cannot be read is refused on that
 * setting, naming the path and the reason, never the contents (some of them are keys).
 */
export function readConfigFile(readFile: (path: string) => string, field: string, path: string): string {
  try {
    return readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ValidationError([{ field, rule: "readable", message: `cannot read ${path}: ${reason}` }], {
      cause: error,
    });
  }
}
