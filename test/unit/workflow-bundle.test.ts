import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleFileOf, workflowSourceHash } from '../../src/temporal/workflow-bundle.js';

// The prebuilt workflow bundle is named after a hash of what goes into it; the worker process is
// rebuilt exactly when that changes (src/temporal/workflow-bundle.ts).

let root: string;
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function project(files: Record<string, string>) {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'amr-wfhash-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return (file: string, text: string) => fs.writeFileSync(path.join(root, file), text);
}

describe('workflowSourceHash', () => {
  const files = {
    'workflows/index.ts': "export { letterWorkflow } from './letter.js';\n",
    'workflows/letter.ts': [
      "import { proxyActivities } from '@temporalio/workflow';",
      "import type { Acts } from '../src/activities.js';",
      'import {',
      '  dayOf,',
      "} from '../src/time.js';",
      'export async function letterWorkflow() {}',
    ].join('\n'),
    'src/time.ts': "import { rule } from './rules.js';\nexport const dayOf = rule;\n",
    'src/rules.ts': 'export const rule = 1;\n',
    'src/activities.ts': 'export type Acts = {};\n',
    'src/unrelated.ts': 'export const x = 1;\n',
    'package-lock.json': '{"lockfileVersion":3}\n',
  };

  it('is stable, and names the bundle file', () => {
    project(files);
    const hash = workflowSourceHash(root);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(workflowSourceHash(root)).toBe(hash);
    expect(bundleFileOf('/data/workflow-bundle', hash)).toBe(`/data/workflow-bundle/workflow-bundle-${hash}.js`);
  });

  it('changes with workflows/, what they import at run time (transitively) and package-lock.json', () => {
    const write = project(files);
    let hash = workflowSourceHash(root);
    for (const [file, text] of [
      ['workflows/letter.ts', `${files['workflows/letter.ts']}\n// changed`],
      ['src/time.ts', `${files['src/time.ts']}// changed\n`],
      ['src/rules.ts', 'export const rule = 2;\n'],
      ['package-lock.json', '{"lockfileVersion":3,"x":1}\n'],
    ] as const) {
      write(file, text);
      const next = workflowSourceHash(root);
      expect(next, file).not.toBe(hash);
      hash = next;
    }
  });

  it('ignores type-only imports and files the workflows do not import', () => {
    const write = project(files);
    const hash = workflowSourceHash(root);
    write('src/activities.ts', 'export type Acts = { changed: true };\n');
    write('src/unrelated.ts', 'export const x = 2;\n');
    expect(workflowSourceHash(root)).toBe(hash);
  });
});
