import type { DemoContext } from './demo-context';
import { PROGRAMME, PROGRAMME_ID, registryExtract } from './people';

/** Bodies above ~64 KiB make the bulk endpoint crawl (tools/README.md), so the extract goes in parts. */
const ENROLMENT_CHUNK = 250;

export async function createProgramme({ client, progress }: DemoContext): Promise<void> {
  await client.ok('programme-officer', 'po-dewi', 'POST', '/programmes', PROGRAMME);
  progress.say(`Programme ${PROGRAMME_ID}: Rp 600,000.00 per beneficiary per month, ceiling Rp 20 billion`);
}

/** The registry extract, sent by an enrolment officer in parts. */
export async function enrolBeneficiaries({ client, progress, beneficiaries }: DemoContext): Promise<void> {
  const phase = progress.phase('Enrolling (registry extract)', beneficiaries, 'beneficiaries');
  for (let first = 1; first <= beneficiaries; first += ENROLMENT_CHUNK) {
    const last = Math.min(first + ENROLMENT_CHUNK - 1, beneficiaries);
    await client.ok(
      'enrolment-officer',
      'eo-rina',
      'POST',
      `/programmes/${PROGRAMME_ID}/beneficiaries/bulk`,
      registryExtract(first, last),
      'text/csv',
    );
    phase.update(last);
  }
  phase.finish();
}
