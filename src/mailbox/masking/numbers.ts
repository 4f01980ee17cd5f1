// Phones, ID numbers and bank cards: every run of digits (spaces, dashes, +86 and a bracketed area code
// allowed inside) is classified by its length, its shape and the words just before it.
import type { Candidate, Unsure } from './types.js';

/** A digit run as written: optional +86/0086, optional (0591), digits with single spaces or dashes, an ID's final X. */
const DIGIT_RUN = /(?<![\dA-Za-z])(?:(?:\+|00)86[ -]?)?(?:\(0\d{2,3}\)[ -]?)?\d(?:[ -]?\d)*(?:[Xx](?![A-Za-z]))?/g;

const ID_WORDS = /(身份证|证件|身份号|公民身份)/;
const BANK_WORDS = /(卡号|银行|账号|帐号|账户|帐户|借记卡|信用卡|储蓄卡|卡)/;
const PHONE_WORDS = /(电话|座机|手机|联系|致电|拨打|来电|号码|热线|固话|tel|Tel|TEL)/;
/** Numbers of things, not people: never masked. */
const THING_WORDS =
  /(订单|单号|运单|快递|编号|流水|发票|批号|批次|货号|条码|型号|序列号|交易号|工单|案号|文号|合同号|许可证|执照|信用代码|注册号|商品码|登记号|备案号|凭证号|票号|追溯码|券码)/;

export interface DigitContext {
  /** Digits of the writer's own phone and ID number from the form: masked whatever their context. */
  writerPhone?: string;
  writerIdNumber?: string;
}

export function findNumbers(norm: string, original: string, ctx: DigitContext, unsure: Unsure[]): Candidate[] {
  const out: Candidate[] = [];
  for (const m of norm.matchAll(DIGIT_RUN)) {
    for (const piece of pieces(m[0], m.index, original, ctx)) {
      const { start, end, found } = piece;
      if (found === 'thing') continue;
      if (found === 'unknown') {
        unsure.push({ start, end, reason: '无法判断的数字串，可能是电话或证件号码，请人工核对' });
        continue;
      }
      out.push({ start, end, kind: found.kind, replacement: found.replacement });
      if (found.unsure) unsure.push({ start, end, reason: found.unsure });
    }
  }
  return out;
}

interface Piece {
  start: number;
  end: number;
  found: Found;
}

/**
 * A run that is no one number as a whole may be two written side by side ("13805912345 0591-87654321"):
 * take the longest prefix, cut at a space or dash, that is a phone, ID or card, and go on after it.
 */
function pieces(run: string, at: number, original: string, ctx: DigitContext): Piece[] {
  const whole = classify(run, original.slice(Math.max(0, at - 10), at), ctx);
  if (typeof whole === 'object' || whole === 'thing' || !/[ -]/.test(run)) {
    return whole === 'unknown' && run.replace(/\D/g, '').length < 7 ? [] : [{ start: at, end: at + run.length, found: whole }];
  }
  const cuts = [...run.matchAll(/[ -]/g)].map((c) => c.index).reverse();
  for (const cut of cuts) {
    const head = classify(run.slice(0, cut), original.slice(Math.max(0, at - 10), at), ctx);
    if (typeof head !== 'object') continue;
    const rest = run.slice(cut + 1);
    return [{ start: at, end: at + cut, found: head }, ...pieces(rest, at + cut + 1, original, ctx)];
  }
  return [{ start: at, end: at + run.length, found: whole }];
}

type Found = { kind: 'phone' | 'id_number' | 'bank_card'; replacement: string; unsure?: string } | 'thing' | 'unknown';

function classify(run: string, before: string, ctx: DigitContext): Found {
  const hasCountryCode = /^(\+|00)86/.test(run);
  const body = hasCountryCode ? run.replace(/^(\+|00)86[ -]?/, '') : run;
  const digits = body.replace(/[^\dXx]/g, '').toUpperCase();
  const nearest = lastClause(before);
  if (ctx.writerIdNumber && digits === ctx.writerIdNumber) return idNumber(digits) ?? bankCard(digits);
  // The form's number, or its local part written without the area code.
  if (ctx.writerPhone && digits.length >= 7 && (digits === ctx.writerPhone || ctx.writerPhone.endsWith(digits))) {
    return phone(body, digits, digits === ctx.writerPhone);
  }
  if (ID_WORDS.test(nearest)) return idNumber(digits) ?? 'unknown';
  if (THING_WORDS.test(nearest) || /^\d{4}-\d{1,2}-\d{1,2}$/.test(body)) return 'thing';
  if (/X$/.test(digits)) return idNumber(digits) ?? 'unknown';
  if (hasCountryCode) return phone(body, digits, true);
  if (BANK_WORDS.test(nearest) && digits.length >= 12) return bankCard(digits);
  if (/^1[3-9]\d{9}$/.test(digits)) return phone(body, digits, true);
  if (/^0\d{9,11}$/.test(digits) || /^\(0/.test(body)) return phone(body, digits, true);
  if (/^[48]00\d{7}$/.test(digits)) return 'thing'; // a business hotline
  if (/^[1-9]\d{6,7}$/.test(digits)) return PHONE_WORDS.test(nearest) ? phone(body, digits, false) : 'unknown';
  if (digits.length === 18 || digits.length === 15) {
    const id = idNumber(digits);
    if (id) return id;
  }
  if (digits.length >= 16 && digits.length <= 19) {
    const card = bankCard(digits);
    return luhn(digits) ? card : { ...card, unsure: '16–19 位数字，已按银行卡号遮蔽，请核对' };
  }
  return digits.length >= 7 ? 'unknown' : 'thing';
}

/** The words since the last sentence break: "订单号123，电话138…" must read 电话 for the phone. */
function lastClause(before: string): string {
  const parts = before.split(/[，。；！？,;!?\n]|\d/);
  return parts[parts.length - 1] ?? '';
}

function phone(body: string, digits: string, withArea: boolean): Found {
  if (/^1[3-9]\d{9}$/.test(digits)) return { kind: 'phone', replacement: `${digits.slice(0, 3)}****${digits.slice(7)}` };
  const area = withArea ? areaCode(body, digits) : '';
  const local = digits.slice(area.length);
  if (local.length < 7 || local.length > 8) return 'unknown';
  const masked = `${'*'.repeat(local.length - 4)}${local.slice(-4)}`;
  return { kind: 'phone', replacement: area ? `${area}-${masked}` : masked };
}

/** The area code as written ((0591), 0591-) or, run together, 010/02x are 3 digits and the rest 4. */
function areaCode(body: string, digits: string): string {
  const written = /^\(?(0\d{2,3})[) -]/.exec(body);
  if (written?.[1]) return written[1];
  if (!digits.startsWith('0')) return '';
  return /^0(10|2\d)/.test(digits) ? digits.slice(0, 3) : digits.slice(0, 4);
}

function idNumber(digits: string): Found | null {
  const shape18 = /^[1-8]\d{5}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dX]$/;
  const shape15 = /^[1-8]\d{5}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}$/;
  if (!shape18.test(digits) && !shape15.test(digits)) return null;
  return { kind: 'id_number', replacement: `${digits.slice(0, 2)}${'*'.repeat(digits.length - 5)}${digits.slice(-3)}` };
}

function bankCard(digits: string): { kind: 'bank_card'; replacement: string } {
  return { kind: 'bank_card', replacement: `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}` };
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}
