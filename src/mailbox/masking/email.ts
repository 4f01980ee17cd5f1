// E-mail: z***@qq.com. The first character tells staff and readers that an address was there; three
// stars whatever the length hide how long it was; the domain (qq.com, 163.com) is shared by millions
// and names no one, while a company's own domain says which company, not which person.
import type { Candidate } from './types.js';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

export function findEmails(norm: string): Candidate[] {
  return [...norm.matchAll(EMAIL)].map((m) => {
    const [local = '', domain = ''] = m[0].split('@');
    return { kind: 'email', start: m.index, end: m.index + m[0].length, replacement: `${local.slice(0, 1)}***@${domain}` };
  });
}
