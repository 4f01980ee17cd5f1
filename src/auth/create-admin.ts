import { eq, sql } from 'drizzle-orm';
import { recordAudit, systemActor } from '../audit/record.js';
import type { Database } from '../db/client.js';
import { isUniqueViolation, USERNAME_MESSAGE, USERNAME_PATTERN } from './accounts.js';
import { hashPassword, passwordPolicyProblem } from './password.js';
import { staff } from './tables.js';

export class CreateAdminError extends Error {
  constructor(
    readonly reason: 'invalid_username' | 'invalid_display_name' | 'weak_password' | 'username_exists',
    message: string,
  ) {
    super(message);
  }
}

export interface CreateAdminInput {
  username: string;
  password: string;
  displayName?: string;
}

/** The checks that need no database (so a script can refuse bad input before connecting); throws CreateAdminError. */
export function checkAdminInput(input: CreateAdminInput): { username: string; displayName: string } {
  const username = input.username.trim();
  if (!USERNAME_PATTERN.test(username)) throw new CreateAdminError('invalid_username', USERNAME_MESSAGE);
  const displayName = (input.displayName ?? '系统管理员').trim();
  if (displayName.length < 1 || displayName.length > 50) throw new CreateAdminError('invalid_display_name', '姓名须为 1–50 个字符');
  const policy = passwordPolicyProblem(input.password, username);
  if (policy) throw new CreateAdminError('weak_password', policy);
  return { username, displayName };
}

/**
 * Creates an administrator account (for `npm run admin:create` against an external database, where no
 * demo accounts exist). Applies the password policy, refuses an existing username, and audits the
 * creation as the system, in the same transaction. Never logs or returns the password.
 */
export async function createAdmin(
  db: Database,
  input: CreateAdminInput,
): Promise<{ id: number; username: string; displayName: string; otherAdmins: number }> {
  const { username, displayName } = checkAdminInput(input);
  const exists = () => new CreateAdminError('username_exists', `用户名 ${username} 已存在，未做任何更改`);

  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const [found] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.username, username));
      if (found) throw exists();
      const [{ n: otherAdmins }] = (await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(staff)
        .where(sql`'admin' = any(${staff.roles}) and not ${staff.disabled}`)) as [{ n: number }];
      const [row] = await tx
        .insert(staff)
        .values({ username, displayName, passwordHash, roles: ['admin'], departmentId: null })
        .returning({ id: staff.id });
      await recordAudit(tx, systemActor('admin-create'), {
        action: 'staff.create',
        recordType: 'staff',
        recordId: row!.id,
        after: { username, displayName, roles: ['admin'], departmentId: null, via: 'npm run admin:create' },
      });
      return { id: row!.id, username, displayName, otherAdmins };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw exists();
    throw err;
  }
}
