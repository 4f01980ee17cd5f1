// Installs npm dependencies when a fresh clone has none, or when package-lock.json's content changed
// since the last install. Content, not modification time: a checkout or a git worktree touches the
// file without changing it, and an mtime check then reinstalled (and, through a shared node_modules,
// emptied it for everyone using it).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function ensureNodeModules(root) {
  const lockHash = createHash('sha256')
    .update(fs.readFileSync(path.join(root, 'package-lock.json')))
    .digest('hex');
  const stamp = path.join(root, 'node_modules', '.amr-installed-lock-sha256');
  const installed = fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim() : '';
  if (installed === lockHash) return;
  console.log('[setup] installing npm dependencies (npm ci)…');
  const res = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) throw new Error(`npm ci failed with exit code ${res.status}`);
  fs.writeFileSync(stamp, `${lockHash}\n`);
}
