import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { allDepartments } from '../departments/service.js';
import { hashPassword } from './password.js';
import type { Role } from './roles.js';
import { staff } from './tables.js';

/**
 * Demo accounts for the embedded default only (never with an external DATABASE_URL): one per role,
 * plus a handler `h-<code>` and a leader `l-<code>` per department. Existing accounts are left alone.
 */
export async function seedDemoAccounts(db: Executor, password: string): Promise<string[]> {
  const hash = await hashPassword(password); // one hash for all: seeding 40+ scrypt hashes would slow boot
  const depts = await allDepartments(db);
  const byKind = (kind: string) => depts.find((d) => d.kind === kind)?.id ?? null;
  const accounts: { username: string; displayName: string; roles: Role[]; departmentId: number | null }[] = [
    { username: 'admin', displayName: '系统管理员', roles: ['admin'], departmentId: null },
    { username: 'office', displayName: '办公室协调员', roles: ['office'], departmentId: byKind('general_office') },
    { username: 'center', displayName: '行政服务中心值班员', roles: ['service_center'], departmentId: byKind('service_center') },
    { username: 'publicity', displayName: '应急宣传处审核员', roles: ['publicity'], departmentId: byKind('publicity_office') },
    { username: 'leader', displayName: '局领导', roles: ['bureau_leader'], departmentId: null },
  ];
  const staffed = ['department', 'publicity_office', 'general_office', 'service_center'];
  for (const d of depts.filter((x) => staffed.includes(x.kind))) {
    accounts.push({ username: `h-${d.code}`, displayName: `${d.name}经办人`, roles: ['handler'], departmentId: d.id });
    accounts.push({ username: `l-${d.code}`, displayName: `${d.name}负责人`, roles: ['dept_leader'], departmentId: d.id });
  }
  const created: string[] = [];
  for (const a of accounts) {
    const [exists] = await db.select({ id: staff.id }).from(staff).where(eq(staff.username, a.username));
    if (exists) continue;
    await db.insert(staff).values({ ...a, passwordHash: hash });
    created.push(a.username);
  }
  return created;
}
