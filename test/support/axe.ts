import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

// axe-core in a real browser page, for the browser tests of the public pages (issue 15 point 11).

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's violations of impact serious or critical on the page, printed when there are any. */
export async function seriousViolations(page: Page, name: string): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const { violations, passes } = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: unknown[]; passes: unknown[] }> } }).axe;
    const r = await axe.run(document);
    return { violations: r.violations, passes: r.passes.length };
  });
  // axe ran its rules on a real page (contrast, names, landmarks…), not on an empty document.
  expect(passes, name).toBeGreaterThan(10);
  const bad = (violations as AxeViolation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const lines = bad.map((v) => `${name}: ${v.impact} ${v.id} — ${v.help} @ ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  if (lines.length > 0) console.log(lines.join('\n'));
  return lines;
}
