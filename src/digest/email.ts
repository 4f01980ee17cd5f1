import { escapeText } from '../web/escape.js';
import {
  DEPARTMENT_GROUPS,
  OFFICE_GROUPS,
  INSPECTION_SECTION_TITLE,
  inspectionLine,
  itemCount,
  letterNotes,
  missingNoticeLine,
  taskLine,
  taskSectionTitle,
  tasksOf,
  type DigestContent,
  type DigestLetter,
} from './rules.js';

type Section = { title: string; items: DigestLetter[] };

function sectionsOf(c: DigestContent): Section[] {
  if (c.kind === 'office') return OFFICE_GROUPS.map((g) => ({ title: g.title, items: c[g.key] }));
  return DEPARTMENT_GROUPS.map((g) => ({ title: g.title, items: c[g.key] }));
}

/** The digest as a Chinese e-mail, HTML plus plain text; the same groups and words as the digest page. */
export function digestEmail(day: string, c: DigestContent): { subject: string; text: string; html: string } {
  const subject = `【局长信箱】${day} 待办提醒：${c.departmentName}（${itemCount(c)} 件）`;
  const sections = sectionsOf(c).filter((s) => s.items.length > 0);
  const line = (l: DigestLetter) => {
    const office = c.kind === 'office' ? [`承办：${l.departmentName}`] : [];
    return `${l.trackingNo} ［${l.type}］${l.subject}（${[...office, ...letterNotes(l)].join('，')}）`;
  };
  const heading = (s: Section) => `${s.title}（${s.items.length} 件）`;
  const counts = c.kind === 'office' ? c.perDepartment.map((d) => `${d.name}：在办 ${d.open} 件，超期 ${d.overdue} 件`) : [];
  const notice = c.kind === 'office' && c.missingNotice ? [missingNoticeLine(c.missingNotice)] : [];
  const forms = tasksOf(c).map(taskLine);
  const formsHeading = `${taskSectionTitle(c)}（${forms.length} 件）`;
  const checks = c.kind === 'office' ? (c.inspection ?? []).map(inspectionLine) : [];
  const text = [
    `${c.departmentName}：`,
    `以下是 ${day} 局长信箱、网站信息审核和政府信息公开的待办事项，请及时办理。`,
    ...notice.flatMap((t) => ['', t]),
    ...sections.flatMap((s) => ['', heading(s), ...s.items.map((l) => `- ${line(l)}`)]),
    ...(forms.length > 0 ? ['', formsHeading, ...forms.map((t) => `- ${t}`)] : []),
    ...(checks.length > 0 ? ['', INSPECTION_SECTION_TITLE, ...checks.map((t) => `- ${t}`)] : []),
    ...(counts.length > 0 ? ['', '各处室在办件数：', ...counts.map((t) => `- ${t}`)] : []),
    '',
    '行政服务中心',
  ].join('\n');
  const list = (items: string[]) => `<ul>${items.map((t) => `<li>${escapeText(t)}</li>`).join('')}</ul>`;
  const html = [
    `<p>${escapeText(c.departmentName)}：</p><p>以下是 ${escapeText(day)} 局长信箱、网站信息审核和政府信息公开的待办事项，请及时办理。</p>`,
    ...notice.map((t) => `<p><strong>${escapeText(t)}</strong></p>`),
    ...sections.map((s) => `<h3>${escapeText(heading(s))}</h3>${list(s.items.map(line))}`),
    ...(forms.length > 0 ? [`<h3>${escapeText(formsHeading)}</h3>${list(forms)}`] : []),
    ...(checks.length > 0 ? [`<h3>${escapeText(INSPECTION_SECTION_TITLE)}</h3>${list(checks)}`] : []),
    ...(counts.length > 0 ? [`<h3>各处室在办件数</h3>${list(counts)}`] : []),
    '<p>行政服务中心</p>',
  ].join('\n');
  return { subject, text, html };
}
