/**
 * Sealed storage: every file the simulated TEE keeps is encrypted at rest with a device-unique key.
 *
 * SIMULATION, stated plainly: on real hardware the sealing key is derived inside the TEE from a
 * hardware unique key (HUK) that no software can read (OP-TEE's Secure Storage, SGX sealing). Here
 * the "HUK" is `device-secret`, 32 random bytes in a file created 0600 at `init` in the TEE folder;
 * anyone who can read that file as the device's user can unseal everything. What the simulation
 * does keep honest: the REE-side code never opens the TEE folder, and every sealed file is
 * authenticated, so a modified, truncated, swapped or foreign file is refused, not used.
 *
 * Sealing key: HKDF-SHA256(ikm = device secret, salt = "otrp sealed storage", info = "otrp-seal-v1
 * aes-256-gcm") (RFC 5869). Sealed file layout (all of it is authenticated):
 *
 *   magic "OTSL" (4) | version 0x01 (1) | nonce (12) | AES-256-GCM ciphertext | tag (16)
 *   AAD = magic | version | UTF-8 logical name
 *
 * The logical name in the AAD binds a file to the name it was written under, so one sealed file
 * cannot be renamed over another (e.g. an old index over the current one under a payload's name).
 * Rolling back a whole file to an older sealed copy of the same name is NOT detected: that needs a
 * monotonic counter in hardware (RPMB, TPM NV), which a simulation does not have; documented in the
 * device README.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DeviceSecretUnavailable, SealedDataInvalid, SealedFormatUnsupported, SealedNameInvalid, TeeStorageFailed,
} from '../errors.js';
import { TEMP_PREFIX, removeFileDurable, removeStaleTemporaries, syncDirectory, writeFileAtomic } from './atomic-file.js';

/** File name of the simulated hardware unique key inside the TEE folder. */
export const DEVICE_SECRET_FILE = 'device-secret';
/** Suffix of sealed files. */
export const SEALED_SUFFIX = '.sealed';

const MAGIC = new Uint8Array([0x4f, 0x54, 0x53, 0x4c]); // "OTSL"
export const SEALED_FORMAT_VERSION = 1;
const HEADER_LENGTH = MAGIC.length + 1;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const SECRET_LENGTH = 32;

/** A logical name: lowercase letters, digits, '.', '_' and '-', 1..128 characters, not starting with '.'. */
export function checkSealedName(name: string): string {
  if (typeof name !== 'string' || !/^[a-z0-9_-][a-z0-9._-]{0,127}$/.test(name)) {
    throw new SealedNameInvalid(`not a sealed file name: ${JSON.stringify(name)}`);
  }
  return name;
}

/** Derives the sealing key from the device secret (see the module comment). */
export function deriveSealingKey(deviceSecret: Uint8Array): Uint8Array {
  if (!(deviceSecret instanceof Uint8Array) || deviceSecret.length !== SECRET_LENGTH) {
    throw new DeviceSecretUnavailable(`the device secret must be ${SECRET_LENGTH} bytes`);
  }
  return new Uint8Array(hkdfSync('sha256', deviceSecret, 'otrp sealed storage', 'otrp-seal-v1 aes-256-gcm', 32));
}

function aad(name: string): Uint8Array {
  const n = new TextEncoder().encode(name);
  const out = new Uint8Array(HEADER_LENGTH + n.length);
  out.set(MAGIC, 0);
  out[MAGIC.length] = SEALED_FORMAT_VERSION;
  out.set(n, HEADER_LENGTH);
  return out;
}

/** Encrypts `data` for the logical name `name` under `key` (the sealed file's bytes). */
export function sealBytes(key: Uint8Array, name: string, data: Uint8Array): Uint8Array {
  checkSealedName(name);
  const nonce = randomBytes(NONCE_LENGTH);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(aad(name));
  const body = Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
  const out = new Uint8Array(HEADER_LENGTH + NONCE_LENGTH + body.length);
  out.set(aad(name).subarray(0, HEADER_LENGTH), 0);
  out.set(nonce, HEADER_LENGTH);
  out.set(body, HEADER_LENGTH + NONCE_LENGTH);
  return out;
}

