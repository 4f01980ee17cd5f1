// Issue 14, point 2: the replacement form of each kind of personal data (个人信息保护法 Art. 25/73;
// 2018 政务公开工作要点: privacy-related information is published only after de-identification).
import { describe, expect, it } from 'vitest';
import { maskText, type MaskInput, type MaskResult } from '../../src/mailbox/masking/index.js';

function mask(text: string, extra: Omit<MaskInput, 'text'> = {}): MaskResult {
  const result = maskText({ text, ...extra });
  // Offsets are consistent in every case below.
  for (const s of result.spans) {
    expect(text.slice(s.start, s.end)).toBe(s.original);
    expect(result.masked.slice(s.maskedStart, s.maskedEnd)).toBe(s.replacement);
  }
  return result;
}
const masked = (text: string, extra: Omit<MaskInput, 'text'> = {}) => mask(text, extra).masked;

describe('phones (issue 14: 138****1234, 0591-****5678)', () => {
  it.each([
    ['电话13805912345。', '电话138****2345。'],
    ['电话138 0591 2345。', '电话138****2345。'],
    ['电话138-0591-2345。', '电话138****2345。'],
    ['电话+86 138 0591 2345。', '电话138****2345。'],
    ['电话0086-13805912345。', '电话138****2345。'],
    ['电话１３８０５９１２３４５。', '电话138****2345。'],
    ['电话一三八零五九一二三四五。', '电话138****2345。'],
    ['电话壹叁捌零伍玖壹贰叁肆伍。', '电话138****2345。'],
    ['座机0591-87654321。', '座机0591-****4321。'],
    ['座机(0591)87654321。', '座机0591-****4321。'],
    ['座机（0591）87654321。', '座机0591-****4321。'],
    ['座机059187654321。', '座机0591-****4321。'],
    ['座机0592-5123456。', '座机0592-***3456。'],
    ['座机87654321。', '座机****4321。'],
    ['手机13805912345 座机0591-87654321', '手机138****2345 座机0591-****4321'],
  ])('%s → %s', (text, expected) => expect(masked(text)).toBe(expected));

  it('leaves hotlines, order numbers and dates, and flags a bare digit run it cannot place', () => {
    const text = '拨打12315或400-800-1234，订单号20261103123456789，日期2026-11-03，编号87654321。另有一串59112233。';
    const result = mask(text);
    expect(result.masked).toBe(text);
    expect(result.unsure.map((u) => text.slice(u.start, u.end))).toEqual(['59112233']);
  });

  it('masks the phone the writer gave on the form even where nothing says it is a phone', () => {
    expect(masked('有事找87654321。', { writerPhone: '0591-87654321' })).toBe('有事找****4321。');
  });

  it('masks a phone in Chinese numerals and still asks a person to check it', () => {
    const text = '手机一五九八零五九一二三四';
    const result = mask(text);
    expect(result.masked).toBe('手机159****1234');
    expect(result.unsure).toEqual([{ start: 2, end: 13, reason: '用汉字书写的号码，已按号码遮蔽，请核对' }]);
  });
});

describe('ID numbers (issue 14: keep the first 2 and the last 3)', () => {
  it.each([
    ['身份证350102199003071234', '身份证35*************234'],
    ['身份证35010219900307123X', '身份证35*************23X'],
    ['身份证35010219900307123x', '身份证35*************23X'],
    ['身份证350102 19900307 1234', '身份证35*************234'],
    ['身份证３５０１０２１９９００３０７１２３４', '身份证35*************234'],
    ['老身份证350102900307123', '老身份证35**********123'],
    ['号码是350102199003071234。', '号码是35*************234。'],
  ])('%s → %s', (text, expected) => expect(masked(text)).toBe(expected));
});

it('masks the ID number the writer gave on the form even without 身份证 before it', () => {
  expect(masked('材料：350102199003071234', { writerIdNumber: '350102199003071234' })).toBe('材料：35*************234');
});

