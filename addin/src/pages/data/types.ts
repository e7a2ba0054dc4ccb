import type { UploadProgressResponse } from '../../../../shared/schemas';
// What the Data & Training sections share: the API they call and the shapes passed between them.
import type { ApiClient } from '../../api/client';
import type { CellValue } from '../../mapping/csv';

export type DataApi = Pick<ApiClient, 'stores' | 'upload' | 'uploadCalendar' | 'calendar' | 'train' | 'job' | 'models' | 'activate'> &
  // health(): the service's upload limit, checked before a file is sent (uploadSize.ts); optional, as it only helps.
  Partial<Pick<ApiClient, 'health'>>;

/** Columns of the chosen data as shown for the mapping: headers and the first rows. */
export interface Columns {
  headers: string[];
  rows: CellValue[][];
  /** Total data rows when known. */
  totalRows?: number;
}

/** Where an upload is: reading the workbook, sending the file, or waiting for the service to store it. */
export type Phase =
  | { step: 'reading'; done: number; total: number }
  | { step: 'sending'; done: number; total: number }
  | { step: 'processing'; service?: UploadProgressResponse };
