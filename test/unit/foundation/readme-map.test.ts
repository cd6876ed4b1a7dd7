import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// The README's "How it is built" map answers "where is X?": every folder the repository holds, down to
// the second level of the source folders, must be named there, so a new folder cannot land unmapped.
const ROOT = path.resolve(__dirname, '../../..');
const DETAILED = ['api', 'workflows', 'activities', 'adapters', 'domain', 'runtime', 'bench', 'soak'];
const NOT_MAPPED = new Set(['prisma/generated']); // generated client, not read by people

function trackedFolders(): string[] {
  const files = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  const folders = new Set<string>();
  for (const file of files) {
    const parts = file.split('/');
    if (parts.length < 2) continue;
    folders.add(parts[0]!);
    if (parts.length > 2 && DETAILED.includes(parts[0]!)) folders.add(`${parts[0]}/${parts[1]}`);
  }
  return [...folders].filter((f) => !NOT_MAPPED.has(f)).sort();
}

/** Folder names in the map: `name/` at the start of a line, nested ones under their parent's line. */
function mappedFolders(readme: string): Set<string> {
  const start = readme.indexOf('## How it is built');
  const block = readme.slice(
    readme.indexOf('```', start) + 4,
    readme.indexOf('\n```', readme.indexOf('```', start) + 3),
  );
  const mapped = new Set<string>();
  let parent = '';
  for (const line of block.split('\n')) {
    const top = /^(\S+)\/\s/.exec(line);
    if (top) {
      parent = top[1]!;
      mapped.add(parent);
      continue;
    }
    const nested = /^ {2}(\S.*?)\s{2,}/.exec(line);
    if (!nested) continue;
    for (const name of nested[1]!.split(/\s+/)) if (name.endsWith('/')) mapped.add(`${parent}/${name.slice(0, -1)}`);
  }
  return mapped;
}

describe('README folder map', () => {
  it('names every folder of the repository', () => {
    const mapped = mappedFolders(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
    const missing = trackedFolders().filter((folder) => !mapped.has(folder));
    expect(missing).toEqual([]);
  });

  it('names no folder that does not exist', () => {
    const tracked = new Set(trackedFolders());
    const mapped = [...mappedFolders(readFileSync(path.join(ROOT, 'README.md'), 'utf8'))];
    expect(mapped.filter((folder) => !tracked.has(folder))).toEqual([]);
  });
});
