import { Field, ProgressBar } from '@fluentui/react-components';
import { fmt } from '../../components/format';
import type { Phase } from './types';

export function UploadProgress({ phase }: { phase: Phase }) {
  if (phase.step === 'processing') {
    return (
      <Field label="The service is storing the data…" validationState="none">
        <ProgressBar aria-label="Upload progress" />
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
