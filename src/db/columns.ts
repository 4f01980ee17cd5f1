import { customType } from 'drizzle-orm/pg-core';

/** A PostgreSQL bytea column read and written as a Buffer (stored file pieces, generated PDFs). */
export const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
