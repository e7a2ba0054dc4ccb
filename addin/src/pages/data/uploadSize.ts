// The service's upload limit, checked in the pane before a file is sent: a browser that sends a file over the limit
// may get only a network error back, and the buyer would have waited for the whole file to go first.
import type { ApiClient } from '../../api/client';

const MB = 1024 * 1024;

/** The service's MB (MAX_UPLOAD_MB is in units of 1024 x 1024 bytes), whole from 10 MB, else with one decimal. */
function megabytes(bytes: number, round: (n: number) => number): string {
  const mb = bytes / MB;
  return mb >= 10 ? `${round(mb)} MB` : `${round(mb * 10) / 10} MB`;
}

/**
 * The sentence for a file (or the workbook's data, `what`) larger than the service takes, or null when it fits or
 * the limit is not known. The file's size is rounded up and the limit down, so "501 MB" never reads as fitting in "500 MB".
 */
export function uploadSizeProblem(sizeBytes: number, maxBytes: number | undefined, what = 'This file'): string | null {
  if (maxBytes === undefined || !(maxBytes > 0) || sizeBytes <= maxBytes) return null;
  return (
    `${what} is ${megabytes(sizeBytes, Math.ceil)}; the service takes files up to ${megabytes(maxBytes, Math.floor)}: ` +
    'split it or ask your admin to raise MAX_UPLOAD_MB'
  );
}

/** The limit the service announces on /health (max_upload_bytes); undefined when it does not say or cannot be asked. */
export async function serviceUploadLimit(api: Partial<Pick<ApiClient, 'health'>>): Promise<number | undefined> {
  if (!api.health) return undefined;
  try {
    return (await api.health()).max_upload_bytes;
  } catch {
    // The upload itself will then say what is wrong with the connection.
    return undefined;
  }
}
