/** Log lines: readable on a terminal, JSON elsewhere, credentials redacted in both. */
import { chooseLogFormat, createLogger, type LogFormat } from '../../../lib/logger';

function capture(format: LogFormat | undefined): { log: ReturnType<typeof createLogger>; text: () => string } {
  const chunks: string[] = [];
  const log = createLogger('info', { format, destination: { write: (text: string) => chunks.push(text) } });
  return { log, text: () => chunks.join('') };
}

describe('log format', () => {
  it.each([
    [undefined, true, 'pretty'],
    [undefined, false, 'json'],
    ['json', true, 'json'],
    ['pretty', false, 'pretty'],
  ] as const)('LOG_FORMAT=%s with a terminal=%s gives %s', (setting, isTerminal, expected) => {
    expect(chooseLogFormat(setting, isTerminal)).toBe(expected);
  });

  it('writes JSON lines unless told otherwise (tests and services read them)', () => {
    const { log, text } = capture(undefined);
    log.info({ orderId: 'order-1' }, 'order received');
    expect(JSON.parse(text())).toMatchObject({
      level: 30,
      msg: 'order received',
      orderId: 'order-1',
      service: 'closedloop',
    });
  });

  it('writes one readable line per message in pretty mode, without pid, host or service noise', () => {
    const { log, text } = capture('pretty');
    log.info('applying database migrations...');
    expect(text()).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: applying database migrations\.\.\.\n$/);
  });

  it.each(['json', 'pretty'] as const)('redacts credentials in %s mode', (format) => {
    const { log, text } = capture(format);
    log.info(
      {
        headers: { authorization: 'Bearer cl_live_s3cret' },
        smtp: { password: 'hunter2' },
        crm: { secret: 'whsec_abc' },
      },
      'calling out',
    );
    expect(text()).toContain('[redacted]');
    expect(text()).not.toMatch(/cl_live_s3cret|hunter2|whsec_abc/);
  });
});
