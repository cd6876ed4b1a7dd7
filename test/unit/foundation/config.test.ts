import { adapterSettings, ConfigError, DEMO_SELLER, loadConfig, sellerIdentity } from '../../../lib/config';

const problemsOf = (env: NodeJS.ProcessEnv, options = {}): string[] => {
  try {
    loadConfig(env, options);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('configuration from the environment', () => {
  it('starts with no variables at all, on the embedded defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ API_PORT: 3000, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: 'closedloop' });
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DATA_DIR).toMatch(/\.data$/);
  });

  it.each([
    [{ API_PORT: 'abc' }, 'API_PORT: must be a port number (got "abc")'],
    [{ API_PORT: '70000' }, 'API_PORT: must be between 1 and 65535 (got "70000")'],
    [
      { DATABASE_URL: 'mysql://x' },
      'DATABASE_URL: must be a URL starting with postgres:// or postgresql:// (got "mysql://x")',
    ],
    [{ TEMPORAL_ADDRESS: 'temporal' }, 'TEMPORAL_ADDRESS: must be host:port, e.g. temporal:7233 (got "temporal")'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL: must be a URL starting with smtp:// or smtps:// (got "http://mail")'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL:'],
    [
      { LOG_FORMAT: 'xml' },
      'LOG_FORMAT: must be json or pretty (unset: pretty on a terminal, json otherwise) (got "xml")',
    ],
    [{ OPS_EMAIL: 'ops' }, 'OPS_EMAIL: must be an e-mail address (got "ops")'],
    [{ CRM_WEBHOOK_SECRET: 'short' }, 'CRM_WEBHOOK_SECRET: must be at least 16 characters (value not shown)'],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, 'RATE_LIMIT_PER_MINUTE: must be at least 1 (got "0")'],
    [{ INTAKE_START_CONCURRENCY: '0' }, 'INTAKE_START_CONCURRENCY: must be at least 1 (got "0")'],
    [{ INTAKE_START_TIMEOUT_MS: 'soon' }, 'INTAKE_START_TIMEOUT_MS: must be a number (got "soon")'],
    [{ INBOX_RELAY_INTERVAL_MS: '10' }, 'INBOX_RELAY_INTERVAL_MS: must be at least 100 (got "10")'],
    [{ SELLER_LEGAL_NAME: ' ' }, 'SELLER_LEGAL_NAME: must not be empty (got " ")'],
    [
      { SELLER_ADDRESS: '1 Main St||Dayton' },
      'SELLER_ADDRESS: must be address lines separated by "|", none of them empty (got "1 Main St||Dayton")',
    ],
    [
      { SELLER_REMIT_ADDRESS: 'PO Box 1|' },
      'SELLER_REMIT_ADDRESS: must be address lines separated by "|", none of them empty (got "PO Box 1|")',
    ],
    [{ SELLER_EMAIL: 'billing' }, 'SELLER_EMAIL: must be an e-mail address (got "billing")'],
    [{ SELLER_TAX_ID: 'x'.repeat(201) }, 'SELLER_TAX_ID: must be at most 200 characters'],
  ])('names the variable and the problem for %j', (env, expected) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it.each([
    [{ CRM_WEBHOOK_SECRET: 'hunter2-short' }, 'CRM_WEBHOOK_SECRET: must be at least 16 characters (value not shown)'],
    [
      { DATABASE_URL: 'mysql://root:hunter2-pw@db:3306/app' },
      'DATABASE_URL: must be a URL starting with postgres:// or postgresql:// (got "mysql://***:***@db:3306/app")',
    ],
    [
      { SMTP_URL: 'http://mailer:hunter2-pw@mail/?key=hunter2-key' },
      'SMTP_URL: must be a URL starting with smtp:// or smtps:// (got "http://***:***@mail")',
    ],
    [
      { CRM_WEBHOOK_URL: 'ftp://crm/hook?token=hunter2-token' },
      'CRM_WEBHOOK_URL: must be a URL starting with http:// or https:// (got "ftp://crm/hook")',
    ],
    [
      { ERP_URL: 'erp.local user:hunter2-pw' },
      'ERP_URL: must be a URL starting with http:// or https:// (value not shown: not a URL)',
    ],
  ])('names the variable and the rule but never echoes a credential for %j', (env, expected) => {
    const problems = problemsOf(env);
    expect(problems).toEqual([expected]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('reports every bad variable at once', () => {
    expect(problemsOf({ API_PORT: 'x', MAIL_CAPTURE_PORT: '-1' }).map((p) => p.split(':')[0])).toEqual([
      'API_PORT',
      'MAIL_CAPTURE_PORT',
    ]);
  });

  it('requires real services when the API or worker runs on its own', () => {
    const problems = problemsOf({ TEMPORAL_ADDRESS: 'temporal:7233' }, { requireExternalServices: true });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['DATABASE_URL', 'SMTP_URL', 'CRM_WEBHOOK_SECRET']);
    expect(problems[0]).toContain('required when the API or worker runs on its own');
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', SMTP_URL: ' ' }).DATABASE_URL).toBeUndefined();
  });

  it('needs every system URL with ADAPTERS=http, and refuses injected faults there', () => {
    expect(problemsOf({ ADAPTERS: 'http', ERP_URL: 'https://erp.example.com/api', FAULT_FAILURE_RATE: '0.1' })).toEqual(
      [
        'WMS_URL: required when ADAPTERS=http (not set)',
        'TMS_URL: required when ADAPTERS=http (not set)',
        'CRM_URL: required when ADAPTERS=http (not set)',
        'FAULT_FAILURE_RATE / FAULT_LATENCY_MS: apply to the built-in adapters only; unset them with ADAPTERS=http',
      ],
    );
  });

  it('turns the variables into adapter settings', () => {
    expect(adapterSettings(loadConfig({ FAULT_FAILURE_RATE: '0.2', FAULT_LATENCY_MS: '5' }))).toEqual({
      mode: 'builtin',
      faults: { failureRate: 0.2, latencyMs: 5 },
    });
    const env = Object.fromEntries(
      ['ERP', 'WMS', 'TMS', 'CRM'].map((s) => [`${s}_URL`, `https://${s.toLowerCase()}.example.com`]),
    );
    const settings = adapterSettings(
      loadConfig({ ADAPTERS: 'http', ...env, ERP_TOKEN: 't0ken', TMS_TIMEOUT_MS: '2500' }),
    );
    expect(settings.http!.erp).toEqual({
      baseUrl: 'https://erp.example.com',
      token: 't0ken',
      username: undefined,
      password: undefined,
      timeoutMs: 10000,
    });
    expect(settings.http!.tms.timeoutMs).toBe(2500);
  });

  it("prints the configured seller on documents, remitting to the seller's address unless told otherwise", () => {
    const seller = sellerIdentity(
      loadConfig({
        SELLER_LEGAL_NAME: 'Northwind Traders GmbH',
        SELLER_ADDRESS: 'Hafenstrasse 1 | 20457 Hamburg | Germany',
        SELLER_TAX_ID: 'VAT DE123456789',
        SELLER_BANK_NAME: 'Hamburger Sparkasse',
        SELLER_BANK_ACCOUNT: 'IBAN DE02 2005 0550 0000 0000 00',
        SELLER_BANK_ROUTING: 'BIC HASPDEHHXXX',
      }),
    );
    expect(seller).toEqual({
      legalName: 'Northwind Traders GmbH',
      addressLines: ['Hafenstrasse 1', '20457 Hamburg', 'Germany'],
      taxId: 'VAT DE123456789',
      email: DEMO_SELLER.email,
      remitTo: {
        addressLines: ['Hafenstrasse 1', '20457 Hamburg', 'Germany'],
        bankName: 'Hamburger Sparkasse',
        account: 'IBAN DE02 2005 0550 0000 0000 00',
        routing: 'BIC HASPDEHHXXX',
      },
    });
    expect(
      sellerIdentity(loadConfig({ SELLER_REMIT_ADDRESS: 'Lockbox 7788|Chicago, IL 60680' })).remitTo.addressLines,
    ).toEqual(['Lockbox 7788', 'Chicago, IL 60680']);
    expect(sellerIdentity(loadConfig({}))).toEqual(DEMO_SELLER);
  });

  describe('CRM webhook secrets and URL', () => {
    const A = 'secret-a-0123456789abcdef';
    const B = 'secret-b-0123456789abcdef';

    it('never echoes a secret, not even a malformed one', () => {
      for (const name of ['CRM_WEBHOOK_SECRET', 'CRM_WEBHOOK_SECRET_PREVIOUS', 'CRM_OUTBOUND_SECRET']) {
        const problems = problemsOf({ CRM_WEBHOOK_SECRET: A, [name]: 'tooShort-XYZ' });
        expect(problems).toEqual([`${name}: must be at least 16 characters (value not shown)`]);
      }
    });

    it.each(['http://crm.example.com/hooks', 'http://10.0.0.5:8080/hooks', 'http://localhost.evil.example/hooks'])(
      'requires https for CRM_WEBHOOK_URL %s (not on this machine)',
      (url) => {
        expect(problemsOf({ CRM_WEBHOOK_URL: url })).toEqual([
          `CRM_WEBHOOK_URL: must start with https:// (http:// only for localhost, 127.0.0.1 or [::1]) (got ${JSON.stringify(url)})`,
        ]);
      },
    );

    it.each([
      'https://crm.example.com/hooks',
      'http://localhost:4000/hooks',
      'http://127.0.0.1:4000/hooks',
      'http://[::1]:4000/hooks',
    ])('accepts CRM_WEBHOOK_URL %s', (url) => {
      expect(problemsOf({ CRM_WEBHOOK_URL: url })).toEqual([]);
    });

    it('takes a previous inbound secret for rotation, and a separate outbound secret', () => {
      const config = loadConfig({
        CRM_WEBHOOK_SECRET: A,
        CRM_WEBHOOK_SECRET_PREVIOUS: B,
        CRM_OUTBOUND_SECRET: 'outbound-0123456789abcdef',
      });
      expect(config).toMatchObject({
        CRM_WEBHOOK_SECRET: A,
        CRM_WEBHOOK_SECRET_PREVIOUS: B,
        CRM_OUTBOUND_SECRET: 'outbound-0123456789abcdef',
      });
    });

    it.each([
      [
        { CRM_WEBHOOK_SECRET_PREVIOUS: B },
        'CRM_WEBHOOK_SECRET_PREVIOUS: set only while rotating, together with the new CRM_WEBHOOK_SECRET',
      ],
      [
        { CRM_WEBHOOK_SECRET: A, CRM_WEBHOOK_SECRET_PREVIOUS: A },
        'CRM_WEBHOOK_SECRET_PREVIOUS: must differ from CRM_WEBHOOK_SECRET',
      ],
      [{ CRM_WEBHOOK_SECRET: A, CRM_OUTBOUND_SECRET: A }, 'CRM_OUTBOUND_SECRET: must differ from CRM_WEBHOOK_SECRET'],
      [
        { CRM_WEBHOOK_SECRET: A, CRM_WEBHOOK_SECRET_PREVIOUS: B, CRM_OUTBOUND_SECRET: B },
        'CRM_OUTBOUND_SECRET: must differ from CRM_WEBHOOK_SECRET_PREVIOUS',
      ],
    ])('refuses %j without echoing the secrets', (env, expected) => {
      const problems = problemsOf(env);
      expect(problems).toEqual([expect.stringContaining(expected)]);
      expect(problems[0]).not.toContain(A);
      expect(problems[0]).not.toContain(B);
    });

    it('needs no outbound secret while CRM_WEBHOOK_URL is unset (the embedded default)', () => {
      expect(problemsOf({})).toEqual([]);
      expect(loadConfig({}).CRM_OUTBOUND_SECRET).toBeUndefined();
    });
  });
});
