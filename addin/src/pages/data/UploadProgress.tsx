import { Field, ProgressBar } from '@fluentui/react-components';
import { fmt } from '../../components/format';
import type { UploadProgressResponse } from '../../../../shared/schemas';
import type { Phase } from './types';

export function UploadProgress({ phase }: { phase: Phase }) {
  if (phase.step === 'processing') {
    const { label, value } = serviceStep(phase.service);
    return (
      <Field label={label} validationState="none">
        <ProgressBar value={value} aria-label="Upload progress" />
      </Field>
    );
  }
  const label =
    phase.step === 'reading'
      ? `Reading the workbook: ${fmt(phase.done)} of ${fmt(phase.total)} rows`
      : `Uploading: ${fmt(phase.done / 1024, 0)} of ${fmt(phase.total / 1024, 0)} KB`;
  return (
    <Field label={label} validationState="none">
      <ProgressBar value={phase.total ? phase.done / phase.total : undefined} aria-label="Upload progress" />
    </Field>
  );
}

/** What the service is doing with a sent file, in words, and how far (undefined: no measure, a moving bar). */
export function serviceStep(p: UploadProgressResponse | undefined): { label: string; value?: number } {
  if (!p || p.phase === 'receiving') return { label: 'The service is receiving the file…' };
  if (p.phase === 'reading') return { label: `Checking the file: ${fmt(p.rows_read)} rows read (nothing is stored until all are checked)` };
  if (p.phase === 'storing' && p.records) {
    return { label: `Storing: ${fmt(p.records_written)} of ${fmt(p.records)} records`, value: p.records_written / p.records };
  }
  if (p.phase === 'storing') return { label: 'Storing the records…' };
  return { label: 'Finishing: merging with the stored sales and updating the product list…' };
}
