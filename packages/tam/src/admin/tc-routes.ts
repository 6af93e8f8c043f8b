/**
 * Trusted components under /admin/v1/tcs: upload (with the signer check of upload-check.ts), list,
 * get, download the envelope, deprecate, delete.
 *
 *   POST   /tcs                  201 new component | 200 newer sequence number of a stored one
 *                                 400 not an envelope, 409 sequence not higher, 413, 415, 422 refused
 *   GET    /tcs                  { items, limit, offset }   (?limit, ?offset, ?includeDeprecated)
 *   GET    /tcs/:id              one TC                        404
 *   GET    /tcs/:id/envelope     the envelope as uploaded      404
 *   POST   /tcs/:id/deprecate    deprecated: true (policies stop installing it)    404
 *   DELETE /tcs/:id              204; 409 while a policy names it                  404
 */
import type { FastifyInstance } from 'fastify';
import { StoreNotFound } from '../store/errors.js';
import type { TrustedComponentRecord } from '../store/records.js';
import type { AdminContext } from './admin-deps.js';
import { auditChange, noteForAudit } from './audit.js';
import { AdminSequenceNotHigher } from './errors.js';
import { ID_PARAMS, PAGING_QUERY, TC_SCHEMA, errorResponses, pageOf } from './schemas.js';
import { SUIT_ENVELOPE_MEDIA_TYPES, readUpload, registerEnvelopeParser, uploadBodyLimit } from './upload-body.js';
import type { UploadJsonBody } from './upload-body.js';
import { checkTcUpload, presentedSigner } from './upload-check.js';
import { tcView } from './views.js';

const TAGS = ['trusted-components'];
const BINARY = { schema: { type: 'string', format: 'binary', description: 'SUIT_Envelope (suit-manifest-37 §8.2)' } } as const;

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
      summary: 'Upload a TC (accepted only if its signer chains to the TC-Signer CA)',
      description:
        'The envelope must carry an x5chain in a COSE_Sign1 authentication block; the chain is validated for the TC signer role ' +
        'against the TC-Signer CA (and CRLs), then the envelope is verified with the leaf key. A higher sequence number for a stored ' +
        'component replaces its manifest; a lower or equal one is 409.',
      querystring: { type: 'object', properties: { name: { type: 'string', maxLength: 256 } } },
      body: {
        content: {
          [SUIT_ENVELOPE_MEDIA_TYPES[0]]: BINARY,
          [SUIT_ENVELOPE_MEDIA_TYPES[1]]: BINARY,
          'application/json': {
            schema: {
              type: 'object',
              properties: {
                envelope: { type: 'string', minLength: 1, description: 'the SUIT envelope, base64 or base64url' },
                name: { type: 'string', maxLength: 256 },
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
      const { bytes, name } = readUpload(request, ctx.maxUploadBytes);
      let checked;
      try {
        checked = await checkTcUpload(bytes, await ctx.signerTrust(), ctx.now());
      } catch (e) {
        const claimed = await presentedSigner(bytes);
        if (claimed !== undefined) noteForAudit(request, claimed);
        throw e;
      }
      noteForAudit(request, { componentId: checked.componentIdText, sequenceNumber: checked.sequenceNumber, signerSubject: checked.signerSubject });
      const { record, created, previous } = await store.transaction(async (tx) => {
        const existing = await tx.trustedComponents.findByComponentId(checked.componentId);
        const signer = { signerSubject: checked.signerSubject, signerThumbprint: checked.signerThumbprint };
        let record: TrustedComponentRecord;
        if (existing === undefined) {
          record = await tx.trustedComponents.add({ componentId: checked.componentId, name, manifest: checked.envelope, sequenceNumber: checked.sequenceNumber, ...signer });
        } else {
          if (checked.sequenceNumber <= existing.sequenceNumber) {
            throw new AdminSequenceNotHigher(`sequence number ${checked.sequenceNumber} is not higher than the stored ${existing.sequenceNumber}`);
          }
          record = await tx.trustedComponents.updateManifest(existing.id, { manifest: checked.envelope, sequenceNumber: checked.sequenceNumber, ...signer });
        }
        await auditChange(tx.audit, request, {
          tcId: record.id,
          componentId: checked.componentIdText,
          sequenceNumber: checked.sequenceNumber,
          previousSequenceNumber: existing?.sequenceNumber ?? null,
          signerSubject: checked.signerSubject,
        });
        return { record, created: existing === undefined, previous: existing };
      });
      request.log.info({ tcId: record.id, sequenceNumber: record.sequenceNumber, previous: previous?.sequenceNumber }, 'trusted component stored');
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
      summary: 'The SUIT envelope of a TC, as uploaded',
      params: ID_PARAMS,
      response: { 200: { description: 'the envelope', content: { [SUIT_ENVELOPE_MEDIA_TYPES[0]]: BINARY } }, ...errorResponses(404) },
    },
    handler: async (request, reply) => {
      const tc = found(await store.trustedComponents.get(request.params.id), request.params.id);
      return reply.type(SUIT_ENVELOPE_MEDIA_TYPES[0]).send(Buffer.from(tc.manifest.buffer, tc.manifest.byteOffset, tc.manifest.byteLength));
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
