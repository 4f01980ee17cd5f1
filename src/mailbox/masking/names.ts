// Personal names. Chinese has no capitals, so a name is found only where people put one: after 我叫,
// 来信人： or a role word (邻居, 店主…), before 您好 or a title (王建国经理), or alone as a signature line.
// A surname with a title and no given name (王经理, 李科长) is left as written: it identifies no one.
import { surnameAt } from './surnames.js';
import type { Candidate, Unsure } from './types.js';

const HAN = /[\u4e00-\u9fff]/;
export const TITLES = [
  '先生',
  '女士',
  '小姐',
  '同志',
  '经理',
  '科长',
  '局长',
  '主任',
  '所长',
  '队长',
  '老板',
  '店长',
  '师傅',
  '医生',
  '律师',
  '老师',
  '阿姨',
  '大爷',
  '处长',
  '书记',
  '村长',
  '股长',
  '站长',
  '部长',
  '院长',
  '校长',
  '厂长',
  '总监',
  '主管',
  '警官',
  '大姐',
  '大哥',
  '老伯',
  '会计',
  '专员',
  '科员',
];
/** Introduces a name: 我叫王建国 / 来信人：王建国. */
const STRONG_BEFORE =
  /(我叫|我名叫|名叫|(?:^|[，,。\s])叫|姓名(?:是|为)?|来信人|写信人|举报人|投诉人|反映人|联系人|申请人|签名|署名|落款|户名|账户名|经办人|承办人|受理人|答复人|执法人员|尊敬的)[：:\s]*$/;
/** A person's role just before their name: 邻居王建国说… */
const ROLE_BEFORE =
  /(邻居|店主|老板|老板娘|老公|老婆|媳妇|孩子|女婿|儿媳|哥哥|姐姐|弟弟|妹妹|爷爷|奶奶|外婆|外公|岳父|岳母|叔叔|舅舅|经营者|验光师|前台|收银员|人员|业主|房东|租客|丈夫|妻子|爱人|儿子|女儿|父亲|母亲|婆婆|朋友|同事|工作人员|店员|销售员|业务员|导购|客服|员工|法定代表人|法人代表|负责人|代理人|委托人|当事人|老人|医生|护士|厨师|快递员|骑手|司机|物业管家|管家|主管|经理|教练|师傅|网友|市民|消费者|持卡人|患者|代表|联系|[\u4e00-\u9fff]{1,3}(?:人|者|员))[：:\s]?$/;
/** Weak: 我是/本人/叫 are also followed by ordinary words, so the name must end at punctuation. */
const WEAK_BEFORE = /(我是|本人|叫)$/;
/** Characters that end a name when they follow it (a verb or particle, not part of a given name). */
const FOLLOW = new Set(
  '说称讲在的于把将和与向给对是等也都就曾已要来去让被拒不没却又还带告表答打骂找请态这那今昨前后同及并多一只做每'.split(''),
);
/** What may stand just before a name found from the words after it (王建国经理, 张伟您好). */
const LEFT = new Set('的对向给请与和找叫问是被让称及同跟由经把到说系、'.split(''));
/** Words that often follow a name (王建国沟通无果, 李小明电话不接). */
const FOLLOW_WORDS = [
  '沟通',
  '承认',
  '声称',
  '表示',
  '拒绝',
  '当场',
  '长期',
  '经常',
  '一直',
  '负责',
  '私自',
  '电话',
  '手机',
  '只愿',
  '做了',
  '告诉',
  '答应',
  '介绍',
  '推荐',
  '本人',
  '以',
];
/** Words that begin with a surname but are no names. */
const NOT_NAMES = new Set(
  (
    '张贴 高中 黄金 金额 方面 方便 王府 周末 周边 周围 林业 安全 马上 时间 陈列 程序 于是 高兴 高价 白色 石头 明天 常常 向来 万元 余额 ' +
    '成本 成功 谢谢 感谢 关于 关注 关系 文件 文明 连续 连锁 司法 司机 商品 商家 商户 商场 商标 全部 全国 全市 全省 全额 应该 应当 和平 ' +
    '车辆 车主 申请 管理 党员 卫生 查询 查处 查看 包装 包括 单位 单据 毕业 曾经 解决 解释 游客 简单 项目 路口 路段 师傅 齐全 温度 ' +
    '安装 江边 华为 明显 尚未 罗列 程度 严重 严格 任何 任务 夏天 秋天 冷库 范围 龙眼 金融 方案 方式 石材 牛奶 牛肉 甘蔗 宁愿 向您 和您 包子'
  ).split(' '),
);

