/**
 * Encrypts every Temporal payload closedloop sends (workflow inputs, results, signals, updates, activity
 * arguments, memos) with AES-256-GCM, so customer names, e-mails, addresses and prices are never stored
 * in the clear in Temporal's histories. It is a `PayloadCodec`: it runs in the client and the worker
 * outside the workflow sandbox (after the payload converter), so workflow code and its bundle do not change.
 *
 * Keys come from PAYLOAD_KEYS (`k2:<base64 of 32 bytes>,k1:<...>`), newest first. New payloads use the
 * newest key; each payload names its key id, so payloads written under an older key still decode while it
 * stays listed (rotation: add the new key in front, drop the old one once no open history needs it).
 * Payloads recorded before the codec was on carry no encryption metadata and pass through decode as they
 * are, so old histories still replay. Failure messages and stack traces are not payloads: with
 * encryption on, `dataConverterFor` also sets a failure converter that moves them into one.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/** The Temporal Web UI that `npm start` runs: the codec server's CORS origin unless CODEC_CORS_ORIGIN says otherwise. */
export const DEFAULT_CODEC_CORS_ORIGIN = 'http://127.0.0.1:8233';

/** Metadata `encoding` of an encrypted payload; the plaintext payload (metadata and data) is inside. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata key naming the key id (not the key) that encrypted the payload. */
export const KEY_ID_METADATA = 'encryption-key-id';
export const CIPHER_METADATA = 'encryption-cipher';
const CIPHER = 'aes-256-gcm';
const CIPHER_NAME = 'AES-256-GCM';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export interface PayloadKey {
  id: string;
  key: Buffer;
}

const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Parses PAYLOAD_KEYS. Returns the keys (newest first) or the problems, each naming the entry and the
 * rule it breaks, never the key material.
 */
export function parsePayloadKeys(text: string): { keys: PayloadKey[]; problems: string[] } {
  const keys: PayloadKey[] = [];
  const problems: string[] = [];
  const entries = text.split(',').map((entry) => entry.trim());
  entries.forEach((entry, index) => {
    const where = `entry ${index + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) {
      problems.push(`${where}: must be <key id>:<base64 of 32 random bytes>, entries separated by ","`);
      return;
    }
    const id = entry.slice(0, colon).trim();
    const material = entry.slice(colon + 1).trim();
    if (!KEY_ID.test(id)) {
      problems.push(`${where}: the key id must be 1-64 letters, digits, ".", "_" or "-"`);
      return;
    }
    if (keys.some((k) => k.id === id)) {
      problems.push(`${where}: key id "${id}" is listed twice`);
      return;
    }
    const key = BASE64.test(material) && material.length % 4 === 0 ? Buffer.from(material, 'base64') : undefined;
    if (!key) {
      problems.push(`${where} (key id "${id}"): the key must be base64 (e.g. from \`openssl rand -base64 32\`)`);
      return;
    }
    if (key.length !== KEY_BYTES) {
      problems.push(
        `${where} (key id "${id}"): the key must be ${KEY_BYTES} bytes for AES-256 (got ${key.length} bytes)`,
      );
      return;
    }
    keys.push({ id, key });
  });
  return { keys, problems };
}

/** A payload the codec cannot decode: the message names the key id or the failure, never a key. */
export class PayloadDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecryptionError';
  }
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

export const isEncrypted = (payload: Payload): boolean => text(payload.metadata?.encoding) === ENCRYPTED_ENCODING;

export class PayloadEncryptionCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  private readonly newest: PayloadKey;

  /** `keys` newest first: the first encrypts, all decrypt. */
  constructor(keys: readonly PayloadKey[]) {
    if (keys.length === 0) throw new Error('PayloadEncryptionCodec needs at least one key');
    this.newest = keys[0]!;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  get keyIds(): string[] {
    return [...this.byId.keys()];
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  private encrypt(payload: Payload): Payload {
    const { id, key } = this.newest;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, key, iv);
    // The key id is authenticated too: a payload relabelled with another id fails instead of decoding.
    cipher.setAAD(utf8(id));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    return {
      metadata: {
        encoding: utf8(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: utf8(id),
        [CIPHER_METADATA]: utf8(CIPHER_NAME),
      },
      data: Buffer.concat([iv, sealed, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const id = text(payload.metadata?.[KEY_ID_METADATA]);
    if (!id) throw new PayloadDecryptionError(`an encrypted payload names no key id (metadata "${KEY_ID_METADATA}")`);
    const key = this.byId.get(id);
    if (!key) {
      throw new PayloadDecryptionError(
        `payload encrypted with key id "${id}", which PAYLOAD_KEYS does not hold (it holds ${this.keyIds.map((k) => `"${k}"`).join(', ')}): add that key back to decode it`,
      );
    }
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES)
      throw new PayloadDecryptionError(`encrypted payload (key id "${id}") is too short to hold a nonce and a tag`);
    const iv = data.subarray(0, IV_BYTES);
    const tag = data.subarray(data.length - TAG_BYTES);
    const decipher = createDecipheriv(CIPHER, key, iv);
    decipher.setAAD(utf8(id));
    decipher.setAuthTag(tag);
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(
        `encrypted payload (key id "${id}") failed authentication: it was altered, or encrypted under another key with this id`,
      );
    }
    return temporal.api.common.v1.Payload.decode(plain);
  }
}

/** The codec for PAYLOAD_KEYS, or none when encryption is off (the variable unset). */
export function payloadCodecFor(keys: readonly PayloadKey[] | undefined): PayloadEncryptionCodec | undefined {
  return keys && keys.length > 0 ? new PayloadEncryptionCodec(keys) : undefined;
}

/**
 * The failure converter that moves failure messages and stack traces into a payload, so the codec
 * encrypts them too (lib/encoded-failure-converter.ts). A path, as Temporal loads it: the client and
 * the worker require it, the workflow bundler compiles it in.
 */
export const ENCODED_FAILURE_CONVERTER_PATH = require.resolve('./encoded-failure-converter');

/**
 * Client and worker `dataConverter` option. Encryption on: the codec, and the failure converter that
 * hands failure messages to it (client and worker must agree, or one side writes what the other
 * shows as "Encoded failure"). Off: Temporal's defaults, failure messages in the clear as before.
 */
export function dataConverterFor(
  codec: PayloadCodec | undefined,
): { payloadCodecs: PayloadCodec[]; failureConverterPath: string } | undefined {
  return codec ? { payloadCodecs: [codec], failureConverterPath: ENCODED_FAILURE_CONVERTER_PATH } : undefined;
}
