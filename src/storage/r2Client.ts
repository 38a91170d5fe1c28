import type { S3ClientConfig } from '@aws-sdk/client-s3'

import type { R2Settings } from '../config/env'

// A few quick retries ride out a dropped keep-alive connection; an unreachable bucket still
// fails within about a second, so an editor waiting on an upload gets an answer.
export const r2MaxAttempts = 3

/**
 * S3 client settings that work against Cloudflare R2 (and any S3-API server): region `auto`,
 * path-style addressing, and checksums only when an operation requires them — newer AWS SDKs send
 * CRC32 checksums by default, which R2 rejected, and which break streamed uploads elsewhere.
 */
export const getR2ClientConfig = (r2: R2Settings): S3ClientConfig => ({
  endpoint: r2.endpoint,
  region: 'auto',
  forcePathStyle: true,
  credentials: { accessKeyId: r2.accessKeyId, secretAccessKey: r2.secretAccessKey },
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
  maxAttempts: r2MaxAttempts,
})
