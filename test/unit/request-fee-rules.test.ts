import { describe, expect, it } from 'vitest';
import { computeFee, feeText, piecesEarlierInMonth, type EarlierRequest } from '../../src/requests/fee-rules.js';

// 国办函〔2020〕109号: Art. 3 (progressive on the excess, one method per request), Art. 4 (per piece: the same
// applicant's pieces summed over one calendar month; ≤ 10 free, 11–30 100 元/件, then bands of 10 each
// +100 元/件), Art. 5 (by volume, per request: ≤ 30 pages free, 31–100 10 元/页, 101–200 20 元/页, ≥ 201 40 元/页).

const at = (iso: string) => new Date(iso);
const NOV = at('2026-11-16T10:00:00+08:00');
const perPiece = (pieces: number, earlier: EarlierRequest[] = [], receivedAt = NOV) =>
  computeFee({ method: 'per_piece', pieces, receivedAt, earlier });
const perPage = (pages: number) => computeFee({ method: 'per_page', pages });

describe('109号 Art. 4: per piece, progressive over the applicant’s calendar month', () => {
  it.each([
    [10, 0],
    [11, 100],
    [30, 2000],
    [31, 2200],
    [40, 4000],
    [41, 4300],
    [50, 7000],
    [51, 7400],
  ])('a first request of %i pieces in the month costs %i 元', (pieces, yuan) => {
    const fee = perPiece(pieces);
    expect(fee.amountYuan).toBe(yuan);
    expect(fee.amountFen).toBe(yuan * 100);
    expect(fee.lines.reduce((s, l) => s + l.subtotalYuan, 0)).toBe(yuan);
  });

  it('the lines show each band with unit price, quantity and subtotal (41 pieces)', () => {
    expect(feeText(perPiece(41))).toEqual([
      '按件计收（国办函〔2020〕109号第四条）：申请人2026年11月已累计申请0件，本申请41件，按第1—41件计算。',
      '第1—10件：10件，不收费',
      '第11—30件：100元/件 × 20件 = 2000元',
      '第31—40件：200元/件 × 10件 = 2000元',
      '第41—50件：300元/件 × 1件 = 300元',
      '合计：4300元',
    ]);
  });

  it('pieces already requested this month count first: 8 earlier + 5 now = pieces 9–13, three at 100 元 (a line names its band)', () => {
    const fee = perPiece(5, [
      { receivedAt: at('2026-11-02T09:00:00+08:00'), pieces: 3 },
      { receivedAt: at('2026-11-09T09:00:00+08:00'), pieces: 5 },
    ]);
    expect([fee.firstUnit, fee.lastUnit, fee.amountYuan]).toEqual([9, 13, 300]);
    expect(fee.lines.map((l) => [l.band, l.unitPriceYuan, l.quantity, l.subtotalYuan])).toEqual([
      ['第1—10件', 0, 2, 0],
      ['第11—30件', 100, 3, 300],
    ]);
  });

  it('the edges with earlier pieces: the 11th, 31st and 41st piece start a new band', () => {
    expect(perPiece(1, [{ receivedAt: NOV, pieces: 10 }]).amountYuan).toBe(100);
    expect(perPiece(1, [{ receivedAt: NOV, pieces: 9 }]).amountYuan).toBe(0);
    expect(perPiece(1, [{ receivedAt: NOV, pieces: 30 }]).amountYuan).toBe(200);
    expect(perPiece(1, [{ receivedAt: NOV, pieces: 29 }]).amountYuan).toBe(100);
    expect(perPiece(1, [{ receivedAt: NOV, pieces: 40 }]).amountYuan).toBe(300);
    expect(perPiece(2, [{ receivedAt: NOV, pieces: 39 }]).amountYuan).toBe(200 + 300);
  });

  it('the month is the China calendar month: 23:59 on 31 October (China) is October, 00:00 on 1 November is November', () => {
    const lastOctober = at('2026-10-31T15:59:59Z'); // 2026-10-31 23:59:59 China
    const firstNovember = at('2026-10-31T16:00:00Z'); // 2026-11-01 00:00:00 China, still 31 October in UTC
    const october: EarlierRequest[] = [{ receivedAt: lastOctober, pieces: 10 }];
    expect(piecesEarlierInMonth(firstNovember, october)).toBe(0);
    expect(perPiece(1, october, firstNovember).amountYuan).toBe(0);
    // The same 10 pieces in the same China month make the 11th cost 100 元.
    expect(perPiece(1, october, at('2026-10-31T08:00:00+08:00')).amountYuan).toBe(100);
    // 1 October 00:30 China is 30 September in UTC, and counts for October.
    expect(piecesEarlierInMonth(lastOctober, [{ receivedAt: at('2026-09-30T16:30:00Z'), pieces: 4 }])).toBe(4);
  });

  it('refuses a count that is not a positive integer', () => {
    expect(() => perPiece(0)).toThrow(RangeError);
    expect(() => perPiece(1.5)).toThrow(RangeError);
  });
});

describe('109号 Art. 5: by volume, progressive over the pages of the one request', () => {
  it.each([
    [30, 0],
    [31, 10],
    [100, 700],
    [101, 720],
    [200, 2700],
    [201, 2740],
    [250, 4700],
  ])('%i pages cost %i 元', (pages, yuan) => {
    expect(perPage(pages).amountYuan).toBe(yuan);
  });

  it('the lines for 201 pages', () => {
    expect(feeText(perPage(201))).toEqual([
      '按量计收（国办函〔2020〕109号第五条）：本申请共201页。',
      '第1—30页：30页，不收费',
      '第31—100页：10元/页 × 70页 = 700元',
      '第101—200页：20元/页 × 100页 = 2000元',
      '第201页及以上：40元/页 × 1页 = 40元',
      '合计：2740元',
    ]);
  });
});
