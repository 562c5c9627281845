export type { EventStoreContractOptions, EventStoreFixture } from "./event-store-contract.ts";
export { eventStoreContract } from "./event-store-contract.ts";
export { newEvent, readAll, uniqueStream, waitFor } from "./fixtures.ts";
