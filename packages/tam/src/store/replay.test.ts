// The store-only replay (replay.ts) against every backend: it must drive real install exchanges,
// so the store ends as the TAM's would (every TC installed on every device, two audit entries each).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testBackends } from './test-support/backends.js';
import { replayInstallExchanges } from './replay.js';

const BACKENDS = await testBackends();
after(async () => {
  for (const b of BACKENDS) await b.dispose();
});

for (const backend of BACKENDS) {
  describe(`store replay (${backend.name})`, { skip: backend.skip }, () => {
    test('12 install exchanges on 4 devices with 3 TCs: each device holds the 3 TCs, installed, and the audit has 24 entries', async () => {
      const store = await backend.open();
      const r = await replayInstallExchanges(store, { devices: 4, tcs: 3, warmup: 4, exchanges: 8 });
      assert.equal(r.exchanges, 8);
      assert.ok(r.cpuMsPerExchange > 0 && r.wallMsPerExchange > 0);
      const devices = await store.devices.list();
      assert.equal(devices.length, 4);
      for (const d of devices) {
        const entries = await store.inventory.list(d.id, { protocol: 'teep' });
        assert.equal(entries.length, 3, d.id);
        for (const e of entries) {
          assert.equal(e.state, 'installed');
          assert.equal(e.sequenceNumber, 1);
          assert.ok(e.tcId !== null);
        }
        assert.ok(d.lastSeenAt !== null && d.lastAttestationResult === 'affirming');
      }
      const audit = await store.audit.list({ limit: 100 });
      assert.equal(audit.entries.length, 24);
      assert.deepEqual(new Set(audit.entries.map((e) => e.action)), new Set(['teep.query-response', 'teep.success']));
    });
  });
}
