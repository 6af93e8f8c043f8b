/**
 * A readable line per message the Broker relays (`otrp device run --verbose`, `otrp demo`): who sent
 * it, the TEEP message type, its size, and the fields a person wants to see. The bytes are decoded
 * with core's TEEP decoder as relayed (the Broker cannot verify anything; the Agent and the TAM do),
 * and anything that does not decode is shown as such rather than thrown.
 */
import {
  decodeEnvelope, decodeManifest, decodeTeepMessage, errorNameOf, formatComponentId, openTeepMessage, resolveTeepProfile, toHex,
} from '@otrp/core';
import type { TeepMessage, TeepProfileName } from '@otrp/core';
import type { BrokerExchange } from '@otrp/device';

const TYPE_NAMES: Record<TeepMessage['type'], string> = {
  'query-request': 'QueryRequest',
  'query-response': 'QueryResponse',
  update: 'Update',
  success: 'Success',
  error: 'Error',
};

const short = (b: Uint8Array | undefined) => (b === undefined ? undefined : b.length > 8 ? `${toHex(b.subarray(0, 8))}..` : toHex(b));

function manifestText(bytes: Uint8Array): string {
  try {
    const man = decodeManifest(decodeEnvelope(bytes).manifestBytes);
    const id = man.manifestComponentId ? formatComponentId(man.manifestComponentId) : formatComponentId(man.common.components[0] ?? []);
    return `${id} seq ${man.sequenceNumber}`;
  } catch {
    return `undecodable envelope (${bytes.length} bytes)`;
  }
}

/** An attestation-payload: its format (absent = an Attestation Result in the TEEP EAT profile, -26 §4.2) and size. */
const attestationText = (format: string | undefined, payload: Uint8Array) => `${format ?? 'attestation-result'} (${payload.length} bytes)`;

/** The key fields of a message, `name=value` pairs. */
function fields(m: TeepMessage, profileName: TeepProfileName): string[] {
  const out: string[] = [];
  if (m.token) out.push(`token=${short(m.token)}`);
  switch (m.type) {
    case 'query-request':
      if (m.challenge) out.push(`challenge=${short(m.challenge)}`);
      // The TAM's own attestation, for an Agent that asked for it with Error 7 (-26 §7.1.2).
      if (m.attestationPayload) out.push(`tam-evidence=${attestationText(m.attestationPayloadFormat, m.attestationPayload)}`);
      out.push(`suites=${m.supportedTeepCipherSuites.length}`, `data-items=0x${m.dataItemRequested.toString(16)}`);
      break;
    case 'query-response':
      if (m.attestationPayload) out.push(`evidence=${attestationText(m.attestationPayloadFormat, m.attestationPayload)}`);
      out.push(`tc-list=${m.tcList?.length ?? 0}`);
      if (m.requestedTcList?.length) out.push(`requested=${m.requestedTcList.length}`);
      if (m.unneededManifestList?.length) out.push(`unneeded=[${m.unneededManifestList.map(formatComponentId).join(', ')}]`);
      break;
    case 'update':
      if (m.manifestList?.length) out.push(`manifests=[${m.manifestList.map(manifestText).join('; ')}]`);
      if (m.unneededManifestList?.length) out.push(`unneeded=[${m.unneededManifestList.map(formatComponentId).join(', ')}]`);
      if (m.attestationPayload) out.push(`attestation-result=${m.attestationPayloadFormat ?? '?'}`);
      if (m.errCode !== undefined) out.push(`err-code=${m.errCode}`);
      break;
    case 'success':
      if (m.msg) out.push(`msg=${JSON.stringify(m.msg)}`);
      if (m.suitReports?.length) out.push(`suit-reports=${m.suitReports.length}`);
      break;
    case 'error':
      out.push(`err-code=${m.errCode} (${errorNameOf(resolveTeepProfile(profileName), m.errCode) ?? 'unknown'})`);
      if (m.errMsg) out.push(`err-msg=${JSON.stringify(m.errMsg)}`);
      break;
  }
  return out;
}

/** The TEEP message type name of relayed bytes (QueryRequest, ...), or undefined when they do not decode. */
export function relayedType(body: Uint8Array, profile: TeepProfileName = 'draft-26'): string | undefined {
  try {
    return TYPE_NAMES[decodeTeepMessage(openTeepMessage(body).payload, { profile }).type];
  } catch {
    return undefined;
  }
}

/** One transcript line, e.g. `TAM -> device  Update  812 bytes  token=.. manifests=[...]`. */
export function transcriptLine(x: BrokerExchange, profile: TeepProfileName = 'draft-26'): string {
  const dir = x.direction === 'to-tam' ? 'device -> TAM' : 'TAM -> device';
  if (x.body === undefined || x.body.length === 0) {
    return `${dir}  ${x.direction === 'to-tam' ? '(empty POST: open session)' : '(204 No Content: session over)'}`;
  }
  let text: string;
  try {
    const opened = openTeepMessage(x.body);
    const m = decodeTeepMessage(opened.payload, { profile });
    text = [TYPE_NAMES[m.type], `${x.body.length} bytes`, `(${opened.wrapper})`, ...fields(m, profile)].join('  ');
  } catch {
    text = `undecodable message  ${x.body.length} bytes`;
  }
  return `${dir}  ${text}`;
}
