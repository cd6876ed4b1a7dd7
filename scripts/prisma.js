#!/usr/bin/env node
// Runs the Prisma CLI with the offline-safe set-up. `prisma generate` needs *some* DATABASE_URL or
// Prisma 6 tries to download a native engine; generation never connects, so a placeholder is enough.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.DATABASE_URL) env.DATABASE_URL = 'postgresql://placeholder@127.0.0.1:1/placeholder';
const cli = path.join(__dirname, '..', 'node_modules', 'prisma', 'build', 'index.js');
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
