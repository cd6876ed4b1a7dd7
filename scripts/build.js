#!/usr/bin/env node
// `npm run build`: compiles the app (tsconfig.build.json: no tests, no benchmarks) into dist/, then
// bundles the workflow code beside it (dist/workflow-bundle.js), so production processes start with
// plain `node dist/...`: no tsx, and no webpack run when a worker starts. `node scripts/build.js DIR`
// builds into DIR instead (the build test does, to leave dist/ alone).
const { spawnSync } = require('node:child_process');
const { rmSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'dist'));
// A clean dist/: compiled files of deleted sources must not ship. A folder given by hand is left to its owner.
if (process.argv[2] === undefined) rmSync(outDir, { recursive: true, force: true });

function run(what, args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`build: ${what} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status || 1);
  }
}

run('tsc', [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json'), '--outDir', outDir]);
run('workflow bundle', [path.join(outDir, 'workers', 'workflow-bundle.js')]);
// The console's static files (dist/console/ under the default folder), served by the API at /console/.
run('console', [path.join(root, 'scripts', 'build-console.js'), path.join(outDir, 'console')]);
