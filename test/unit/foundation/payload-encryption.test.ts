/**
 * The payload codec (lib/payload-encryption.ts) on its own: AES-256-GCM with key ids, rotation, refusals,
 * payloads from before encryption, and PAYLOAD_KEYS validation that never echoes a key.
 */
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  PayloadDecryptionError,
  PayloadEncryptionCodec,
  parsePayloadKeys,
} from '../../../lib/payload-encryption';
import { ConfigError, loadConfig } from '../../../lib/config';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const customer = { name: 'Ada Lovelace', email: 'ada@analytical.example', totalMinor: 123_45 };
const plain = (): Payload => defaultPayloadConverter.toPayload(customer);
const meta = (p: Payload, key: string) => Buffer.from(p.metadata![key]!).toString('utf8');

describe('PayloadEncryptionCodec', () => {
  it('encrypts with the newest key: no plaintext in the payload, marked binary/encrypted with the key id', async () => {
    const [encoded] = await new PayloadEncryptionCodec([k2, k1]).encode([plain()]);
    expect(meta(encoded!, 'encoding')).toBe(ENCRYPTED_ENCODING);
    expect(meta(encoded!, KEY_ID_METADATA)).toBe('k2');
    const bytes = Buffer.from(encoded!.data!);
    for (const secret of [customer.name, customer.email, 'json/plain']) expect(bytes.includes(secret)).toBe(false);
  });

  it('decodes back to the same payload', async () => {
    const codec = new PayloadEncryptionCodec([k1]);
    const [decoded] = await codec.decode(await codec.encode([plain()]));
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(customer);
    expect(meta(decoded!, 'encoding')).toBe('json/plain');
  });

  it('rotates: payloads encrypted with k1 still decode after k2 is put in front, and new ones use k2', async () => {
    const before = new PayloadEncryptionCodec([k1]);
    const old = await before.encode([plain()]);
    const after = new PayloadEncryptionCodec([k2, k1]);
    expect(defaultPayloadConverter.fromPayload((await after.decode(old))[0]!)).toEqual(customer);
    const fresh = await after.encode([plain()]);
    expect(meta(fresh[0]!, KEY_ID_METADATA)).toBe('k2');
    // ...and k1 alone cannot read what k2 wrote: the new payload really uses the new key.
    await expect(before.decode(fresh)).rejects.toThrow('key id "k2", which PAYLOAD_KEYS does not hold');
  });

  it('refuses a payload under a key id it does not hold, naming the id and never a key', async () => {
    const encoded = await new PayloadEncryptionCodec([k1]).encode([plain()]);
    const error = await new PayloadEncryptionCodec([k2]).decode(encoded).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadDecryptionError);
    const message = (error as Error).message;
    expect(message).toMatch(/key id "k1", which PAYLOAD_KEYS does not hold \(it holds "k2"\)/);
    for (const key of [k1.key, k2.key]) expect(message).not.toContain(key.toString('base64'));
  });

  it.each([
    [
      'a flipped ciphertext byte',
      (data: Buffer) => {
        data[20]! ^= 1;
      },
    ],
    [
      'a flipped tag byte',
      (data: Buffer) => {
        data[data.length - 1]! ^= 1;
      },
    ],
    [
      'a flipped nonce byte',
      (data: Buffer) => {
        data[0]! ^= 1;
      },
    ],
  ])('refuses a tampered payload (%s)', async (_label, tamper) => {
    const codec = new PayloadEncryptionCodec([k1]);
    const [encoded] = await codec.encode([plain()]);
    const data = Buffer.from(encoded!.data!);
    tamper(data);
    await expect(codec.decode([{ ...encoded!, data }])).rejects.toThrow('key id "k1") failed authentication');
  });

  it('refuses a payload relabelled with another key id it holds (the id is authenticated)', async () => {
    const k1Only = { id: 'k1', key: k2.key };
    const codec = new PayloadEncryptionCodec([k2, k1Only]);
    const [encoded] = await codec.encode([plain()]);
    const relabelled = { ...encoded!, metadata: { ...encoded!.metadata, [KEY_ID_METADATA]: Buffer.from('k1') } };
    await expect(codec.decode([relabelled])).rejects.toThrow(PayloadDecryptionError);
  });

  it('passes payloads recorded before encryption through decode untouched', async () => {
    const old = [
      plain(),
      defaultPayloadConverter.toPayload(undefined),
      defaultPayloadConverter.toPayload(new Uint8Array([1, 2, 3])),
    ];
    expect(await new PayloadEncryptionCodec([k1]).decode(old)).toEqual(old);
  });

  it('uses a fresh nonce for every payload', async () => {
    const [a, b] = await new PayloadEncryptionCodec([k1]).encode([plain(), plain()]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });
});

describe('PAYLOAD_KEYS', () => {
  const b64 = (bytes: Buffer) => bytes.toString('base64');

  it('reads key ids and keys, newest first', () => {
    const { keys, problems } = parsePayloadKeys(`k2:${b64(k2.key)}, k1:${b64(k1.key)}`);
    expect(problems).toEqual([]);
    expect(keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(keys[1]!.key.equals(k1.key)).toBe(true);
    expect(loadConfig({ PAYLOAD_KEYS: `k2:${b64(k2.key)},k1:${b64(k1.key)}` }).PAYLOAD_KEYS!.map((k) => k.id)).toEqual([
      'k2',
      'k1',
    ]);
  });

  it('is off when unset', () => {
    expect(loadConfig({}).PAYLOAD_KEYS).toBeUndefined();
  });

  const short = b64(randomBytes(16));
  const long = b64(randomBytes(48));
  it.each([
    [`k1:${short}`, 'entry 1 (key id "k1"): the key must be 32 bytes for AES-256 (got 16 bytes)', short],
    [
      `k1:${b64(k1.key)},k2:${long}`,
      'entry 2 (key id "k2"): the key must be 32 bytes for AES-256 (got 48 bytes)',
      long,
    ],
    [`k1:${b64(k1.key).slice(0, -2)}!!`, 'entry 1 (key id "k1"): the key must be base64', b64(k1.key).slice(0, -2)],
    [b64(k1.key), 'entry 1: must be <key id>:<base64 of 32 random bytes>', b64(k1.key)],
    [`k1:${b64(k1.key)},k1:${b64(k2.key)}`, 'entry 2: key id "k1" is listed twice', b64(k2.key)],
    [`bad id:${b64(k1.key)}`, 'entry 1: the key id must be 1-64 letters', b64(k1.key)],
  ])('refuses %#, naming the variable and the rule, never the key', (value, rule, keyText) => {
    let error: unknown;
    try {
      loadConfig({ PAYLOAD_KEYS: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(`PAYLOAD_KEYS: ${rule}`);
    expect(message).not.toContain(keyText);
    expect(message).not.toContain(value);
  });

  it('refuses a CODEC_CORS_ORIGIN that is not a bare origin', () => {
    expect(loadConfig({}).CODEC_CORS_ORIGIN).toBeUndefined(); // the embedded UI's, or DEFAULT_CODEC_CORS_ORIGIN
    expect(loadConfig({ CODEC_CORS_ORIGIN: 'https://temporal.example.com' }).CODEC_CORS_ORIGIN).toBe(
      'https://temporal.example.com',
    );
    for (const bad of ['https://temporal.example.com/', 'temporal.example.com', 'https://ui.example/path']) {
      expect(() => loadConfig({ CODEC_CORS_ORIGIN: bad })).toThrow('CODEC_CORS_ORIGIN: must be an origin');
    }
  });
});
