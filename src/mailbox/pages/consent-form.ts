import { errorSummary, hidden, type FormState } from '../../web/fields.js';
import { flag, html, type SafeHtml } from '../../web/html.js';
import type { WriterView } from '../service/writer-view.js';

export interface ConsentFormState {
  state?: FormState;
  /** Consent was just withdrawn. */
  withdrawn?: boolean;
}

/** The sentence the writer confirms: withdrawing takes a published letter down at once. */
export const WITHDRAW_CONFIRMATION = '我确认撤回公开同意。本信件将不再公开，已在网站公开的将立即撤下，撤回后不能恢复。';

/**
 * The writer's consent to publication on the result page: while given, the form to withdraw it (proven by
 * the page's form token, never the access code); after withdrawal, a line saying so.
 */
export function consentSection(v: WriterView, formToken: string, c: ConsentFormState = {}): SafeHtml | '' {
  if (c.withdrawn)
    return html`<section class="consent" aria-labelledby="consent-h"><h2 id="consent-h">公开同意</h2>
<p class="flash flash-ok" role="status">您已撤回公开同意。本信件不会在网站公开，已公开的已撤下。</p></section>`;
  if (!v.allowPublication) return '';
  const state = c.state ?? { values: {}, errors: {} };
  const error = state.errors.confirm;
  return html`<section class="consent" aria-labelledby="consent-h">
<h2 id="consent-h">公开同意</h2>
<p>您在来信时同意本局在网站“信件公开”栏目公开您的来信和答复（隐去姓名、电话等个人信息）。您可以随时撤回同意：<strong>已公开的信件将立即撤下。</strong></p>
<form method="post" action="/lookup/withdraw-consent" class="consent-form">
${errorSummary(state.errors, ['confirm'], 'consent')}
${hidden('trackingNo', v.trackingNo)}${hidden('formToken', formToken)}
<div class="field choices${error ? ' has-error' : ''}" data-field="confirm">
<p class="field-error" id="f-consent-confirm-error" data-error-for="confirm"${flag('hidden', !error)}>${error ?? ''}</p>
<div class="choice"><input type="checkbox" id="f-consent-confirm" name="confirm" value="yes" required aria-describedby="f-consent-confirm-error"${
    error ? html` aria-invalid="true"` : ''
  }>
<label for="f-consent-confirm">${WITHDRAW_CONFIRMATION}</label></div>
</div>
<div class="actions"><button type="submit">撤回公开同意</button></div>
</form>
</section>`;
}
