// The writer's work unit when they name it about themselves (我在…公司工作, 本人系…职工): with the
// letter's story it points at one person. A business the letter complains about is not personal data
// and is found by none of these phrases.
import type { Candidate } from './types.js';

const ORG = '(?:公司|集团|厂|医院|卫生院|学校|中学|小学|大学|学院|幼儿园|银行|支行|局|中心|酒店|商场|超市|委员会|站|所|院|店|社)';
const UNIT = `([^，。；！？、\\s：:]{2,25}?${ORG})`;
const JOB = '(?:的)?(?:退休)?(?:职工|员工|工作人员|教师|老师|医生|护士|学生|干部|会计|销售|保安|司机|工人)';
// Greedy where the unit runs to the end of the clause (工作单位：…中心，), lazy where a verb follows it.
const WHOLE_UNIT = `([^，。；！？、\\s：:]{2,25}${ORG})(?=[，。；！？、\\s]|$)`;
const PATTERNS = [
  new RegExp(`(?:我|本人|[，,])(?:目前|现在|一直)?在${UNIT}(?:工作|上班|任职|就职|就读|上学)`, 'g'),
  new RegExp(`(?:本人|[，,])(?:系|为)${UNIT}${JOB}`, 'g'),
  new RegExp(`(?:我|[，,])是${UNIT}${JOB}`, 'g'),
  new RegExp(`工作单位(?:是|为|[：:])\\s*${WHOLE_UNIT}`, 'g'),
];

export function findWorkUnits(text: string): Candidate[] {
  const units = new Set<string>();
  for (const p of PATTERNS) for (const m of text.matchAll(p)) if (m[1]) units.add(m[1]);
  const out: Candidate[] = [];
  for (const unit of units) {
    for (let i = text.indexOf(unit); i >= 0; i = text.indexOf(unit, i + unit.length)) {
      out.push({ kind: 'work_unit', start: i, end: i + unit.length, replacement: '某单位' });
    }
  }
  return out;
}
