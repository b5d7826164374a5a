export { startEmulator, type Emulator, type EmulatorOptions } from "./server.js";
export { DEMO_SUBSCRIPTION_ID, DEMO_TENANT_ID, DEMO_USERS, type TestUser } from "./users.js";
export type { Faults } from "./faults.js";
export type { EmulatorStats } from "./stats.js";
export type { RegisteredClient } from "./clients.js";
export type { Clock } from "./clock.js";
export { ARM_AUDIENCES } from "./arm/verify-bearer.js";
