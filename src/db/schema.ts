// Every table, for drizzle-kit and the typed query builder. Each module owns its own tables file.
export * from '../departments/tables.js';
export * from '../auth/tables.js';
export * from '../audit/tables.js';
export * from '../calendar/schema.js';
export * from '../mailbox/tables.js';
export * from '../notifications/schema.js';
export * from '../digest/schema.js';
