// Street addresses are cut to the street: 省/市/区/县/街道/镇/乡 and the road name stay, the house number,
// estate, building, unit and room go (2018 政务公开工作要点: privacy only after de-identification).
// Runs on the digit-normalised text. Every house-number detail is dropped, a shop's too: it costs the
// reader nothing, and telling a shop from a home is beyond a pattern.
import type { Candidate } from './types.js';

const NUM = String.raw`(?:\d+|[一二三四五六七八九十百零〇]+)`;
const UNIT = '(?:号楼|号院|号|栋|幢|座|单元|室|楼|层|弄|户|排)';
/** An estate's own name: no road, district or connecting word inside it. */
const ESTATE_CHAR = String.raw`(?:(?![在住于的是我家位到从至和与及路街道巷区县镇乡市省])[\u4e00-\u9fff])`;
const ESTATE = `${ESTATE_CHAR}{2,6}?(?:小区|花园|公寓|新村|家园|苑|大厦|公馆|山庄|嘉园|华府|新城|宿舍|大院)`;
const TOKEN = String.raw`(?:${NUM}(?:[-—]\d+)*\s?${UNIT}|(?<=[栋幢座元楼层号])\d{2,5}(?![\d年月日元号])|[A-Za-z]\s?(?:座|栋|幢|区|号楼)|(?:附|之)\d+号?|(?<![\d-])\d{1,3}(?:-\d{1,4}){1,3}(?![\d-])室?|${ESTATE})`;
const CHAIN = new RegExp(`(?:${TOKEN}\\s?)+`, 'g');

/** Just before a 号, these make it a house number (五四路128号, 城关镇12号), not a date or a document. */
const ROAD_END = /[路街道巷里弄村坊院园港城区县镇乡]$/;
/** Units that only a dwelling or a building has. */
const DWELLING = /(号楼|栋|幢|单元|室|弄|户|[A-Za-z]座)/;
const ESTATE_ONLY = new RegExp(`^${ESTATE}$`);

export function findAddresses(norm: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of norm.matchAll(CHAIN)) {
    const chain = m[0].trimEnd();
    const before = norm.slice(Math.max(0, m.index - 1), m.index);
    if (/[第〕\]）)]$/.test(before) || /^\d+(?:-\d+)*号(?:线|文|令|窗口|柜台|通道|展位|门)/.test(norm.slice(m.index))) continue;
    const anchored = ROAD_END.test(before);
    const hasEstate = new RegExp(ESTATE).test(chain);
    // 2-1-203 is a flat only beside an estate or a road (400-800-1234 and X200-5G are not).
    const isAddress =
      DWELLING.test(chain) ||
      ((hasEstate || anchored) && /\d-\d/.test(chain)) ||
      (anchored && /号/.test(chain)) ||
      (hasEstate && !ESTATE_ONLY.test(chain)) ||
      (hasEstate && anchored);
    if (!isAddress) continue;
    out.push({ kind: 'address', start: m.index, end: m.index + chain.length, replacement: '***' });
  }
  return out;
}
