import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeText, neutraliseControls } from '../../src/web/escape.js';
import { textArea, textField } from '../../src/web/fields.js';
import { html } from '../../src/web/html.js';

describe('control characters in shown text', () => {
  it('bidi overrides, isolates and marks are shown as visible markers', () => {
    expect(neutraliseControls('invoice\u202Efdp.exe')).toBe('invoice[U+202E]fdp.exe');
    for (const c of ['\u202A', '\u202B', '\u202C', '\u202D', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C']) {
      expect(neutraliseControls(`a${c}b`)).toBe(`a[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]b`);
    }
  });

  it('C0 and C1 controls too, but tab, newline and carriage return are kept', () => {
    expect(neutraliseControls('a\u0000\u0007\u001B\u007F\u0085\u009Fb')).toBe('a[U+0000][U+0007][U+001B][U+007F][U+0085][U+009F]b');
    expect(neutraliseControls('line 1\r\n\tline 2')).toBe('line 1\r\n\tline 2');
    expect(neutraliseControls('中文 émoji 👍🏽 ‍')).toBe('中文 émoji 👍🏽 ‍');
  });

  it('page text is escaped and neutralised; form values keep what was typed', () => {
    expect(escapeText('<b>\u202E')).toBe('&lt;b&gt;[U+202E]');
    expect(html`<p>${'x\u202Ey'}</p>`.value).toBe('<p>x[U+202E]y</p>');
    const state = { values: { subject: 'x\u202Ey', content: 'x\u2066y' }, errors: {} };
    expect(textField({ name: 'subject', label: '标题', state }).value).toContain(`value="${escapeHtml('x\u202Ey')}"`);
    expect(textArea({ name: 'content', label: '内容', state }).value).toContain('>x\u2066y</textarea>');
  });
});
