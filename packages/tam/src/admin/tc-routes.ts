/**
 * Trusted components under /admin/v1/tcs: upload (SUIT envelopes with the signer check of
 * upload-check.ts, OTrP TA packages with upload-check-otrp.ts), list, get, download the envelope,
 * deprecate, delete.
 *
 *   POST   /tcs                  201 new component | 200 newer sequence number of a stored one
 *                                 400 not an envelope / TA package, 409 sequence not higher or
 *                                 another SP/SD for a TA, 413, 415, 422 refused
 *   GET    /tcs                  { items, limit, offset }   (?limit, ?offset, ?includeDeprecated)
 *   GET    /tcs/:id              one TC                        404
 *   GET    /tcs/:id/envelope     the envelope (or TA package) as uploaded      404
 *   POST   /tcs/:id/deprecate    deprecated: true (policies stop installing it)    404
 *   DELETE /tcs/:id              204; 409 while a policy names it                  404
 */
import type { FastifyInstance } from 'fastify';
import { StoreNotFound } from '../store/errors.js';
import type { JsonValue, TrustedComponentRecord } from '../store/records.js';
import { decodeOtrpTaPackage, OTRP_TA_MEDIA_TYPE } from '../otrp/ta-package.js';
import type { AdminContext } from './admin-deps.js';
import { auditChange, noteForAudit } from './audit.js';
import { AdminComponentConflict, AdminSequenceNotHigher } from './errors.js';
import { ID_PARAMS, PAGING_QUERY, TC_SCHEMA, errorResponses, pageOf } from './schemas.js';
import { SUIT_ENVELOPE_MEDIA_TYPES, readUpload, registerEnvelopeParser, uploadBodyLimit } from './upload-body.js';
import type { UploadJsonBody } from './upload-body.js';
import { checkTcUpload, presentedSigner } from './upload-check.js';
import type { CheckedTcUpload } from './upload-check.js';
import { checkOtrpTaUpload, presentedSpCert } from './upload-check-otrp.js';
import type { CheckedOtrpTaUpload } from './upload-check-otrp.js';
import { tcView } from './views.js';

const TAGS = ['trusted-components'];
const BINARY = { schema: { type: 'string', format: 'binary', description: 'SUIT_Envelope (suit-manifest-37 §8.2)' } } as const;
const TA_PACKAGE = {
  schema: { type: 'string', format: 'binary', description: 'OTrP TA package: UTF-8 JSON {spid, sdname, taid, taname?, version?, spcert, binary, pdata?}' },
} as const;

/** A checked upload of either format, as the store transaction takes it. */
interface CheckedUpload {
  readonly manifest: Uint8Array;
  readonly componentId: Uint8Array;
  readonly sequenceNumber: number;
  readonly signerSubject: string;
  readonly signerThumbprint: Uint8Array;
  /** What the audit entries name the component by. */
  readonly facts: Record<string, JsonValue>;
  /** Throws when this upload may not replace the stored component (before the sequence check). */
  readonly replaces?: (existing: TrustedComponentRecord) => void;
}

function suitUpload(c: CheckedTcUpload): CheckedUpload {
  return { ...c, manifest: c.envelope, facts: { componentId: c.componentIdText } };
}

function otrpUpload(c: CheckedOtrpTaUpload): CheckedUpload {
  const { spid, sdname, taid } = c.pkg;
  return {
    ...c,
    facts: { format: 'otrp-ta', taid, spid, sdname },
    // A new version stays in its SD: the plan (otrp-plan.ts) would otherwise create the new SD and
    // leave the installed TA in the old one.
    replaces: (existing) => {
      const old = decodeOtrpTaPackage(existing.manifest);
      if (old.spid !== spid || old.sdname !== sdname) {
        throw new AdminComponentConflict(`TA ${taid} is stored for SP ${old.spid}, SD ${old.sdname}: a new version must keep both`);
      }
    },
  };
}

function found(r: TrustedComponentRecord | undefined, id: string): TrustedComponentRecord {
  if (r === undefined) throw new StoreNotFound(`no trusted component with id ${id}`);
  return r;
}

