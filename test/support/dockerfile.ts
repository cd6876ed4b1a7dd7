/**
 * Reads the repository's Dockerfile into stages and instructions, so tests check the image's promises
 * (non-root, production dependencies, compiled entry points) and rebuild its runtime stage's file set
 * without a Docker engine. Enough of the syntax for our file: comments, `\` continuations, JSON (exec)
 * or shell forms.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface Instruction {
  keyword: string;
  /** The text after the keyword, continuations joined. */
  args: string;
}

export interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

export const DOCKERFILE = path.join(__dirname, '..', '..', 'Dockerfile');

export function parseDockerfile(text = readFileSync(DOCKERFILE, 'utf8')): Stage[] {
  const lines = text.split('\n').filter((line) => !/^\s*#/.test(line));
  const logical: string[] = [];
  let pending = '';
  for (const line of lines) {
    if (/\\\s*$/.test(line)) {
      pending += `${line.replace(/\\\s*$/, '')} `;
      continue;
    }
    const joined = (pending + line).trim();
    pending = '';
    if (joined) logical.push(joined);
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    const instruction = { keyword: keyword!.toUpperCase(), args: args!.replace(/\s+/g, ' ').trim() };
    if (instruction.keyword === 'FROM') {
      const [, from, name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(instruction.args)!;
      stages.push({ name: name ?? String(stages.length), from: from!, instructions: [] });
    } else if (stages.length === 0) {
      throw new Error(`Dockerfile: ${instruction.keyword} before the first FROM`);
    } else {
      stages[stages.length - 1]!.instructions.push(instruction);
    }
  }
  return stages;
}

/** A JSON (exec) form `["node", "x"]` as its array; a shell form as `['/bin/sh', '-c', text]`. */
export function commandOf(args: string): string[] {
  return args.startsWith('[') ? (JSON.parse(args) as string[]) : ['/bin/sh', '-c', args];
}

export interface Copy {
  /** The stage the files come from; undefined for the build context. */
  fromStage?: string;
  chown?: string;
  sources: string[];
  destination: string;
}

export function copiesOf(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY')
    .map((i) => {
      const words = i.args.split(' ');
      const flags = Object.fromEntries(
        words.filter((w) => w.startsWith('--')).map((w) => w.slice(2).split('=') as [string, string]),
      );
      const paths = words.filter((w) => !w.startsWith('--'));
      return {
        fromStage: flags.from,
        chown: flags.chown,
        sources: paths.slice(0, -1),
        destination: paths[paths.length - 1]!,
      };
    });
}

/** The HEALTHCHECK's command (after its options), or undefined when the stage has none. */
export function healthcheckOf(stage: Stage): string[] | undefined {
  const check = stage.instructions.filter((i) => i.keyword === 'HEALTHCHECK').pop();
  if (!check) return undefined;
  const match = /(?:^|\s)CMD\s+(.*)$/.exec(check.args);
  return match ? commandOf(match[1]!) : undefined;
}
