export type { CommandBusFactory } from "./command-bus-contract.ts";
export { commandBusContract } from "./command-bus-contract.ts";
