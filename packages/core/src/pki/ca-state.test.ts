import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCaState, emptyCaState, encodeCaState, recordIssued, recordRevoked, takeCrlEntries } from './ca-state.js';

test('CA state: issue, revoke (idempotent), take CRL entries with increasing numbers, round-trip', () => {
  let s = recordIssued(emptyCaState(), { serialNumber: '0a', subject: 'CN=x', role: 'device', notAfter: '2030-01-01T00:00:00.000Z' });
  const r1 = recordRevoked(s, { serialNumber: '0a', revocationDate: '2026-01-01T00:00:00.000Z', reason: 'keyCompromise' });
  assert.equal(r1.alreadyRevoked, false);
  const r2 = recordRevoked(r1.state, { serialNumber: '0a', revocationDate: '2027-01-01T00:00:00.000Z' });
  assert.equal(r2.alreadyRevoked, true);
  assert.equal(r2.state.revoked[0]!.revocationDate, '2026-01-01T00:00:00.000Z');
  const t1 = takeCrlEntries(r2.state);
  const t2 = takeCrlEntries(t1.state);
  assert.equal(t1.crlNumber, 1);
  assert.equal(t2.crlNumber, 2);
  assert.deepEqual(t1.entries, [{ serialNumber: '0a', revocationDate: new Date('2026-01-01T00:00:00.000Z'), reason: 'keyCompromise' }]);
  s = decodeCaState(encodeCaState(t2.state));
  assert.deepEqual(s, t2.state);
});

test('CA state: malformed files give ERR_PKI_CA_STATE', () => {
  for (const text of ['', '{', '[]', '{"version":2,"nextCrlNumber":1,"issued":[],"revoked":[]}', '{"version":1,"nextCrlNumber":-1,"issued":[],"revoked":[]}',
    '{"version":1,"nextCrlNumber":1,"issued":[],"revoked":[{"serialNumber":"zz","revocationDate":"2026-01-01"}]}',
    '{"version":1,"nextCrlNumber":1,"issued":[],"revoked":[{"serialNumber":"0a","revocationDate":"2026-01-01","reason":"bored"}]}']) {
    assert.throws(() => decodeCaState(text), { code: 'ERR_PKI_CA_STATE' }, text);
  }
});
