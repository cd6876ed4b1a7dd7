#!/usr/bin/env node
// The console (console/, React + Vite) built into dist/console/. `npm run build` always builds it;
// `npm start` and `npm test` call ensureConsoleBuilt(), which builds only when the sources, the lock
// file or this script changed since the stamp written by the last build, so the README's two commands
// stay the whole set-up. Every build prints the JavaScript's gzipped size and fails above the budget.
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { gzipSync } = require('node:zlib');
const path = require('node:path');

const root = path.join(__dirname, '..');
const sourceDir = path.join(root, 'console');
const DEFAULT_OUT_DIR = path.join(root, 'dist', 'console');
const STAMP = '.build-stamp';
/** The console's whole JavaScript, gzipped (issue 13). */
const JS_BUDGET_BYTES = 300 * 1000;

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : filesUnder(full);
    return [full];
  });
}

/** What the build depends on: every source file's path and bytes, the lock file and this script. */
function sourceHash() {
  const hash = createHash('sha256');
  const inputs = [...filesUnder(sourceDir).sort(), path.join(root, 'package-lock.json'), __filename];
  for (const file of inputs) {
    hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Gzipped bytes of every .js file in the build, largest first. */
function jsSizes(outDir) {
  return filesUnder(outDir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => ({
      file: path.relative(outDir, f),
      raw: statSync(f).size,
      gzip: gzipSync(readFileSync(f), { level: 9 }).length,
    }))
    .sort((a, b) => b.gzip - a.gzip);
}

function buildConsole(outDir = DEFAULT_OUT_DIR, { quiet = false } = {}) {
  rmSync(outDir, { recursive: true, force: true });
  const vite = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const result = spawnSync(
    process.execPath,
    [
      vite,
      'build',
      '--config',
      path.join(sourceDir, 'vite.config.ts'),
      '--outDir',
      outDir,
      '--emptyOutDir',
      ...(quiet ? ['--logLevel', 'warn'] : []),
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (result.status !== 0) throw new Error(`console build failed (vite exit ${result.status ?? result.signal})`);
  const sizes = jsSizes(outDir);
  const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
  const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
  process.stdout.write(
    `console: JavaScript ${kb(total)} gzipped (budget ${kb(JS_BUDGET_BYTES)}) in ${sizes.length} file(s) -> ${path.relative(root, outDir) || outDir}\n`,
  );
  if (total > JS_BUDGET_BYTES) {
    for (const s of sizes) process.stderr.write(`  ${s.file}: ${kb(s.gzip)} gzipped\n`);
    throw new Error(`console JavaScript is ${kb(total)} gzipped, over the ${kb(JS_BUDGET_BYTES)} budget`);
  }
  writeFileSync(path.join(outDir, STAMP), sourceHash());
  return { jsGzipBytes: total, files: sizes };
}

/** Builds the console when dist/console is missing or older than its sources; true when it built. */
function ensureConsoleBuilt(outDir = DEFAULT_OUT_DIR) {
  const stampFile = path.join(outDir, STAMP);
  if (
    existsSync(stampFile) &&
    readFileSync(stampFile, 'utf8') === sourceHash() &&
    existsSync(path.join(outDir, 'index.html'))
  )
    return false;
  process.stdout.write('console: sources changed since the last build; building dist/console...\n');
  buildConsole(outDir, { quiet: true });
  return true;
}

module.exports = { buildConsole, ensureConsoleBuilt, jsSizes, JS_BUDGET_BYTES, DEFAULT_OUT_DIR };

if (require.main === module) {
  try {
    if (process.argv.includes('--if-stale')) ensureConsoleBuilt();
    else buildConsole(process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_OUT_DIR);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
