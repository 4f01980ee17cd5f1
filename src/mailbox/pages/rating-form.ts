import { choiceGroup, errorSummary, hidden, textArea, type FormState } from '../../web/fields.js';
import { html, type SafeHtml } from '../../web/html.js';
import { cnDate, shortTime } from '../../web/labels.js';
import { RATING_COMMENT_MAX, RATING_LABELS, RATINGS } from '../rating-rules.js';
import type { WriterView } from '../service/writer-view.js';

export interface RatingFormState {
  formToken: string;
  state: FormState;
  /** Why the rating was refused (409), shown above the form. */
  message?: string;
  /** The rating was just stored. */
  rated?: boolean;
}

/** The 满意 / 基本满意 / 不满意 form, while the current answer may be rated; else what was rated or decided. */
export function ratingSection(v: WriterView, f: RatingFormState): SafeHtml | '' {
  const r = v.rating;
  const closing =
    r.closing &&
    html`<div class="why-box" id="closing"><p class="what">办公室说明（${shortTime(r.closing.closedAt)}）</p><div class="text">${r.closing.explanation}</div></div>`;
  if (r.given) {
    return html`<section class="rating" aria-labelledby="rating-h">
<h2 id="rating-h">您的评价</h2>
${f.rated && html`<p class="flash flash-ok" role="status">感谢您的评价。</p>`}
<p><strong class="rating-given">${r.given.label}</strong>（${shortTime(r.given.ratedAt)}）</p>
${r.given.comment && html`<p class="why">${r.given.comment}</p>`}
${r.given.rating === 'dissatisfied' && !closing && v.status === 'answered' ? html`<p>办公室将核查后重新交办或作出说明。</p>` : ''}
${closing}
</section>`;
  }
  if (!r.canRate)
    return closing ? html`<section class="rating" aria-labelledby="rating-h"><h2 id="rating-h">办结说明</h2>${closing}</section>` : '';
  const options = RATINGS.map((value) => ({ value, label: RATING_LABELS[value] }));
  return html`<section class="rating" aria-labelledby="rating-h">
<h2 id="rating-h">对答复是否满意</h2>
<p class="hint">每次答复可评价一次，请于${cnDate(r.windowEndsOn!)}（含当日）前评价。选择“不满意”的，办公室将核查后重新交办或作出说明。</p>
<form method="post" action="/lookup/rating" class="rating-form">
${errorSummary(f.state.errors, ['rating', 'comment'], 'rate')}
${f.message && html`<p class="form-error" role="alert">${f.message}</p>`}
${hidden('trackingNo', v.trackingNo)}${hidden('formToken', f.formToken)}
${choiceGroup({ kind: 'radio', name: 'rating', label: '评价', required: true, state: f.state, options, scope: 'rate' })}
${textArea({ name: 'comment', label: '意见', state: f.state, rows: 3, maxlength: RATING_COMMENT_MAX, counter: true, scope: 'rate' })}
<div class="actions"><button type="submit" class="primary">提交评价</button></div>
</form>
</section>`;
}
