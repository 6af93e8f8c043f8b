/**
 * Building the DSI a TEE reports to one TAM (§9.1.5): its certificate and CA chain, the SDs that TAM
 * owns with their TAs, and the TEE SP AIKs of those SDs' SPs (A9: BASE64 DER SPKI + spaiktype).
 */
import type { Dsi, DsiSd, DsiSpAik } from './dsi.js';
import { b64 } from './fields.js';
import type { TeeState } from './ports.js';
import { describeSpki } from '../jose/keys.js';

export interface TeeDescription {
  name: string;
  ver: string;
  /** TEE certificate chain, DER, leaf first. */
  chain: readonly Uint8Array[];
}

/** The DSI of `state` as seen by `tamid` (no `tfwdata`: that is per-request evidence, not state). */
export async function buildDsi(tee: TeeDescription, state: TeeState, tamid: string): Promise<Dsi> {
  const sds: DsiSd[] = state.sds
    .filter((sd) => sd.tamid === tamid)
    .map((sd) => ({ name: sd.name, spid: sd.spid, talist: sd.tas.map((t) => (t.taname !== undefined ? { taid: t.taid, taname: t.taname } : { taid: t.taid })) }));
  const spids = new Set(sds.map((s) => s.spid));
  const teeaiklist: DsiSpAik[] = [];
  for (const a of state.spaiks) {
    if (!spids.has(a.spid)) continue;
    const d = await describeSpki(a.key.spki);
    teeaiklist.push({ spaik: b64(a.key.spki), spaiktype: d.type === 'RSA' ? 'RSA' : 'ECC', spid: a.spid });
  }
  return {
    tee: {
      name: tee.name,
      ver: tee.ver,
      cert: b64(tee.chain[0]!),
      cacert: tee.chain.slice(1).map(b64),
      sdlist: { cnt: String(sds.length), sd: sds },
      teeaiklist,
    },
  };
}