describe('e-mail, bank cards, plates', () => {
  it.each([
    ['邮箱zhangwei@qq.com。', '邮箱z***@qq.com。'],
    ['邮箱Lin.Xiao@163.com。', '邮箱L***@163.com。'],
    ['邮箱huang＠163.com。', '邮箱h***@163.com。'],
    ['银行卡6222 0212 3456 7890 128。', '银行卡***************0128。'],
    ['卡号6228480402564890018。', '卡号***************0018。'],
    ['卡号6214-8359-1234-5678。', '卡号************5678。'],
    ['车牌闽A12345。', '车牌闽A*****。'],
    ['车牌闽A·12345。', '车牌闽A*****。'],
    ['新能源车闽AD12345。', '新能源车闽A******。'],
    ['车牌粤B·F12345。', '车牌粤B******。'],
  ])('%s → %s', (text, expected) => expect(masked(text)).toBe(expected));

  it('masks the e-mail the writer gave, in any letter case', () => {
    expect(masked('请回复到 ZW@Example.org', { writerEmail: 'zw@example.org' })).toBe('请回复到 z***@example.org');
  });
});

describe('addresses (issue 14: down to township or street; the road name stays)', () => {
  it.each([
    ['住福州市鼓楼区五四路128号华林小区3栋2单元501室。', '住福州市鼓楼区五四路***。'],
    ['住莆田市城厢区龙桥街道荔园新村5幢302。', '住莆田市城厢区龙桥街道***。'],
    ['住福清市龙田镇东营村21号。', '住福清市龙田镇东营村***。'],
    ['住仓山区上渡路二十三号。', '住仓山区上渡路***。'],
    ['住鼓山镇福兴大道3号凯隆公寓2-1-203。', '住鼓山镇福兴大道***。'],
    ['我住在华林小区3栋501室', '我住在***'],
  ])('%s → %s', (text, expected) => expect(masked(text)).toBe(expected));

  it('leaves dates, document numbers, metro lines, windows and floors', () => {
    const text = '11月3号去1号窗口，坐地铁1号线，商场二楼，依据国办秘函〔2019〕19号和总局令第34号。';
    expect(mask(text).spans).toEqual([]);
  });
});

describe('names (issue 14: the writer → 网友, others → surname and *)', () => {
  it('masks the writer in full, as 张先生, and with 同志 in an answer, as 网友', () => {
    expect(masked('张伟同志您好：您反映的问题已处理。', { writerName: '张伟' })).toBe('网友您好：您反映的问题已处理。');
    expect(masked('张先生：您好！', { writerName: '张伟' })).toBe('网友：您好！');
    expect(masked('尊敬的欧阳女士：', { writerName: '欧阳娜娜' })).toBe('尊敬的网友：');
    expect(masked('晓明你好', { writerName: '林晓明' })).toBe('网友你好');
  });

  it.each([
    ['我叫王建国，想咨询。', '我叫王**，想咨询。'],
    ['尊敬的李小明：', '尊敬的李**：'],
    ['陈思远您好，', '陈**您好，'],
    ['邻居黄志强说他也被骗了。', '邻居黄**说他也被骗了。'],
    ['店主郑伟态度很差。', '店主郑*态度很差。'],
    ['欧阳娜娜经理答应退款。', '欧阳**经理答应退款。'],
    ['来信人：周海涛', '来信人：周**'],
    ['承办人：许文斌，电话见上。', '承办人：许**，电话见上。'],
    ['请尽快处理。\n蔡雅琴\n2026年11月3日', '请尽快处理。\n蔡**\n2026年11月3日'],
    ['请尽快处理。\n何俊杰 2026年11月3日', '请尽快处理。\n何** 2026年11月3日'],
    ['本人杨帆，男。', '本人杨*，男。'],
    ['我姓陈，叫陈美华，住附近。', '我姓陈，叫陈**，住附近。'],
  ])('%s → %s', (text, expected) => expect(masked(text)).toBe(expected));

  it('reads a name after a bare 叫 when punctuation ends it (店老板叫石磊，)', () => {
    expect(masked('店老板叫石磊，不接电话。')).toBe('店老板叫石*，不接电话。');
  });

  it('masks the names in a list after the first one (业主代表：王建国、李小明)', () => {
    expect(masked('业主代表：王建国、李小明。')).toBe('业主代表：王**、李**。');
  });

  it('masks a name everywhere once it is known from one place', () => {
    expect(masked('邻居罗志伟说……后来罗志伟又来了。')).toBe('邻居罗**说……后来罗**又来了。');
  });

  it('leaves a surname with a title (王经理, 李科长), an anonymised 王某, and words that start with a surname', () => {
    const text = '王经理和李科长说，店主王某不在。本人高中毕业，我是高中老师，本人曾多次投诉。';
    expect(mask(text).spans).toEqual([]);
  });

  it('flags a surname-led word that "said" something, without masking it', () => {
    const text = '当天，林海说不知道。';
    const result = mask(text);
    expect(result.masked).toBe(text);
    expect(result.unsure).toEqual([{ start: 3, end: 5, reason: '疑似人名（仅凭姓氏判断），请人工核对' }]);
  });
});

