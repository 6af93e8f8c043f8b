/**
 * What the TAM takes from its PKI directory (docs/pki.md, core `PKI_LAYOUT`), with no further flags:
 *
 *   tam/esp256/key.pem + chain.pem, tam/ed25519/...   TEEP signing keys, sent with their x5chain
 *   tam/x25519/key.pem                                 key agreement: EATs and SUIT reports encrypted to the TAM (-26 §8.2)
 *   device-ca/cert.pem  (roleAnchorPaths('device'))    validates every device chain (role device, EKU clientAuth)
 *   signer-ca/cert.pem  (roleAnchorPaths('signer'))    validates every TC upload (role signer, EKU codeSigning)
 *   <ca>/crl.pem        (crlPaths())                   revocation, for both; re-read when a file changes
 *   devices/**.pem                                     enrolled device certificates: the attestation and SUIT
 *                                                      report keys, which travel as a bare kid (RFC 9679 thumbprint)
 *
 * Device certificates are validated against the Device CA and the CRLs when a message names their
 * kid, and the result is remembered per file (EnrolledKeys below) until the file or a CRL changes or
 * a certificate or CRL runs out: a revoked attestation or report key stops being trusted without a
 * restart, enrolling a device validates only that device's files when they are first used, and a
 * restart does not validate the whole fleet before answering.
 *
 * Watching `devices/` must not cost O(fleet) per second (it listed and stat'ed every enrolled file
 * every second, about 4 ms of TAM CPU per exchange at 128 devices). Every `recheckMs` (1 s) only
 * the CRL files and the devices folder itself are stat'ed: a CRL change (revocation) and a device
 * folder added or removed (enrolment) are seen as before. The full listing (a file added, removed
 * or rewritten inside a device's folder) is compared every `fullRecheckMs` (15 s), and at once (at
 * most every `recheckMs`) when a message names a kid that is not listed (`enrolledKey`).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  coseKeyFromCertificate, coseKeyFromPkcs8, coseKeyFromSpki, coseKeyThumbprint, crlPaths, decodeCertificateChainPem, decodePem, isOtrpError, PKI_LAYOUT, roleAnchorPaths,
  toHex, validateChain,
} from '@otrp/core';
import type { CoseKey, TrustAnchor, ValidateChainOptions, ValidatedChain } from '@otrp/core';
import { validityWindows } from './chain-cache.js';
import { TamPkiUnusable } from './errors.js';

/** The TAM's own keys. */
export interface TamKeys {
  /** Signing keys (P-256 then Ed25519) and their chains (leaf first, as x5chain). */
  readonly signing: readonly CoseKey[];
  readonly chains: readonly Uint8Array[][];
  readonly keyAgreement?: CoseKey;
  /** The TAM's attestation key (PKI tam/attestation/): signs its Evidence for Agents that require it. */
  readonly attestation?: CoseKey;
}

/** A device key certified by the Device CA, found in `devices/`. */
export interface EnrolledDeviceKey {
  readonly key: CoseKey;
  /** RFC 9679 thumbprint, hex: the kid the device signs with. */
  readonly kid: string;
  readonly subject: string;
}

export interface PkiTrust {
  readonly keys: TamKeys;
  readonly deviceAnchors: readonly TrustAnchor[];
  readonly signerAnchors: readonly TrustAnchor[];
  /** The current CRLs (re-read when changed). */
  crls(): Promise<readonly Uint8Array[]>;
  /**
   * The enrolled key with this kid (RFC 9679 thumbprint, hex) when its certificate validates now. A
   * kid that is not listed makes the TAM compare the full `devices/` listing first (at most every
   * `recheckMs`): a device enrolled a moment ago.
   */
  enrolledKey(kid: string): Promise<EnrolledDeviceKey | undefined>;
  /** Every enrolled key that validates now. */
  enrolledDeviceKeys(): Promise<readonly EnrolledDeviceKey[]>;
}

