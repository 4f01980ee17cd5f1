// Locates or builds the two Temporal executables without internet access beyond the package
// registries. The SDK's own download of its dev and test servers cannot work here, so we build the
// CLI from the Go module proxy and assemble the Java test server from Maven Central, both cached
// outside the clone (keyed by version) so fresh clones and CI reuse them.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEST_SERVER_VERSION = '1.38.0';

export function cacheRoot() {
  const base = process.env.AMR_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'amr-portal');
  fs.mkdirSync(base, { recursive: true });
  return base;
}

function onPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

function requireTool(name, why) {
  const found = onPath(name);
  if (!found)
    throw new Error(`${name} is needed to ${why} but is not on PATH. Install it, or set the override variable named in README.md.`);
  return found;
}

function run(cmd, args, opts) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${res.status}`);
}

/** Path of the `temporal` CLI (dev server): TEMPORAL_CLI_PATH, then PATH, then the cache, else built. */
export function ensureTemporalCli({ log = console.log } = {}) {
  const override = process.env.TEMPORAL_CLI_PATH;
  if (override) {
    if (!fs.existsSync(override)) throw new Error(`TEMPORAL_CLI_PATH points at ${override}, which does not exist`);
    return override;
  }
  const fromPath = onPath('temporal');
  if (fromPath) return fromPath;
  const dir = path.join(cacheRoot(), `temporal-cli-${TEMPORAL_CLI_VERSION}`);
  const bin = path.join(dir, 'temporal');
  if (fs.existsSync(bin)) return bin;
  const go = requireTool('go', 'build the Temporal CLI (dev server)');
  log(`[tools] building the Temporal CLI ${TEMPORAL_CLI_VERSION} with go install into ${dir}; the first build takes several minutes…`);
  fs.mkdirSync(dir, { recursive: true });
  run(go, ['install', '-v', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
    env: { ...process.env, GOBIN: dir, GOFLAGS: '-mod=mod' },
  });
  if (!fs.existsSync(bin)) throw new Error(`go install finished but ${bin} is missing`);
  return bin;
}

/**
 * Path of an executable that starts Temporal's Java time-skipping test server: `<exe> <port> --enable-time-skipping`.
 * The SDK gives the server a fixed 5 s to come up, and a cold JVM on a loaded 2-core machine takes 5-7 s;
 * with a class-data-sharing archive of the server's classes (made once, here) it takes under 1 s.
 */
export async function ensureTestServer({ log = console.log } = {}) {
  const override = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (override) {
    if (!fs.existsSync(override)) throw new Error(`TEMPORAL_TEST_SERVER_PATH points at ${override}, which does not exist`);
    return override;
  }
  const dir = path.join(cacheRoot(), `temporal-test-server-${TEST_SERVER_VERSION}`);
  const wrapper = path.join(dir, 'temporal-test-server');
  const classpathFile = path.join(dir, 'classpath.txt');
  const archive = path.join(dir, 'classes.jsa');
  const classpathComplete = () =>
    fs.existsSync(classpathFile) &&
    fs
      .readFileSync(classpathFile, 'utf8')
      .trim()
      .split(':')
      .every((jar) => fs.existsSync(jar));

  if (!classpathComplete()) {
    const mvn = requireTool('mvn', 'fetch the Temporal time-skipping test server from Maven Central');
    requireTool('java', 'run the Temporal time-skipping test server');
    log(`[tools] fetching io.temporal:temporal-test-server:${TEST_SERVER_VERSION} from Maven Central into ${dir}…`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'pom.xml'),
      `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.amr-portal</groupId><artifactId>temporal-test-server-runtime</artifactId><version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>${TEST_SERVER_VERSION}</version>
    </dependency>
  </dependencies>
</project>
`,
    );
    run(mvn, ['-q', '-B', 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`], { cwd: dir });
    if (!classpathComplete()) throw new Error('Maven finished but the test server classpath is incomplete');
  }
  const classpath = fs.readFileSync(classpathFile, 'utf8').trim();
  const jvm = ['-Xss1m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-cp', classpath];
  if (!fs.existsSync(archive)) await dumpClassArchive(jvm, archive, log);
  // -Xshare:auto: should the archive not match this JVM, Java warns and starts without it.
  const java = `java -Xshare:auto -XX:SharedArchiveFile='${archive}' ${jvm.slice(0, 3).join(' ')} -cp "$(cat '${classpathFile}')"`;
  const script = [
    '#!/bin/sh',
    "# Starts Temporal's time-skipping test server; arguments: <port> [--enable-time-skipping]",
    `exec ${java} io.temporal.testserver.TestServer "$@"`,
    '',
  ].join('\n');
  if (!fs.existsSync(wrapper) || fs.readFileSync(wrapper, 'utf8') !== script) fs.writeFileSync(wrapper, script, { mode: 0o755 });
  return wrapper;
}

/** Starts the server once with -XX:ArchiveClassesAtExit, waits until it listens, stops it: the JVM writes the archive. */
async function dumpClassArchive(jvm, archive, log) {
  log("[tools] recording the test server's classes for a fast start (once)…");
  const port = await new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = srv.address();
      srv.close(() => resolve(p));
    });
    srv.on('error', reject);
  });
  const tmp = `${archive}.${process.pid}.tmp`;
  const child = spawn(
    'java',
    [`-XX:ArchiveClassesAtExit=${tmp}`, ...jvm, 'io.temporal.testserver.TestServer', String(port), '--enable-time-skipping'],
    { stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const open = await new Promise((resolve) => {
      const sock = net.connect(port, '127.0.0.1', () => {
        sock.destroy();
        resolve(true);
      });
      sock.on('error', () => resolve(false));
    });
    if (open) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGTERM');
  await exited;
  // Without an archive the server still works, only slower to start: not worth failing the run for.
  if (fs.existsSync(tmp)) fs.renameSync(tmp, archive);
  else log('[tools] no class archive was written; the test server will start without one');
}
