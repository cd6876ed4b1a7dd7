// Types of scripts/build-console.js (plain JavaScript: npm start runs it before tsx is involved).
export interface ConsoleBuild {
  jsGzipBytes: number;
  files: { file: string; raw: number; gzip: number }[];
}
export const JS_BUDGET_BYTES: number;
export const DEFAULT_OUT_DIR: string;
export function buildConsole(outDir?: string, options?: { quiet?: boolean }): ConsoleBuild;
/** Builds when dist/console is missing or older than its sources; true when it built. */
export function ensureConsoleBuilt(outDir?: string): boolean;
export function jsSizes(outDir: string): ConsoleBuild['files'];
