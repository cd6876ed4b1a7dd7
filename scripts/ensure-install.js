#!/usr/bin/env node
// `npm start` on a fresh clone: install dependencies first if nobody ran `npm ci` yet.
const { existsSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const installed =
  existsSync(path.join(root, 'node_modules', '.package-lock.json')) &&
  existsSync(path.join(root, 'prisma', 'generated', 'client.ts'));
if (!installed) {
  console.log('closedloop: installing dependencies (npm ci)...');
  const r = spawnSync('npm', ['ci'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