export function tcRoutes(scope: FastifyInstance, ctx: AdminContext): void {
  const { store } = ctx;
  registerEnvelopeParser(scope);

  scope.post<{ Querystring: { name?: string }; Body: UploadJsonBody | string }>('/tcs', {
    bodyLimit: uploadBodyLimit(ctx.maxUploadBytes),
    config: { auditAction: 'tc.upload' },
    schema: {
      tags: TAGS,
      summary: 'Upload a TC: a SUIT envelope or an OTrP TA package (accepted only if its signer chains to the TC-Signer CA)',
      description:
        'SUIT: the envelope must carry an x5chain in a COSE_Sign1 authentication block; the chain is validated for the TC signer role ' +
        'against the TC-Signer CA (and CRLs), then the envelope is verified with the leaf key. OTrP (application/vnd.otrp-ta+json, or ' +
        'JSON with format otrp-ta): the TA package is decoded strictly and its spcert is validated for the TC signer role against the ' +
        'TC-Signer CA (and CRLs); its version is the sequence number. A higher sequence number for a stored component replaces its ' +
        'manifest; a lower or equal one is 409 (ERR_ADMIN_SEQUENCE_NOT_HIGHER).',
      querystring: { type: 'object', properties: { name: { type: 'string', maxLength: 256 } } },
      body: {
        content: {
          [SUIT_ENVELOPE_MEDIA_TYPES[0]]: BINARY,
          [SUIT_ENVELOPE_MEDIA_TYPES[1]]: BINARY,
          [OTRP_TA_MEDIA_TYPE]: TA_PACKAGE,
          'application/json': {
            schema: {
              type: 'object',
              properties: {
                envelope: { type: 'string', minLength: 1, description: 'the SUIT envelope (or, with format otrp-ta, the TA package), base64 or base64url' },
                name: { type: 'string', maxLength: 256 },
                format: { type: 'string', enum: ['suit', 'otrp-ta'], default: 'suit', description: 'what envelope holds' },
              },
              required: ['envelope'],
            },
          },
        },
      },
      response: {
        200: { description: 'a newer manifest of a stored component', ...TC_SCHEMA },
        201: { description: 'a new component', ...TC_SCHEMA },
        ...errorResponses(400, 409, 413, 415, 422),
      },
    },
    handler: async (request, reply) => {
      const { bytes, format, name } = readUpload(request, ctx.maxUploadBytes);
      let checked: CheckedUpload;
      try {
        const trust = await ctx.signerTrust();
        checked = format === 'otrp-ta' ? otrpUpload(await checkOtrpTaUpload(bytes, trust, ctx.now())) : suitUpload(await checkTcUpload(bytes, trust, ctx.now()));
      } catch (e) {
        const claimed = format === 'otrp-ta' ? await presentedSpCert(bytes) : await presentedSigner(bytes);
        if (claimed !== undefined) noteForAudit(request, claimed);
        throw e;
      }
      noteForAudit(request, { ...checked.facts, sequenceNumber: checked.sequenceNumber, signerSubject: checked.signerSubject });
      const { record, created, previous } = await store.transaction(async (tx) => {
        const existing = await tx.trustedComponents.findByComponentId(checked.componentId);
        const signer = { signerSubject: checked.signerSubject, signerThumbprint: checked.signerThumbprint };
        let record: TrustedComponentRecord;
        if (existing === undefined) {
          record = await tx.trustedComponents.add({ componentId: checked.componentId, name, format, manifest: checked.manifest, sequenceNumber: checked.sequenceNumber, ...signer });
        } else {
          if (existing.format !== format) throw new AdminComponentConflict(`the stored component with this id is of format ${existing.format}`);
          checked.replaces?.(existing);
          if (checked.sequenceNumber <= existing.sequenceNumber) {
            throw new AdminSequenceNotHigher(`sequence number ${checked.sequenceNumber} is not higher than the stored ${existing.sequenceNumber}`);
          }
          record = await tx.trustedComponents.updateManifest(existing.id, { manifest: checked.manifest, sequenceNumber: checked.sequenceNumber, ...signer });
        }
        await auditChange(tx.audit, request, {
          tcId: record.id,
          ...checked.facts,
          sequenceNumber: checked.sequenceNumber,
          previousSequenceNumber: existing?.sequenceNumber ?? null,
          signerSubject: checked.signerSubject,
        });
        return { record, created: existing === undefined, previous: existing };
      });
      request.log.info({ tcId: record.id, format, sequenceNumber: record.sequenceNumber, previous: previous?.sequenceNumber }, 'trusted component stored');
      if (created) reply.header('location', `${request.url.split('?')[0]}/${encodeURIComponent(record.id)}`);
      return reply.code(created ? 201 : 200).send(tcView(record));
    },
  });

  scope.get<{ Querystring: { limit: number; offset: number; includeDeprecated: boolean } }>('/tcs', {
    config: { auditAction: 'tc.list' },
    schema: {
      tags: TAGS,
      summary: 'List TCs, ordered by id',
      querystring: { type: 'object', properties: { ...PAGING_QUERY, includeDeprecated: { type: 'boolean', default: true } } },
      response: { 200: pageOf(TC_SCHEMA), ...errorResponses(400) },
    },
    handler: async (request) => {
      const { limit, offset, includeDeprecated } = request.query;
      const items = await store.trustedComponents.list({ limit, offset, includeDeprecated });
      return { items: items.map(tcView), limit, offset };
    },
  });

  scope.get<{ Params: { id: string } }>('/tcs/:id', {
    config: { auditAction: 'tc.get' },
    schema: { tags: TAGS, summary: 'One TC', params: ID_PARAMS, response: { 200: TC_SCHEMA, ...errorResponses(404) } },
    handler: async (request) => tcView(found(await store.trustedComponents.get(request.params.id), request.params.id)),
  });

  scope.get<{ Params: { id: string } }>('/tcs/:id/envelope', {
    config: { auditAction: 'tc.envelope' },
    schema: {
      tags: TAGS,
      summary: 'The SUIT envelope (or OTrP TA package) of a TC, as uploaded',
      params: ID_PARAMS,
      response: {
        200: { description: 'the envelope, or the TA package for format otrp-ta', content: { [SUIT_ENVELOPE_MEDIA_TYPES[0]]: BINARY, [OTRP_TA_MEDIA_TYPE]: TA_PACKAGE } },
        ...errorResponses(404),
      },
    },
    handler: async (request, reply) => {
      const tc = found(await store.trustedComponents.get(request.params.id), request.params.id);
      const type = tc.format === 'otrp-ta' ? OTRP_TA_MEDIA_TYPE : SUIT_ENVELOPE_MEDIA_TYPES[0];
      return reply.type(type).send(Buffer.from(tc.manifest.buffer, tc.manifest.byteOffset, tc.manifest.byteLength));
    },
  });

  scope.post<{ Params: { id: string } }>('/tcs/:id/deprecate', {
    config: { auditAction: 'tc.deprecate' },
    schema: { tags: TAGS, summary: 'Deprecate a TC: no longer installed', params: ID_PARAMS, response: { 200: TC_SCHEMA, ...errorResponses(404) } },
    handler: async (request) =>
      tcView(
        await store.transaction(async (tx) => {
          const r = await tx.trustedComponents.setDeprecated(request.params.id, true);
          await auditChange(tx.audit, request, { tcId: r.id, componentId: tcView(r).componentIdText });
          return r;
        }),
      ),
  });

  scope.delete<{ Params: { id: string } }>('/tcs/:id', {
    config: { auditAction: 'tc.delete' },
    schema: {
      tags: TAGS,
      summary: 'Delete a TC (409 while a policy names it)',
      params: ID_PARAMS,
      response: { 204: { description: 'deleted', type: 'null' }, ...errorResponses(404, 409) },
    },
    handler: async (request, reply) => {
      await store.transaction(async (tx) => {
        const r = found(await tx.trustedComponents.get(request.params.id), request.params.id);
        await tx.trustedComponents.delete(r.id);
        await auditChange(tx.audit, request, { tcId: r.id, componentId: tcView(r).componentIdText, sequenceNumber: r.sequenceNumber });
      });
      return reply.code(204).send();
    },
  });
}
