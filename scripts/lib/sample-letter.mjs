// A letter posted to a running system over HTTP, as a writer would: the smoke run and the tests that
// run the real processes (test/integration/supervisor-crash.test.ts) check that it survives restarts.

/**
 * Posts an inquiry to the `departmentIndex`-th department the public form offers.
 * @param {string} base e.g. http://127.0.0.1:3000
 * @param {{ subject: string; content: string; departmentIndex?: number }} letter
 * @returns {Promise<Response>}
 */
export async function postSampleLetter(base, { subject, content, departmentIndex = 0 }) {
  const depts = await (await fetch(`${base}/api/departments`)).json();
  return fetch(`${base}/api/letters`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      writer: { name: '测试', phone: '13800138000' },
      type: 'inquiry',
      departmentId: depts[departmentIndex].id,
      subject,
      content,
      allowPublication: false,
    }),
  });
}