/** Decrypts a sealed file's bytes; ERR_TEE_UNSEAL_FAILED for anything that does not authenticate. */
export function unsealBytes(key: Uint8Array, name: string, sealed: Uint8Array): Uint8Array {
  checkSealedName(name);
  if (sealed.length < HEADER_LENGTH || !MAGIC.every((b, i) => sealed[i] === b)) {
    throw new SealedFormatUnsupported(`${name} is not a sealed file`);
  }
  if (sealed[MAGIC.length] !== SEALED_FORMAT_VERSION) {
    throw new SealedFormatUnsupported(`${name} has sealed format version ${sealed[MAGIC.length]}, this build reads ${SEALED_FORMAT_VERSION}`);
  }
  if (sealed.length < HEADER_LENGTH + NONCE_LENGTH + TAG_LENGTH) throw new SealedDataInvalid();
  const nonce = sealed.subarray(HEADER_LENGTH, HEADER_LENGTH + NONCE_LENGTH);
  const tag = sealed.subarray(sealed.length - TAG_LENGTH);
  const body = sealed.subarray(HEADER_LENGTH + NONCE_LENGTH, sealed.length - TAG_LENGTH);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH });
    decipher.setAAD(aad(name));
    decipher.setAuthTag(tag);
    return new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
  } catch (e) {
    throw new SealedDataInvalid({ cause: e });
  }
}

/**
 * Creates the TEE folder (0700) and its device secret (0600); refuses to overwrite an existing
 * secret. The secret is written to a temporary file, fsynced, then linked into place (link(2) fails
 * when the name exists), so a crash never leaves a short secret behind.
 */
export async function createDeviceSecret(teeDir: string): Promise<void> {
  await mkdir(teeDir, { recursive: true, mode: 0o700 });
  const target = join(teeDir, DEVICE_SECRET_FILE);
  const temp = join(teeDir, `${TEMP_PREFIX}${DEVICE_SECRET_FILE}.${randomBytes(6).toString('hex')}`);
  const fh = await open(temp, 'wx', 0o600);
  try {
    await fh.writeFile(randomBytes(SECRET_LENGTH));
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await link(temp, target);
  } catch (e) {
    throw new DeviceSecretUnavailable('a device secret already exists in this TEE folder', { cause: e });
  } finally {
    await rm(temp, { force: true });
  }
  await syncDirectory(teeDir);
}

async function readDeviceSecret(teeDir: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(join(teeDir, DEVICE_SECRET_FILE)));
  } catch (e) {
    throw new DeviceSecretUnavailable('no device secret in the TEE folder (was the device initialised?)', { cause: e });
  }
}

/**
 * The TEE's sealed files in one folder. Writes are atomic (atomic-file.ts); reads authenticate.
 * Only the TEE process opens this.
 */
export class SealedStorage {
  readonly dir: string;
  readonly #key: Uint8Array;

  private constructor(dir: string, key: Uint8Array) {
    this.dir = dir;
    this.#key = key;
  }

  /** Opens the sealed storage in `teeDir` (reads the device secret, removes crash leftovers). */
  static async open(teeDir: string): Promise<SealedStorage> {
    const key = deriveSealingKey(await readDeviceSecret(teeDir));
    try {
      await removeStaleTemporaries(teeDir);
    } catch (e) {
      throw new TeeStorageFailed('cannot tidy the TEE folder', { cause: e });
    }
    return new SealedStorage(teeDir, key);
  }

  /** The file a logical name is stored in. */
  pathOf(name: string): string {
    return join(this.dir, checkSealedName(name) + SEALED_SUFFIX);
  }

  /** The unsealed content of `name`, or undefined when there is no such file. */
  async read(name: string): Promise<Uint8Array | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(this.pathOf(name)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new TeeStorageFailed(`cannot read ${name}`, { cause: e });
    }
    return unsealBytes(this.#key, name, bytes);
  }

  /** Seals `data` under `name` and replaces the file atomically. */
  async write(name: string, data: Uint8Array): Promise<void> {
    await writeFileAtomic(this.pathOf(name), sealBytes(this.#key, name, data));
  }

  async remove(name: string): Promise<void> {
    await removeFileDurable(this.pathOf(name));
  }

  async has(name: string): Promise<boolean> {
    try {
      await stat(this.pathOf(name));
      return true;
    } catch {
      return false;
    }
  }

  /** Logical names present, optionally only those starting with `prefix`. */
  async list(prefix = ''): Promise<string[]> {
    const names = await readdir(this.dir);
    return names
      .filter((n) => n.endsWith(SEALED_SUFFIX) && n.startsWith(prefix))
      .map((n) => n.slice(0, -SEALED_SUFFIX.length))
      .sort();
  }
}
