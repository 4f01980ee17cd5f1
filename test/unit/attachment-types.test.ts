import { describe, expect, it } from 'vitest';
import { requestedRange } from '../../src/publishing/attachment-headers.js';
import { detectAttachmentType, type RandomAccess } from '../../src/publishing/attachment-types.js';
import { docx, exe, mp4, oleFile, pdf, zipOf } from '../support/site-files.js';

// Issue 15 point 2: the content check of site attachments, on files made here byte by byte.
const reader = (b: Buffer): RandomAccess => ({ size: b.length, read: async (o, l) => b.subarray(o, o + l) });
const detect = (b: Buffer, name: string) => detectAttachmentType(reader(b), name);

describe('detectAttachmentType', () => {
  it('tells an OOXML package by its directory, wherever [Content_Types].xml sits in the zip', async () => {
    const lateTypes = zipOf({ 'xl/workbook.xml': '<workbook/>', '[Content_Types].xml': '<Types/>' });
    expect(await detect(lateTypes, '统计.xlsx')).toEqual({
      ok: true,
      kind: 'document',
      mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    expect(await detect(zipOf({ '[Content_Types].xml': '<Types/>', 'ppt/presentation.xml': '<p/>' }), '汇报.PPTX')).toMatchObject({
      ok: true,
    });
    expect(await detect(zipOf({ 'OFD.xml': '<ofd:OFD/>', 'Doc_0/Document.xml': '<d/>' }), '公文.ofd')).toMatchObject({
      mime: 'application/ofd',
    });
  });

  it('refuses what is cut short or made up: a truncated zip, a program, a zip without Office parts, an empty file', async () => {
    const whole = docx();
    expect(await detect(whole.subarray(0, whole.length - 30), '通知.docx')).toMatchObject({ ok: false });
    expect(await detect(exe(), '安装.exe')).toMatchObject({ ok: false });
    expect(await detect(zipOf({ '[Content_Types].xml': '<Types/>', 'other/x.xml': '<x/>' }), 'x.docx')).toMatchObject({ ok: false });
    expect(await detect(Buffer.alloc(0), '空.pdf')).toEqual({ ok: false, message: '附件为空' });
    expect(await detect(Buffer.from('%PDF'), '短.pdf')).toMatchObject({ ok: false });
  });

  it('stops on an OLE directory whose chain loops back on itself', async () => {
    const looped = oleFile('Installer');
    looped.writeUInt32LE(1, 512 + 4); // sector 1 (the directory) points to itself
    expect(await detect(looped, '循环.doc')).toMatchObject({ ok: false });
  });

  it('wants the extension to fit the content', async () => {
    expect(await detect(pdf(), '通知.PDF')).toMatchObject({ ok: true, mime: 'application/pdf' });
    expect(await detect(mp4(), '视频.mov')).toEqual({ ok: false, message: '文件扩展名与内容不符：内容是 MP4 文件' });
    expect(await detect(oleFile('Workbook'), '表.doc')).toEqual({ ok: false, message: '文件扩展名与内容不符：内容是 Excel/WPS 表格 文件' });
  });
});

describe('requestedRange', () => {
  it('reads one range, a suffix, an open end; refuses past the end; ignores several ranges', () => {
    expect(requestedRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(requestedRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(requestedRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(requestedRange('bytes=990-5000', 1000)).toEqual({ start: 990, end: 999 });
    expect(requestedRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(requestedRange('bytes=0-1,5-9', 1000)).toBeUndefined();
    expect(requestedRange(undefined, 1000)).toBeUndefined();
  });
});
