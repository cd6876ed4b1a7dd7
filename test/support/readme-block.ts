/**
 * Reads a shell block of README.md as commands a test can run and check against what the README says
 * they answer. The block's conventions, which a human reader sees too:
 * - steps are separated by blank lines; a step's leading comment lines describe it;
 * - comment lines right after a command are the answer it prints, line by line (`...` stands for
 *   anything; a line starting `#  ` continues the previous answer line, for long JSON);
 * - a command with no comment after it documents no answer.
 */

export interface ReadmeCommand {
  /** Position in the block, 1-based: the name messages use. */
  index: number;
  /** Line in README.md where the command starts. */
  line: number;
  /** The first line of the description of the step it belongs to, for messages. */
  step: string;
  /** Shell text, exactly as written in the README. */
  script: string;
  /** The documented answer, one entry per output line; undefined when the README shows none. */
  answer?: string[];
}

/** The first ```sh block after the heading `heading`, before the next heading; throws naming what is missing. */
export function extractShellBlock(markdown: string, heading: string): { lines: string[]; firstLine: number } {
  const lines = markdown.split('\n');
  const at = lines.findIndex((l) => l.trim() === heading);
  if (at < 0) throw new Error(`README.md has no heading "${heading}"`);
  for (let i = at + 1; i < lines.length; i++) {
    if (/^#{1,6} /.test(lines[i]!)) break;
    if (lines[i]!.trim() === '```sh') {
      const end = lines.findIndex((l, j) => j > i && l.trim() === '```');
      if (end < 0) throw new Error(`README.md: the sh block under "${heading}" (line ${i + 1}) is never closed`);
      return { lines: lines.slice(i + 1, end), firstLine: i + 2 };
    }
  }
  throw new Error(`README.md has no \`\`\`sh block under "${heading}"`);
}

const isComment = (line: string) => line.trimStart().startsWith('#');
const uncomment = (line: string) => line.trimStart().replace(/^# ?/, '');

/** Splits the block into commands with their step description and documented answer. */
export function parseCommands(block: { lines: string[]; firstLine: number }): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  let step = '';
  let isStepStart = true;
  let script: string[] = [];
  let scriptLine = 0;
  let answer: string[] | undefined;
  const flush = () => {
    if (script.length > 0)
      commands.push({ index: commands.length + 1, line: scriptLine, step, script: script.join('\n'), answer });
    script = [];
    answer = undefined;
  };

  block.lines.forEach((line, i) => {
    if (line.trim() === '') {
      flush();
      isStepStart = true;
      return;
    }
    if (isComment(line)) {
      if (script.length === 0) {
        // Leading comments describe the step; messages quote their first line.
        if (isStepStart) step = uncomment(line);
        isStepStart = false;
        return;
      }
      const text = uncomment(line);
      if (answer && /^\s{1,}/.test(text)) answer[answer.length - 1] += text.trim();
      else answer = [...(answer ?? []), text];
      return;
    }
    if (answer) flush();
    if (script.length === 0) scriptLine = block.firstLine + i;
    isStepStart = false;
    script.push(line);
  });
  flush();
  return commands;
}

const pattern = (expected: string) =>
  new RegExp(
    `^${expected
      .split('...')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    's',
  );

/** Why `output` is not the documented answer, or undefined when it is. */
export function answerMismatch(answer: string[], output: string): string | undefined {
  const lines = output.split('\n').map((l) => l.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length !== answer.length) {
    return `the README shows ${answer.length} line(s) of answer, the command printed ${lines.length}`;
  }
  const wrong = answer.findIndex((expected, i) => !pattern(expected).test(lines[i]!));
  if (wrong < 0) return undefined;
  const printed = lines[wrong]!.length > 400 ? `${lines[wrong]!.slice(0, 400)}... (see below)` : lines[wrong];
  return `answer line ${wrong + 1} differs:\n  README:  ${answer[wrong]}\n  printed: ${printed}`;
}

/**
 * One bash script running every command in order in the same shell (variables and functions carry
 * over, as when a person pastes the block), each command's output, errors and exit status going to
 * numbered files in `outDir`.
 */
export function recordingScript(commands: ReadmeCommand[], outDir: string): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return commands
    .map(
      (c) =>
        `{\n${c.script}\n} >${q(`${outDir}/${c.index}.out`)} 2>${q(`${outDir}/${c.index}.err`)}; echo $? >${q(`${outDir}/${c.index}.status`)}\n`,
    )
    .join('');
}

/** How a command reads in a failure message. */
export function describeCommand(c: ReadmeCommand): string {
  return `README.md line ${c.line}, command ${c.index} (step "${c.step}"):\n${c.script
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}`;
}
