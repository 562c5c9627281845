import { leaseStoreContract } from "./lease-store-contract.ts";
import { MemoryLeaseStore } from "./memory-lease-store.ts";

// One map for the whole suite: every open() is another instance over the same storage.
const shared = new MemoryLeaseStore();
leaseStoreContract({ adapter: "memory", open: async () => shared });
