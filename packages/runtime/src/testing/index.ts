export { FakeTimerClock } from "./fake-timer-clock.ts";
export type { OwnerEndpoints } from "./owner-endpoints.ts";
export { inProcessTestBus, startOwnerEndpoints } from "./owner-endpoints.ts";
export { startTestWorkShare } from "./test-work-share.ts";
