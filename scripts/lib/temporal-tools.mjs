// Locates or builds the two Temporal executables without internet access beyond the package
// registries. The SDK's own download of its dev and test servers cannot work here, so we build the
// CLI from the Go module proxy and assemble the Java test server from Maven Central, both cached
// outside the clone (keyed by version) so fresh clones and CI reuse them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
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
  if (!found) throw new Error(`${name} is needed to ${why} but is not on PATH. Install it, or set the override variable named in README.md.`);
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

/** Path of an executable that starts Temporal's Java time-skipping test server: `<exe> <port> --enable-time-skipping`. */
export function ensureTestServer({ log = console.log } = {}) {
  const override = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (override) {
    if (!fs.existsSync(override)) throw new Error(`TEMPORAL_TEST_SERVER_PATH points at ${override}, which does not exist`);
    return override;
  }
  const dir = path.join(cacheRoot(), `temporal-test-server-${TEST_SERVER_VERSION}`);
  const wrapper = path.join(dir, 'temporal-test-server');
  const classpathFile = path.join(dir, 'classpath.txt');
  const complete = () =>
    fs.existsSync(wrapper) &&
    fs.existsSync(classpathFile) &&
    fs.readFileSync(classpathFile, 'utf8').trim().split(':').every((jar) => fs.existsSync(jar));
  if (complete()) return wrapper;

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
    <dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>${TEST_SERVER_VERSION}</version></dependency>
  </dependencies>
</project>
`,
  );
  run(mvn, ['-q', '-B', 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`], { cwd: dir });
  fs.writeFileSync(
    wrapper,
    `#!/bin/sh\n# Starts Temporal's time-skipping test server; arguments: <port> [--enable-time-skipping]\nexec java -Xss1m -cp "$(cat '${classpathFile}')" io.temporal.testserver.TestServer "$@"\n`,
    { mode: 0o755 },
  );
  if (!complete()) throw new Error('Maven finished but the test server classpath is incomplete');
  return wrapper;
}
