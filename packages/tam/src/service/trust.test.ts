/**
 * trust.ts: the enrolled device keys follow the PKI directory without listing every enrolled file
 * every second. A new device folder and a CRL change are seen at the next check; a change deeper in
 * a device's folder at the next full check, or at once when a message names an unknown kid. Chains
 * are validated when first used, once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCertificate, validateChain } from '@otrp/core';
import type { ValidateChainOptions } from '@otrp/core';
import { makePkiDir } from './test-support/pki-dir.js';
import { loadPkiTrust } from './trust.js';

const kids = (list: readonly { kid: string }[]) => list.map((k) => k.kid).sort();

test('a new device folder and a CRL change are seen at the next check; a kid not listed makes a full recheck', async () => {
  const { dir, enrol, revoke } = await makePkiDir();
  try {
    const a = await enrol('dev-a/attestation');
    const trust = await loadPkiTrust(dir, { recheckMs: 0, fullRecheckMs: 3_600_000 });
    assert.deepEqual(kids(await trust.enrolledDeviceKeys()), [a.kid]);

    // A new device: a new folder directly in devices/ (enrolment).
    const b = await enrol('dev-b/attestation');
    assert.deepEqual(kids(await trust.enrolledDeviceKeys()), [a.kid, b.kid].sort());

    // A new certificate inside an existing device's folder: not in the per-second check, but a
    // message naming its kid makes the TAM compare the full listing at once.
    const c = await enrol('dev-a/suit-report');
    assert.deepEqual(kids(await trust.enrolledDeviceKeys()), [a.kid, b.kid].sort(), 'the full listing is not due yet');
    assert.equal((await trust.enrolledKey(c.kid))?.kid, c.kid);
    const all = await trust.enrolledDeviceKeys();
    assert.deepEqual(kids(all), [a.kid, b.kid, c.kid].sort());
    assert.equal(await trust.enrolledDeviceKeys(), all, 'the same list until something changes');
    assert.equal(await trust.enrolledKey('00'.repeat(32)), undefined, 'a kid nobody enrolled');

    // Revocation (a CRL file changes) is seen at the next check.
    await revoke(b.leaf);
    assert.deepEqual(kids(await trust.enrolledDeviceKeys()), [a.kid, c.kid].sort());
    assert.equal(await trust.enrolledKey(b.kid), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a change deep in devices/ is seen by the periodic full check', async () => {
  const { dir, enrol } = await makePkiDir();
  try {
    const a = await enrol('dev-a/attestation');
    const trust = await loadPkiTrust(dir, { recheckMs: 0, fullRecheckMs: 0 });
    assert.deepEqual(kids(await trust.enrolledDeviceKeys()), [a.kid]);
    const c = await enrol('dev-a/suit-report');
    assert.deepEqual(kids(await trust.enrolledDeviceKeys()), [a.kid, c.kid].sort());
    await rm(join(dir, 'devices', 'dev-a', 'attestation'), { recursive: true });
    assert.deepEqual(kids(await trust.enrolledDeviceKeys()), [c.kid]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a file is validated when its kid is first named, once; a CRL change validates again', async () => {
  const { dir, enrol, revoke } = await makePkiDir();
  try {
    const fleet = await Promise.all(['dev-a', 'dev-b', 'dev-c'].map((d) => enrol(`${d}/attestation`)));
    // A file that holds no certificate is listed by nobody's kid and never trusted.
    await writeFile(join(dir, 'devices', 'dev-a', 'attestation', 'notes.pem'), 'not a certificate\n');
    let validated: string[] = [];
    const counting = (o: ValidateChainOptions) => {
      validated.push(parseCertificate(o.chain[0]!).subject);
      return validateChain(o);
    };
    const trust = await loadPkiTrust(dir, { recheckMs: 0, fullRecheckMs: 0, validateChain: counting });
    // A restarted TAM answers for one device without validating the fleet first.
    assert.equal((await trust.enrolledKey(fleet[1]!.kid))?.kid, fleet[1]!.kid);
    assert.deepEqual(validated, ['CN=dev-b/attestation attestation']);
    assert.equal((await trust.enrolledKey(fleet[1]!.kid))?.kid, fleet[1]!.kid);
    assert.equal(validated.length, 1, 'remembered');

    validated = [];
    const d = await enrol('dev-d/attestation');
    assert.equal((await trust.enrolledKey(d.kid))?.kid, d.kid);
    assert.deepEqual(validated, ['CN=dev-d/attestation attestation'], 'enrolment: only the new device');

    validated = [];
    assert.deepEqual(kids(await trust.enrolledDeviceKeys()), kids([...fleet, d]));
    assert.deepEqual(validated.sort(), ['CN=dev-a/attestation attestation', 'CN=dev-c/attestation attestation'], 'every key: the files not validated yet');

    validated = [];
    await revoke(fleet[0]!.leaf);
    assert.deepEqual(kids(await trust.enrolledDeviceKeys()), kids([fleet[1]!, fleet[2]!, d]));
    assert.equal(validated.length, 4, 'a new CRL: every file again');

    validated = [];
    await trust.enrolledDeviceKeys();
    await trust.enrolledKey(d.kid);
    assert.deepEqual(validated, [], 'nothing changed: nothing validated');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a certificate that runs out stops being trusted without any file changing', async () => {
  const { dir, enrol } = await makePkiDir();
  try {
    const lasting = await enrol('dev-a/attestation');
    // X.509 times have whole seconds: this one ends 2 to 3 seconds from now.
    const notAfter = new Date(Math.floor(Date.now() / 1000) * 1000 + 3000);
    const brief = await enrol('dev-b/attestation', notAfter);
    const trust = await loadPkiTrust(dir, { recheckMs: 60_000, fullRecheckMs: 60_000 });
    assert.deepEqual(kids(await trust.enrolledDeviceKeys()), kids([lasting, brief]));
    await new Promise((r) => setTimeout(r, notAfter.getTime() + 1000 - Date.now()));
    assert.deepEqual(kids(await trust.enrolledDeviceKeys()), [lasting.kid], 'the expired certificate is gone with no file changed and no recheck due');
    assert.equal(await trust.enrolledKey(brief.kid), undefined);
    assert.equal((await trust.enrolledKey(lasting.kid))?.kid, lasting.kid);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a device enrolled just after the trust was loaded (and devices/ listed) is found by its first message', async () => {
  const { dir, enrol } = await makePkiDir();
  try {
    const a = await enrol('dev-a/attestation');
    // The default intervals: nothing is due again for a second after the listing done at load.
    const trust = await loadPkiTrust(dir);
    await new Promise((r) => setTimeout(r, 200)); // the background listing is done
    const b = await enrol('dev-b/attestation');
    assert.equal((await trust.enrolledKey(b.kid))?.kid, b.kid);
    assert.equal((await trust.enrolledKey(a.kid))?.kid, a.kid);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a CRL that cannot be read fails the lookups, and the first lookup after it is mended works', async () => {
  const { dir, enrol, revoke } = await makePkiDir();
  try {
    const a = await enrol('dev-a/attestation');
    const b = await enrol('dev-b/attestation');
    const crl = join(dir, 'device-ca', 'crl.pem');
    await rm(crl, { force: true });
    await mkdir(crl); // exists, but reading it fails (EISDIR)
    // Long intervals: only a forgotten failure makes the next lookup read again.
    const trust = await loadPkiTrust(dir, { recheckMs: 60_000, fullRecheckMs: 60_000 });
    await assert.rejects(trust.enrolledKey(a.kid), { code: 'EISDIR' });
    await rm(crl, { recursive: true });
    await revoke(b.leaf); // a readable CRL again (without one, revocation is unknown: nothing is trusted)
    assert.equal((await trust.enrolledKey(a.kid))?.kid, a.kid);
    assert.equal(await trust.enrolledKey(b.kid), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
