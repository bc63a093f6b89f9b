import type { CreditTransfer, CreditTransferFileHeader } from '@salur/bank-integration';

export const TREASURY = {
  name: 'KAS DAERAH KABUPATEN MUSI BANYUASIN',
  accountNumber: '0012301000099',
  bic: 'BRINIDJA',
};

export function header(count: number, controlSum: string): CreditTransferFileHeader {
  return {
    messageId: '5d6f1b7e2c434e6a9d1f000000000001',
    paymentInfoId: '5d6f1b7e2c434e6a9d1f000000000001',
    createdAt: '2026-11-26T08:00:00.000Z',
    requestedExecutionDate: '2026-11-27',
    count,
    controlSum,
    currency: 'IDR',
    debtor: TREASURY,
    remittanceInformation: 'BANTU-UMAK-2026 2026-11',
  };
}

export function transfer(n: number, overrides: Partial<CreditTransfer> = {}): CreditTransfer {
  return {
    endToEndId: `0000000000004000800000${String(n).padStart(10, '0')}`,
    amount: '600000.00',
    bankCode: '002',
    creditor: { name: `SITI AMINAH ${n}`, accountNumber: `0019010${String(n).padStart(8, '0')}`, bic: 'BRINIDJA' },
    ...overrides,
  };
}

export async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

export async function* chunksOf(text: string, size = 97): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

export async function linesOf<T>(lines: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const line of lines) all.push(line);
  return all;
}
