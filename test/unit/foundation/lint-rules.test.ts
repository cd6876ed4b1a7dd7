import { execFileSync } from 'node:child_process';
import path from 'node:path';

// The lint rules that keep workflow code deterministic, checked against probes: a rule that silently
// stopped matching (a renamed folder, a changed glob) would let I/O into replayed code.
const root = path.resolve(__dirname, '../../..');

const refused: [string, string][] = [
  ["import fs from 'node:fs';", 'Node built-ins'],
  ["import { randomUUID } from 'crypto';", 'Node built-ins'],
  ["import { PrismaClient } from '../../prisma/generated/client';", 'database'],
  ["import Fastify from 'fastify';", 'no I/O'],
  ["import nodemailer from 'nodemailer';", 'no I/O'],
  ["import { createDb } from '../../lib/db';", 'lib/'],
  ["import { Client } from '@temporalio/client';", '@temporalio/workflow only'],
];
const allowedInWorkflows = [
  "import { proxyActivities } from '@temporalio/workflow';",
  "import { msToNumber } from '@temporalio/common/lib/time';",
  "import { allocateOrder } from '../../domain/fulfillment/atp';",
  "import { runSteps } from '../engine/run-steps';",
].join('\n');
const activityIo = "import fs from 'node:fs';\nimport { createDb } from '../lib/db';";
const libFromApi = "import { DISPATCHER_DEFAULTS } from '../api/intake/dispatcher';";
const benchFromTest = "import { startHarness } from '../test/support/harness';";
const consoleValue = "import { allocateOrder } from '../../domain/fulfillment/atp';";
const consoleType = "import type { RunState } from '../../workflows/engine/state';";
const consoleStatuses = "import { INVOICE_STATUSES } from '../../domain/statuses';";
const deepConsoleValue = "import { allocateOrder } from '../../../../domain/fulfillment/atp';";
const deepConsoleStatuses =
  "import { INVOICE_STATUSES } from '../../../../domain/statuses';\nimport { api } from '../../api';";
const longWorkflow = `export function long(): number {\n  let n = 0;\n${'  n += 1;\n'.repeat(300)}  return n;\n}\n`;

let messages: string[][];

beforeAll(() => {
  const probes = [
    ...refused.map(([source]) => ({ file: path.join(root, 'workflows/fulfillment/probe.ts'), source })),
    { file: path.join(root, 'workflows/fulfillment/probe.ts'), source: allowedInWorkflows },
    { file: path.join(root, 'activities/probe.ts'), source: activityIo },
    { file: path.join(root, 'lib/probe.ts'), source: libFromApi },
    { file: path.join(root, 'bench/probe.ts'), source: benchFromTest },
    { file: path.join(root, 'console/src/probe.ts'), source: consoleValue },
    { file: path.join(root, 'console/src/probe.ts'), source: consoleType },
    { file: path.join(root, 'workflows/fulfillment/probe.ts'), source: longWorkflow },
    { file: path.join(root, 'console/src/probe.ts'), source: consoleStatuses },
    { file: path.join(root, 'console/src/screens/order/probe.tsx'), source: deepConsoleValue },
    { file: path.join(root, 'console/src/screens/order/probe.tsx'), source: deepConsoleStatuses },
    { file: path.join(root, 'api/routes/probe.ts'), source: longWorkflow },
    { file: path.join(root, 'console/src/screens/probe.tsx'), source: longWorkflow },
    { file: path.join(root, 'test/api/probe.test.ts'), source: longWorkflow },
  ];
  const out = execFileSync(process.execPath, [path.join(root, 'test/support/lint-probe.mjs')], {
    cwd: root,
    input: JSON.stringify(probes),
    encoding: 'utf8',
  });
  messages = JSON.parse(out) as string[][];
});

describe('workflow import rules', () => {
  it.each(refused.map(([source, reason], i) => [source, reason, i] as const))(
    'refuses %s in workflows/',
    (_source, reason, i) => {
      expect(messages[i]).toEqual([expect.stringContaining(reason)]);
    },
  );

  it('allows the SDK, domain code and shared workflow helpers', () => {
    expect(messages[refused.length]).toEqual([]);
  });

  it('leaves activities free to do I/O', () => {
    expect(messages[refused.length + 1]).toEqual([]);
  });

  it('keeps lib/ free of imports from api/', () => {
    expect(messages[refused.length + 2]).toEqual([expect.stringContaining('lib/ imports nothing from api/')]);
  });

  it('keeps bench/ free of imports from test/', () => {
    expect(messages[refused.length + 3]).toEqual([expect.stringContaining('import nothing from test/')]);
  });

  it.each([
    ['workflows/', 6],
    ['api/', 10],
    ['console/src/', 11],
  ])('keeps files in %s under 300 lines and functions under 80', (_folder, k) => {
    expect(messages[refused.length + k]).toEqual([
      expect.stringMatching(/^Function 'long' has too many lines/),
      expect.stringMatching(/^File has too many lines/),
    ]);
  });

  it('leaves tests (scenarios, case tables) free of the size limits', () => {
    expect(messages[refused.length + 12]).toEqual([]);
  });

  it('lets the console take server code as types only', () => {
    expect(messages[refused.length + 4]).toEqual([expect.stringContaining('as types only')]);
    expect(messages[refused.length + 5]).toEqual([]);
  });

  it('lets the console take the status catalogue as values, from any folder depth', () => {
    expect(messages[refused.length + 7]).toEqual([]);
    expect(messages[refused.length + 8]).toEqual([expect.stringContaining('as types only')]);
    expect(messages[refused.length + 9]).toEqual([]);
  });
});
