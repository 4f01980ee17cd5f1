export declare const API_HEAP_MB: number;
export declare const WORKER_HEAP_MB: number;
export declare const WORKER_SEMI_SPACE_MB: number;
export declare const WORKER_MALLOC_ARENA_MAX: number;
export declare function withMemoryCaps(execArgv: readonly string[], caps?: { oldSpaceMb?: number; semiSpaceMb?: number }): string[];
