/**
 * The warehouses Strata has adapters for: their names, conventions and the commands they add to the CLI. A module
 * of its own so the CLI can build its commands without loading every command's code (api/index.ts loads it all).
 */
export { adapterCommands, allConventions, embeddedConventions } from '../adapters/registry.js';
export { applyWarehouseProcessEnvironment, warehouseProcessVariables } from '../adapters/process-environment.js';
