export type { RecordedCall } from "./fake-api.ts";
export { FakeCertplaneApi } from "./fake-api.ts";