describe('the writer’s work unit (only when they name it about themselves)', () => {
  it('masks the employer everywhere, and leaves a business the letter complains about', () => {
    const text = '我在福州恒达科技有限公司工作，福州恒达科技有限公司拖欠工资。另投诉永辉超市五四路店。';
    expect(masked(text)).toBe('我在某单位工作，某单位拖欠工资。另投诉永辉超市五四路店。');
    expect(masked('本人系福建省立医院职工。')).toBe('本人系某单位职工。');
    expect(masked('工作单位：莆田市城厢区龙桥社区卫生服务中心，电话略。')).toBe('工作单位：某单位，电话略。');
  });
});

describe('the result', () => {
  it('lists spans in text order with their kinds, and masked offsets after earlier replacements', () => {
    const text = '我叫王建国，电话13805912345，邮箱a@qq.com。';
    const { spans, masked: out } = mask(text);
    expect(out).toBe('我叫王**，电话138****2345，邮箱a***@qq.com。');
    expect(spans.map((s) => [s.kind, s.start, s.end, s.maskedStart, s.maskedEnd])).toEqual([
      ['name', 2, 5, 2, 5],
      ['phone', 8, 19, 8, 19],
      ['email', 22, 30, 22, 33],
    ]);
  });

  it('returns the text unchanged when there is nothing personal', () => {
    expect(maskText({ text: '请问营业执照怎么办理？' })).toEqual({ masked: '请问营业执照怎么办理？', spans: [], unsure: [] });
  });
});

describe('any input', () => {
  // A fixed-seed generator: the same 400 texts each run, mixing the characters the detectors look at.
  const alphabet = [
    ...'王李欧阳张伟先生经理您好我叫邻居说，。：\n 0123456789１２３-()（）+86号栋室单元小区路区镇闽A·@qq.comX一三八零五九身份证卡号电话',
  ];
  let seed = 14;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const texts = Array.from({ length: 400 }, () =>
    Array.from({ length: 20 + Math.floor(random() * 120) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''),
  );

  it('never throws, and its spans are ordered, disjoint and rebuild the masked text', () => {
    for (const text of texts) {
      const result = maskText({ text, writerName: '王伟', writerPhone: '13805912345' });
      let rebuilt = '';
      let at = 0;
      for (const s of result.spans) {
        expect(s.start).toBeGreaterThanOrEqual(at);
        rebuilt += text.slice(at, s.start) + s.replacement;
        at = s.end;
      }
      expect(rebuilt + text.slice(at)).toBe(result.masked);
    }
  });
});
