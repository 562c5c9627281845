import { userInfo } from "node:os";

/** The OS user running this client; `unknown` where the platform cannot say (no passwd entry). */
export function localUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}
