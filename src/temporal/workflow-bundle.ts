// The worker's prebuilt workflow bundle. Bundling `workflows/` with webpack inside the worker process
// costs ≈ 137 MB of RSS there for good (docs/performance.md §5), so it is done once, in a short-lived
// process (scripts/build-workflow-bundle.ts), into a file named after a hash of everything that goes
// into it; the worker loads that file (`workflowBundle: { codePath }`). This module only hashes and
// finds files: it must not import @temporalio/worker (the API process imports it).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dieWithParent } from '../infra/parent-death.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const workflowsPath = path.join(ROOT, 'workflows/index.ts');
export const BUNDLE_PREFIX = 'workflow-bundle-';

/** Relative imports of a module that survive compilation (`import type …` is erased, so it is skipped). */
function runtimeImports(file: string, source: string): string[] {
  const found: string[] = [];
  const re = /(?:^|[\s;])(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/g;
  for (const m of source.matchAll(re)) {
    if (m[2]) continue;
    const spec = m[3]!;
    const base = path.resolve(path.dirname(file), spec);
    const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, path.join(base, 'index.ts')];
    const hit = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
    if (hit) found.push(hit);
  }
  return found;
}

/**
 * A hash of what the bundle is made of: every file under workflows/, the files they import at run time
 * (transitively, e.g. src/calendar/china-time.ts), and package-lock.json (the SDK's and webpack's
 * versions). A change to any of them gives a new file name, hence a rebuild.
 */
export function workflowSourceHash(root = ROOT): string {
  const files = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files.add(p);
    }
  };
  walk(path.join(root, 'workflows'));
  const queue = [...files].filter((f) => /\.[cm]?[jt]s$/.test(f));
  while (queue.length > 0) {
    const file = queue.pop()!;
    for (const dep of runtimeImports(file, fs.readFileSync(file, 'utf8'))) {
      if (!files.has(dep)) {
        files.add(dep);
        queue.push(dep);
      }
    }
  }
  const lock = path.join(root, 'package-lock.json');
  if (fs.existsSync(lock)) files.add(lock);
  const hash = createHash('sha256');
  for (const f of [...files].sort()) {
    hash.update(path.relative(root, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

export const bundleFileOf = (dir: string, hash: string) => path.join(dir, `${BUNDLE_PREFIX}${hash}.js`);

/**
 * The bundle file for the current sources under `dir`, built first by a child process
 * (`node --import tsx scripts/build-workflow-bundle.ts --out-dir <dir>`) when there is none.
 */
export async function ensureWorkflowBundle(opts: { dir: string; log?: (msg: string) => void; signal?: AbortSignal }): Promise<string> {
  const file = bundleFileOf(opts.dir, workflowSourceHash());
  if (fs.existsSync(file)) return file;
  opts.log?.(`building the workflow bundle ${file}`);
  const t0 = Date.now();
  // Killed with the process that asked for it, like the other children (src/infra/parent-death.mjs).
  const script = path.join(ROOT, 'scripts/build-workflow-bundle.ts');
  const builder = dieWithParent(process.execPath, ['--import', 'tsx', script, '--out-dir', opts.dir], 'SIGTERM');
  const child = spawn(...builder, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    signal: opts.signal, // a shutdown while building stops the build too
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c) => resolve(c));
  });
  if (code !== 0 || !fs.existsSync(file)) {
    throw new Error(`building the workflow bundle failed (exit code ${code}):\n${output.slice(-4000)}`);
  }
  opts.log?.(`workflow bundle built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return file;
}
