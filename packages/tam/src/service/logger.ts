/**
 * The TAM's structured log (pino, JSON lines): to standard error by default, or appended to a file.
 * Fastify uses the same logger for its access log.
 */
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { LogLevel } from './config.js';

export interface TamLoggerOptions {
  /** Default 'info'. */
  readonly level?: LogLevel;
  /** Append to this file instead of standard error. */
  readonly file?: string;
}

export function createTamLogger(options: TamLoggerOptions = {}): Logger {
  const destination = options.file !== undefined ? pino.destination({ dest: options.file, append: true, mkdir: true, sync: true }) : pino.destination({ dest: 2, sync: true });
  return pino({ level: options.level ?? 'info', base: { service: 'otrp-tam' } }, destination);
}
