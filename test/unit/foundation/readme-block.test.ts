import { readFileSync } from 'node:fs';
import path from 'node:path';
import { answerMismatch, extractShellBlock, parseCommands, recordingScript } from '../../support/readme-block';

const block = (text: string) => ({ lines: text.split('\n'), firstLine: 10 });

describe('README shell blocks as commands with documented answers', () => {
  it('splits steps at blank lines, takes leading comments as the description and trailing ones as the answer', () => {
    const commands = parseCommands(
      block(
        [
          '# set up',
          '# (two lines)',
          'API=x',
          'f() { echo "$1"; }',
          '',
          '# post it',
          'curl -s "$API" \\',
          '  -d 1',
          '# {"status":"accepted",...,',
          '#  "startedAt":null}',
          'curl -s "$API/healthz"',
          '# {"status":"ok"}',
          '# second line',
        ].join('\n'),
      ),
    );
    expect(commands).toEqual([
      { index: 1, line: 12, step: 'set up', script: 'API=x\nf() { echo "$1"; }', answer: undefined },
      {
        index: 2,
        line: 16,
        step: 'post it',
        script: 'curl -s "$API" \\\n  -d 1',
        answer: ['{"status":"accepted",...,"startedAt":null}'],
      },
      {
        index: 3,
        line: 20,
        step: 'post it',
        script: 'curl -s "$API/healthz"',
        answer: ['{"status":"ok"}', 'second line'],
      },
    ]);
  });

  it.each([
    ['the same text', ['{"status":"ok"}'], '{"status":"ok"}\n', undefined],
    [
      '"..." standing for what varies',
      ['{"status":"accepted",...,"startedAt":null}'],
      '{"status":"accepted","receivedAt":"2026-11-28","startedAt":null}',
      undefined,
    ],
    [
      'another value',
      ['{"status":"paid",...}'],
      '{"status":"partially_paid","balanceMinor":1364}',
      'answer line 1 differs',
    ],
    ['a missing field', ['{...,"amountDueMinor":...}'], '{"balanceMinor":0}', 'answer line 1 differs'],
    ['fewer lines', ['shipped', 'sent'], 'shipped\n', 'shows 2 line(s) of answer, the command printed 1'],
    ['an error instead of the answer', ['shipped'], '', 'shows 1 line(s) of answer, the command printed 0'],
  ])('compares an answer with what was printed: %s', (_why, answer, output, problem) => {
    const mismatch = answerMismatch(answer, output);
    if (problem === undefined) expect(mismatch).toBeUndefined();
    else expect(mismatch).toContain(problem);
  });

  it('records each command of the block in numbered files, in one shell', () => {
    const script = recordingScript(parseCommands(block('A=1\n\necho "$A"\n# 1')), "/tmp/o'ut");
    expect(script).toBe(
      `{\nA=1\n} >'/tmp/o'\\''ut/1.out' 2>'/tmp/o'\\''ut/1.err'; echo $? >'/tmp/o'\\''ut/1.status'\n{\necho "$A"\n} >'/tmp/o'\\''ut/2.out' 2>'/tmp/o'\\''ut/2.err'; echo $? >'/tmp/o'\\''ut/2.status'\n`,
    );
  });

  it('finds the README\'s "Try it" block, and every command in it documents its answer or sets up the shell', () => {
    const readme = readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
    const commands = parseCommands(extractShellBlock(readme, '### Try it'));
    expect(commands.length).toBeGreaterThan(5);
    expect(commands.filter((c) => !c.answer).map((c) => c.index)).toEqual([1]);
    expect(() => extractShellBlock('# x\n\n### Try it\ntext\n## Next\n```sh\nls\n```', '### Try it')).toThrow(
      'no ```sh block under "### Try it"',
    );
  });
});
