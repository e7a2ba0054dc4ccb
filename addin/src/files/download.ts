// File names and downloads in the browser; kept apart from workbookFile.ts so SheetJS loads only when needed.
export const ACCEPTED_FILES = '.csv,.xlsx,.csv.gz,.gz';
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type FileKind = 'xlsx' | 'csv' | 'other';

export function fileKind(fileName: string): FileKind {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.xlsx') || lower.endsWith('.xlsm')) return 'xlsx';
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
  return 'other';
}

/** A file-name-safe stem. */
export const fileStem = (...parts: string[]) => parts.join('-').replace(/[^A-Za-z0-9._-]+/g, '_');

/** Hands a file to the browser as a download. */
export function saveFile(data: Blob | Uint8Array, fileName: string, doc: Document = document): void {
  const blob = data instanceof Blob ? data : new Blob([data as BlobPart], { type: XLSX_MIME });
  const href = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = href;
  a.download = fileName;
  a.style.display = 'none';
  doc.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 30_000);
}
