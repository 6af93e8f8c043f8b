/** Types the catalog borrows from core and the store (kept in one place to keep tc-catalog.ts short). */
export type { SuitCommand, SuitComponentId } from '@otrp/core';
import type { TrustedComponentRecord } from '../store/records.js';

/** The fields of a stored TC the catalog reads. */
export type TrustedComponentRecordLike = Pick<TrustedComponentRecord, 'id' | 'manifest' | 'sequenceNumber'>;
