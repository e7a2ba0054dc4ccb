// @vitest-environment jsdom
// The pane checks a sales file against the service's upload limit (GET /health: max_upload_bytes) before sending it.
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import '../../testing/dom';
import { fakeApi, fakeHost } from '../../testing/fixtures';
import { UploadSection } from './UploadSection';
import { serviceUploadLimit, uploadSizeProblem } from './uploadSize';

const MB = 1024 * 1024;

describe('uploadSizeProblem', () => {
  it('names both sizes and the variable an admin raises', () => {
    expect(uploadSizeProblem(620 * MB, 500 * MB)).toBe(
      'This file is 620 MB; the service takes files up to 500 MB: split it or ask your admin to raise MAX_UPLOAD_MB',
    );
    expect(uploadSizeProblem(620 * MB, 500 * MB, 'The data from this workbook (as CSV)')).toMatch(
      /^The data from this workbook \(as CSV\) is 620 MB; /,
    );
  });

  it('passes a file up to the limit, and any file while the limit is unknown', () => {
    expect(uploadSizeProblem(500 * MB, 500 * MB)).toBeNull();
    expect(uploadSizeProblem(12 * MB, 100 * MB)).toBeNull();
    expect(uploadSizeProblem(620 * MB, undefined)).toBeNull();
    expect(uploadSizeProblem(620 * MB, 0)).toBeNull();
  });

  it('rounds the file up and the limit down, so the two never read the same', () => {
    expect(uploadSizeProblem(500 * MB + 1, 500 * MB)).toMatch(/is 501 MB; .* up to 500 MB:/);
    expect(uploadSizeProblem(1.25 * MB, 1 * MB)).toMatch(/is 1.3 MB; .* up to 1 MB:/);
    expect(uploadSizeProblem(3 * MB, 2.5 * MB)).toMatch(/is 3 MB; .* up to 2.5 MB:/);
  });
});

describe('serviceUploadLimit', () => {
  it("reads /health's max_upload_bytes; undefined when the service does not say or cannot be asked", async () => {
    expect(await serviceUploadLimit({ health: async () => ({ status: 'ok', version: '1', max_upload_bytes: 42 }) })).toBe(42);
    expect(await serviceUploadLimit({ health: async () => ({ status: 'ok', version: '1' }) })).toBeUndefined();
    expect(
      await serviceUploadLimit({
        health: async () => {
          throw new ApiError(0, 'network', 'Cannot reach the service');
        },
      }),
    ).toBeUndefined();
    expect(await serviceUploadLimit({})).toBeUndefined();
  });
});

describe('Upload section with the service limit', () => {
  const health = async () => ({ status: 'ok' as const, version: '1', max_upload_bytes: 500 * MB });
  const bigFile = () => {
    const file = new File(['date,store_id,product_id,units\n2025-01-01,S1,P1,3\n'], 'big.csv', { type: 'text/csv' });
    Object.defineProperty(file, 'size', { value: 620 * MB });
    return file;
  };

  it('refuses a file over the limit when it is chosen, before reading or sending it', async () => {
    const api = fakeApi({ health, upload: vi.fn() });
    const previewFile = vi.fn();
    render(<UploadSection api={api} host={fakeHost('browser', { previewFile })} onUploaded={() => {}} />);
    fireEvent.change(screen.getByLabelText('Sales file'), { target: { files: [bigFile()] } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('File too large');
    expect(alert.textContent).toContain(
      'This file is 620 MB; the service takes files up to 500 MB: split it or ask your admin to raise MAX_UPLOAD_MB',
    );
    expect(previewFile).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Upload' })).toHaveProperty('disabled', true);
    expect(api.upload).not.toHaveBeenCalled();
  });

  it('checks again when Upload is pressed (the limit may have been lowered meanwhile), and does not send', async () => {
    let limit = 700 * MB;
    const api = fakeApi({ health: async () => ({ status: 'ok', version: '1', max_upload_bytes: limit }), upload: vi.fn() });
    render(<UploadSection api={api} host={fakeHost()} onUploaded={() => {}} />);
    fireEvent.change(screen.getByLabelText('Sales file'), { target: { files: [bigFile()] } });
    // Within the limit when chosen: read and shown for the mapping.
    expect(await screen.findByRole('combobox', { name: 'Column for Date' })).toBeTruthy();
    limit = 500 * MB;
    fireEvent.click(await screen.findByRole('button', { name: 'Upload' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Upload failed');
    expect(alert.textContent).toContain('This file is 620 MB; the service takes files up to 500 MB');
    expect(api.upload).not.toHaveBeenCalled();
  });

  it('asks something small first for a large file, so a refused key is said in words and nothing is sent', async () => {
    const api = fakeApi({
      health,
      stores: async () => {
        throw new ApiError(401, 'unauthorized', 'This service needs an API key: set it in Settings');
      },
      upload: vi.fn(),
    });
    render(<UploadSection api={api} host={fakeHost()} onUploaded={() => {}} />);
    const file = new File(['date,store_id,product_id,units\n2025-01-01,S1,P1,3\n'], 'year.csv', { type: 'text/csv' });
    Object.defineProperty(file, 'size', { value: 40 * MB });
    fireEvent.change(screen.getByLabelText('Sales file'), { target: { files: [file] } });
    fireEvent.click(await screen.findByRole('button', { name: 'Upload' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/API key/);
    expect(api.upload).not.toHaveBeenCalled();
  });

  it('sends a file within the limit as before', async () => {
    const api = fakeApi({
      health,
      upload: async () => {
        throw new ApiError(422, 'invalid_request', 'stop here');
      },
    });
    render(<UploadSection api={api} host={fakeHost()} onUploaded={() => {}} />);
    const file = new File(['date,store_id,product_id,units\n2025-01-01,S1,P1,3\n'], 'small.csv', { type: 'text/csv' });
    fireEvent.change(screen.getByLabelText('Sales file'), { target: { files: [file] } });
    fireEvent.click(await screen.findByRole('button', { name: 'Upload' }));
    await waitFor(() => expect(api.upload).toHaveBeenCalledTimes(1));
    expect(api.upload.mock.calls[0][0]).toBe(file);
    expect(screen.queryByText(/File too large/)).toBeNull();
  });
});
