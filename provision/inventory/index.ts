export { loadInventory, parseInventory } from './load.js';
export type { Inventory, InventoryHost, InventoryGroup } from './load.js';
export { InventoryError } from './errors.js';
export { connectionFromVars, connectionVarsSchema } from './connection.js';
export type { Connection } from './connection.js';
export { selectHosts, selectPlayHosts, HostPatternError } from './pattern.js';
