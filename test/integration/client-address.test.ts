import { and, desc, eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/audit/tables.js';
import { DEMO_PASSWORD, startHarness, type Harness } from '../support/harness.js';

// Issue #12 point 2: the address that audit rows and rate limits use is the client's real one with
// every TRUST_PROXY setting, for the pages too. With TRUST_PROXY=false no X-Forwarded-For is believed,
// so a page that passed the address on in that header (its in-process API call came from 127.0.0.1)
// wrote 127.0.0.1 into the audit trail.

const CLIENT = '203.0.113.7';
const cookiesOf = (res: LightMyRequestResponse) => res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';

for (const trustProxy of ['false', 'loopback', 'true']) {
  describe(`TRUST_PROXY=${trustProxy}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ env: { TRUST_PROXY: trustProxy } });
    });
    afterAll(async () => h?.close());

    it("a login through the staff page is audited with the client's own address", async () => {
      const page = await h.app.inject({ method: 'GET', url: '/staff/login', remoteAddress: CLIENT });
      const res = await h.app.inject({
        method: 'POST',
        url: '/staff/login',
        remoteAddress: CLIENT,
        headers: { cookie: cookiesOf(page), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrfOf(page.body), username: 'office', password: DEMO_PASSWORD }).toString(),
      });
      expect(res.statusCode, res.body.slice(0, 200)).toBe(303);
      const [row] = await h.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'auth.login'), eq(auditLog.actorUsername, 'office')))
        .orderBy(desc(auditLog.id))
        .limit(1);
      expect(row?.ip).toBe(CLIENT);
    });
  });
}
