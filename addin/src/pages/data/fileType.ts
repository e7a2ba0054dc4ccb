// The file types the service reads, checked when a file is chosen: a .txt or an old .xls is refused at once with
// what to do, rather than after its preview and mapping (the service refuses it with 415 anyway). Pure.

/** The sentence for a file the service will not read, or null for .csv, .csv.gz and .xlsx (.xlsm is read as .xlsx). */
export function unsupportedFileProblem(fileName: string): string | null {
  const name = fileName.trim().toLowerCase();
  if (/\.(csv|csv\.gz|xlsx|xlsm)$/.test(name)) return null;
  if (name.endsWith('.xls')) {
    return `"${fileName}" is an old Excel 97-2003 workbook (.xls). Open it in Excel and save it as .xlsx (or CSV UTF-8), then choose that file.`;
  }
  if (name.endsWith('.txt') || name.endsWith('.tsv')) {
    return `"${fileName}" is a text file. Open it in Excel and save it as CSV UTF-8 (or .xlsx), then choose that file.`;
  }
  return `"${fileName}" is not a file the service reads. Choose a .xlsx, .csv or .csv.gz file.`;
}
