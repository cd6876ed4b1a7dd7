// Lints source probes with the project's own ESLint config, in a child process: Jest cannot load the
// ESM config file. Reads [{ file, source }] as JSON on stdin, prints the messages of the rules in CHECKED
// per probe as JSON.
import { ESLint } from 'eslint';
import process from 'node:process';

// The import and size rules: the ones whose file globs could silently stop matching.
const CHECKED = new Set([
  'no-restricted-imports',
  '@typescript-eslint/no-restricted-imports',
  'max-lines',
  'max-lines-per-function',
]);

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const probes = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const eslint = new ESLint({
  // Probe files are not on disk, so no type information: only the import rules are under test.
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => CHECKED.has(ruleId),
});
const out = [];
for (const { file, source } of probes) {
  const [result] = await eslint.lintText(source, { filePath: file });
  out.push((result?.messages ?? []).filter((m) => CHECKED.has(m.ruleId)).map((m) => m.message));
}
process.stdout.write(JSON.stringify(out));
