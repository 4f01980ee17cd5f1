export declare const API_HEAP_MB: number;
export declare const WORKER_HEAP_MB: number;
export declare const WORKER_SEMI_SPACE_MB: number;
export declare const WORKER_MALLOC_ARENA_MAX: number;
export declare function withMemoryCaps(execArgv: readonly string[], caps?: { oldSpaceMb?: number; semiSpaceMb?: number }): string[];
export declare const API_SEMI_SPACE_MB: number;
export declare const API_MALLOC_ARENA_MAX: number;
export declare function apiMemoryFlags(): string[];
export declare function apiMemoryEnv<T extends Record<string, string | undefined>>(env: T): T & { MALLOC_ARENA_MAX: string };
