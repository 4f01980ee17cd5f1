import { escapeText } from '../web/escape.js';
import { itemCount, type DigestContent, type DigestLetter } from './rules.js';

type Section = { title: string; items: DigestLetter[]; note?: (l: DigestLetter) => string };

function sectionsOf(c: DigestContent): Section[] {
  if (c.kind === 'office') {
    return [
      { title: '已超期信件', items: c.overdue, note: (l) => `${l.departmentName}，已超期 ${l.workingDaysOverdue} 个工作日` },
      { title: '待办公室协调', items: c.awaitingArbitration, note: (l) => `已等待 ${l.waitingWorkingDays} 个工作日` },
    ];
  }
  return [
    { title: '已超期', items: c.overdue, note: (l) => `已超期 ${l.workingDaysOverdue} 个工作日` },
    { title: '今日到期', items: c.dueToday },
    { title: '下一工作日到期', items: c.dueTomorrow },
    { title: '新收信件', items: c.newLetters },
    { title: '转办待处理', items: c.transfersWaiting },
    { title: '待提交协办意见', items: c.opinionsOwed },
  ];
}

/** The digest as a Chinese e-mail, HTML plus plain text. */
export function digestEmail(day: string, c: DigestContent): { subject: string; text: string; html: string } {
  const subject = `【局长信箱】${day} 待办提醒：${c.departmentName}（${itemCount(c)} 件）`;
  const sections = sectionsOf(c).filter((s) => s.items.length > 0);
  const line = (s: Section, l: DigestLetter) =>
    `${l.trackingNo} ［${l.type}］${l.subject}（办理期限 ${l.dueDate}${s.note ? `，${s.note(l)}` : ''}）`;
  const heading = (s: Section) => `${s.title}（${s.items.length} 件）`;
  const counts = c.kind === 'office' ? c.perDepartment.map((d) => `${d.name}：在办 ${d.open} 件，超期 ${d.overdue} 件`) : [];
  const text = [
    `${c.departmentName}：`,
    `以下是 ${day} 局长信箱待办事项，请及时办理。`,
    ...sections.flatMap((s) => ['', heading(s), ...s.items.map((l) => `- ${line(s, l)}`)]),
    ...(c.kind === 'office' ? ['', '各处室在办件数：', ...counts.map((t) => `- ${t}`)] : []),
    '',
    '行政服务中心',
  ].join('\n');
  const list = (items: string[]) => `<ul>${items.map((t) => `<li>${escapeText(t)}</li>`).join('')}</ul>`;
  const html = [
    `<p>${escapeText(c.departmentName)}：</p><p>以下是 ${escapeText(day)} 局长信箱待办事项，请及时办理。</p>`,
    ...sections.map((s) => `<h3>${escapeText(heading(s))}</h3>${list(s.items.map((l) => line(s, l)))}`),
    ...(c.kind === 'office' ? [`<h3>各处室在办件数</h3>${list(counts)}`] : []),
    '<p>行政服务中心</p>',
  ].join('\n');
  return { subject, text, html };
}
