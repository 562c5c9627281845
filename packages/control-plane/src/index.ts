export type { EmbeddedControlPlane, EmbeddedOptions } from "./embedded.ts";
export { startEmbeddedControlPlane } from "./embedded.ts";
