export declare function parentDeathSignalSupported(): boolean;
export declare function dieWithParent(command: string, args: string[], signal: NodeJS.Signals): [string, string[]];
