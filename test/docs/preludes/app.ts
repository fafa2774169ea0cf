/** Doc-example prelude `app`: stand-ins for the application's own code that examples call. */
import type { Middleware } from '@switchyard/core';

export declare const metrics: { record(route: string, outcome: string, totalTokens: number | undefined, latencyMs: number): void };
export declare const logger: { warn(fields: Record<string, unknown>): void };
export declare const log: { warn(message: string): void };
export declare function alert(message: string): void;
export declare function sleep(ms: number): Promise<void>;
/** A secret store. */
export declare const vault: { read(name: string): Promise<string> };
export declare const keyA: string;
export declare const keyB: string;
/** The middleware under test. */
export declare const myMiddleware: Middleware;
