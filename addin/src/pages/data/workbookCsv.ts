// A workbook table or sheet as the CSV file the service reads (the sales upload and the events calendar).
import { csvLine } from '../../mapping/csv';
import type { DataSource, WorkbookAccess } from '../../pane-host';

/**
 * Reads a workbook table or sheet into a CSV file for the service. Excel hands dates over as serial numbers: the
 * date column is written as ISO days. `headers` are the columns the user saw; a sheet changed since is refused.
 */
export async function workbookCsv(
  workbook: WorkbookAccess,
  source: DataSource,
  headers: string[],
  dateColumn: string | undefined,
  onProgress?: (done: number, total: number) => void,
): Promise<{ csv: Blob; fileName: string }> {
  const dateColumns = new Set(dateColumn ? [headers.indexOf(dateColumn)] : []);
  const parts: string[] = [];
  const read = await workbook.read(
    source,
    (rows) => {
      for (const row of rows) parts.push(`${csvLine(row, dateColumns)}\r\n`);
    },
    onProgress,
  );
  if (read.headers.join('\u0000') !== headers.join('\u0000')) {
    throw new Error('The columns changed since they were shown: press "Look again" and check the mapping.');
  }
  if (read.rows === 0) throw new Error('The chosen data has a header row but no rows under it.');
  return {
    csv: new Blob([`${csvLine(headers)}\r\n`, ...parts], { type: 'text/csv' }),
    fileName: `${source.kind === 'table' ? source.name : source.sheet || 'selection'}.csv`,
  };
}
