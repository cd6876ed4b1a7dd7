/**
 * Fault injection for tests and benchmarks of our own engine: deterministic through an injected
 * `random`, a fault always comes before the real call (never a half effect), and it applies to the
 * built-in adapters only.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { withFaults } from '../../../adapters/fault-injector';
import { createAdapters } from '../../../adapters/select';
import type { Db } from '../../../lib/db';

/** A stand-in adapter that counts real calls. */
function fakeWms() {
  const calls: string[] = [];
  return {
    calls,
    label: 'fake',
    async reserve(orderId: string) {
      calls.push(`reserve ${orderId}`);
      return { reserved: orderId };
    },
    async releaseOrder(orderId: string) {
      calls.push(`release ${orderId}`);
    },
  };
}

const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

afterEach(() => jest.useRealTimers());

describe('withFaults', () => {
  it('never fails at rate 0, even when random() says 0', async () => {
    const wms = fakeWms();
    const faulty = withFaults(wms, { failureRate: 0, latencyMs: 0, random: () => 0 }, 'wms');
    for (let i = 0; i < 50; i += 1) await expect(faulty.reserve(`O-${i}`)).resolves.toEqual({ reserved: `O-${i}` });
    expect(wms.calls).toHaveLength(50);
  });

  it('always fails at rate 1 with a retryable Error, before the real method runs', async () => {
    const wms = fakeWms();
    const faulty = withFaults(wms, { failureRate: 1, latencyMs: 0, random: () => 0.999999 }, 'wms');
    for (let i = 0; i < 20; i += 1) {
      const failure = await faulty.reserve('O-1').catch((e: unknown) => e);
      expect(failure).toEqual(new Error('injected fault: wms.reserve'));
      expect(failure).not.toBeInstanceOf(ApplicationFailure);
    }
    await expect(faulty.releaseOrder('O-1')).rejects.toThrow('injected fault: wms.releaseOrder');
    expect(wms.calls).toEqual([]);
  });

  it('fails exactly the calls whose random() falls below the rate', async () => {
    const wms = fakeWms();
    const faulty = withFaults(wms, { failureRate: 0.3, latencyMs: 0, random: sequence(0.29, 0.3, 0.95, 0) }, 'wms');
    const outcomes = [];
    for (let i = 0; i < 4; i += 1)
      outcomes.push(
        await faulty.reserve(`O-${i}`).then(
          () => 'ok',
          () => 'fault',
        ),
      );
    expect(outcomes).toEqual(['fault', 'ok', 'ok', 'fault']);
    expect(wms.calls).toEqual(['reserve O-1', 'reserve O-2']);
  });

  it('waits latencyMs before calling the real method', async () => {
    jest.useFakeTimers();
    const wms = fakeWms();
    const faulty = withFaults(wms, { failureRate: 0, latencyMs: 20, random: () => 0.5 }, 'wms');
    const result = faulty.reserve('O-1');
    await jest.advanceTimersByTimeAsync(19);
    expect(wms.calls).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(wms.calls).toEqual(['reserve O-1']);
    await expect(result).resolves.toEqual({ reserved: 'O-1' });
  });

  it('applies latency to injected faults too (a timeout-like failure takes time)', async () => {
    const faulty = withFaults(fakeWms(), { failureRate: 1, latencyMs: 20, random: () => 0 }, 'wms');
    const started = Date.now();
    await expect(faulty.reserve('O-1')).rejects.toThrow('injected fault: wms.reserve');
    expect(Date.now() - started).toBeGreaterThanOrEqual(15); // timers may round; no tight bound
  });

  it('wraps only the methods named in `only`', async () => {
    const wms = fakeWms();
    const faulty = withFaults(wms, { failureRate: 1, latencyMs: 0, random: () => 0, only: ['reserve'] }, 'wms');
    await expect(faulty.reserve('O-1')).rejects.toThrow('injected fault: wms.reserve');
    await expect(faulty.releaseOrder('O-1')).resolves.toBeUndefined();
    expect(wms.calls).toEqual(['release O-1']);
  });

  it('passes arguments, results and non-method properties through, and keeps `this` for class instances', async () => {
    class Counter {
      #count = 0;
      readonly name = 'counter';
      async add(by: number) {
        this.#count += by;
        return this.#count;
      }
    }
    const faulty = withFaults(new Counter(), { failureRate: 0, latencyMs: 0 }, 'counter');
    expect(faulty.name).toBe('counter');
    await faulty.add(2);
    await expect(faulty.add(3)).resolves.toBe(5);
    expect(withFaults(fakeWms(), { failureRate: 0, latencyMs: 0 }, 'wms').label).toBe('fake');
  });

  it.each([
    [{ failureRate: -0.1, latencyMs: 0 }, 'wms faults: failureRate must be between 0 and 1 (got -0.1)'],
    [{ failureRate: 1.5, latencyMs: 0 }, 'wms faults: failureRate must be between 0 and 1 (got 1.5)'],
    [{ failureRate: Number.NaN, latencyMs: 0 }, 'wms faults: failureRate must be between 0 and 1 (got NaN)'],
    [{ failureRate: 0.1, latencyMs: -5 }, 'wms faults: latencyMs must be a number >= 0 (got -5)'],
    [
      { failureRate: 0.1, latencyMs: Number.POSITIVE_INFINITY },
      'wms faults: latencyMs must be a number >= 0 (got Infinity)',
    ],
    [
      { failureRate: 0.1, latencyMs: 0, only: ['reserv'] },
      "wms faults: only names 'reserv', not a method of wms (methods: releaseOrder, reserve)",
    ],
  ])('refuses %j', (options, message) => {
    expect(() => withFaults(fakeWms(), options, 'wms')).toThrow(new RangeError(message));
  });
});

describe('faults in adapter selection', () => {
  // The built-in adapters only keep a reference to the database until called: no connection here.
  const db = {} as Db;
  const http = {
    erp: { baseUrl: 'http://127.0.0.1:1' },
    wms: { baseUrl: 'http://127.0.0.1:1' },
    tms: { baseUrl: 'http://127.0.0.1:1' },
    crm: { baseUrl: 'http://127.0.0.1:1' },
  };

  it('wraps every built-in adapter when faults are set', async () => {
    const adapters = createAdapters(db, { mode: 'builtin', faults: { failureRate: 1, latencyMs: 0 } });
    await expect(adapters.erp.getCustomer('C-1')).rejects.toThrow('injected fault: erp.getCustomer');
    await expect(adapters.wms.listHolidays()).rejects.toThrow('injected fault: wms.listHolidays');
    await expect(adapters.tms.listRates()).rejects.toThrow('injected fault: tms.listRates');
    await expect(
      adapters.crm.sendMilestone({ orderId: 'O', dealId: 'D', milestone: 'paid', detail: {} }, 'k'),
    ).rejects.toThrow('injected fault: crm.sendMilestone');
  });

  it('refuses faults on real systems', () => {
    expect(() => createAdapters(db, { mode: 'http', http, faults: { failureRate: 0.1, latencyMs: 0 } })).toThrow(
      'adapter faults apply to the built-in adapters only (mode is http); unset them for real systems',
    );
  });

  it('needs HTTP settings for every system in http mode', () => {
    const { crm: _crm, tms: _tms, ...partial } = http;
    expect(() => createAdapters(db, { mode: 'http', http: partial as typeof http })).toThrow(
      'adapter mode http needs HTTP settings for tms, crm',
    );
    expect(Object.keys(createAdapters(db, { mode: 'http', http }))).toEqual(['erp', 'wms', 'tms', 'crm']);
  });
});
