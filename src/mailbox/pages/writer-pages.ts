import type { FormState } from '../../web/fields.js';
import { errorSummary, textField } from '../../web/fields.js';
import { html, type SafeHtml } from '../../web/html.js';
import { cnDate, shortTime } from '../../web/labels.js';
import { page } from '../../web/layout.js';
import type { CreatedLetter } from '../service/intake.js';
import type { WriterView } from '../service/writer-view.js';
import { consentSection, type ConsentFormState } from './consent-form.js';
import { typeLabel } from './labels.js';
import { ratingSection, type RatingFormState } from './rating-form.js';

// The writer's pages as public.ts sends them: the confirmation with the codes, the lookup form and its
// result (answers, the rating form, the consent to publication, the timeline).

export const FORM_EXPIRED = '页面已失效，请重新输入受理编号和查询码查询。';

/** One line under a 暂定 due date, for the writer: why it may still change. */
const PROVISIONAL_LINE =
  '暂定：期限内有日期的节假日安排（国务院办公厅通知）尚未公布，暂按周一至周五为工作日计算；通知公布后将重新计算，请以查询结果为准。';

/** The due date as the writer sees it, marked 暂定 with its explanation while it is provisional. */
function dueDateFact(dueDate: string, provisional: boolean): SafeHtml {
  if (!provisional) return html`<dt>答复期限</dt><dd>${cnDate(dueDate)}前</dd>`;
  return html`<dt>答复期限</dt><dd>${cnDate(dueDate)}前 <strong class="tag tag-provisional">暂定</strong>
<p class="provisional-note" id="due-provisional">${PROVISIONAL_LINE}</p></dd>`;
}

export function confirmationPage(letter: CreatedLetter, departmentName: string): string {
  return page(
    { title: '来信已提交', area: 'public', current: 'write' },
    html`<h1>来信已提交</h1>
<div class="receipt" role="status">
<p>本局已收到您的来信。请记下以下两项，查询办理进度和答复时需要：</p>
<dl class="codes">
<dt>受理编号</dt><dd><strong class="code" id="tracking-no">${letter.trackingNo}</strong></dd>
<dt>查询码</dt><dd><strong class="code" id="access-code">${letter.accessCode}</strong></dd>
</dl>
<p class="warning"><strong>查询码只显示这一次。</strong>请现在抄写或截图保存。本局只保存查询码的加密摘要，无法找回；工作人员也不会向您索要查询码。</p>
</div>
<h2>来信信息</h2>
<dl class="facts">
<dt>来信类型</dt><dd>${typeLabel(letter.type)}</dd>
<dt>承办处室</dt><dd>${departmentName}</dd>
<dt>收信时间</dt><dd>${shortTime(letter.receivedAt)}</dd>
${dueDateFact(letter.dueDate, letter.dueProvisional)}
</dl>
<p><a href="/lookup">查询办理进度</a> · <a href="/mailbox">返回局长信箱</a></p>`,
  );
}

export function lookupPage(state: FormState, notFound?: string): string {
  const codeField = {
    required: true,
    state,
    maxlength: 40,
    autocomplete: 'off',
    extra: html` autocapitalize="characters" spellcheck="false"`,
  };
  return page(
    { title: '查询办理进度', area: 'public', current: 'lookup' },
    html`<h1>查询办理进度</h1>
<p>请输入提交来信时得到的受理编号和查询码。</p>
<form method="post" action="/lookup" class="lookup-form">
${errorSummary(state.errors, ['trackingNo', 'accessCode'])}
${notFound && html`<p class="form-error" role="alert">${notFound}</p>`}
${textField({ ...codeField, name: 'trackingNo', label: '受理编号', hint: '如 261127-K7Q3M' })}
${textField({ ...codeField, name: 'accessCode', label: '查询码', keepValue: false })}
<div class="actions"><button type="submit" class="primary">查询</button></div>
</form>`,
  );
}

const whyLabel = (kind: string) =>
  kind === 'transferred' || kind === 'transfer_disputed' ? '转办理由：' : kind === 'rejected' ? '理由：' : '说明：';

export function lookupResultPage(v: WriterView, f: RatingFormState, consent: ConsentFormState = {}): string {
  const open = v.status === 'processing' || v.status === 'in_arbitration';
  const timeline: SafeHtml[] = v.timeline.map(
    (e) => html`<li>
<p class="when"><time datetime="${e.at}">${shortTime(e.at)}</time></p>
<p class="what">${e.title}</p>
${e.text && html`<p class="why">${whyLabel(e.kind)}${e.text}</p>`}
</li>`,
  );
  return page(
    { title: '办理进度', area: 'public', current: 'lookup' },
    html`<h1>办理进度</h1>
<dl class="facts">
<dt>受理编号</dt><dd class="code">${v.trackingNo}</dd>
<dt>标题</dt><dd>${v.subject}</dd>
<dt>来信类型</dt><dd>${typeLabel(v.type)}</dd>
<dt>办理状态</dt><dd><strong class="status status-${v.status}">${v.statusLabel}</strong></dd>
<dt>${open ? '当前承办处室' : '承办处室'}</dt><dd>${v.department.name}</dd>
<dt>收信时间</dt><dd>${shortTime(v.receivedAt)}</dd>
${open ? dueDateFact(v.dueDate, v.dueProvisional) : html`<dt>答复期限</dt><dd>${cnDate(v.dueDate)}前</dd>`}
</dl>
${
  v.answer &&
  html`<section class="answer" aria-labelledby="answer-h">
<h2 id="answer-h">答复</h2>
<p class="meta">答复时间：${shortTime(v.answer.answeredAt)}</p>
<div class="text">${v.answer.content}</div>
</section>`
}
${v.earlierAnswers.map(
  (a) => html`<section class="answer answer-earlier" aria-labelledby="answer-${a.round}-h">
<h2 id="answer-${a.round}-h">第 ${a.round} 次答复</h2>
<p class="meta">答复时间：${shortTime(a.answeredAt)}</p>
<div class="text">${a.content}</div>
</section>`,
)}
${ratingSection(v, f)}
${consentSection(v, f.formToken, consent)}
<section aria-labelledby="timeline-h">
<h2 id="timeline-h">办理过程</h2>
<ol class="timeline">${timeline}</ol>
</section>
<p><a href="/lookup">查询其他来信</a> · <a href="/mailbox">返回局长信箱</a></p>`,
  );
}
