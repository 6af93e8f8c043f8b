/**
 * Wiring of the OTrP side into the TAM server (startTamServer): the PKI's OTrP identities and OCSP
 * responders, the stapler, the OtrpTamService on the server's store, and `POST /otrp`.
 */
import * as nodeCrypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createNodeRawRsa } from '@otrp/core';
import type { TrustAnchor } from '@otrp/core';
import type { Store } from '../store/store.js';
import { otrpRoutes } from '../http/otrp-route.js';
import { createOcspStapler } from './ocsp-stapler.js';
import type { OtrpTamConfig } from './otrp-config.js';
import { loadOtrpPki } from './otrp-pki.js';
import { OtrpTamService } from './otrp-service.js';

export interface RegisterOtrpOptions {
  readonly pkiDir: string;
  readonly store: Store;
  readonly deviceAnchors: readonly TrustAnchor[];
  readonly crls: () => Promise<readonly Uint8Array[]>;
  readonly config?: OtrpTamConfig;
  readonly bodyLimit?: number;
}

export async function registerOtrp(app: FastifyInstance, options: RegisterOtrpOptions): Promise<OtrpTamService> {
  const pki = await loadOtrpPki(options.pkiDir);
  const service = new OtrpTamService({
    store: options.store,
    pki,
    stapler: createOcspStapler({ responders: pki.responders }),
    deviceAnchors: options.deviceAnchors,
    crls: options.crls,
    rawRsa: createNodeRawRsa(nodeCrypto),
    ...(options.config && { config: options.config }),
  });
  app.register(otrpRoutes, {
    handler: { processConnect: () => service.processConnect(), processOtrpMessage: (body) => service.processOtrpMessage(body) },
    ...(options.bodyLimit !== undefined && { bodyLimit: options.bodyLimit }),
  });
  return service;
}
