// Lints source probes with the project's own ESLint config, in a child process: Jest cannot load the
// ESM config file. Reads [{ file, source }] as JSON on stdin, prints the no-restricted-imports messages
// per probe as JSON.
import { ESLint } from 'eslint';
import process from 'node:process';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const probes = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const eslint = new ESLint({
  // Probe files are not on disk, so no type information: only the import rules are under test.
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports' || ruleId === '@typescript-eslint/no-restricted-imports',
});
const out = [];
for (const { file, source } of probes) {
  const [result] = await eslint.lintText(source, { filePath: file });
  out.push((result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message));
}
process.stdout.write(JSON.stringify(out));
