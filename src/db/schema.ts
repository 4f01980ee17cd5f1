// Every table, for drizzle-kit and the typed query builder. Each module owns its own schema file.
export * from '../departments/schema.js';
export * from '../auth/schema.js';
export * from '../audit/schema.js';
export * from '../calendar/schema.js';
export * from '../mailbox/tables.js';
export * from '../notifications/schema.js';
export * from '../digest/schema.js';
