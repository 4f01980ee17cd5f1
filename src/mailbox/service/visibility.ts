import { eq, or, sql, type SQL } from 'drizzle-orm';
import type { CaseScope } from '../rules.js';
import { letters } from '../tables.js';

/**
 * The SQL form of `inScope` (rules.ts): the same three department columns, for the lists. Kept in the
 * shape the indexes serve (`department_id`, the GIN index on `visited_department_ids`);
 * test/integration/mailbox-visibility.test.ts runs both forms over the same letters and viewers.
 * Undefined: no restriction.
 */
export function scopeFilter(scope: CaseScope): SQL | undefined {
  if (scope.all) return undefined;
  const dept = scope.departmentId ?? -1; // no department: matches no letter
  return or(
    eq(letters.departmentId, dept),
    sql`${dept} = any(${letters.assistingDepartmentIds})`,
    sql`${letters.visitedDepartmentIds} @> array[${dept}]::int[]`,
  );
}
