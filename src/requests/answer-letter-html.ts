// The answer letter as a printable HTML page: the content model of answer-letter.ts in a letter-shaped
// article (app.css: .answer-letter, with the same @media print approach as the 审核单's print page —
// navigation, footer and forms hidden, A4 margins). Every text is escaped by `html`; nothing is raw.
import { html, type SafeHtml } from '../web/html.js';
import { page } from '../web/layout.js';
import type { AnswerLetter } from './answer-letter.js';

/** The letter itself, for a staff page or the applicant's lookup page. */
export function answerLetterArticle(letter: AnswerLetter): SafeHtml {
  return html`<article class="answer-letter" data-appeal-first="${String(letter.appealFirst)}">
<h1>${letter.title}</h1>
<p class="letter-number">${letter.letterNumber}</p>
<p class="letter-salutation">${letter.salutation}</p>
<p class="letter-outcome"><strong>${letter.outcomeLine}</strong></p>
${letter.paragraphs.map(
  (p) => html`<p class="letter-paragraph" data-section="${p.section}">${p.text}</p>
${p.lines && html`<ul class="letter-lines" data-section="${p.section}">${p.lines.map((l) => html`<li>${l}</li>`)}</ul>`}`,
)}
<p class="letter-signature">${letter.office}<br>${letter.date}</p>
</article>`;
}

/**
 * A whole print page: the letter, a hint (hidden in print) with the PDF link when there is one. `area`
 * picks the header: staff preview or the applicant's public page.
 */
export function answerLetterPage(letter: AnswerLetter, opts: { area: 'public' | 'staff'; pdfHref?: string }): string {
  return page(
    { title: `${letter.title} ${letter.letterNumber}`, area: opts.area, print: true },
    html`<p class="no-print hint">请使用浏览器的“打印”功能打印本页（打印时不显示导航）${opts.pdfHref ? html`；也可<a href="${opts.pdfHref}">下载 PDF</a>` : ''}。</p>
${answerLetterArticle(letter)}`,
  );
}
