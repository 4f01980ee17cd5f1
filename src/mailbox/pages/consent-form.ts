import { hidden } from '../../web/fields.js';
import { html, type SafeHtml } from '../../web/html.js';
import type { WriterView } from '../service/writer-view.js';
import type { RatingFormState } from './rating-form.js';

/** The consent section of the result page: while the writer consents, a form to withdraw it (issue 14 point 1). */
export function consentSection(v: WriterView, f: RatingFormState & { consentWithdrawn?: boolean }): SafeHtml | '' {
  if (f.consentWithdrawn) {
    return html`<section class="consent" aria-labelledby="consent-h"><h2 id="consent-h">公开同意</h2>
<p class="flash flash-ok" role="status">您已撤回公开同意：本信件不会在网站公开，已公开的已立即撤下。</p></section>`;
  }
  if (!v.allowPublication) return '';
  return html`<section class="consent" aria-labelledby="consent-h">
<h2 id="consent-h">公开同意</h2>
<p>您写信时同意本信件经去除个人信息后在网站选登。您可以随时撤回；撤回后，已公开的信件将立即撤下。</p>
<form method="post" action="/lookup/withdraw-consent">
${hidden('trackingNo', v.trackingNo)}${hidden('formToken', f.formToken)}
<div class="actions"><button type="submit">撤回公开同意</button></div>
</form>
</section>`;
}
