/**
 * The device directory (`otrp device init DIR`), REE-visible part vs TEE part:
 *
 *   DIR/device.json     REE-visible, no secrets: format version, name, algorithm, created-at
 *   DIR/tee/            the TEE's folder (0700); only the TEE process opens it
 *     device-secret     the simulated hardware unique key (0600), created by the TEE process itself
 *     *.sealed          sealed files (sealed-storage.ts): device-keys, device-credentials,
 *                       agent-state, tc-index, tc-blob-<sha256>
 *
 * The README of this package has the same table for people.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeviceNotInitialized } from './errors.js';
import { isDeviceKeyAlg, type DeviceKeyAlg } from './tee/device-keys.js';

export const DEVICE_LAYOUT = {
  config: 'device.json',
  tee: 'tee',
} as const;

/** device.json. */
export interface DeviceConfig {
  readonly version: 1;
  readonly name: string;
  readonly alg: DeviceKeyAlg;
  /** ISO 8601. */
  readonly createdAt: string;
}

export const teeDirOf = (dir: string): string => join(dir, DEVICE_LAYOUT.tee);
export const configPathOf = (dir: string): string => join(dir, DEVICE_LAYOUT.config);

export function encodeDeviceConfig(c: DeviceConfig): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}

/** Reads and checks device.json; ERR_DEVICE_NOT_INITIALIZED when absent or not ours. */
export async function readDeviceConfig(dir: string): Promise<DeviceConfig> {
  let text: string;
  try {
    text = await readFile(configPathOf(dir), 'utf8');
  } catch (e) {
    throw new DeviceNotInitialized(`no device in this directory (${DEVICE_LAYOUT.config} missing)`, { cause: e });
  }
  let v: Partial<DeviceConfig>;
  try {
    v = JSON.parse(text) as Partial<DeviceConfig>;
  } catch (e) {
    throw new DeviceNotInitialized(`${DEVICE_LAYOUT.config} is not JSON`, { cause: e });
  }
  if (v?.version !== 1 || typeof v.name !== 'string' || typeof v.alg !== 'string' || !isDeviceKeyAlg(v.alg) || typeof v.createdAt !== 'string') {
    throw new DeviceNotInitialized(`${DEVICE_LAYOUT.config} does not describe an otrp device (version 1)`);
  }
  return v as DeviceConfig;
}
