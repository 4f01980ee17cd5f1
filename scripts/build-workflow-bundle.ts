#!/usr/bin/env node
// Builds the worker's workflow bundle (webpack, through the SDK's bundleWorkflowCode) in this
// short-lived process, so the worker never pays for webpack (docs/performance.md §5).
//
//   node --import tsx scripts/build-workflow-bundle.ts [--out-dir DIR]
//
// Writes DIR/workflow-bundle-<hash>.js, the hash covering workflows/, what they import at run time
// and package-lock.json (src/temporal/workflow-bundle.ts), and prints its path. Does nothing when that
// file exists already; removes the bundles of older sources. DIR defaults to $DATA_DIR/workflow-bundle
// (./data/workflow-bundle). `npm start` runs it when needed (src/main.ts); running it at deploy time
// saves that on the first start.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { BUNDLE_PREFIX, bundleFileOf, workflowSourceHash, workflowsPath } from '../src/temporal/workflow-bundle.js';

const i = process.argv.indexOf('--out-dir');
const outDir = path.resolve(
  i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : path.join(process.env.DATA_DIR || 'data', 'workflow-bundle'),
);
const file = bundleFileOf(outDir, workflowSourceHash());

if (!fs.existsSync(file)) {
  const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error };
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  fs.mkdirSync(outDir, { recursive: true });
  // Written aside and renamed: a concurrent build or a reader never sees half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, file);
  for (const old of fs.readdirSync(outDir)) {
    if (old.startsWith(BUNDLE_PREFIX) && path.join(outDir, old) !== file && !old.endsWith('.tmp'))
      fs.rmSync(path.join(outDir, old), { force: true });
  }
}
console.log(file);
