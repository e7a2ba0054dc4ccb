// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import '../../testing/dom';
import { fakeApi, fakeHost } from '../../testing/fixtures';
import { UploadSection } from './UploadSection';
import { unsupportedFileProblem } from './fileType';

describe('file types chosen for upload', () => {
  it('takes .csv, .csv.gz and .xlsx whatever their case', () => {
    for (const name of ['sales.csv', 'SALES.CSV', 'week.csv.gz', 'book.xlsx', 'macro.xlsm'])
      expect(unsupportedFileProblem(name)).toBeNull();
  });
  it('refuses .xls, .txt and anything else with what to do', () => {
    expect(unsupportedFileProblem('old.xls')).toMatch(/old Excel 97-2003 workbook.*save it as \.xlsx/);
    expect(unsupportedFileProblem('export.txt')).toMatch(/text file.*save it as CSV UTF-8/);
    expect(unsupportedFileProblem('notes.pdf')).toBe('"notes.pdf" is not a file the service reads. Choose a .xlsx, .csv or .csv.gz file.');
  });
});

describe('Upload section', () => {
  it('refuses an .xls when it is chosen, before reading or sending it, and says what to do', async () => {
    const api = fakeApi({ upload: vi.fn() });
    const previewFile = vi.fn();
    render(<UploadSection api={api} host={fakeHost('browser', { previewFile })} onUploaded={() => {}} />);
    const old = new File(['not really a workbook'], 'Sales 2019.xls');
    fireEvent.change(screen.getByLabelText('Sales file'), { target: { files: [old] } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('This file type cannot be read');
    expect(alert.textContent).toContain('"Sales 2019.xls" is an old Excel 97-2003 workbook (.xls)');
    expect(previewFile).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Upload' })).toHaveProperty('disabled', true);
    expect(api.upload).not.toHaveBeenCalled();
  });
});
