/**
 * Property: whatever is done to a message (byte flips, truncation, members replaced by arbitrary
 * JSON, re-signed or not), both roles answer with a typed error or an OTrP error response, never a
 * TypeError/RangeError, and a failing request changes no state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { makeFixturePki, makeParties, setup } from './test-support/parties.js';
import { processOtrpRequest } from './tee-agent.js';
import { buildCommandRequest, buildGetDeviceStateRequest, processCommandResponse, processGetDeviceStateResponse, type TeeView } from './tam-session.js';
import { signOtrpMessage } from './signed-message.js';
import { DEFAULT_JOSE_POLICY } from '../jose/algorithms.js';
import { x5cHeader } from '../jose/jws.js';
import { isOtrpError } from '../errors.js';
import type { OtrpMessageName } from './messages/names.js';

async function typedOnly(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.ok(isOtrpError(e), `untyped error: ${(e as Error)?.stack ?? String(e)}`);
  }
}

/** Replaces the value at a random path of a JSON document with `replacement`. */
function mutateAt(doc: unknown, pick: number, replacement: unknown): unknown {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], [...path, k]);
  };
  walk(doc, []);
  const path = paths[pick % paths.length]!;
  if (path.length === 0) return replacement;
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[path[path.length - 1]!] = replacement;
  return copy;
}

test('mutated TAM requests: only typed errors, no state change on failure', async () => {
  const fixture = await makeFixturePki();
  const parties = await makeParties(fixture, 'P-256');
  const { store, agent, tam } = setup(fixture, parties, DEFAULT_JOSE_POLICY);
  const gds = await buildGetDeviceStateRequest(tam);
  const [s] = await processGetDeviceStateResponse(tam, (await processOtrpRequest(agent, gds.message)).response, gds.pending);
  const tee = (s as { tee: TeeView }).tee;
  const spcert = Buffer.from(parties.spcert).toString('base64');
  const base = await buildCommandRequest(tam, 'CreateSD', { tee, content: { spid: 'sp', sdname: 'sd', spcert } });
  const outer = JSON.parse(base.message);
  const tbs = JSON.parse(Buffer.from(outer.CreateSDRequest.payload, 'base64url').toString()).CreateSDTBSRequest;

  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        // raw text damage
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 6 }) }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
        // structure damage of the envelope (not re-signed)
        fc.record({ kind: fc.constant('outer' as const), at: fc.nat(), value: fc.jsonValue({ maxDepth: 3 }) }),
        // structure damage of the TBS, validly re-signed by the TAM (exercises the decoders)
        fc.record({ kind: fc.constant('tbs' as const), at: fc.nat(), value: fc.jsonValue({ maxDepth: 3 }) }),
      ),
      async (m) => {
        let text: string;
        if (m.kind === 'flip') {
          const i = m.at % base.message.length;
          text = base.message.slice(0, i) + String.fromCharCode(base.message.charCodeAt(i) ^ (1 << m.bit)) + base.message.slice(i + 1);
        } else if (m.kind === 'cut') {
          text = base.message.slice(0, m.at % base.message.length);
        } else if (m.kind === 'outer') {
          text = JSON.stringify(mutateAt(outer, m.at, m.value));
        } else {
          const t = mutateAt(tbs, m.at, m.value);
          const name: OtrpMessageName = 'CreateSDRequest';
          const body = t && typeof t === 'object' && !Array.isArray(t) ? (t as Record<string, unknown>) : { t };
          text = JSON.stringify(await signOtrpMessage(name, { ...body, rid: `r${Math.random()}` }, { key: parties.tam.key, header: x5cHeader(parties.tam.chain) }));
        }
        const before = store.snapshot();
        try {
          const r = await processOtrpRequest(agent, text);
          if (r.error) assert.deepEqual(store.snapshot(), before);
          else await store.commit(before); // an accepted mutation (e.g. a different spid): reset for the next run
          await typedOnly(processCommandResponse(tam, 'CreateSD', r.response, base.pending, tee));
        } catch (e) {
          assert.ok(isOtrpError(e), `untyped error: ${(e as Error)?.stack ?? String(e)}`);
          assert.deepEqual(store.snapshot(), before);
        }
      },
    ),
    { numRuns: 150 },
  );
});

test('arbitrary text to both roles: only typed errors', async () => {
  const fixture = await makeFixturePki();
  const parties = await makeParties(fixture, 'P-256');
  const { agent, tam } = setup(fixture, parties, DEFAULT_JOSE_POLICY);
  const pending = { name: 'GetDeviceStateRequest' as const, rid: 'r', tid: 't' };
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.jsonValue().map((v) => JSON.stringify({ GetDeviceStateResponse: [{ GetDeviceTEEStateResponse: v }] }))), async (text) => {
      await typedOnly(processOtrpRequest(agent, text));
      await typedOnly(processGetDeviceStateResponse(tam, text, pending));
    }),
    { numRuns: 300 },
  );
});
