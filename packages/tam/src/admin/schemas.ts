/**
 * JSON Schemas of the admin API's requests and responses (views.ts builds the response shapes).
 * Fastify validates requests with them (a failure is 400 ERR_HTTP_BAD_REQUEST), serializes responses
 * through them (unlisted properties never leak), and @fastify/swagger turns them into the OpenAPI
 * document (`type: [T, 'null']` becomes `nullable: true` in OpenAPI 3.0).
 */
import { ERROR_BODY_SCHEMA } from '../http/openapi.js';

const str = { type: 'string' } as const;
const nstr = { type: ['string', 'null'] } as const;
const time = { type: 'string', format: 'date-time' } as const;
const ntime = { type: ['string', 'null'], format: 'date-time' } as const;
const bool = { type: 'boolean' } as const;
const hex = { type: 'string', pattern: '^([0-9a-f]{2})*$', description: 'bytes as lower-case hex' } as const;
const nhex = { type: ['string', 'null'], pattern: '^([0-9a-f]{2})*$', description: 'bytes as lower-case hex' } as const;
const uint = { type: 'integer', minimum: 0 } as const;
const nuint = { type: ['integer', 'null'], minimum: 0 } as const;
const anyJson = { description: 'any JSON value' } as const;

const obj = (properties: Record<string, object>, required: string[] = Object.keys(properties)): object => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

/** A hwmodel given in a request: hex, upper or lower case. */
export const HEX_INPUT = { type: 'string', pattern: '^([0-9a-fA-F]{2})+$', maxLength: 2048, description: 'bytes as hex' } as const;

export const TC_SCHEMA = obj({
  id: str,
  name: nstr,
  format: { type: 'string', enum: ['suit', 'otrp-ta'] },
  componentId: { ...hex, description: 'CBOR encoding of the SUIT_Component_Identifier (format otrp-ta: UTF-8 of the taid), hex' },
  componentIdText: { type: ['string', 'null'], description: 'the identifier as text, e.g. [\'TEEP-Device\', h\'8d82...\'], or the taid (otrp-ta)' },
  sequenceNumber: { ...uint, description: 'suit-manifest-sequence-number, or the OTrP TA package version' },
  signerSubject: { ...str, description: 'the signer certificate subject (otrp-ta: the SP certificate, spcert)' },
  signerThumbprint: { ...hex, description: 'SHA-256 of the signer certificate (DER), hex' },
  deprecated: bool,
  createdAt: time,
  updatedAt: time,
});

/**
 * A policy scope. Flat rather than a oneOf: Fastify's ajv runs with removeAdditional, which strips
 * properties while it tries oneOf branches; policy-routes.ts checks that the right field is present.
 */
export const SCOPE_SCHEMA = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['device', 'hwmodel', 'all'] },
    deviceId: { type: 'string', minLength: 1, maxLength: 1024, description: 'kind device' },
    hwmodel: { ...HEX_INPUT, description: 'kind hwmodel: the EAT hwmodel claim (RFC 9711 §4.2.4), hex' },
  },
  required: ['kind'],
  additionalProperties: false,
  description: 'who the policy applies to; the most specific scope wins (device > hwmodel > all)',
} as const;

const ACTION = {
  type: 'string',
  enum: ['required', 'optional', 'remove'],
  description: 'required: install; optional: install on request (requested-tc-list); remove: uninstall',
} as const;

export const POLICY_SCHEMA = obj({ id: str, tcId: str, action: ACTION, scope: SCOPE_SCHEMA, createdAt: time, updatedAt: time });

export const POLICY_INPUT_SCHEMA = obj({ tcId: { type: 'string', minLength: 1, maxLength: 1024 }, action: ACTION, scope: SCOPE_SCHEMA });

export const INVENTORY_SCHEMA = obj({
  protocol: { type: 'string', enum: ['teep', 'otrp'] },
  componentId: hex,
  componentIdText: nstr,
  tcId: nstr,
  state: { type: 'string', enum: ['installed', 'pending-install', 'pending-remove'] },
  installed: bool,
  sequenceNumber: nuint,
  pending: {
    type: ['object', 'null'],
    properties: { action: { type: 'string', enum: ['install', 'remove'] }, sequenceNumber: nuint, since: time },
    required: ['action', 'sequenceNumber', 'since'],
  },
  securityDomainId: nstr,
  updatedAt: time,
});

const DEVICE_PROPERTIES = {
  id: str,
  subject: nstr,
  certThumbprint: nhex,
  ueid: nhex,
  hwmodel: nhex,
  hwversion: nstr,
  lastAttestationResult: nstr,
  lastAttestationDetail: anyJson,
  lastAttestationAt: ntime,
  lastSeenAt: ntime,
  blocked: bool,
  decommissioned: bool,
  decommissionedAt: ntime,
  createdAt: time,
  updatedAt: time,
};

export const RESOLVED_POLICY_SCHEMA = obj({ tcId: str, componentId: hex, action: ACTION, scope: SCOPE_SCHEMA, policyId: str, deprecated: bool });

/** A device with its inventory (lists, and the answers to block/unblock/decommission). */
export const DEVICE_SCHEMA = obj({ ...DEVICE_PROPERTIES, inventory: { type: 'array', items: INVENTORY_SCHEMA } });

/** GET /devices/:id adds the policy that wins for each TC on this device. */
export const DEVICE_DETAIL_SCHEMA = obj({
  ...DEVICE_PROPERTIES,
  inventory: { type: 'array', items: INVENTORY_SCHEMA },
  policies: { type: 'array', items: RESOLVED_POLICY_SCHEMA },
});

export const AUDIT_ENTRY_SCHEMA = obj({
  id: { type: 'string', description: 'increasing with insertion; the paging cursor' },
  at: time,
  deviceId: nstr,
  actor: str,
  action: str,
  decision: { type: 'string', enum: ['allow', 'deny', 'error', 'info'] },
  code: nstr,
  detail: anyJson,
});

/** `{ items, limit, offset }` for offset-paged lists. */
export function pageOf(item: object): object {
  return obj({ items: { type: 'array', items: item }, limit: uint, offset: uint });
}

export const PAGING_QUERY = {
  limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  offset: { type: 'integer', minimum: 0, default: 0 },
} as const;

export const ID_PARAMS = obj({ id: { type: 'string', minLength: 1, maxLength: 1024 } });

const ERROR_MEANING: Readonly<Record<number, string>> = {
  400: 'malformed request (ERR_HTTP_BAD_REQUEST, ERR_ADMIN_*, ERR_SUIT_MALFORMED, ...)',
  401: 'missing or wrong bearer token',
  404: 'no such record (ERR_STORE_NOT_FOUND)',
  409: 'conflicts with the stored state',
  413: 'body above the upload limit',
  415: 'unsupported Content-Type',
  422: 'refused: signer not trusted, wrong role, bad signature',
};

/** Response schemas of the error statuses a route can answer (401 for every admin route). */
export function errorResponses(...statuses: number[]): Record<number, object> {
  const out: Record<number, object> = {};
  for (const s of [...statuses, 401]) out[s] = { description: ERROR_MEANING[s] ?? 'error', ...ERROR_BODY_SCHEMA };
  return out;
}
