// The PaneHost interface: what the pages may ask of the place they run in. make-pane-host.ts builds one inside Excel
// from the Excel adapter (src/excel/workbook.ts), or one for a browser; both read picked files and the browser writes
// results with the file adapter (src/files/workbookFile.ts). Pages and components only see this, never an adapter.
import type { DataSource, SourcePreview } from './excel/workbook';
import type { FilePreview } from './files/workbookFile';
import type { CellValue } from './mapping/csv';
import type { SheetSpec } from './results/sheets';

export type { DataSource, FilePreview };

export interface WorkbookAccess {
  listSources(): Promise<DataSource[]>;
  preview(source: DataSource): Promise<SourcePreview>;
  /** Reads every data row in chunks; onRows receives them in order. */
  read(
    source: DataSource,
    onRows: (rows: CellValue[][]) => void,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ headers: string[]; rows: number }>;
}

export interface PaneHost {
  mode: 'excel' | 'browser';
  /** Why this mode (shown in Settings). */
  detail: string;
  /** The locale the pages write dates in: the workbook's inside Excel, the browser's outside it (e.g. "de-DE"). */
  locale: string;
  /** Excel: write (or update) the sheets in the open workbook. Browser: download them as one .xlsx. */
  writeSheets(specs: SheetSpec[], fileStem: string): Promise<string>;
  /** Saves a file the service produced (exports). */
  saveFile(data: Blob, fileName: string): void;
  /** Headers and first rows of each sheet of a sales file the user picked (.xlsx, .csv), before it is uploaded. */
  previewFile(file: File): Promise<FilePreview>;
  /** The open workbook, inside Excel only. */
  workbook?: WorkbookAccess;
  /**
   * Excel: forget the DEMAND.* cell functions' cached answers and recalculate the workbook, so cells show a new
   * model or new data at once (Excel does not recalculate them by itself). Absent in a browser.
   */
  refreshCellFunctions?: () => Promise<void>;
}

export const writeLabel = (host: Pick<PaneHost, 'mode'>) => (host.mode === 'excel' ? 'Write to sheet' : 'Download .xlsx');