async function text(dir: string, rel: string): Promise<string> {
  try {
    return await readFile(join(dir, ...rel.split('/')), 'utf8');
  } catch (cause) {
    throw new TamPkiUnusable(`the PKI directory has no readable ${rel}`, { cause });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

async function privateKey(dir: string, rel: string): Promise<CoseKey> {
  try {
    return await coseKeyFromPkcs8(decodePem(await text(dir, rel), 'PRIVATE KEY')[0]!);
  } catch (cause) {
    if (cause instanceof TamPkiUnusable) throw cause;
    throw new TamPkiUnusable(`${rel} is not a usable PKCS#8 private key`, { cause });
  }
}

export interface PkiTrustOptions {
  /** How often the CRL files and the devices folder are stat'ed, in ms (default 1000). */
  readonly recheckMs?: number;
  /** How often the full listing of `devices/` is compared, in ms (default 15 000). */
  readonly fullRecheckMs?: number;
  /** Path validation of enrolled device chains (default core's validateChain; tests count the calls). */
  readonly validateChain?: (options: ValidateChainOptions) => Promise<ValidatedChain>;
}

/** Reads the TAM's keys and anchors; throws ERR_TAM_PKI when something required is missing. */
export async function loadPkiTrust(dir: string, options: PkiTrustOptions = {}): Promise<PkiTrust> {
  const signing: CoseKey[] = [];
  const chains: Uint8Array[][] = [];
  for (const folder of [PKI_LAYOUT.tam.ESP256, PKI_LAYOUT.tam.Ed25519]) {
    signing.push(await privateKey(dir, `${folder}/${PKI_LAYOUT.leafFiles.privateKey}`));
    chains.push(decodeCertificateChainPem(await text(dir, `${folder}/${PKI_LAYOUT.leafFiles.chain}`)));
  }
  const kaPath = `${PKI_LAYOUT.tam.X25519}/${PKI_LAYOUT.leafFiles.privateKey}`;
  const keyAgreement = (await exists(join(dir, ...kaPath.split('/')))) ? await privateKey(dir, kaPath) : undefined;
  const attPath = `${PKI_LAYOUT.tamAttestation.dir}/${PKI_LAYOUT.tamAttestation.privateKey}`;
  const attestation = (await exists(join(dir, ...attPath.split('/')))) ? await privateKey(dir, attPath) : undefined;
  const anchors = async (role: 'device' | 'signer') =>
    Promise.all(roleAnchorPaths(role).map(async (p): Promise<TrustAnchor> => ({ certificate: await text(dir, p) })));
  const deviceAnchors = await anchors('device');
  const signerAnchors = await anchors('signer');
  const recheckMs = options.recheckMs ?? 1000;
  const crlFiles = crlPaths().map((p) => join(dir, ...p.split('/')));
  const devicesDir = join(dir, PKI_LAYOUT.devices);

  const crlCache = watched(async () => {
    const out: Uint8Array[] = [];
    for (const f of crlFiles) {
      if (!(await exists(f))) continue;
      out.push(...decodePem(await readFile(f, 'utf8'), 'X509 CRL'));
    }
    return out;
  }, [{ print: () => fingerprint(crlFiles), everyMs: recheckMs }]);
  const fullRecheckMs = Math.max(options.fullRecheckMs ?? 15_000, recheckMs);
  const enrolled = new EnrolledKeys(deviceAnchors, options.validateChain ?? validateChain);
  const indexCache = watched(async () => enrolled.index(await pemFiles(devicesDir), await crlCache.get()), [
    { print: async () => `${await fingerprint(crlFiles)}|${await fingerprint([devicesDir])}`, everyMs: recheckMs },
    { print: async () => fingerprint(await pemFiles(devicesDir)), everyMs: fullRecheckMs, forcedMs: recheckMs },
  ]);
  // List devices/ now, in the background, so that the first messages after a restart do not wait
  // for it (~0.5 s per 1000 enrolled devices); a failure is reported by the first lookup instead.
  // The first lookup still compares the fingerprints: a device enrolled in the meantime is seen.
  indexCache.get().then(() => {
    indexCache.recheckNext();
    crlCache.recheckNext();
  }, () => undefined);
  return {
    keys: { signing, chains, ...(keyAgreement && { keyAgreement }), ...(attestation && { attestation }) }, deviceAnchors, signerAnchors, crls: () => crlCache.get(),
    enrolledKey: async (kid) => {
      let index = await indexCache.get();
      // A kid not listed, e.g. a device enrolled a moment ago: compare the full listing now.
      if (!index.byKid.has(kid)) index = await indexCache.get(true);
      return enrolled.key(index, kid, Date.now());
    },
    enrolledDeviceKeys: async () => enrolled.all(await indexCache.get(), Date.now()),
  };
}

/** An enrolled file: its text and the kid of its leaf key (read without validating anything). */
interface IndexedFile {
  readonly file: string;
  readonly text: string;
  readonly kid: string;
}

/** The files of `devices/` by the kid of their leaf key, with the CRLs of the moment they were listed. */
interface EnrolmentIndex {
  readonly files: readonly IndexedFile[];
  readonly byKid: ReadonlyMap<string, readonly IndexedFile[]>;
  readonly crls: readonly Uint8Array[];
}

/** What validating one enrolled file (as listed) gave: its key, or nothing (not trusted), and while that holds. */
interface Enrolment {
  readonly of: IndexedFile;
  readonly crls: readonly Uint8Array[];
  readonly key: EnrolledDeviceKey | undefined;
  readonly from: number;
  readonly until: number;
}

/**
 * The enrolled device keys. Listing `devices/` only reads the files and takes the kid of each leaf
 * key (a DER walk and a hash, no validation), so that a TAM restarted with a large fleet answers at
 * once; a file is validated when a message names its kid (or when every key is asked for), and the
 * result is remembered per file. Validating every enrolled chain on each change of `devices/`
 * (~12 ms each: 2.4 s at 200 devices, minutes at 10 000) is what this replaces.
 *
 * A file's result is reused while its text (the same IndexedFile, kept while the text is), the CRL
 * list object (a new one whenever a CRL file changes) and the time window stay the same: a success
 * inside every path certificate's validity and before the CRLs' nextUpdate; a failure for good,
 * except a chain that is not valid yet.
 */
class EnrolledKeys {
  #byFile = new Map<string, Enrolment>();
  #index: EnrolmentIndex | undefined;
  #all: { index: EnrolmentIndex; keys: readonly EnrolledDeviceKey[]; until: number } | undefined;
  readonly #windowOf = validityWindows();

  constructor(
    private readonly anchors: readonly TrustAnchor[],
    private readonly validate: (options: ValidateChainOptions) => Promise<ValidatedChain>,
  ) {}

  /**
   * Lists the files (a file whose text did not change keeps its entry); forgets the files that are
   * gone. A file without a certificate key this TAM can name is left out: it could never be trusted.
   */
  async index(files: readonly string[], crls: readonly Uint8Array[]): Promise<EnrolmentIndex> {
    const texts = await readAll(files);
    const before = new Map(this.#index?.files.map((f) => [f.file, f]));
    const listed: IndexedFile[] = [];
    const byKid = new Map<string, IndexedFile[]>();
    for (const [i, file] of files.entries()) {
      const text = texts[i];
      if (text === undefined) continue;
      const old = before.get(file);
      const kid = old?.text === text ? old.kid : await leafKid(text);
      if (kid === undefined) continue;
      const entry = old?.text === text ? old : { file, text, kid };
      listed.push(entry);
      byKid.set(kid, [...(byKid.get(kid) ?? []), entry]);
    }
    const present = new Set(listed.map((f) => f.file));
    for (const file of this.#byFile.keys()) if (!present.has(file)) this.#byFile.delete(file);
    this.#index = { files: listed, byKid, crls };
    return this.#index;
  }

  /** The trusted key of that kid, validating its file(s) if not done yet. */
  async key(index: EnrolmentIndex, kid: string, now: number): Promise<EnrolledDeviceKey | undefined> {
    for (const f of index.byKid.get(kid) ?? []) {
      const e = await this.#enrolment(f, index.crls, now);
      if (e.key !== undefined) return e.key;
    }
    return undefined;
  }

  /** Every trusted key; the same list object until the index changes or a certificate or CRL runs out. */
  async all(index: EnrolmentIndex, now: number): Promise<readonly EnrolledDeviceKey[]> {
    if (this.#all?.index === index && now < this.#all.until) return this.#all.keys;
    const found = new Map<string, EnrolledDeviceKey>();
    let until = Infinity;
    for (const f of index.files) {
      const e = await this.#enrolment(f, index.crls, now);
      if (e.key === undefined || found.has(e.key.kid)) continue;
      found.set(e.key.kid, e.key);
      until = Math.min(until, e.until);
    }
    this.#all = { index, keys: [...found.values()], until };
    return this.#all.keys;
  }

  async #enrolment(f: IndexedFile, crls: readonly Uint8Array[], now: number): Promise<Enrolment> {
    const before = this.#byFile.get(f.file);
    if (before?.of === f && before.crls === crls && now >= before.from && now < before.until) return before;
    const e = await this.#validate(f, crls, now);
    this.#byFile.set(f.file, e);
    return e;
  }

  async #validate(f: IndexedFile, crls: readonly Uint8Array[], now: number): Promise<Enrolment> {
    try {
      // The text decoded when it was listed (leafKid), and the kid named the leaf's key.
      const chain = decodeCertificateChainPem(f.text);
      const v = await this.validate({ chain, anchors: this.anchors, role: 'device', ...(crls.length ? { crls } : {}), at: new Date(now) });
      const { from, until } = this.#windowOf(v, crls.length ? crls : undefined);
      return { of: f, crls, key: { key: coseKeyFromSpki(v.spki), kid: f.kid, subject: v.leaf.subject }, from, until };
    } catch (e) {
      // A revoked, expired or foreign certificate is simply not trusted (a key-agreement
      // certificate has no digitalSignature and is skipped the same way). Only a chain that is not
      // valid yet may become trusted with the same text and CRLs: it is tried again when next asked.
      if (!isOtrpError(e)) throw e;
      return { of: f, crls, key: undefined, from: -Infinity, until: e.code === 'ERR_CERTIFICATE_NOT_YET_VALID' ? now : Infinity };
    }
  }
}

/** The kid (RFC 9679 thumbprint, hex) of the first certificate's key in a PEM chain, if it has one. */
async function leafKid(text: string): Promise<string | undefined> {
  try {
    const leaf = decodeCertificateChainPem(text)[0];
    return leaf === undefined ? undefined : toHex(await coseKeyThumbprint(coseKeyFromCertificate(leaf)));
  } catch {
    return undefined; // not a certificate this TAM can use: never named, and never trusted
  }
}

/** The files' texts (undefined where unreadable), read a few dozen at a time rather than one by one. */
async function readAll(files: readonly string[]): Promise<(string | undefined)[]> {
  const texts: (string | undefined)[] = new Array(files.length);
  let next = 0;
  const reader = async () => {
    for (let i = next++; i < files.length; i = next++) texts[i] = await readFile(files[i]!, 'utf8').catch(() => undefined);
  };
  await Promise.all(Array.from({ length: Math.min(32, files.length) }, reader));
  return texts;
}

/** Every *.pem below `dir` (none when it does not exist), sorted. */
async function pemFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isFile() && e.name.endsWith('.pem')).map((e) => join(e.parentPath, e.name)).sort();
}

/** Names, sizes and modification times: changes when any file is added, removed or rewritten. */
async function fingerprint(files: readonly string[]): Promise<string> {
  const parts = await Promise.all(files.map(async (f) => {
    const s = await stat(f).catch(() => undefined);
    return s ? `${f}:${s.size}:${s.mtimeMs}` : `${f}:-`;
  }));
  return parts.join(';');
}

/** A fingerprint of what a cached value was computed from, taken at most every `everyMs`. */
interface Watch {
  readonly print: () => Promise<string>;
  readonly everyMs: number;
  /** The shorter interval used when the caller forces a check (default: `everyMs`). */
  readonly forcedMs?: number;
}

interface Watched<T> {
  /** The value, recomputed first if a fingerprint that was due has changed. */
  get(force?: boolean): Promise<T>;
  /** Makes every fingerprint due at the next `get`, which recomputes only if one changed. */
  recheckNext(): void;
}

/**
 * A value recomputed when any watched fingerprint changes. Each fingerprint is taken when due; a
 * caller that passes `force` makes the forced interval apply. A failed computation is forgotten, so
 * the next call tries again.
 */
function watched<T>(load: () => Promise<T>, watches: readonly Watch[]): Watched<T> {
  let value: Promise<T> | undefined;
  const seen = watches.map(() => ({ print: undefined as string | undefined, at: 0 }));
  const recheckNext = () => {
    for (const s of seen) s.at = 0;
  };
  const get = async (force = false) => {
    const now = Date.now();
    let changed = false;
    for (const [i, w] of watches.entries()) {
      const s = seen[i]!;
      if (value !== undefined && now - s.at < (force ? (w.forcedMs ?? w.everyMs) : w.everyMs)) continue;
      s.at = now;
      const p = await w.print();
      changed ||= p !== s.print;
      s.print = p;
    }
    if (!changed && value !== undefined) return value;
    const v = load();
    value = v;
    v.catch(() => {
      if (value === v) value = undefined;
    });
    return v;
  };
  return { get, recheckNext };
}