/** A full name (surname + one or two given characters) starting at `at`, or null. */
export function nameAt(text: string, at: number, weak = false): [number, number] | null {
  const rest = text.slice(at);
  const surname = surnameAt(rest);
  if (!surname) return null;
  const afterSurname = rest.slice(surname.length);
  if (afterSurname.startsWith('某') || TITLES.some((t) => afterSurname.startsWith(t))) return null;
  // 经理和李科长: 和 is no name, 李科长 is a surname and a title.
  if (surnameAt(afterSurname) && TITLES.some((t) => afterSurname.startsWith(t, 1))) return null;
  for (const given of [1, 2]) {
    const end = at + surname.length + given;
    const chars = text.slice(at + surname.length, end);
    if (chars.length < given || ![...chars].every((c) => HAN.test(c))) return null;
    if (NOT_NAMES.has(text.slice(at, end))) return null;
    if (endsName(text, end, weak)) return [at, end];
  }
  return null;
}

function endsName(text: string, end: number, weak: boolean): boolean {
  const next = text[end];
  if (next === undefined || !HAN.test(next)) return true;
  if (TITLES.some((t) => text.startsWith(t, end)) || text.startsWith('您好', end) || text.startsWith('你好', end)) return true;
  return !weak && (FOLLOW.has(next) || FOLLOW_WORDS.some((w) => text.startsWith(w, end)));
}

export function findNames(text: string, unsure: Unsure[]): Candidate[] {
  const found: [number, number][] = [];
  for (let i = 0; i < text.length; i++) {
    if (!HAN.test(text[i] ?? '')) continue;
    const before = text.slice(Math.max(0, i - 8), i);
    const weak = !STRONG_BEFORE.test(before) && !ROLE_BEFORE.test(before);
    if (weak && !WEAK_BEFORE.test(before)) continue;
    const span = nameAt(text, i, weak);
    if (span) found.push(span);
  }
  found.push(...namesBeforeTitles(text), ...signatureNames(text));
  // 业主代表：王建国、李小明 — a name after a name and 、 is one too.
  for (let k = 0; k < found.length && k < 200; k++) {
    const end = found[k]?.[1] ?? 0;
    const next = text[end] === '、' ? nameAt(text, end + 1) : null;
    if (next && !found.some(([s]) => s === next[0])) found.push(next);
  }
  flagLikelyNames(text, found, unsure);
  return everyOccurrence(text, found).map(([start, end]) => {
    const original = text.slice(start, end);
    const surname = surnameAt(original) ?? original.slice(0, 1);
    return { kind: 'name', start, end, replacement: surname + '*'.repeat(original.length - surname.length) };
  });
}

/** 王建国经理 / 张伟您好 / 李明同志：— the name is read backwards from the title. */
function namesBeforeTitles(text: string): [number, number][] {
  const out: [number, number][] = [];
  const after = new RegExp(`(${[...TITLES, '您好', '你好'].join('|')})`, 'g');
  for (const m of text.matchAll(after)) {
    for (const length of [4, 3, 2]) {
      const start = m.index - length;
      if (start < 0) continue;
      const left = text[start - 1];
      if (left !== undefined && HAN.test(left) && !LEFT.has(left)) continue;
      const span = nameAt(text, start);
      if (span && span[1] === m.index) {
        out.push(span);
        break;
      }
    }
  }
  return out;
}

/** A name alone on one of the last lines, or a name followed by the date: the letter's signature. */
function signatureNames(text: string): [number, number][] {
  const out: [number, number][] = [];
  const lines = [...text.matchAll(/[^\n]+/g)];
  const tail = lines.slice(-3);
  for (const line of lines) {
    const m =
      /^(\s*)([\u4e00-\u9fff]{2,4}?)(?:敬上|谨上|拜上)?\s*(?:[，,]?\s*(?:\d{4}|[〇零一二][〇零一二三四五六七八九]{3})\s*[年.\-/]|$)/.exec(
        line[0],
      );
    if (!m?.[2]) continue;
    const dated = !/^\s*[\u4e00-\u9fff]{2,4}(?:敬上|谨上|拜上)?\s*$/.test(line[0]);
    if (!dated && !tail.includes(line)) continue;
    const start = line.index + (m[1]?.length ?? 0);
    const span = nameAt(text, start);
    if (span && span[1] === start + m[2].length) out.push(span);
  }
  return out;
}

/** A surname-led word someone "said" or "did", not found by any rule above: a person should look. */
function flagLikelyNames(text: string, found: [number, number][], unsure: Unsure[]): void {
  for (const m of text.matchAll(/(?<=[，。；：、\n])([\u4e00-\u9fff]{2,3}?)(?=说|称|表示|承认|答应)/g)) {
    const span = nameAt(text, m.index);
    if (!span || found.some(([s, e]) => s < span[1] && span[0] < e)) continue;
    unsure.push({ start: span[0], end: span[1], reason: '疑似人名（仅凭姓氏判断），请人工核对' });
  }
}

/** Once a name is known, it is masked wherever else it appears. */
function everyOccurrence(text: string, spans: [number, number][]): [number, number][] {
  const names = new Set(spans.map(([s, e]) => text.slice(s, e)));
  const out: [number, number][] = [];
  for (const name of names) {
    for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + name.length)) out.push([i, i + name.length]);
  }
  return out;
}
