import { describe, expect, it } from 'vitest';
import { actionBodies, letterBody } from '../../src/mailbox/schemas.js';
import { id32, idParam, isoDate, NUL_MESSAGE, queryInt, requiredText, safeString } from '../../src/server/schema-types.js';
import { validateLetter } from '../../src/mailbox/pages/letter-form.js';

const messageOf = (r: { success: boolean; error?: { issues: { message: string }[] } }) => r.error?.issues[0]?.message;

describe('shared schema helpers', () => {
  it('text refuses a NUL with its own message, keeps other text', () => {
    expect(messageOf(safeString().safeParse('a\u0000b'))).toBe(NUL_MESSAGE);
    expect(messageOf(requiredText('标题', 10).safeParse('\u0000'))).toBe(NUL_MESSAGE);
    expect(requiredText('标题', 10).parse('  标题\u202e  ')).toBe('标题\u202e');
  });

  it('id32 takes 1..2^31-1 only', () => {
    expect(id32().parse(2 ** 31 - 1)).toBe(2 ** 31 - 1);
    for (const bad of [0, -1, 1.5, 2 ** 31, 4398046511105, '1']) expect(id32().safeParse(bad).success, String(bad)).toBe(false);
  });

  it('query and path integers are canonical decimal only', () => {
    expect(idParam().parse('2147483647')).toBe(2147483647);
    expect(queryInt({ min: 0, max: 10 }).parse('0')).toBe(0);
    for (const bad of ['1e1', '0x1', ' 12', '12 ', '012', '1.0', '-1', '+1', '', '2147483648', '4398046511105', '99999999999999999999']) {
      expect(idParam().safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('dates are real calendar dates between 1900 and 2200', () => {
    expect(isoDate.parse('2024-02-29')).toBe('2024-02-29');
    for (const bad of [
      '0000-01-01',
      '0001-01-01',
      '1899-12-31',
      '2201-01-01',
      '2026-02-30',
      '2023-02-29',
      '2026-13-01',
      '2026-1-01',
      '20260101',
    ]) {
      expect(isoDate.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe('the letter and action schemas use them', () => {
  it('letterBody refuses NUL in each text field and an id beyond integer', () => {
    const base = {
      writer: { name: '张三', phone: '13800138000' },
      type: 'inquiry',
      departmentId: 5,
      subject: '标题',
      content: '内容',
      allowPublication: false,
    };
    const fieldOf = (body: object) => letterBody.safeParse(body).error?.issues.map((i) => i.path.join('.'));
    expect(fieldOf({ ...base, subject: 'a\u0000' })).toEqual(['subject']);
    expect(fieldOf({ ...base, content: 'a\u0000' })).toEqual(['content']);
    expect(fieldOf({ ...base, writer: { ...base.writer, name: 'a\u0000' } })).toEqual(['writer.name']);
    expect(fieldOf({ ...base, attachments: [{ filename: 'a\u0000.png', contentBase64: 'iVBORw==' }] })).toEqual(['attachments.0.filename']);
    expect(fieldOf({ ...base, departmentId: 2 ** 31 })).toEqual(['departmentId']);
  });

  it('the public form (multipart, validated here rather than by the route schema) names the field', () => {
    const r = validateLetter({
      type: 'inquiry',
      departmentId: '5',
      subject: '标题\u0000',
      content: '内容',
      'writer.name': '张三',
      'writer.phone': '13800138000',
      allowPublication: 'no',
    });
    expect(r.errors).toEqual({ subject: NUL_MESSAGE });
  });

  it('every staff action refuses a NUL in its text', () => {
    expect(messageOf(actionBodies.reclassify.safeParse({ type: 'complaint', reason: 'a\u0000b' }))).toBe(NUL_MESSAGE);
    expect(messageOf(actionBodies.answer.safeParse({ content: 'a\u0000b' }))).toBe(NUL_MESSAGE);
    expect(actionBodies.transfer.safeParse({ toDepartmentId: 2 ** 31, reasonCode: 'not_in_remit', reason: 'x' }).success).toBe(false);
  });
});
