/** A throwaway Device CA for tests (self-signed, ESP256). */
import { createCaCertificate, generateKeyPair, type CaHandle } from '@otrp/core';

export async function testDeviceCa(name = 'Test Device CA'): Promise<CaHandle> {
  const keys = await generateKeyPair('ESP256');
  return { certificate: await createCaCertificate({ name, keys }), privateKey: keys.privateKey };
}
