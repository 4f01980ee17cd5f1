// Memory settings of the two Node processes of `npm start`: the API process (src/main.ts, started
// by scripts/start.mjs) and the worker process (src/worker-main.ts, forked by src/main.ts). Plain
// JavaScript so that scripts/start.mjs can read it before tsx is loaded. Measurements behind these
// values: docs/performance.md §5.

/** V8 old-generation cap of the API process, MiB (--max-old-space-size). */
export const API_HEAP_MB = 192;
/**
 * V8 young-generation semi-space cap of the API process, MiB. With Node's default (up to 16) the
 * largest letter's body, parsed and decoded, kept ≈ 40 MiB more resident (intake-memory.test.ts:
 * peak 314–328 MiB by default, 271–292 MiB at 4).
 */
export const API_SEMI_SPACE_MB = 4;
/** glibc malloc arenas of the API process (MALLOC_ARENA_MAX, unless set already). */
export const API_MALLOC_ARENA_MAX = 2;

/** The memory flags of the API process, for every place that starts it (npm start, tests, benchmarks). */
export const apiMemoryFlags = () => [`--max-old-space-size=${API_HEAP_MB}`, `--max-semi-space-size=${API_SEMI_SPACE_MB}`];
/** The API process's environment: `env` with its malloc arena cap unless `env` sets one. */
export const apiMemoryEnv = (env) => ({ MALLOC_ARENA_MAX: String(API_MALLOC_ARENA_MAX), ...env });
/**
 * V8 old-generation cap of the worker process, MiB. The daily digest over every open letter is built
 * in this process (bench/digest.ts: 1,000,000 letters).
 */
export const WORKER_HEAP_MB = 256;
/**
 * V8 young-generation semi-space cap of the worker process, MiB (--max-semi-space-size; Node's
 * default grows it to 16). Under a burst of letters the worker's two isolates (activities and the
 * workflow thread) otherwise each keep up to ≈ 3 × 16 MiB of young generation resident.
 */
export const WORKER_SEMI_SPACE_MB = 4;
/**
 * glibc malloc arenas of the worker process (MALLOC_ARENA_MAX, unless set already): the Temporal
 * core's threads otherwise each get an arena that keeps freed memory.
 */
export const WORKER_MALLOC_ARENA_MAX = 2;

/** `execArgv` with the memory flags named in `caps` replaced (a cap left out keeps what execArgv has). */
export function withMemoryCaps(execArgv, { oldSpaceMb, semiSpaceMb } = {}) {
  const drop = [oldSpaceMb !== undefined && '--max-old-space-size', semiSpaceMb !== undefined && '--max-semi-space-size'].filter(Boolean);
  return [
    ...execArgv.filter((a) => !drop.some((flag) => a.startsWith(flag))),
    ...(oldSpaceMb !== undefined ? [`--max-old-space-size=${oldSpaceMb}`] : []),
    ...(semiSpaceMb !== undefined ? [`--max-semi-space-size=${semiSpaceMb}`] : []),
  ];
}
